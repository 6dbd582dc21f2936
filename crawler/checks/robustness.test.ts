// Bad input never crashes the checks: odd bodies, failed fetches, binary data, broken markup.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { FetchedPage } from "../types.ts";
import { runSiteChecks } from "./index.ts";

const now = new Date("2026-11-20T03:00:00Z");
const p = (url: string, body: Buffer | string, headers: Record<string, string> = { "content-type": "text/html" }, extra: Partial<FetchedPage> = {}): FetchedPage => ({
  url, finalUrl: url, status: 200, headers, body: typeof body === "string" ? Buffer.from(body, "utf8") : body, fetchedAt: now, ...extra,
});

describe("checks on hostile input", () => {
  it("return a complete result for broken pages", () => {
    const pages: FetchedPage[] = [
      p("http://x.vn/", "<html><body><div><ul class=menu><li><a href='/gioi-thieu'>Giới thiệu<li><a href=javascript:void(0)>x</a><a href='http://[bad'>y</a>"),
      p("http://x.vn/a", randomBytes(5000)),
      p("http://x.vn/b", Buffer.alloc(0)),
      p("http://x.vn/c", "", {}, { status: 0, error: "ECONNRESET" }),
      p("http://x.vn/d", "<rss><item><link>not a url</link><pubDate>yesterday</pubDate></item>", { "content-type": "application/rss+xml" }),
      p("http://x.vn/e", "<urlset><url><loc>http://x.vn/tin/1</loc><lastmod>2026-99-99</lastmod></url></urlset>", { "content-type": "application/xml" }),
      p("http://x.vn/f", "<html><head><meta charset='x-unknown-charset'></head><body>" + "<div>".repeat(5000) + "Ngày đăng: 31/02/2026</body></html>"),
      p("http://x.vn/g", `<html><body><script type="application/ld+json">{"datePublished": </script><time datetime="garbage">?</time></body></html>`),
    ];
    const r = runSiteChecks({ baseUrl: "http://x.vn/", pages, referenceTime: now, holidays: {} });
    expect(r.categories.length).toBeGreaterThan(10);
    expect(r.metrics.technical.https).toBe(false);
    expect(Array.isArray(r.findings)).toBe(true);
    expect(r.freshness.items.every((i) => /^\d{4}-\d{2}-\d{2}$/.test(i.published))).toBe(true);
    expect(JSON.parse(JSON.stringify(r)).site).toBe("http://x.vn/");
  });

  it("works on an empty snapshot", () => {
    const r = runSiteChecks({ baseUrl: "http://x.vn/", pages: [], referenceTime: now });
    expect(r.encoding).toEqual({ compliant: false, pagesChecked: 0, pagesCompliant: 0, legacySchemes: [] });
    expect(r.categories.every((c) => c.status === "missing")).toBe(true);
  });
});
