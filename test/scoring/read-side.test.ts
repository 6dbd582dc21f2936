// One read side: the ranking page, the unit page's data, the JSON API and the report model give
// the same totals, ranks and order for the same period; audits belong to periods by Vietnam day.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { seedDefaultRubric } from "../../db/seeds/rubric-default.ts";
import { freezePeriod, recomputePeriods } from "../../db/queries/scoring.ts";
import { apiScores, getFrozenReportModel, getRankingPage, getScorePeriod, getUnitScore, readScores } from "../../db/queries/scores.ts";
import { apiFindings } from "../../db/queries/api.ts";
import { getLastAuditAttempts, getLatestUnitAudits, getUnitAuditSummaries } from "../../db/queries/dashboard.ts";
import { loadReportModel } from "../../db/queries/reports.ts";
import { vietnamInstant } from "../../db/time.ts";
import { addAudit, addUnit, metrics, seedGroups } from "./fixtures.ts";

let db: TestDatabase;
const u: Record<string, { unitId: number; siteId: number }> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  const k = db.knex;
  await seedGroups(k);
  await seedDefaultRubric(k);
  // Inserted in an order unlike the expected one: the tie (Đ, T) must be ordered by name.
  u.T = await addUnit(k, "so-t", "Sở Tư pháp", "so", "so-nganh");
  u.D = await addUnit(k, "so-d", "Sở Đờn ca tài tử", "so", "so-nganh");
  u.A = await addUnit(k, "so-a", "Sở Nội vụ", "so", "so-nganh");
  u.B = await addUnit(k, "so-b", "Sở Y tế", "so", "so-nganh");
  u.H = await addUnit(k, "huyen-1", "UBND huyện Tuy Phước", "ubnd_huyen", "huyen");
  u.X = await addUnit(k, "xa-1", "UBND xã Cát Tiến", "ubnd_xa", "xa");

  // December 2026, Vietnam days. The 02:00 (Vietnam) audit of 01/12 is 19:00 UTC of 30/11.
  const first = vietnamInstant("2026-12-01", "02:00").toISOString();
  await addAudit(k, u.A, first, metrics());
  await addAudit(k, u.T, "2026-12-05T02:00:00Z", metrics({ technical: { https: false } }), [{ code: "technical.no-https" }]);
  await addAudit(k, u.D, "2026-12-05T02:00:00Z", metrics({ technical: { https: false } }), [{ code: "technical.no-https" }]);
  await addAudit(k, u.B, "2026-12-06T02:00:00Z", metrics({ encoding: { pagesCompliant: 10 } }), [{ code: "encoding.legacy-font" }]);
  await addAudit(k, u.H, "2026-12-07T02:00:00Z", metrics());
  // 23:30 UTC of 30/11 is 06:30 of 01/12 in Vietnam: December.
  await addAudit(k, u.H, "2026-11-30T23:30:00Z", metrics({ identity: { email: false } }), [{ code: "identity.email" }]);
  // X's only audit of December failed: not audited, and never shown as a clean result.
  await k("site_audits").insert({
    site_id: u.X.siteId, unit_id: u.X.unitId, status: "failed", error: "Không truy cập được trang chủ (hết thời gian chờ)",
    reference_time: "2026-12-03T19:00:00Z", finished_at: "2026-12-03T19:05:00Z",
  });
  await recomputePeriods(k, ["2026-11"]);
  await recomputePeriods(k, ["2026-12"]);
});

afterAll(async () => {
  await db?.drop();
});

type Line = [string, number | null, number | null];

async function allViews(code: string) {
  const k = db.knex;
  const period = (await getScorePeriod(k, code))!;
  const ranking: Line[] = (await getRankingPage(k, period.id, { limit: 100 })).flatMap((g) => g.rows.map((r): Line => [r.unitCode, r.total, r.rank]));
  const api: Line[] = (await apiScores(k, period.id)).map((r): Line => [r.unitCode, r.total, r.rank]);
  const unitPages: Line[] = [];
  for (const [unitCode] of ranking) {
    const s = (await getUnitScore(k, unitIdOf(unitCode), period.code))!;
    unitPages.push([s.score.unitCode, s.score.total, s.score.rank]);
  }
  const model = await loadReportModel(k, { periodCode: code, allowDraft: true });
  const report: Line[] = model.units.map((r): Line => [r.code, r.total, r.rank]);
  return { period, ranking, api, unitPages, report };
}

const codes: Record<string, string> = { "so-t": "T", "so-d": "D", "so-a": "A", "so-b": "B", "huyen-1": "H", "xa-1": "X" };
function unitIdOf(code: string): number {
  return u[codes[code]].unitId;
}

describe("one read side", () => {
  test("ranking, unit page, API and report model agree on totals, ranks and order", async () => {
    const v = await allViews("2026-12");
    expect(v.ranking.map((l) => l[0])).toEqual(["so-a", "so-b", "so-d", "so-t", "huyen-1", "xa-1"]);
    // The tie: equal totals and ranks, ordered by name (Vietnamese: "Sở Đờn…" before "Sở Tư…").
    const [, , d, t] = v.ranking;
    expect(d[1]).toBe(t[1]);
    expect(d[2]).toBe(t[2]);
    expect(d[2]).toBe(3);
    expect(v.api).toEqual(v.ranking);
    expect(v.unitPages).toEqual(v.ranking);
    expect(v.report).toEqual(v.ranking);
    // Not audited: the failed audit does not count.
    expect(v.ranking[5]).toEqual(["xa-1", null, null]);

    // The group points are points out of their maximum everywhere.
    const rows = await readScores(db.knex, v.period.id);
    const a = rows.find((r) => r.unitCode === "so-a")!;
    expect(Object.keys(a.groupPoints).sort()).toEqual(["cap-nhat", "dinh-danh", "ky-thuat", "noi-dung", "unicode"]);
    for (const g of Object.values(a.groupPoints)) {
      expect(Number.isFinite(g.points)).toBe(true);
      expect(g.max).toBeGreaterThanOrEqual(g.points);
    }
    const api = (await apiScores(db.knex, v.period.id)).find((r) => r.unitCode === "so-a")!;
    expect(api.groupPoints).toEqual(a.groupPoints);
    expect(rows.find((r) => r.unitCode === "xa-1")!.groupPoints).toEqual({});
  });

  test("the same after the period is closed, and the period says so", async () => {
    const before = await allViews("2026-12");
    await freezePeriod(db.knex, "2026-12", null, new Date("2027-01-02T03:00:00Z"));
    const after = await allViews("2026-12");
    expect(after.period.frozen).toBe(true);
    expect(after.ranking).toEqual(before.ranking);
    expect(after.api).toEqual(before.ranking);
    expect(after.unitPages).toEqual(before.ranking);
    expect(after.report).toEqual(before.ranking);
    const frozen = await getFrozenReportModel(db.knex, "2026-12");
    expect(frozen.units.map((r): Line => [r.code, r.total, r.rank])).toEqual(before.ranking);
    expect(frozen.period.label).toBe("Tháng 12/2026");
    // A unit renamed after closing keeps its name as at closing everywhere.
    await db.knex("units").where({ id: u.A.unitId }).update({ name: "Sở Nội vụ (mới)" });
    const renamed = await allViews("2026-12");
    expect(renamed.ranking).toEqual(before.ranking);
    expect((await getUnitScore(db.knex, u.A.unitId, "2026-12"))!.score.unitName).toBe("Sở Nội vụ");
    await db.knex("units").where({ id: u.A.unitId }).update({ name: "Sở Nội vụ" });
  });

  test("audits belong to the period of their Vietnam day on every screen", async () => {
    const k = db.knex;
    // Scoring: A's only audit (02:00 of 01/12 Vietnam) is in December, not November.
    const nov = await readScores(k, (await getScorePeriod(k, "2026-11"))!.id);
    expect(nov.find((r) => r.unitCode === "so-a")!.status).toBe("not_audited");
    const dec = await readScores(k, (await getScorePeriod(k, "2026-12"))!.id);
    expect(dec.find((r) => r.unitCode === "so-a")!.auditsCount).toBe(1);
    expect(dec.find((r) => r.unitCode === "huyen-1")!.auditsCount).toBe(2);

    // Unit page: the audits of November end on 30/11 (Vietnam).
    expect(await getLatestUnitAudits(k, u.A.unitId, "2026-11-30")).toEqual([]);
    expect(await getLatestUnitAudits(k, u.A.unitId, "2026-12-31")).toHaveLength(1);
    expect(await getUnitAuditSummaries(k, u.H.unitId, "2026-11-01", "2026-11-30")).toEqual([]);
    expect(await getUnitAuditSummaries(k, u.H.unitId, "2026-12-01", "2026-12-31")).toHaveLength(2);

    // API: H's finding of 23:30 UTC 30/11 is a December finding.
    expect(await apiFindings(k, u.H.unitId, { startsOn: "2026-11-01", endsOn: "2026-11-30" }, 100, 0)).toEqual([]);
    expect((await apiFindings(k, u.H.unitId, { startsOn: "2026-12-01", endsOn: "2026-12-31" }, 100, 0)).map((f: { code: string }) => f.code)).toEqual([
      "identity.email",
    ]);

    // Report (live draft of November): A is not audited there either.
    const novModel = await loadReportModel(k, { periodCode: "2026-11", allowDraft: true });
    expect(novModel.units.find((r) => r.code === "so-a")!.status).toBe("not_audited");
  });

  test("a failed audit is reported as failed, with its reason", async () => {
    const attempts = await getLastAuditAttempts(db.knex, u.X.unitId, "2026-12-31");
    expect(attempts.map((a) => [a.status, a.error])).toEqual([["failed", "Không truy cập được trang chủ (hết thời gian chờ)"]]);
    expect(await getLatestUnitAudits(db.knex, u.X.unitId, "2026-12-31")).toEqual([]);
  });
});
