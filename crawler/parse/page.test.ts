import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { FetchedPage } from "../types.ts";
import { needsRendering, parsePage } from "./page.ts";

const fetched = (body: Buffer, contentType: string, renderedHtml?: string): FetchedPage => ({
  url: "https://a.gov.vn/", finalUrl: "https://a.gov.vn/", status: 200, headers: { "content-type": contentType }, body, fetchedAt: new Date(), renderedHtml,
});

describe("parsePage", () => {
  it("decodes by header, then meta, and exposes menus, breadcrumb, feeds and footer", () => {
    const html = `<html lang="vi"><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258"><title>Sở Tư pháp</title><link rel="alternate" type="application/rss+xml" href="/rss"></head><body>
      <nav><ul class="menu"><li><a href="/gioi-thieu">Giới thiệu</a><ul><li><a href="/lanh-dao">Lãnh đạo</a></li></ul></li></ul></nav>
      <div class="breadcrumb"><a href="/">Trang chủ</a> › <span>Tin tức</span></div><h1>Tin tức</h1>
      <ul><li><a href="/tin/1.html">Hội nghị tổng kết năm</a> <span>20/11/2026</span></li></ul>
      <footer>Địa chỉ: Quy Nhơn <a href="mailto:stp@binhdinh.gov.vn">Email</a></footer></body></html>`;
    const bytes = execFileSync("iconv", ["-f", "UTF-8", "-t", "CP1258"], { input: html });
    const p = parsePage(fetched(bytes, "text/html"));
    expect(p.charset).toMatchObject({ header: null, meta: "windows-1258", declared: "windows-1258" });
    expect(p.title).toBe("Sở Tư pháp");
    expect(p.hadCombiningMarks).toBe(true);
    expect(p.lang).toBe("vi");
    const lanhDao = p.links.find((l) => l.text === "Lãnh đạo");
    expect(lanhDao).toMatchObject({ href: "https://a.gov.vn/lanh-dao", inMenu: true, inNav: true, parentMenuText: "Giới thiệu" });
    expect(p.breadcrumb).toEqual(["Trang chủ", "Tin tức"]);
    expect(p.feeds[0].href).toBe("https://a.gov.vn/rss");
    expect(p.listItems).toEqual([{ href: "https://a.gov.vn/tin/1.html", title: "Hội nghị tổng kết năm", text: "20/11/2026" }]);
    expect(p.footerText).toMatch(/Địa chỉ: Quy Nhơn/);
    expect(p.mailtoInFooter).toEqual(["stp@binhdinh.gov.vn"]);
  });

  it("asks for rendering when the body is empty without JavaScript, and uses the rendered HTML", () => {
    const raw = Buffer.from(`<html><head><script src="/app.js"></script></head><body><ul class="menu" id="menu"></ul><div id="app"></div></body></html>`);
    expect(needsRendering(parsePage(fetched(raw, "text/html; charset=utf-8")))).toBe(true);
    const rendered = parsePage(fetched(raw, "text/html; charset=utf-8", `<html><body><ul class="menu"><li><a href="/gioi-thieu">Giới thiệu</a></li></ul></body></html>`));
    expect(rendered.links[0].text).toBe("Giới thiệu");
    expect(needsRendering(rendered)).toBe(false);
  });
});
