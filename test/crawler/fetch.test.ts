// The fetcher's limits and the crawl's politeness, against small local servers.
import zlib from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { Fetcher } from "../../crawler/fetch/fetcher.ts";
import { normalizeUrl } from "../../crawler/discover/normalize.ts";
import { crawlSite } from "../../crawler/audit/crawl-site.ts";
import { html, startServer, type TestServer } from "./helpers.ts";

const servers: TestServer[] = [];
const fetcher = new Fetcher({ totalTimeoutMs: 1500, headersTimeoutMs: 1000, bodyTimeoutMs: 1000, maxBodyBytes: 256 * 1024 });
afterAll(async () => {
  await fetcher.close();
  await Promise.all(servers.map((s) => s.close()));
});
async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}
const policyFor = (s: TestServer) => ({ allowedHosts: [s.host], allowPrivate: true });
const noChecks = { matchCategory: () => [] as string[], needsRendering: () => false };

describe("URL normalisation", () => {
  it("drops fragments, session ids, tracking parameters and default ports; sorts the query", () => {
    expect(normalizeUrl("HTTP://Example.GOV.vn:80/tin-tuc/?utm_source=fb&b=2&a=1&PHPSESSID=abc#top")).toBe("http://example.gov.vn/tin-tuc?a=1&b=2");
    expect(normalizeUrl("https://x.vn:443/a;jsessionid=ABC123?fbclid=1")).toBe("https://x.vn/a");
    expect(normalizeUrl("../b/?sid=9", "https://x.vn/a/c/")).toBe("https://x.vn/a/b");
    expect(normalizeUrl("https://x.vn")).toBe("https://x.vn/");
    expect(normalizeUrl("mailto:a@b.vn")).toBeNull();
    expect(normalizeUrl("javascript:void(0)")).toBeNull();
  });
});

describe("fetcher limits", () => {
  it("caps the inflated size of a gzip bomb", async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const s = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" });
      res.end(bomb);
    });
    const before = process.memoryUsage().rss;
    const page = await fetcher.fetch(s.url, { policy: policyFor(s) });
    expect(page.errorCode).toBe("too-large");
    expect(page.body.length).toBe(0);
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
  });

  it("decodes br and deflate", async () => {
    const text = "<p>Cổng thông tin điện tử</p>";
    const s = await serve((req, res) => {
      const enc = req.url === "/br" ? "br" : "deflate";
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-encoding": enc });
      res.end(enc === "br" ? zlib.brotliCompressSync(text) : zlib.deflateSync(text));
    });
    for (const p of ["br", "deflate"]) {
      const page = await fetcher.fetch(`${s.url}${p}`, { policy: policyFor(s) });
      expect(page.error, p).toBeUndefined();
      expect(page.body.toString("utf8")).toBe(text);
    }
  });

  it("stops a body over the size cap and an endless body", async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      const chunk = Buffer.alloc(64 * 1024, 97);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on("drain", pump);
      pump();
    });
    const page = await fetcher.fetch(s.url, { policy: policyFor(s) });
    expect(page.errorCode).toBe("too-large");
    expect(page.truncated).toBe(true);
  });

  it("times out a server that never answers", async () => {
    const s = await serve(() => undefined);
    const t = Date.now();
    const page = await fetcher.fetch(s.url, { policy: policyFor(s) });
    expect(page.errorCode).toBe("timeout");
    expect(Date.now() - t).toBeLessThan(3000);
  });

  it("detects redirect loops and stops after 10 redirects", async () => {
    const s = await serve((req, res) => {
      const u = req.url ?? "/";
      if (u === "/a") res.writeHead(302, { location: "/b" });
      else if (u === "/b") res.writeHead(301, { location: "/a" });
      else {
        const n = Number(u.slice(2)) || 0;
        res.writeHead(302, { location: `/r${n + 1}` });
      }
      res.end();
    });
    const loop = await fetcher.fetch(`${s.url}a`, { policy: policyFor(s) });
    expect(loop.errorCode).toBe("fetch-error");
    expect(loop.error).toMatch(/Vòng lặp/);
    const chain = await fetcher.fetch(`${s.url}r0`, { policy: policyFor(s) });
    expect(chain.error).toMatch(/10 lần/);
    expect(s.hits.filter((h) => h.path.startsWith("/r")).length).toBe(11);
  });

  it("sends validators and reports 304", async () => {
    const s = await serve((req, res) => {
      if (req.headers["if-none-match"] === '"v1"') {
        res.writeHead(304, { etag: '"v1"' });
        return res.end();
      }
      html(res, "<p>x</p>", { etag: '"v1"', "last-modified": "Fri, 20 Nov 2026 01:00:00 GMT" });
    });
    const first = await fetcher.fetch(s.url, { policy: policyFor(s) });
    expect(first.status).toBe(200);
    const second = await fetcher.fetch(s.url, { policy: policyFor(s), conditional: { etag: first.headers.etag, lastModified: first.headers["last-modified"] } });
    expect(second.notModified).toBe(true);
    expect(s.hits[1].headers["if-modified-since"]).toBe("Fri, 20 Nov 2026 01:00:00 GMT");
  });

  it("sends the user agent", async () => {
    const s = await serve((_req, res) => html(res, ""));
    await fetcher.fetch(s.url, { policy: policyFor(s) });
    expect(s.hits[0].headers["user-agent"]).toMatch(/^TuanThuBot\/0\.1/);
  });
});

describe("crawl politeness and budget", () => {
  it("obeys robots.txt Disallow and Crawl-delay", async () => {
    const s = await serve((req, res) => {
      if (req.url === "/robots.txt") {
        res.writeHead(200, { "content-type": "text/plain" });
        return res.end("User-agent: *\nDisallow: /rieng/\nCrawl-delay: 0.3\n");
      }
      html(res, `<a href="/rieng/a">a</a><a href="/cong-khai/1">1</a><a href="/cong-khai/2">2</a><a href="/rieng/b">b</a>`);
    });
    const r = await crawlSite({ baseUrl: s.url, allowPrivate: true, fetcher, checks: noChecks, maxPages: 10 });
    expect(r.startError).toBeNull();
    expect(s.hits.some((h) => h.path.startsWith("/rieng/"))).toBe(false);
    expect(s.hits.some((h) => h.path === "/cong-khai/1")).toBe(true);
    expect(r.findings.find((f) => f.code === "crawl.robots-disallowed")?.details?.skipped).toBe(2);
    const starts = s.hits.filter((h) => h.path !== "/robots.txt").map((h) => h.at);
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(280);
  });

  it("records a disallowed start page as the reason the audit could not run", async () => {
    const s = await serve((req, res) => {
      if (req.url === "/robots.txt") {
        res.writeHead(200, { "content-type": "text/plain" });
        return res.end("User-agent: *\nDisallow: /\n");
      }
      html(res, "<p>x</p>");
    });
    const r = await crawlSite({ baseUrl: s.url, allowPrivate: true, fetcher, checks: noChecks, maxPages: 10 });
    expect(r.startError).toMatch(/robots/);
    expect(r.findings[0].code).toBe("crawl.robots-disallowed");
    expect(s.hits.map((h) => h.path)).toEqual(["/robots.txt"]);
  });

  it("spends the budget on category landing pages and newest items before the rest", async () => {
    const filler = Array.from({ length: 30 }, (_, i) => `<a href="/khac/${i}">Trang khác ${i}</a>`).join("");
    const s = await serve((req, res) => {
      if (req.url === "/") return html(res, `${filler}<nav><a href="/tin-tuc">Tin tức</a><a href="/van-ban">Văn bản</a></nav>`);
      if (req.url === "/tin-tuc") return html(res, `<ul><li><a href="/tin-tuc/moi-nhat">Mới nhất</a></li></ul>`);
      html(res, "<p>x</p>");
    });
    const checks = {
      matchCategory: (text: string) => (text === "Tin tức" ? ["tin-tuc"] : text === "Văn bản" ? ["van-ban"] : []),
      needsRendering: () => false,
    };
    const r = await crawlSite({ baseUrl: s.url, allowPrivate: true, fetcher, checks, maxPages: 5 });
    const urls = r.pages.filter((p) => p.kind !== "robots").map((p) => new URL(p.url).pathname);
    expect(urls).toHaveLength(5);
    expect(urls).toContain("/tin-tuc");
    expect(urls).toContain("/van-ban");
    expect(urls).toContain("/tin-tuc/moi-nhat");
    expect(urls.filter((u) => u.startsWith("/khac/")).length).toBeLessThanOrEqual(1);
  });

  it("fetches only the start page with a budget of one", async () => {
    const s = await serve((_req, res) => html(res, `<a href="/a">a</a><a href="/b">b</a>`));
    const r = await crawlSite({ baseUrl: s.url, allowPrivate: true, fetcher, checks: noChecks, maxPages: 1 });
    expect(r.pages.filter((p) => p.kind !== "robots").map((p) => p.url)).toEqual([s.url]);
    expect(s.hits.map((h) => h.path).sort()).toEqual(["/", "/robots.txt"]);
  });
});

describe("link discovery", () => {
  it("reads Vietnamese link text, entities and non-ASCII URLs from UTF-8 bytes", async () => {
    const { decodeHtml, extractLinks } = await import("../../crawler/discover/links.ts");
    const body = Buffer.from(
      `<html><head><title>Trang chủ Sở Tư pháp</title><link rel="alternate" type="application/rss+xml" href="/rss"></head><body>` +
        `<nav><a href="/gioi-thieu?utm_source=x#a">Giới thiệu</a><a href="/tin-tuc">Tin t&#7913;c &ndash; sự kiện</a></nav>` +
        `<a href="/anh"><img alt="Văn bản"></a><a href="/tin-tức/bài">Bài  viết</a><footer><a href="/lien-he">Liên hệ</a></footer></body></html>`,
      "utf8",
    );
    const d = decodeHtml(body, "text/html; charset=utf-8");
    const found = extractLinks(d.html, "http://so.gov.vn/", d.fix);
    expect(found.title).toBe("Trang chủ Sở Tư pháp");
    expect(found.feeds).toEqual(["http://so.gov.vn/rss"]);
    expect(found.links.map((l) => [l.url, l.text, l.inMenu, l.inFooter])).toEqual([
      ["http://so.gov.vn/gioi-thieu", "Giới thiệu", true, false],
      ["http://so.gov.vn/tin-tuc", "Tin tức – sự kiện", true, false],
      ["http://so.gov.vn/anh", "Văn bản", false, false],
      ["http://so.gov.vn/tin-t%E1%BB%A9c/b%C3%A0i", "Bài viết", false, false],
      ["http://so.gov.vn/lien-he", "Liên hệ", false, true],
    ]);
  });

  it("decodes a legacy charset with iconv", async () => {
    const { decodeHtml, extractLinks } = await import("../../crawler/discover/links.ts");
    const iconv = (await import("iconv-lite")).default;
    const body = iconv.encode(`<a href="/x">Thông báo</a>`, "windows-1258");
    const d = decodeHtml(body, "text/html; charset=windows-1258");
    expect(extractLinks(d.html, "http://so.gov.vn/", d.fix).links[0].text.normalize("NFC")).toBe("Thông báo");
  });
});

describe("re-audit", () => {
  it("sends conditional requests for every page, reuses stored bodies and refetches what failed", async () => {
    const pagesHtml: Record<string, string> = {
      "/": `<nav><a href="/tin-tuc">Tin tức</a><a href="/hong">Hỏng</a></nav>`,
      "/tin-tuc": `<ul><li><a href="/tin-tuc/1">Bài 1</a></li></ul>`,
      "/tin-tuc/1": `<p>Nội dung</p>`,
    };
    const s = await serve((req, res) => {
      const body = pagesHtml[req.url ?? ""];
      if (req.url === "/robots.txt" || !body) {
        res.writeHead(404, { "content-type": "text/html" });
        return res.end("không có");
      }
      const etag = `"${Buffer.from(req.url!).toString("hex")}"`;
      if (req.headers["if-none-match"] === etag) {
        res.writeHead(304, { etag });
        return res.end();
      }
      html(res, body, { etag });
    });
    const checks = { matchCategory: (t: string) => (t === "Tin tức" ? ["tin-tuc"] : []), needsRendering: () => false };
    const stored = new Map<string, Buffer>();
    const previous = new Map();
    const seeds: { url: string; kind: import("../../crawler/types.ts").PageKind | null; depth: number }[] = [];
    const first = await crawlSite({
      baseUrl: s.url,
      allowPrivate: true,
      fetcher,
      checks,
      maxPages: 20,
      onPage: (p) => {
        seeds.push({ url: p.url, kind: p.kind ?? null, depth: p.depth ?? 0 });
        if (p.contentHash && !p.error && p.status === 200) {
          stored.set(p.contentHash, p.body);
          previous.set(p.url, { etag: p.headers.etag, lastModified: null, contentHash: p.contentHash, status: p.status, headers: p.headers, title: p.title });
        }
      },
    });
    const firstUrls = first.pages.map((p) => p.url).sort();
    s.hits.length = 0;
    const again = await crawlSite({ baseUrl: s.url, allowPrivate: true, fetcher, checks, maxPages: 20, previous: { pages: previous, seeds, loadBody: async (h) => stored.get(h) ?? null } });
    expect(again.pages.map((p) => p.url).sort()).toEqual(firstUrls);
    expect(again.stats.notModified).toBe(3);
    expect(s.hits.filter((h) => h.headers["if-none-match"]).length).toBe(3);
    expect(s.hits.some((h) => h.path === "/hong")).toBe(true);
    const article = again.pages.find((p) => p.url.endsWith("/tin-tuc/1"))!;
    expect(article.body.toString("utf8")).toContain("Nội dung");
    expect(article.contentHash).toBe(first.pages.find((p) => p.url === article.url)!.contentHash);
  });
});

describe("TLS problems", () => {
  it("records a self-signed certificate and still reads the site", async () => {
    const { spawnSync } = await import("node:child_process");
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const https = await import("node:https");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tt-tls-"));
    const gen = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", `${dir}/k.pem`, "-out", `${dir}/c.pem`, "-days", "1", "-subj", "/CN=tuanthu.test"], { stdio: "ignore" });
    if (gen.status !== 0) return; // no openssl here: nothing to test with
    const server = https.createServer({ key: fs.readFileSync(`${dir}/k.pem`), cert: fs.readFileSync(`${dir}/c.pem`) }, (req, res) => {
      if (req.url === "/robots.txt") {
        res.writeHead(404);
        return res.end();
      }
      html(res, `<a href="/gioi-thieu">Giới thiệu</a>`);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const r = await crawlSite({ baseUrl: `https://127.0.0.1:${port}/`, allowPrivate: true, fetcher, checks: noChecks, maxPages: 3 });
      expect(r.startError).toBeNull();
      expect(r.snapshot.tlsError).toMatch(/SELF_SIGNED|CERT/);
      expect(r.pages.find((p) => p.kind === "home")?.status).toBe(200);
      expect(r.pages.some((p) => p.url.endsWith("/gioi-thieu") && p.status === 200)).toBe(true);
      expect(r.snapshot.httpRedirectsToHttps).toBe(false);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
