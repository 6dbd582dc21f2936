import { describe, expect, it } from "vitest";
import { matchCategory } from "./match.ts";
import { applicableCategories, ruleSetFor } from "./rulesets.ts";

describe("matchCategory", () => {
  it("matches menu texts with or without diacritics, in any case", () => {
    expect(matchCategory("GIỚI THIỆU")).toEqual(["gioi-thieu"]);
    expect(matchCategory("gioi thieu")).toEqual(["gioi-thieu"]);
    expect(matchCategory("Tin tức – Sự kiện")).toEqual(["tin-tuc"]);
    expect(matchCategory("Thường trực UBND")).toEqual(["lanh-dao"]);
  });

  it("matches URL slugs when the text says nothing", () => {
    expect(matchCategory("", "https://a.gov.vn/co-cau-to-chuc")).toEqual(["gioi-thieu"]);
    expect(matchCategory("Xem", "https://a.gov.vn/index.php?cat=van-ban-phap-luat")).toEqual(["van-ban"]);
  });

  it("does not take article titles or false friends for categories", () => {
    expect(matchCategory("Giới thiệu sách mới về cải cách hành chính")).toEqual([]);
    expect(matchCategory("Tin tức mới nhất về tình hình kinh tế xã hội tháng 10 của tỉnh")).toEqual([]);
    expect(matchCategory("Thống kê truy cập")).toEqual([]);
    expect(matchCategory("Dự thảo văn bản")).toEqual(["lay-y-kien"]);
  });
});

describe("rule sets", () => {
  it("are versioned by legal basis with effective dates", () => {
    expect(ruleSetFor("2020-01-01").id).toBe("nd43-2011");
    expect(ruleSetFor("2022-08-15").id).toBe("nd42-2022");
  });

  it("apply Công báo to the province portal only", () => {
    const rs = ruleSetFor("2026-11-20");
    expect(applicableCategories(rs, "cong_tinh").some((c) => c.id === "cong-bao")).toBe(true);
    expect(applicableCategories(rs, "ubnd_xa").some((c) => c.id === "cong-bao")).toBe(false);
    expect(applicableCategories(rs).some((c) => c.id === "cong-bao")).toBe(false);
  });
});
