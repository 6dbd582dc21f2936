// End to end with the real scoring: audits → recompute → freeze → report, checked against the scores.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freezePeriod, recomputePeriods } from "../../db/queries/scoring.ts";
import { seedDefaultRubric } from "../../db/seeds/rubric-default.ts";
import { generateReport } from "../../reports/generate.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { addAudit, addUnit, addUser, metrics, seedGroups } from "../scoring/fixtures.ts";
import { readWorkbook, rowOf, sheetText } from "./read.ts";

let db: TestDatabase;
let inspector: number;

beforeAll(async () => {
  db = await createTestDatabase();
  const k = db.knex;
  await seedGroups(k);
  await seedDefaultRubric(k);
  inspector = await addUser(k, "thanhtra", "inspector");
  const a = await addUnit(k, "so-a", "Sở Tư pháp", "so", "so-nganh");
  const b = await addUnit(k, "so-b", "Sở Y tế", "so", "so-nganh");
  await addUnit(k, "huyen-1", "UBND huyện Tuy Phước", "ubnd_huyen", "huyen");
  await addAudit(k, a, "2026-07-10T02:00:00Z", metrics());
  await addAudit(k, a, "2026-08-10T02:00:00Z", metrics({ technical: { https: false } }), [{ code: "technical.no-https" }]);
  await addAudit(k, b, "2026-08-12T02:00:00Z", metrics({ encoding: { pagesCompliant: 0 } }), [
    { code: "encoding.legacy-text", message: "=1+1 văn bản TCVN3" },
  ]);
  await recomputePeriods(k, ["2026-Q3"]);
  await freezePeriod(k, "2026-Q3", inspector);
});
afterAll(async () => {
  await db?.drop();
});

describe("report from scoring's frozen period", () => {
  it("shows every unit with the frozen total, tier and rank", async () => {
    const r = await generateReport(db.knex, { periodCode: "2026-Q3", userId: inspector });
    expect(r.draft).toBe(false);
    const wb = await readWorkbook(r.buffer);
    const ws = wb.getWorksheet("Tổng hợp")!;
    const scores = await db.knex("period_scores as ps").join("units as u", "u.id", "ps.unit_id").select("u.name", "ps.*");
    expect(scores.length).toBe(3);
    for (const s of scores) {
      const row = rowOf(ws, s.name);
      if (s.status === "scored") {
        expect(row.getCell(9).value).toBe(s.total);
        expect(row.getCell(10).value).toBe(s.tier);
        expect(row.getCell(11).value).toBe(s.rank);
        const groups = s.group_points as Record<string, { points: number }>;
        expect(row.getCell(4).value).toBe(groups["noi-dung"].points);
      } else {
        expect(row.getCell(9).value).toBe("Chưa đánh giá");
      }
    }
    const yte = wb.worksheets.find((w) => w.getCell("A3").value === "SỞ Y TẾ")!;
    expect(sheetText(yte)).toContain("encoding.legacy-text");
    expect(sheetText(yte)).toContain("=1+1 văn bản TCVN3");
    const again = await generateReport(db.knex, { periodCode: "2026-Q3", userId: inspector });
    expect(again.sha256).toBe(r.sha256);
  });
});
