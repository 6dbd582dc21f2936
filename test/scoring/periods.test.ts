import { expect, test } from "vitest";
import {
  formatPeriodLabel,
  nextPeriod,
  parsePeriodCode,
  PeriodCodeError,
  periodsContaining,
  periodsOfYear,
  previousPeriod,
} from "../../db/scoring/period-codes.ts";
import { normalizeTierThresholds, tierFor } from "../../db/scoring/tiers.ts";

test("period codes parse to their calendar days", () => {
  expect(parsePeriodCode("2026-11")).toMatchObject({ kind: "month", startsOn: "2026-11-01", endsOn: "2026-11-30" });
  expect(parsePeriodCode("2024-02")).toMatchObject({ endsOn: "2024-02-29" });
  expect(parsePeriodCode("2026-q3")).toMatchObject({ kind: "quarter", code: "2026-Q3", startsOn: "2026-07-01", endsOn: "2026-09-30" });
  expect(parsePeriodCode("2026-H2")).toMatchObject({ kind: "half", startsOn: "2026-07-01", endsOn: "2026-12-31" });
  expect(parsePeriodCode("2026")).toMatchObject({ kind: "year", startsOn: "2026-01-01", endsOn: "2026-12-31" });
  for (const bad of ["2026-13", "2026-00", "2026-Q5", "2026-H3", "26", "", "2026/11"]) {
    expect(() => parsePeriodCode(bad)).toThrow(PeriodCodeError);
  }
});

test("previous and next periods cross years", () => {
  expect(previousPeriod("2026-01").code).toBe("2025-12");
  expect(previousPeriod("2026-Q1").code).toBe("2025-Q4");
  expect(previousPeriod("2026-H2").code).toBe("2026-H1");
  expect(previousPeriod("2026").code).toBe("2025");
  expect(nextPeriod("2026-12").code).toBe("2027-01");
  expect(periodsContaining("2026-08-15").map((p) => p.code)).toEqual(["2026-08", "2026-Q3", "2026-H2", "2026"]);
  expect(periodsOfYear(2026)).toHaveLength(19);
});

test("Vietnamese labels", () => {
  expect(formatPeriodLabel("2026-03")).toBe("Tháng 3/2026");
  expect(formatPeriodLabel("2026-Q4")).toBe("Quý IV/2026");
  expect(formatPeriodLabel("2026-H1")).toBe("6 tháng đầu năm 2026");
  expect(formatPeriodLabel("2026")).toBe("Năm 2026");
});

test("tiers: thresholds sorted, boundaries inclusive", () => {
  const t = normalizeTierThresholds([{ tier: "Yếu", min: 0 }, { tier: "Xuất sắc", min: 90 }, { name: "Khá", min: 65 }]);
  expect(t.map((x) => x.tier)).toEqual(["Xuất sắc", "Khá", "Yếu"]);
  expect(tierFor(90, t)).toBe("Xuất sắc");
  expect(tierFor(89.99, t)).toBe("Khá");
  expect(tierFor(null, t)).toBeNull();
  expect(() => normalizeTierThresholds([{ tier: "A", min: 1 }, { tier: "A", min: 2 }])).toThrow();
  expect(() => normalizeTierThresholds("x")).toThrow();
});
