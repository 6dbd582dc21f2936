import { describe, expect, it } from "vitest";
import { parseDateText, parseIsoDate, parseRfc822 } from "./parse.ts";

const ref = new Date("2023-11-22T03:00:00Z");
const first = (s: string) => parseDateText(s, ref)[0]?.date ?? null;

describe("Vietnamese date formats (day/month/year)", () => {
  it.each([
    ["20/11/2023", "2023-11-20"],
    ["20-11-2023", "2023-11-20"],
    ["20/11/2023 08:30", "2023-11-20"],
    ["08:30 20/11/2023", "2023-11-20"],
    ["Thứ Hai, 20/11/2023", "2023-11-20"],
    ["ngày 20 tháng 11 năm 2023", "2023-11-20"],
    ["Cập nhật: 20/11/2023 08:30", "2023-11-20"],
    ["Ngày đăng: 5/3/2024", "2024-03-05"],
    ["Đăng lúc 14h20 05.03.2024", "2024-03-05"],
    ["2 giờ trước", "2023-11-22"],
    ["3 ngày trước", "2023-11-19"],
    ["Hôm qua", "2023-11-21"],
  ])("%s → %s", (text, expected) => {
    expect(first(text)).toBe(expected);
  });

  it("never reads month/day", () => {
    expect(first("12/13/2023")).toBeNull();
    expect(first("11/12/2023")).toBe("2023-12-11");
  });

  it("ignores document numbers", () => {
    expect(first("Quyết định số 12/2023/QĐ-UBND")).toBeNull();
  });

  it("keeps the label in front of a date", () => {
    const [d] = parseDateText("Ngày ban hành: 05/11/2023", ref);
    expect(d.label).toBe("ngày ban hành");
  });

  it("reads machine dates in Vietnam time", () => {
    expect(parseIsoDate("2023-11-19T20:00:00Z")).toBe("2023-11-20");
    expect(parseIsoDate("2023-11-20T08:30:00+07:00")).toBe("2023-11-20");
    expect(parseRfc822("Mon, 20 Nov 2023 08:30:00 +0700")).toBe("2023-11-20");
  });
});
