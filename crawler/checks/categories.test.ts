import { describe, expect, it } from "vitest";
import type { FetchedPage } from "../types.ts";
import { runSiteChecks } from "./index.ts";

const now = new Date("2026-11-20T03:00:00Z");
const page = (url: string, html: string, status = 200, kind: FetchedPage["kind"] = "category"): FetchedPage => ({
  url, finalUrl: url, status, headers: { "content-type": "text/html; charset=utf-8" }, body: Buffer.from(html), fetchedAt: now, kind,
});
const doc = (h1: string, body: string) => `<html lang="vi"><head><meta charset="utf-8"><title>${h1}</title></head><body><div class="breadcrumb"><a href="/">Trang chủ</a> › <span>${h1}</span></div><h1>${h1}</h1>${body}</body></html>`;
const list = `<ul>${[1, 2, 3].map((i) => `<li><a href="/tin/${i}.html">Hội nghị triển khai nhiệm vụ công tác năm 2026 số ${i}</a> (1${i}/11/2026)</li>`).join("")}</ul>`;

describe("categories check", () => {
  const home = page("https://stp.gov.vn/", `<html lang="vi"><head><meta charset="utf-8"></head><body><nav><ul class="menu">
    <li><a href="/gioi-thieu">GIỚI THIỆU</a><ul class="sub-menu"><li><a href="/lanh-dao">Lãnh đạo Sở</a></li></ul></li>
    <li><a href="/tin-tuc">Tin tuc - Su kien</a></li><li><a href="/van-ban">Văn bản</a></li><li><a href="/index.php?cat=7"><i class="icon"></i></a></li>
  </ul></nav><p><a href="/bai/9.html">Giới thiệu sách mới về cải cách hành chính năm 2026</a></p></body></html>`, 200, "home");
  const r = runSiteChecks({
    baseUrl: "https://stp.gov.vn/",
    referenceTime: now,
    pages: [
      home,
      page("https://stp.gov.vn/gioi-thieu", doc("Giới thiệu chung", "<p>Sở Tư pháp là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh, tham mưu về công tác tư pháp.</p>")),
      page("https://stp.gov.vn/lanh-dao", doc("Lãnh đạo Sở", "<p>Nội dung đang được cập nhật</p>")),
      page("https://stp.gov.vn/tin-tuc", doc("Tin tức - Sự kiện", list)),
      page("https://stp.gov.vn/van-ban", "<html><body>Not Found</body></html>", 404),
      page("https://stp.gov.vn/index.php?cat=7", doc("Liên hệ", "<p>Địa chỉ: 127 Hai Bà Trưng. Điện thoại: 0256 3822 123.</p>")),
    ],
  });
  const status = (id: string) => r.categories.find((c) => c.id === id)?.status;

  it("verifies landing pages: present, empty, unreachable, missing", () => {
    expect(status("gioi-thieu")).toBe("present");
    expect(status("lanh-dao")).toBe("empty");
    expect(status("tin-tuc")).toBe("present");
    expect(status("van-ban")).toBe("unreachable");
    expect(status("hoi-dap")).toBe("missing");
  });

  it("finds a category behind an icon link by its landing page's breadcrumb", () => {
    expect(status("lien-he")).toBe("present");
  });

  it("emits findings with evidence", () => {
    const empty = r.findings.find((f) => f.code === "category.empty" && f.categoryId === "lanh-dao");
    expect(empty?.url).toBe("https://stp.gov.vn/lanh-dao");
    expect(empty?.snippet).toMatch(/đang được cập nhật/);
    expect(r.findings.some((f) => f.code === "category.unreachable" && f.categoryId === "van-ban")).toBe(true);
    expect(r.findings.some((f) => f.code === "category.missing" && f.categoryId === "hoi-dap")).toBe(true);
    expect(r.findings.some((f) => f.categoryId === "gioi-thieu")).toBe(false);
  });
});
