// History and comparison (issue 15 §3): two periods side by side, one criterion across units
// ("which units lack Lịch công tác?"), and what changed between two audits of a site.
import { afterAll, beforeAll, expect, test } from "vitest";
import { compareUnitCriteria, comparePeriods, criterionAcrossUnits, diffAudits, listPeriodCriteria } from "../../db/queries/compare.ts";
import { recomputePeriods } from "../../db/queries/scoring.ts";
import { seedDefaultRubric } from "../../db/seeds/rubric-default.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { addAudit, addUnit, metrics, seedGroups } from "../scoring/fixtures.ts";

let db: TestDatabase;
const u: Record<string, { unitId: number; siteId: number }> = {};
const audits: Record<string, number> = {};
let oct = 0;
let nov = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  const k = db.knex;
  await seedGroups(k);
  await seedDefaultRubric(k);
  u.A = await addUnit(k, "so-a", "Sở Nội vụ", "so", "so-nganh");
  u.B = await addUnit(k, "so-b", "Sở Tư pháp", "so", "so-nganh");
  u.C = await addUnit(k, "so-c", "Sở Y tế", "so", "so-nganh");
  // October: A perfect, B without "Lịch công tác", C perfect.
  await addAudit(k, u.A, "2026-10-05T02:00:00Z", metrics());
  audits.bOct = (await addAudit(k, u.B, "2026-10-05T02:00:00Z", metrics({}, { "lich-cong-tac": "missing" }), [
    { code: "category.missing", categoryId: "lich-cong-tac", url: "https://so-b.gov.vn/", message: "Thiếu chuyên mục Lịch công tác" },
    { code: "technical.no-https", url: "https://so-b.gov.vn/", message: "Không dùng HTTPS" },
  ])).auditId;
  await addAudit(k, u.C, "2026-10-05T02:00:00Z", metrics());
  // November: B fixed Lịch công tác and kept no HTTPS; A lost "Lịch công tác"; C not audited.
  await addAudit(k, u.A, "2026-11-05T02:00:00Z", metrics({}, { "lich-cong-tac": "missing" }), [
    { code: "category.missing", categoryId: "lich-cong-tac", url: "https://so-a.gov.vn/" },
  ]);
  audits.bNov = (await addAudit(k, u.B, "2026-11-05T02:00:00Z", metrics(), [
    { code: "technical.no-https", url: "https://so-b.gov.vn/", message: "Không dùng HTTPS" },
    { code: "identity.email", url: "https://so-b.gov.vn/lien-he", message: "Thiếu thư điện tử" },
  ])).auditId;
  // Pages: October had an article that November no longer lists; November has two new articles.
  await k("pages").insert([
    { site_audit_id: audits.bOct, url: "https://so-b.gov.vn/tin/1", status: 200, kind: "article" },
    { site_audit_id: audits.bNov, url: "https://so-b.gov.vn/tin/2", status: 200, kind: "article" },
    { site_audit_id: audits.bNov, url: "https://so-b.gov.vn/tin/3", status: 200, kind: "article" },
    { site_audit_id: audits.bNov, url: "https://so-b.gov.vn/loi", status: 404, kind: "other" },
  ]);
  await recomputePeriods(k, ["2026-10", "2026-11"]);
  oct = (await k("periods").where({ code: "2026-10" }).first("id")).id;
  nov = (await k("periods").where({ code: "2026-11" }).first("id")).id;
});

afterAll(async () => {
  await db?.drop();
});

test("two periods side by side: both totals, ranks and the change; a unit scored in one period only; search without accents", async () => {
  const { rows, total } = await comparePeriods(db.knex, oct, nov, { sort: "delta-asc", limit: 50, offset: 0 });
  expect(total).toBe(3);
  const byName = new Map(rows.map((r) => [r.name, r]));
  const a = byName.get("Sở Nội vụ")!;
  const b = byName.get("Sở Tư pháp")!;
  const c = byName.get("Sở Y tế")!;
  expect(a.delta).toBeLessThan(0);
  expect(b.delta).toBeGreaterThan(0);
  expect(a.delta).toBeCloseTo(a.totalB! - a.totalA!, 2);
  expect(rows[0].name).toBe("Sở Nội vụ"); // the largest fall first
  expect(a.rankA).toBe(1);
  expect(b.rankA).toBe(3);
  // C was not audited in November: it has a row (not audited), no November total, no change.
  expect(c.totalB).toBeNull();
  expect(c.delta).toBeNull();
  const found = await comparePeriods(db.knex, oct, nov, { sort: "name", search: "tu phap", limit: 50, offset: 0 });
  expect(found.rows.map((r) => r.name)).toEqual(["Sở Tư pháp"]);
  const paged = await comparePeriods(db.knex, oct, nov, { sort: "name", limit: 2, offset: 2 });
  expect(paged).toMatchObject({ total: 3, rows: [{ name: "Sở Y tế" }] });
});

test("one unit's criteria in two periods: the criterion it fixed rises, the others stay", async () => {
  const rows = await compareUnitCriteria(db.knex, u.B.unitId, oct, nov);
  const lich = rows.find((r) => r.code === "noi-dung.lich-cong-tac")!;
  expect(lich.name).toMatch(/Lịch công tác/);
  expect(lich.pointsA!).toBeLessThan(lich.maxA!);
  expect(lich.pointsB).toBe(lich.maxB);
  expect(rows.filter((r) => r.pointsA !== r.pointsB).map((r) => r.code)).toContain("noi-dung.lich-cong-tac");
});

test("one criterion across units: which units lack Lịch công tác, lowest first; all units on request", async () => {
  const criteria = await listPeriodCriteria(db.knex, nov);
  expect(criteria.map((c) => c.code)).toContain("noi-dung.lich-cong-tac");
  const losing = await criterionAcrossUnits(db.knex, nov, "noi-dung.lich-cong-tac", { losingOnly: true, limit: 50, offset: 0 });
  expect(losing.rows.map((r) => r.name)).toEqual(["Sở Nội vụ"]);
  expect(losing.rows[0].points).toBeLessThan(losing.rows[0].maxPoints);
  const octLosing = await criterionAcrossUnits(db.knex, oct, "noi-dung.lich-cong-tac", { losingOnly: true, limit: 50, offset: 0 });
  expect(octLosing.rows.map((r) => r.name)).toEqual(["Sở Tư pháp"]);
  const all = await criterionAcrossUnits(db.knex, oct, "noi-dung.lich-cong-tac", { losingOnly: false, limit: 50, offset: 0 });
  expect(all.total).toBe(3);
  expect(all.rows[0].name).toBe("Sở Tư pháp");
  const unknown = await criterionAcrossUnits(db.knex, oct, "khong-co", { losingOnly: false, limit: 50, offset: 0 });
  expect(unknown).toEqual({ rows: [], total: 0 });
});

test("what changed between two audits: findings new and fixed, pages and posts added and removed", async () => {
  const d = await diffAudits(db.knex, u.B.unitId, audits.bOct, audits.bNov);
  expect(d.newFindings.map((f) => f.code)).toEqual(["identity.email"]);
  expect(d.fixedFindings.map((f) => [f.code, f.categoryId])).toEqual([["category.missing", "lich-cong-tac"]]);
  expect(d.pagesAdded.map((p) => p.url)).toEqual(expect.arrayContaining(["https://so-b.gov.vn/tin/2", "https://so-b.gov.vn/tin/3"]));
  expect(d.pagesAdded.map((p) => p.url)).not.toContain("https://so-b.gov.vn/loi");
  expect(d.pagesRemoved.map((p) => p.url)).toContain("https://so-b.gov.vn/tin/1");
  expect(d.postsAdded).toBe(2);
  expect(d.postsRemoved).toBe(1);
  // Another unit's audit id gives nothing of that unit.
  const other = await diffAudits(db.knex, u.A.unitId, audits.bOct, audits.bNov);
  expect(other.newFindings).toEqual([]);
  expect(other.pagesAdded).toEqual([]);
});
