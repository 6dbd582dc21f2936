// The fetcher's limits and the crawl's politeness, against small local servers.
import zlib from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { Fetcher } from "../../crawler/fetch/fetcher.ts";
import { normalizeUrl } from "../../crawler/discover/normalize.ts";
import { crawlSite } from "../../crawler/audit/crawl-site.ts";
import { html, startServer, type TestServer } from "./helpers.ts";
import { loadChecks } from "../../crawler/audit/checks-adapter.ts";
import { withVerdicts } from "../../crawler/audit/run-audit.ts";

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

  it("times out a server that never answers (one retry for a timeout, no more)", async () => {
    const s = await serve(() => undefined);
    const t = Date.now();
    const page = await fetcher.fetch(s.url, { policy: policyFor(s) });
    expect(page.errorCode).toBe("timeout");
    expect(page.attempts).toBe(2);
    // Two total timeouts of 1.5 s and one backoff of at most 0.5 s.
    expect(Date.now() - t).toBeLessThan(4500);
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

describe("retries of transient failures", () => {
  const quick = new Fetcher({ totalTimeoutMs: 1500, headersTimeoutMs: 1000, bodyTimeoutMs: 1000, retryBaseMs: 20, maxRetryAfterMs: 2000 });
  afterAll(() => quick.close());

  it("retries a 503 and a reset connection, then reads the page", async () => {
    const seen = new Map<string, number>();
    const s = await serve((req, res) => {
      const n = (seen.get(req.url!) ?? 0) + 1;
      seen.set(req.url!, n);
      if (req.url === "/503" && n === 1) {
        res.writeHead(503, { "retry-after": "0" });
        return res.end();
      }
      if (req.url === "/reset" && n === 1) return req.socket.destroy();
      html(res, `<p>${req.url}</p>`);
    });
    for (const p of ["503", "reset"]) {
      const page = await quick.fetch(`${s.url}${p}`, { policy: policyFor(s) });
      expect(page.status, p).toBe(200);
      expect(page.error, p).toBeUndefined();
      expect(page.attempts, p).toBe(2);
    }
  });

  it("gives up after two retries, honours Retry-After within its cap, and does not retry a 404", async () => {
    const s = await serve((req, res) => {
      if (req.url === "/down") res.writeHead(503);
      else if (req.url === "/later") res.writeHead(429, { "retry-after": "1" });
      else if (req.url === "/much-later") res.writeHead(503, { "retry-after": "3600" });
      else res.writeHead(404);
      res.end();
    });
    const down = await quick.fetch(`${s.url}down`, { policy: policyFor(s) });
    expect(down.status).toBe(503);
    expect(down.attempts).toBe(3);
    const t = Date.now();
    const later = await quick.fetch(`${s.url}later`, { policy: policyFor(s) });
    expect(later.attempts).toBe(3);
    expect(Date.now() - t).toBeGreaterThanOrEqual(1900);
    const much = await quick.fetch(`${s.url}much-later`, { policy: policyFor(s) });
    expect(much.attempts).toBe(1);
    const missing = await quick.fetch(`${s.url}missing`, { policy: policyFor(s) });
    expect(missing.attempts).toBe(1);
    expect(s.hits.filter((h) => h.path === "/down")).toHaveLength(3);
    expect(s.hits.filter((h) => h.path === "/missing")).toHaveLength(1);
  });

  it("starts no retry once the audit's time budget is spent", async () => {
    const s = await serve((_req, res) => {
      res.writeHead(503, { "retry-after": "1" });
      res.end();
    });
    const budget = new AbortController();
    setTimeout(() => budget.abort(), 300);
    const page = await quick.fetch(s.url, { policy: policyFor(s), signal: budget.signal });
    expect(page.attempts).toBe(1);
    expect(s.hits).toHaveLength(1);
  });
});

describe("politeness per IP address", () => {
  it("caps requests in flight per server address across its hosts", async () => {
    let active = 0;
    let peak = 0;
    const slow = (_req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => {
      active++;
      peak = Math.max(peak, active);
      setTimeout(() => {
        active--;
        html(res, "<p>x</p>");
      }, 60);
    };
    // Two sites (hosts 127.0.0.1:a and 127.0.0.1:b) on one server address.
    const a = await serve(slow);
    const b = await serve(slow);
    const f = new Fetcher({ perHostConcurrency: 2, perIpConcurrency: 2, ipLimitLoopback: true });
    try {
      await Promise.all(
        [a, b].flatMap((s) => Array.from({ length: 4 }, (_, i) => f.fetch(`${s.url}p${i}`, { policy: { allowedHosts: [a.host, b.host], allowPrivate: true } }))),
      );
    } finally {
      await f.close();
    }
    expect(peak).toBe(2);
    expect(a.hits.length + b.hits.length).toBe(8);
  });
});

describe("robots.txt over the size limit", () => {
  it("is read up to the limit, not taken as allowing everything", async () => {
    const filler = "# chú thích\n".repeat(40_000); // ~560 kB, over the 256 kB cap of this fetcher
    const s = await serve((req, res) => {
      if (req.url === "/robots.txt") {
        res.writeHead(200, { "content-type": "text/plain" });
        return res.end(`User-agent: *\nDisallow: /rieng/\n${filler}`);
      }
      html(res, `<a href="/rieng/a">a</a><a href="/cong-khai">b</a>`);
    });
    const r = await crawlSite({ baseUrl: s.url, allowPrivate: true, fetcher, checks: noChecks, maxPages: 10 });
    expect(r.startError).toBeNull();
    expect(s.hits.some((h) => h.path === "/cong-khai")).toBe(true);
    expect(s.hits.some((h) => h.path.startsWith("/rieng/"))).toBe(false);
  });
});

describe("chưa xác minh được (unverified verdicts)", () => {
  it("turns our failures into unverified items with their reason, and a 404 into a broken category", async () => {
    const s = await serve((req, res) => {
      const u = req.url ?? "/";
      if (u === "/robots.txt") {
        res.writeHead(404);
        return res.end();
      }
      if (u === "/") {
        return html(
          res,
          `<nav><ul><li><a href="/gioi-thieu">Giới thiệu</a></li><li><a href="/tin-tuc">Tin tức</a></li>` +
            `<li><a href="/van-ban">Văn bản</a></li><li><a href="/lien-he">Liên hệ</a></li></ul></nav><p>Trang chủ</p>`,
        );
      }
      if (u === "/gioi-thieu") return res.writeHead(403).end();
      if (u === "/tin-tuc") return res.writeHead(503).end();
      if (u === "/van-ban" || u !== "/lien-he") return res.writeHead(404).end();
      html(res, "<h1>Liên hệ</h1><p>Địa chỉ: số 1 đường Lê Lợi. Điện thoại: 0256 3822 222. Thư điện tử: lienhe@sotest.gov.vn</p>");
    });
    const quick = new Fetcher({ retryBaseMs: 10 });
    const checks = await loadChecks();
    try {
      const crawl = await crawlSite({ baseUrl: s.url, allowPrivate: true, fetcher: quick, checks, maxPages: 5, renderMode: "never" });
      const result = withVerdicts(await checks.runSiteChecks(crawl.snapshot), crawl, "never", null);
      const cat = (id: string) => (result.categories as { id: string; status: string }[]).find((c) => c.id === id)?.status;
      const items = result.unverified as { key: string; reason: string; detail: string }[];
      const item = (id: string) => items.find((i) => i.key === `category:${id}`);
      // 403 from a WAF: blocked; 503 after the retries: transient; never fetched (budget of 5 pages:
      // home, sitemap.xml and three landing pages).
      expect(item("lien-he")?.reason).toBe("not-fetched");
      expect(cat("gioi-thieu")).toBe("unverified");
      expect(item("gioi-thieu")?.reason).toBe("blocked");
      expect(cat("tin-tuc")).toBe("unverified");
      expect(item("tin-tuc")?.reason).toBe("transient");
      expect(item("tin-tuc")?.detail).toMatch(/3 lần thử/);
      // 404: the category is broken, with a finding, and counts as missing.
      expect(cat("van-ban")).toBe("unreachable");
      expect(result.findings.some((f) => f.code === "category.unreachable" && f.categoryId === "van-ban")).toBe(true);
      expect(result.findings.some((f) => f.code === "category.unreachable" && f.categoryId === "tin-tuc")).toBe(false);
      expect(result.findings.filter((f) => f.code === "verdict.unverified").length).toBe(items.length);
      const metrics = result.metrics as { categories: { id: string; status: string }[] };
      expect(metrics.categories.find((c) => c.id === "tin-tuc")?.status).toBe("unverified");
      const coverage = result.coverage as { fetched: number; failedByReason: Record<string, number>; retried: number };
      expect(coverage.failedByReason).toEqual(expect.objectContaining({ blocked: 1, transient: 1 }));
      expect(coverage.failedByReason["not-found"]).toBeGreaterThanOrEqual(1);
      expect(coverage.retried).toBeGreaterThanOrEqual(1);
    } finally {
      await quick.close();
    }
  });
});
