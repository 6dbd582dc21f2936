import { describe, expect, it } from "vitest";
import { parseHtml } from "../parse/page.ts";
import { checkIdentityOnPage } from "./identity.ts";
import { checkArticleAttribution } from "./attribution.ts";

const page = (footer: string) => parseHtml(`<html><body><div class="content"><p>Nội dung trang chủ.</p></div><footer>${footer}</footer></body></html>`, "https://a.gov.vn/");

describe("footer identity (TT 32/2017 Đ16.3)", () => {
  it("finds every item of a complete footer", () => {
    const r = checkIdentityOnPage(page("<p>SỞ TƯ PHÁP TỈNH BÌNH ĐỊNH</p><p>Chịu trách nhiệm chính: Ông Nguyễn Văn Hùng</p><p>Địa chỉ: 127 Hai Bà Trưng, Quy Nhơn</p><p>Điện thoại: 0256 3822 123 - Email: stp@binhdinh.gov.vn</p>"));
    expect([r.unitName.found, r.responsiblePerson.found, r.address.found, r.phone.found, r.email.found]).toEqual([true, true, true, true, true]);
    expect(r.responsiblePerson.snippet).toMatch(/Nguyễn Văn Hùng/);
  });

  it("reports what is missing", () => {
    const r = checkIdentityOnPage(page("<p>UBND XÃ CÁT TIẾN</p><p>Giấy phép số 12/GP-TTĐT ngày 15/3/2019</p>"));
    expect(r.unitName.found).toBe(true);
    expect([r.responsiblePerson.found, r.address.found, r.phone.found, r.email.found]).toEqual([false, false, false, false]);
  });
});

describe("attribution", () => {
  const article = (tail: string) => parseHtml(`<html><body><article><h1>Hội nghị tổng kết</h1><p>Sáng nay, Sở Tư pháp tổ chức hội nghị theo quy định.</p>${tail}</article></body></html>`, "https://a.gov.vn/tin/1");
  it("finds labelled author and source", () => {
    const r = checkArticleAttribution(article("<p>Tác giả: Minh Anh</p><p>Nguồn: Báo Bình Định</p>"), "x");
    expect([r.author, r.source]).toEqual([true, true]);
  });
  it("does not take 'theo quy định' or a sentence about reporters for attribution", () => {
    const r = checkArticleAttribution(article("<p>Phóng viên Cổng cấp tỉnh là cán bộ chuyên trách.</p>"), "x");
    expect([r.author, r.source]).toEqual([false, false]);
  });
});
