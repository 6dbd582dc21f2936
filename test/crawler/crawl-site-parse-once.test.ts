// Issue 13 §3: each crawled page is decoded once and parsed once, by the crawl's discovery and
// the checks together (an injectable counter in crawler/parse/observer.ts), and the checks give
// the same verdicts on the crawl's parse as on a fresh one.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { Fetcher } from "../../crawler/fetch/fetcher.ts";
import { loadChecks } from "../../crawler/audit/checks-adapter.ts";
import { crawlSite, type CrawlResult } from "../../crawler/audit/crawl-site.ts";
import { runSiteChecks } from "../../crawler/checks/index.ts";
import { setParseObserver } from "../../crawler/parse/observer.ts";
import { startServer, type TestServer } from "./helpers.ts";
import { buildCmsSite, serveCms, type Platform } from "../farm/cms.ts";
import { encodeCp1258Bytes } from "../farm/legacy.ts";

const REF = "2026-11-20";
const fetcher = new Fetcher({ totalTimeoutMs: 5000 });
const servers: TestServer[] = [];
afterAll(async () => {
  await fetcher.close();
  await Promise.all(servers.map((s) => s.close()));
});
afterEach(() => {
  setParseObserver(null);
});

interface Counts {
  decodes: Map<Buffer, number>;
  parses: Map<string, number>;
  /** htmlparser2 passes that name no page (a separate link-discovery pass). */
  anonymousParses: number;
}

function count(): Counts {
  const c: Counts = { decodes: new Map(), parses: new Map(), anonymousParses: 0 };
  setParseObserver({
    onDecode: (body) => c.decodes.set(body, (c.decodes.get(body) ?? 0) + 1),
    onParse: (url) => {
      if (url === null) c.anonymousParses++;
      else c.parses.set(url, (c.parses.get(url) ?? 0) + 1);
    },
  });
  return c;
}

async function crawlAndCheck(url: string): Promise<{ crawl: CrawlResult; counts: Counts }> {
  const counts = count();
  const crawl = await crawlSite({ baseUrl: url, allowPrivate: true, fetcher, renderer: null, checks: await loadChecks(), maxPages: 60, renderMode: "never", runAxe: false, referenceTime: new Date(`${REF}T09:00:00+07:00`) });
  runSiteChecks(crawl.snapshot);
  setParseObserver(null);
  return { crawl, counts };
}

function perPage(crawl: CrawlResult, counts: Counts) {
  const html = crawl.pages.filter((p) => p.status === 200 && !p.error && /html/i.test(p.headers["content-type"] ?? ""));
  return html.map((p) => ({ url: p.url, decodes: counts.decodes.get(p.body) ?? 0, parses: counts.parses.get(p.url) ?? 0 }));
}

describe("one decode and one parse per page (issue 13 §3)", () => {
  for (const platform of ["nukeviet", "liferay", "dnn"] satisfies Platform[]) {
    it(`${platform}: every HTML page is decoded once and parsed once by the crawl and the checks together`, async () => {
      const site = buildCmsSite(platform, 7, REF, "http://127.0.0.1:1");
      const server = await startServer((req, res) => serveCms(site, req, res));
      servers.push(server);
      const { crawl, counts } = await crawlAndCheck(server.url);
      const pages = perPage(crawl, counts);
      expect(pages.length).toBeGreaterThan(5);
      expect(pages.filter((p) => p.decodes !== 1 || p.parses !== 1)).toEqual([]);
      expect(counts.anonymousParses).toBe(0);
    });
  }

  it("a legacy charset (x-cp1258) page is decoded once, and discovery reads it as the checks do", async () => {
    const home = `<html><head><meta charset="x-cp1258"><title>Sở Tư pháp</title></head><body><ul class="menu"><li><a href="/gioi-thieu">Giới thiệu</a></li><li><a href="/tin-tuc">Tin tức - Sự kiện</a></li></ul><p>Trang thông tin điện tử của Sở Tư pháp.</p></body></html>`;
    const server = await startServer((req, res) => {
      if (req.url === "/") {
        res.writeHead(200, { "content-type": "text/html; charset=x-cp1258" });
        res.end(encodeCp1258Bytes(home));
      } else if (req.url === "/gioi-thieu" || req.url === "/tin-tuc") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(`<html><head><title>${req.url}</title></head><body><h1>Giới thiệu chung</h1><p>Nội dung.</p></body></html>`);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    servers.push(server);
    const { crawl, counts } = await crawlAndCheck(server.url);
    expect(perPage(crawl, counts).filter((p) => p.decodes !== 1 || p.parses !== 1)).toEqual([]);
    expect(crawl.pages.map((p) => new URL(p.url).pathname)).toEqual(expect.arrayContaining(["/gioi-thieu", "/tin-tuc"]));
    const homePage = crawl.pages.find((p) => p.kind === "home")!;
    expect(homePage.parsed?.links.map((l) => l.text)).toEqual(["Giới thiệu", "Tin tức - Sự kiện"]);
  });

  it("the checks give the same verdicts on the crawl's parse as on a fresh parse of the same bytes", async () => {
    const site = buildCmsSite("egov", 7, REF, "http://127.0.0.1:1");
    const server = await startServer((req, res) => serveCms(site, req, res));
    servers.push(server);
    const { crawl } = await crawlAndCheck(server.url);
    const shared = runSiteChecks(crawl.snapshot);
    const fresh = runSiteChecks({ ...crawl.snapshot, pages: crawl.snapshot.pages.map((p) => ({ ...p, parsed: undefined })) });
    expect(shared.categories.map((c) => [c.id, c.status, c.url])).toEqual(fresh.categories.map((c) => [c.id, c.status, c.url]));
    expect(shared.findings.map((f) => [f.code, f.url, f.categoryId ?? null])).toEqual(fresh.findings.map((f) => [f.code, f.url, f.categoryId ?? null]));
    expect(shared.metrics).toEqual(fresh.metrics);
  });
});
