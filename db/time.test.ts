// The one home for time: Vietnam days, period membership of instants, labels.
import { describe, expect, it } from "vitest";
import {
  formatPeriodLabel,
  formatPeriodTitle,
  formatVietnamDate,
  formatVietnamDateTime,
  monthCodeAt,
  nextDay,
  periodRange,
  periodsAt,
  vietnamDay,
  vietnamDaySql,
  vietnamInstant,
} from "./time.ts";

describe("Vietnam day of an instant", () => {
  it("puts the 02:00 (Vietnam) audit of 01/12 in December", () => {
    const at = vietnamInstant("2026-12-01", "02:00");
    expect(at.toISOString()).toBe("2026-11-30T19:00:00.000Z");
    expect(vietnamDay(at)).toBe("2026-12-01");
    expect(monthCodeAt(at)).toBe("2026-12");
    expect(periodsAt(at).map((p) => p.code)).toEqual(["2026-12", "2026-Q4", "2026-H2", "2026"]);
  });

  it("makes 23:30 UTC of 30/11 the 01/12 in Vietnam", () => {
    const at = new Date("2026-11-30T23:30:00Z");
    expect(vietnamDay(at)).toBe("2026-12-01");
    expect(formatVietnamDate(at)).toBe("01/12/2026");
    expect(formatVietnamDateTime(at)).toBe("06:30 01/12/2026");
    expect(monthCodeAt(new Date("2026-11-30T16:59:59Z"))).toBe("2026-11");
    expect(monthCodeAt(new Date("2026-11-30T17:00:00Z"))).toBe("2026-12");
  });

  it("crosses the year at 17:00 UTC of 31/12", () => {
    expect(periodsAt(new Date("2026-12-31T17:00:00Z")).map((p) => p.code)).toEqual(["2027-01", "2027-Q1", "2027-H1", "2027"]);
    expect(periodsAt(new Date("2026-12-31T16:59:00Z"))[3].code).toBe("2026");
  });

  it("gives a period as the instants of its Vietnam days", () => {
    const r = periodRange("2026-11");
    expect(r.from.toISOString()).toBe("2026-10-31T17:00:00.000Z");
    expect(r.until.toISOString()).toBe("2026-11-30T17:00:00.000Z");
    expect(periodRange("2026").until.toISOString()).toBe("2026-12-31T17:00:00.000Z");
    expect(nextDay("2028-02-28")).toBe("2028-02-29");
    expect(vietnamDaySql("a.reference_time")).toBe("(a.reference_time at time zone 'Asia/Ho_Chi_Minh')::date");
  });

  it("shows calendar days as they are and bad values as a dash", () => {
    expect(formatVietnamDate("2026-11-01")).toBe("01/11/2026");
    expect(formatVietnamDate(null)).toBe("—");
    expect(formatVietnamDate("not a date")).toBe("—");
  });
});

describe("period labels", () => {
  it("has one label and one report title per period", () => {
    expect(["2026-11", "2026-03", "2026-Q4", "2026-H1", "2026-H2", "2026"].map((c) => formatPeriodLabel(c))).toEqual([
      "Tháng 11/2026",
      "Tháng 3/2026",
      "Quý IV/2026",
      "6 tháng đầu năm 2026",
      "6 tháng cuối năm 2026",
      "Năm 2026",
    ]);
    expect(formatPeriodTitle("2026-Q3")).toBe("QUÝ III NĂM 2026");
    expect(formatPeriodTitle("2026-H2")).toBe("6 THÁNG CUỐI NĂM 2026");
    expect(formatPeriodTitle("2026-H2", "sentence")).toBe("6 tháng cuối năm 2026");
    expect(formatPeriodTitle("2026-11", "sentence")).toBe("Tháng 11 năm 2026");
  });
});
