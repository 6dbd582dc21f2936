// Rendering only where needed: a JavaScript-only menu is rendered in Chromium (and axe runs
// on the home page); without Chromium the audit continues and records crawl.render-failed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadChecks } from "../../crawler/audit/checks-adapter.ts";
import { crawlSite } from "../../crawler/audit/crawl-site.ts";
import { Fetcher } from "../../crawler/fetch/fetcher.ts";
import { extractLinks } from "../../crawler/discover/links.ts";
import { PARSE_MAX_CHARS, parseHtml } from "../../crawler/parse/page.ts";
import { findChromium, RenderFailedError, Renderer } from "../../crawler/render/renderer.ts";
import { CANARY_SECRET, forbiddenCanary, handleHostile, type HostileContext } from "../farm/hostile.ts";
import { startFarm, type Farm, type FarmSite } from "../farm/index.ts";
import type { HostileKind } from "../farm/types.ts";
import { html, startServer, type TestServer } from "./helpers.ts";

let farm: Farm;
let jsSite: FarmSite;
const fetcher = new Fetcher({ totalTimeoutMs: 10_000 });

beforeAll(async () => {
  farm = await startFarm({ include: "province" });
  jsSite = farm.sites.find((s) => s.truth.jsMenu)!;
});
afterAll(async () => {
  await fetcher.close();
  await farm?.close();
});

describe("rendering", () => {
  it.skipIf(!findChromium())("renders a page whose menu needs JavaScript and runs axe on the home page", async () => {
    const renderer = new Renderer({ maxPages: 1, timeoutMs: 20_000 });
    try {
      const checks = await loadChecks();
      const r = await crawlSite({ baseUrl: jsSite.baseUrl, allowPrivate: true, fetcher, renderer, checks, maxPages: 25, renderMode: "auto" });
      expect(r.startError).toBeNull();
      const home = r.pages.find((p) => p.kind === "home")!;
      expect(home.rendered).toBe(true);
      expect(home.renderedHtml).toBeTruthy();
      // The landing pages are only reachable through the rendered menu.
      expect(r.pages.filter((p) => p.kind === "category").length).toBeGreaterThan(5);
      expect(r.snapshot.axe?.violations).toBeInstanceOf(Array);
      expect(r.findings.filter((f) => f.code === "crawl.render-failed")).toEqual([]);
    } finally {
      await renderer.close();
    }
  }, 180_000);

  it("records crawl.render-failed and goes on when Chromium is missing", async () => {
    const renderer = new Renderer({ executablePath: "/nonexistent/chromium" });
    const checks = await loadChecks();
    const r = await crawlSite({ baseUrl: jsSite.baseUrl, allowPrivate: true, fetcher, renderer, checks, maxPages: 5, renderMode: "auto" });
    expect(r.startError).toBeNull();
    const failed = r.findings.filter((f) => f.code === "crawl.render-failed");
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0].message).toMatch(/could not be rendered/);
    expect(failed[0].url).toBe(jsSite.baseUrl);
    expect(r.pages.find((p) => p.kind === "home")!.renderError).toMatch(/Chromium/);
    expect(r.snapshot.axe).toBeNull();
  });
});

// Bounded work (issue 17 §3): the hostile pages of the farm, each rendered with short bounds.
describe("bounded work", () => {
  const ctx: HostileContext = { timers: new Set(), slowMs: 1000, seed: 1 };
  const servers: TestServer[] = [];
  const hostile = async (kind: HostileKind) => {
    const s = await startServer((req, res) => handleHostile(kind, req, res, ctx));
    servers.push(s);
    return s;
  };
  afterAll(async () => {
    for (const t of ctx.timers) clearTimeout(t);
    await Promise.all(servers.map((s) => s.close()));
  });

  it("parses 100,000 nested <div> in linear time, keeping what comes before the budget", () => {
    const deep = (n: number) => `<html><body><h1>Trước</h1><a href="/a">A</a>${"<div>".repeat(n)}x${"</div>".repeat(n)}</body></html>`;
    const t0 = performance.now();
    const p = parseHtml(deep(100_000), "http://example.test/");
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(3000);
    expect(p.budgetExceeded).toMatch(/sâu hơn/);
    expect(p.headings.map((h) => h.text)).toEqual(["Trước"]);
    expect(p.links.map((l) => l.href)).toEqual(["http://example.test/a"]);
    // The link extractor (discovery) parses within the same budget.
    const t1 = performance.now();
    const found = extractLinks(deep(100_000), "http://example.test/");
    expect(performance.now() - t1).toBeLessThan(3000);
    expect(found.links.map((l) => l.url)).toEqual(["http://example.test/a"]);
    // Sloppy markup (unclosed <b> in 300 paragraphs nests 600 levels in htmlparser2) stays within it.
    const sloppy = `<html><body>${"<p>đoạn <b>đậm".repeat(300)}<a href="/cuoi">Cuối</a></body></html>`;
    expect(parseHtml(sloppy, "http://example.test/").budgetExceeded).toBeUndefined();
    expect(extractLinks(sloppy, "http://example.test/").links.map((l) => l.url)).toEqual(["http://example.test/cuoi"]);
    // Pages within the budget are untouched.
    expect(parseHtml(deep(100), "http://example.test/").budgetExceeded).toBeUndefined();
    // The size budget: the rest of an over-long page is not parsed.
    expect(parseHtml(`<p>${"x".repeat(PARSE_MAX_CHARS)}</p>`, "http://example.test/").budgetExceeded).toMatch(/dài hơn/);
  });

  it.skipIf(!findChromium())("ends a render that never settles within its bound without holding up the page beside it, and renders the next page", async () => {
    const site = await hostile("never-settles");
    let tookStuck = 0;
    const renderer = new Renderer({ maxPages: 2, timeoutMs: 4000, axeTimeoutMs: 4000 });
    try {
      const policy = { allowedHosts: [site.host], allowPrivate: true };
      const normal = await startServer((_req, res) => html(res, "<h1>Bình thường</h1>"));
      servers.push(normal);
      const normalPolicy = { allowedHosts: [normal.host], allowPrivate: true };
      // The browser is up first, so that the time measured is the render's alone.
      const warm = await renderer.tryRender(normal.url, normalPolicy);
      expect(warm.ok, warm.ok ? "" : warm.reason).toBe(true);
      const t0 = Date.now();
      // An ordinary page rendering beside the stuck one, in the same browser, is not held up.
      const [out, beside] = await Promise.all([
        renderer.tryRender(site.url, policy, { axe: true }).then((o) => ({ o, took: Date.now() - t0 })),
        renderer.tryRender(normal.url, normalPolicy, { axe: true }),
      ]).then(([a, b]) => [a.o, b, a.took] as const).then(([a, b, t]) => {
        tookStuck = t;
        return [a, b] as const;
      });
      const took = tookStuck;
      expect(beside.ok, beside.ok ? "" : beside.reason).toBe(true);
      expect(out.ok).toBe(false);
      if (!out.ok) {
        expect(out.code).toBe("timeout");
        expect(out.reason).toMatch(/giây|không đóng được/);
      }
      // The stated bound (16 s here), plus killing the browser.
      expect(took).toBeLessThan(renderer.boundMs + 5000);
      // The stuck page was ended: its context closed, or the browser killed and recycled.
      expect(renderer.recycled + renderer.stuckPagesClosed).toBeGreaterThanOrEqual(1);
      // render() throws the same typed failure (crawl-site records its reason).
      const err = await renderer.render(site.url, policy).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RenderFailedError);
      // The same renderer goes on with a fresh browser.
      const next = await renderer.tryRender(normal.url, normalPolicy, { axe: true });
      expect(next.ok, next.ok ? "" : next.reason).toBe(true);
    } finally {
      await renderer.close();
    }
  }, 120_000);

  it.skipIf(!findChromium())("kills and recycles a browser over its memory bound", async () => {
    const normal = await startServer((_req, res) => html(res, "<h1>Bình thường</h1><script>window.x = new Array(1e6).fill(1)</script>"));
    servers.push(normal);
    const renderer = new Renderer({ maxPages: 1, timeoutMs: 8000, axeTimeoutMs: 4000, maxBrowserMemoryMb: 1 });
    try {
      const out = await renderer.tryRender(normal.url, { allowedHosts: [normal.host], allowPrivate: true });
      expect(out.ok).toBe(false);
      if (!out.ok) {
        expect(out.code).toBe("memory");
        expect(out.reason).toMatch(/bộ nhớ/);
      }
      expect(renderer.recycled).toBe(1);
    } finally {
      await renderer.close();
    }
  }, 90_000);

  it.skipIf(!findChromium())("stops a page whose script exhausts its heap", async () => {
    const hog = await startServer((_req, res) =>
      html(res, `<h1>Ăn bộ nhớ</h1><script>const a = []; for (;;) a.push(new Array(1e6).fill(Math.random()));</script>`),
    );
    servers.push(hog);
    const renderer = new Renderer({ maxPages: 1, timeoutMs: 20_000, axeTimeoutMs: 4000, maxPageHeapMb: 64 });
    try {
      const t0 = Date.now();
      const out = await renderer.tryRender(hog.url, { allowedHosts: [hog.host], allowPrivate: true });
      expect(out.ok).toBe(false);
      expect(Date.now() - t0).toBeLessThan(renderer.boundMs + 30_000);
    } finally {
      await renderer.close();
    }
  }, 120_000);

  it.skipIf(!findChromium())("refuses a page that redirects itself to a forbidden port, stores nothing of it, and the audit goes on", async () => {
    const site = await hostile("redirect-forbidden");
    const canary = await forbiddenCanary();
    const before = canary.connections;
    const renderer = new Renderer({ maxPages: 1, timeoutMs: 6000, axeTimeoutMs: 6000 });
    try {
      const out = await renderer.tryRender(site.url, { allowedHosts: [site.host], allowPrivate: true }, { axe: true });
      if (out.ok) expect(out.html).not.toContain(CANARY_SECRET);
      else expect(out.code).toBe("blocked");
      const checks = await loadChecks();
      const r = await crawlSite({ baseUrl: site.url, allowPrivate: true, fetcher, renderer, checks, maxPages: 10, renderMode: "always" });
      expect(r.startError).toBeNull();
      expect(JSON.stringify({ pages: r.pages.map((p) => [p.title, p.renderedHtml, p.renderError]), findings: r.findings, snapshot: r.snapshot })).not.toContain(CANARY_SECRET);
      expect(canary.hits).toEqual([]);
      expect(canary.connections).toBe(before);
    } finally {
      await renderer.close();
    }
  }, 120_000);

  it.skipIf(!findChromium())("audits the deep-nesting page within bounds, rendered", async () => {
    const site = await hostile("deep-nesting");
    const renderer = new Renderer({ maxPages: 1, timeoutMs: 8000, axeTimeoutMs: 8000 });
    try {
      const checks = await loadChecks();
      const t0 = Date.now();
      const r = await crawlSite({ baseUrl: site.url, allowPrivate: true, fetcher, renderer, checks, maxPages: 10, renderMode: "always" });
      expect(r.startError).toBeNull();
      expect(Date.now() - t0).toBeLessThan(renderer.boundMs * 2 + 30_000);
      expect(r.pages.find((p) => p.kind === "home")).toBeTruthy();
    } finally {
      await renderer.close();
    }
  }, 180_000);
});
