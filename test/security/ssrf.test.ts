// SSRF through site URLs and redirects. Sites are registered over HTTP in the dashboard with
// base URLs pointing at the metadata service, a private network and a loopback port; the crawl
// of each (run the way the worker runs it, from the stored site row) is refused by the guard.
// Nothing is ever sent to a non-loopback address: a tripwire on net.Socket#connect records and
// aborts any such attempt, and the tests assert it stayed empty.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crawlSite } from "../../crawler/audit/crawl-site.ts";
import { Fetcher } from "../../crawler/fetch/fetcher.ts";
import { checkTarget, urlRefusal } from "../../crawler/fetch/ssrf.ts";
import { loadAuditContext } from "../../db/queries/audits.ts";
import { html, startServer, type TestServer } from "../crawler/helpers.ts";
import { login, send, startWorld, type Session, type World } from "./http.ts";

const noChecks = { matchCategory: () => [] as string[], needsRendering: () => false };

// --- tripwire: no connection may leave loopback -------------------------------------------------
const outbound: string[] = [];
const originalConnect = net.Socket.prototype.connect;
function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host) || /^::ffff:127\./.test(host);
}
function installTripwire() {
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    // net.connect() hands the socket its normalized [options, callback] array.
    const o = Array.isArray(args[0]) ? args[0][0] : args[0];
    const host = typeof o === "object" && o !== null ? String((o as { host?: string; path?: string }).host ?? (o as { path?: string }).path ?? "localhost") : typeof args[1] === "string" ? args[1] : "localhost";
    if (!(typeof o === "object" && o !== null && "path" in o && (o as { path?: string }).path) && !isLoopback(host)) {
      outbound.push(host);
      const err = Object.assign(new Error(`tripwire: connection to ${host} refused by the test`), { code: "ECONNREFUSED" });
      process.nextTick(() => this.destroy(err));
      return this;
    }
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
}

let w: World;
let inspector: Session;
let other: TestServer; // must never be reached
let site: TestServer; // an allowed loopback site whose links redirect to forbidden targets
const fetcher = new Fetcher({ totalTimeoutMs: 3000 });

beforeAll(async () => {
  installTripwire();
  w = await startWorld();
  inspector = await login(w, "kiemtra");
  other = await startServer((_req, res) => html(res, "<p>bí mật nội bộ</p>"));
  site = await startServer((req, res) => {
    const to: Record<string, string> = {
      "/meta": "http://169.254.169.254/latest/meta-data/",
      "/ten": "http://10.0.0.1/admin",
      "/loopback": `http://127.0.0.1:${other.port}/secret`,
      "/localhost": `http://localhost:${other.port}/secret`,
      "/v6": "http://[::ffff:169.254.169.254]/latest/",
    };
    const target = to[req.url ?? ""];
    if (target) {
      res.writeHead(302, { location: target });
      res.end();
    } else if (req.url === "/robots.txt") {
      res.writeHead(404);
      res.end();
    } else {
      html(res, `<h1>Trang chủ</h1>${Object.keys(to).map((p) => `<a href="${p}">${p}</a>`).join(" ")} <a href="http://127.0.0.1:${other.port}/link">ngoài</a>`);
    }
  });
}, 180_000);

afterAll(async () => {
  net.Socket.prototype.connect = originalConnect;
  await fetcher.close();
  await site?.close();
  await other?.close();
  await w?.close();
});

describe("SSRF through registered site URLs", () => {
  const targets = () => ["http://169.254.169.254/", "http://10.0.0.1/", `http://127.0.0.1:${other.port}/`];

  it("refuses to crawl a site registered with a metadata, private or loopback base URL (allow_private off)", async () => {
    const { knex } = w.db;
    const unitId = w.seed.units.huyen;
    for (const baseUrl of targets()) {
      const res = await send(w, "POST", `/quan-ly/don-vi/${unitId}`, { session: inspector, form: { intent: "site-create", baseUrl, renderMode: "auto", maxPages: "", crawlDelayMs: "" } });
      expect(res.status, baseUrl).toBe(200);
      const row = await knex("sites").where({ unit_id: unitId, base_url: baseUrl }).first();
      expect(row, baseUrl).toBeDefined();
      expect(row.allow_private).toBe(false); // the dashboard cannot turn it on
      // The decision, from the stored row, as the worker builds it.
      const policy = { allowedHosts: [new URL(baseUrl).host, ...(row.allowed_hosts ?? [])], allowPrivate: row.allow_private };
      expect(urlRefusal(new URL(baseUrl), policy), baseUrl).not.toBeNull();
      expect(await checkTarget(new URL(baseUrl), policy), baseUrl).not.toBeNull();
      // The crawl itself, from the audit context the worker loads.
      const [a] = await knex("site_audits").insert({ site_id: row.id, unit_id: unitId, status: "queued" }).returning("id");
      const ctx = (await loadAuditContext(knex, a.id))!;
      const crawl = await crawlSite({
        baseUrl: ctx.site.baseUrl,
        allowedHosts: ctx.site.allowedHosts,
        allowPrivate: ctx.site.allowPrivate,
        maxPages: 5,
        fetcher,
        checks: noChecks,
      });
      expect(crawl.startError, baseUrl).not.toBeNull();
      expect(crawl.pages.filter((p) => p.status > 0)).toEqual([]);
      expect(crawl.findings.some((f) => f.code === "crawl.fetch-error" && /Không được phép/.test(f.message))).toBe(true);
      await knex("site_audits").where({ id: a.id }).del();
    }
    expect(other.hits).toEqual([]);
    expect(outbound).toEqual([]);
  });

  it("keeps refusing the metadata address even for a site allowed to use private addresses (decision only)", () => {
    const policy = { allowedHosts: ["169.254.169.254", "10.0.0.1"], allowPrivate: true };
    expect(urlRefusal(new URL("http://169.254.169.254/latest/meta-data/"), policy)).not.toBeNull();
    expect(urlRefusal(new URL("http://[::ffff:169.254.169.254]/"), { ...policy, allowedHosts: ["[::ffff:169.254.169.254]"] })).not.toBeNull();
    expect(urlRefusal(new URL("http://10.0.0.1/"), policy)).toBeNull(); // private is allowed only with allow_private
  });
});

describe("SSRF through redirects and links", () => {
  it("crawls an allowed loopback site without following its redirects and links to forbidden targets", async () => {
    const { knex } = w.db;
    // An operator marks a test site as allowed on private addresses (not possible from the dashboard).
    const [row] = await knex("sites").insert({ unit_id: w.seed.units.huyen, base_url: site.url, allow_private: true }).returning("id");
    const [a] = await knex("site_audits").insert({ site_id: row.id, unit_id: w.seed.units.huyen, status: "queued" }).returning("id");
    const ctx = (await loadAuditContext(knex, a.id))!;
    expect(ctx.site.allowPrivate).toBe(true);
    const crawl = await crawlSite({ baseUrl: ctx.site.baseUrl, allowedHosts: ctx.site.allowedHosts, allowPrivate: true, maxPages: 20, fetcher, checks: noChecks });
    expect(crawl.startError).toBeNull();
    // The redirecting pages were requested from the site, and each redirect was refused.
    const asked = site.hits.map((h) => h.path);
    for (const p of ["/meta", "/ten", "/loopback", "/localhost", "/v6"]) expect(asked, p).toContain(p);
    const blocked = crawl.pages.filter((p) => p.errorCode === "blocked").map((p) => new URL(p.url).pathname).sort();
    expect(blocked).toEqual(["/localhost", "/loopback", "/meta", "/ten", "/v6"]);
    // The off-site link was not followed either (another host:port is not the site).
    expect(other.hits).toEqual([]);
    expect(outbound).toEqual([]);
  });

  it("has a tripwire that does catch a connection to a non-loopback address", async () => {
    const before = outbound.length;
    const err = await new Promise<Error | null>((resolve) => {
      const s = net.connect({ host: "192.0.2.1", port: 9 }); // TEST-NET-1 (RFC 5737), never routed
      s.on("error", (e) => resolve(e));
      s.on("connect", () => resolve(null));
    });
    expect(err?.message).toMatch(/tripwire/);
    expect(outbound.length).toBe(before + 1);
    outbound.splice(before, 1);
  });
});
