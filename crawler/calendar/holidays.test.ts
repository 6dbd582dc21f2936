import { describe, expect, it } from "vitest";
import { holidaysForYear, isWorkingDay, lunarToSolar, tetDate, workingDaysBetween } from "./holidays.ts";

describe("Vietnamese working-day calendar", () => {
  it("finds Tết by the lunar calendar (UTC+7)", () => {
    expect(tetDate(2024)).toBe("2024-02-10");
    expect(tetDate(2025)).toBe("2025-01-29");
    expect(tetDate(2026)).toBe("2026-02-17");
  });

  it("finds Giỗ Tổ Hùng Vương on 10/3 lunar", () => {
    expect(lunarToSolar(10, 3, 2024)).toBe("2024-04-18");
    expect(lunarToSolar(10, 3, 2025)).toBe("2025-04-07");
  });

  it("seeds the year's table: 1/1, five Tết days, Giỗ Tổ, 30/4, 1/5, 2/9 and an adjacent day", () => {
    const h = holidaysForYear(2026);
    for (const d of ["2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-04-26", "2026-04-30", "2026-05-01", "2026-09-02", "2026-09-03"]) {
      expect(h[d], d).toBeTruthy();
    }
    // Giỗ Tổ 2026 falls on a Sunday: given back on Monday 27/04.
    expect(h["2026-04-27"]).toMatch(/Nghỉ bù/);
  });

  it("counts working days after signing, skipping weekends and holidays", () => {
    expect(workingDaysBetween("2026-11-16", "2026-11-16")).toBe(0);
    expect(workingDaysBetween("2026-11-20", "2026-11-23")).toBe(1);
    expect(workingDaysBetween("2026-02-13", "2026-02-24")).toBe(2);
    expect(isWorkingDay("2026-09-02")).toBe(false);
    expect(isWorkingDay("2026-11-20")).toBe(true);
  });

  it("uses an inspector-edited table when given", () => {
    const edited = { "2026-11-20": "Nghỉ đột xuất" };
    expect(workingDaysBetween("2026-11-19", "2026-11-23", edited)).toBe(1);
    expect(workingDaysBetween("2026-11-19", "2026-11-23")).toBe(2);
  });
});
