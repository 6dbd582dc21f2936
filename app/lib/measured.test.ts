import { describe, expect, it } from "vitest";
import { measuredText } from "./measured.ts";

describe("measuredText", () => {
  it("says what a threshold criterion measured, with its unit and bounds", () => {
    expect(measuredText({ share: 0.85, audits: 4, value: 4.25 }, { kind: "threshold", metric: "freshness.postsPerWeek", full: 5, zero: 0 })).toBe(
      "Số đo trung bình: 4,25 tin/tuần; đủ điểm: 5 tin/tuần, 0 điểm: 0 tin/tuần (4 lần kiểm tra).",
    );
    expect(measuredText({ share: 0, audits: 1 }, { kind: "threshold", metric: "freshness.daysSinceLastPost", full: 7, zero: 30 })).toBe(
      "Không đo được trong kỳ (1 lần kiểm tra).",
    );
  });

  it("gives a pooled ratio as counts and percentage", () => {
    expect(measuredText({ share: 0.75, audits: 5, numerator: 15, denominator: 20 }, { kind: "ratio" })).toBe("Đạt 15/20 (75%) (5 lần kiểm tra).");
  });

  it("gives categories and booleans as the share of audits", () => {
    expect(measuredText({ share: 0.5, audits: 2 }, { kind: "category" })).toBe("Mức đạt của chuyên mục: 50% (2 lần kiểm tra).");
    expect(measuredText({ share: "0.3333", audits: 3 }, { kind: "boolean" })).toBe("Đạt ở 33,3% số lần kiểm tra (3 lần kiểm tra).");
  });

  it("stays silent for rows without a measurement", () => {
    expect(measuredText({}, { kind: "category" })).toBeNull();
    expect(measuredText(null, null)).toBeNull();
  });
});
