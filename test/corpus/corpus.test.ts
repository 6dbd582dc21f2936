// The labelled corpus of the checks: prints precision and recall per check and fails below 0.95.
import { describe, expect, it } from "vitest";
import { evaluate, formatScores, loadCases } from "./evaluate.ts";

describe("labelled corpus of the checks", () => {
  const cases = loadCases();
  const scores = evaluate(cases);

  it("has at least 150 cases across the checks", () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(new Set(cases.map((c) => c.check)).size).toBeGreaterThanOrEqual(6);
  });

  it("reaches precision and recall ≥ 0.95 on every check", () => {
    console.log("\n" + formatScores(scores));
    for (const s of scores) for (const f of s.failures) console.log(`  ✗ ${s.check} ${f.id}: missing ${JSON.stringify(f.missing)} unexpected ${JSON.stringify(f.unexpected)}`);
    for (const s of scores) {
      expect.soft(s.precision, `precision of ${s.check}`).toBeGreaterThanOrEqual(0.95);
      expect.soft(s.recall, `recall of ${s.check}`).toBeGreaterThanOrEqual(0.95);
    }
  });
});
