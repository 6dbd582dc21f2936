// Rendering only where needed: a JavaScript-only menu is rendered in Chromium (and axe runs
// on the home page); without Chromium the audit continues and records crawl.render-failed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadChecks } from "../../crawler/audit/checks-adapter.ts";
import { crawlSite } from "../../crawler/audit/crawl-site.ts";
import { Fetcher } from "../../crawler/fetch/fetcher.ts";
import { findChromium, Renderer } from "../../crawler/render/renderer.ts";
import { startFarm, type Farm, type FarmSite } from "../farm/index.ts";

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
  }, 90_000);

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
