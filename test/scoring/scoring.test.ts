// Scoring on a small province, against hand-computed expectations.
//
// Default rubric (100 points). Applicable maximum: 'so' 99 (cong-bao only for cong_tinh),
// 'ubnd_huyen' and 'ubnd_xa' 98 (khoa-hoc only for so/ban/cong_tinh, cong-bao). The total is
// sum(points) × 100 / applicable max, rounded to 2 decimals.
//
// October 2026 (2026-10), audits and hand computation:
// | unit | group    | audits | points lost (criterion: computation)                                          | points | total  | tier       | rank |
// |------|----------|--------|--------------------------------------------------------------------------------|--------|--------|------------|------|
// | A    | so-nganh | 1      | none (its audit of 31/10 18:00 UTC is 01/11 in Vietnam → November)               | 99     | 100.00 | Xuất sắc   | 1    |
// | C    | so-nganh | 1      | phone 2 + email 2                                                                | 95     | 95.96  | Xuất sắc   | 2    |
// | D    | so-nganh | 1      | search 2 + viewport 1.5 + lang-vi 0.5                                            | 95     | 95.96  | Xuất sắc   | 2    |
// | B    | so-nganh | 2      | tin-tuc 4×(1−(0.5+1)/2)=1; lich-cong-tac 2×(1−0)=2; https 2×(1−0.5)=1;           | 87.83  | 88.72  | Tốt        | 4    |
// |      |          |        | tan-suat 6×(1−(2.5/5+1)/2)=1.5; kip-thoi 6×(1−((30−18.5)/23+1)/2)=1.5;          |        |        |            |      |
// |      |          |        | unicode 15×(1−18/20)=1.5; deadlines 8−round(8×4/6)=8−5.33=2.67 → 11.17 lost      |        |        |            |      |
// | H1   | huyen    | 1      | hoi-dap 2; so-do-site empty 1×0.5=0.5; author 2.5×0.5=1.25;                      | 92.75  | 94.64  | Xuất sắc   | 1    |
// |      |          |        | img-alt (0.75−0.5)/0.5 → 1.5×0.5=0.75; axe 5/10 → 0.75 → 5.25 lost              |        |        |            |      |
// | H2   | huyen    | 1      | unicode 0/10 15; van-ban unreachable 4; tin-tuc 4; chi-dao 3;                    | 60     | 61.22  | Trung bình | 2    |
// |      |          |        | kip-thoi no date 6; tan-suat 0/week 6 (no documents/articles: full) → 38 lost    |        |        |            |      |
// | X1   | xa       | 0      | not audited in October (audited in September)                                    | —      | null   | null       | null |
//
// September 2026: A one audit with 2.5 posts/week → lost 3 → 96 → 96.97 (rank 1 of so-nganh);
// X1 perfect → 100. October change for A: 100 − 96.97 = +3.03, previous rank 1.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { seedDefaultRubric } from "../../db/seeds/rubric-default.ts";
import { explainScore, freezePeriod, recomputeAll, recomputePeriods, ScoringError } from "../../db/queries/scoring.ts";
import { getFrozenReportModel, getProvinceTrend, getRanking, getUnitHistory, getUnitScore, listPeriods } from "../../db/queries/scores.ts";
import { decideAppeal, fileAppeal } from "../../db/queries/appeals.ts";
import { loadReportModel } from "../../db/queries/reports.ts";
import { copyRubric, getRubric, publishRubric, updateDraftCriteria } from "../../db/queries/rubric.ts";
import { addAudit, addUnit, addUser, metrics, seedGroups } from "./fixtures.ts";

let db: TestDatabase;
const u: Record<string, { unitId: number; siteId: number }> = {};
const f: Record<string, number[]> = {};
let rubricId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  const k = db.knex;
  await seedGroups(k);
  rubricId = await seedDefaultRubric(k);
  u.A = await addUnit(k, "so-a", "Sở Tư pháp", "so", "so-nganh");
  u.B = await addUnit(k, "so-b", "Sở Y tế", "so", "so-nganh");
  u.C = await addUnit(k, "so-c", "Sở Nội vụ", "so", "so-nganh");
  u.D = await addUnit(k, "so-d", "Sở Tài chính", "so", "so-nganh");
  u.H1 = await addUnit(k, "huyen-1", "UBND huyện Tuy Phước", "ubnd_huyen", "huyen");
  u.H2 = await addUnit(k, "huyen-2", "UBND huyện Phù Cát", "ubnd_huyen", "huyen");
  u.X1 = await addUnit(k, "xa-1", "UBND xã Cát Tiến", "ubnd_xa", "xa");

  // September
  await addAudit(k, u.A, "2026-09-10T02:00:00Z", metrics({ freshness: { postsPerWeek: 2.5 } }), [{ code: "freshness.low-frequency", severity: "warning" }]);
  await addAudit(k, u.X1, "2026-09-12T02:00:00Z", metrics());

  // October
  await addAudit(k, u.A, "2026-10-05T02:00:00Z", metrics());
  await addAudit(k, u.A, "2026-10-31T18:00:00Z", metrics({ encoding: { pagesCompliant: 0 }, technical: { https: false } }), [
    { code: "technical.no-https" },
  ]);
  const b1 = await addAudit(
    k,
    u.B,
    "2026-10-05T02:00:00Z",
    metrics(
      {
        technical: { https: false },
        freshness: { postsPerWeek: 2.5, daysSinceLastPost: 18.5 },
        encoding: { pagesCompliant: 8 },
        deadlines: { documentsChecked: 4, documentsOnTime: 3 },
      },
      { "tin-tuc": "empty", "lich-cong-tac": "missing" },
    ),
    [
      { code: "category.empty", categoryId: "tin-tuc", severity: "warning", url: "https://so-b.binhdinh.gov.vn/tin-tuc" },
      { code: "category.missing", categoryId: "lich-cong-tac", message: "Thiếu chuyên mục Lịch công tác" },
      { code: "technical.no-https", url: "http://so-b.binhdinh.gov.vn/" },
      { code: "encoding.legacy-text", url: "https://so-b.binhdinh.gov.vn/a1" },
      { code: "encoding.legacy-text", url: "https://so-b.binhdinh.gov.vn/a2" },
      { code: "deadline.late-document", severity: "warning", url: "https://so-b.binhdinh.gov.vn/vb/12" },
      { code: "freshness.low-frequency", severity: "warning" },
      { code: "freshness.stale", url: "https://so-b.binhdinh.gov.vn/tin-tuc" },
    ],
  );
  f.B1 = b1.findingIds;
  const b2 = await addAudit(
    k,
    u.B,
    "2026-10-19T02:00:00Z",
    metrics({ deadlines: { documentsChecked: 2, documentsOnTime: 1 } }, { "lich-cong-tac": "missing" }),
    [
      { code: "category.missing", categoryId: "lich-cong-tac", message: "Thiếu chuyên mục Lịch công tác" },
      { code: "deadline.late-document", severity: "warning", url: "https://so-b.binhdinh.gov.vn/vb/20" },
    ],
  );
  f.B2 = b2.findingIds;
  await addAudit(k, u.C, "2026-10-06T02:00:00Z", metrics({ identity: { phone: false, email: false } }), [
    { code: "identity.phone" },
    { code: "identity.email" },
  ]);
  await addAudit(k, u.D, "2026-10-06T03:00:00Z", metrics({ technical: { search: false, viewport: false, langVi: false } }), [
    { code: "technical.no-search" },
    { code: "technical.no-viewport" },
    { code: "technical.lang-not-vi" },
  ]);
  await addAudit(
    k,
    u.H1,
    "2026-10-07T02:00:00Z",
    metrics(
      { attribution: { articlesChecked: 10, withAuthor: 5, withSource: 10 }, technical: { imgAltRatio: 0.75, axeSeriousViolations: 5 } },
      { "hoi-dap": "missing", "so-do-site": "empty" },
    ),
    [{ code: "category.missing", categoryId: "hoi-dap" }, { code: "category.empty", categoryId: "so-do-site", severity: "warning" }],
  );
  await addAudit(
    k,
    u.H2,
    "2026-10-08T02:00:00Z",
    metrics(
      {
        encoding: { pagesChecked: 10, pagesCompliant: 0 },
        freshness: { postsPerWeek: 0, daysSinceLastPost: null },
        attribution: { articlesChecked: 0, withAuthor: 0, withSource: 0 },
        deadlines: { documentsChecked: 0, documentsOnTime: 0 },
      },
      { "van-ban": "unreachable", "tin-tuc": "missing", "chi-dao-dieu-hanh": "missing" },
    ),
    [{ code: "encoding.legacy-font" }, { code: "category.unreachable", categoryId: "van-ban" }],
  );
  // A failed audit never counts.
  await k("site_audits").insert({ site_id: u.X1.siteId, unit_id: u.X1.unitId, status: "failed", reference_time: "2026-10-09T02:00:00Z" });
});

afterAll(async () => {
  await db?.drop();
});

async function scoresOf(code: string) {
  const rows = await getRanking(db.knex, code);
  return Object.fromEntries(rows.map((r) => [r.unitCode, r]));
}

describe("period scores", () => {
  test("criteria, totals, ties, tiers, not audited and the change against September", async () => {
    await recomputePeriods(db.knex, ["2026-09"]);
    const res = await recomputePeriods(db.knex, ["2026-10"]);
    expect(res.recomputed).toEqual(["2026-10"]);
    expect(res.unitsScored).toBe(6);
    expect(res.unitsNotAudited).toBe(1);

    const s = await scoresOf("2026-10");
    const expected: Record<string, [number | null, string | null, number | null]> = {
      "so-a": [100, "Xuất sắc", 1],
      "so-c": [95.96, "Xuất sắc", 2],
      "so-d": [95.96, "Xuất sắc", 2],
      "so-b": [88.72, "Tốt", 4],
      "huyen-1": [94.64, "Xuất sắc", 1],
      "huyen-2": [61.22, "Trung bình", 2],
      "xa-1": [null, null, null],
    };
    for (const [code, [total, tier, rank]] of Object.entries(expected)) {
      expect([code, s[code].total, s[code].tier, s[code].rank]).toEqual([code, total, tier, rank]);
    }
    expect(s["xa-1"].status).toBe("not_audited");
    expect(s["xa-1"].auditsCount).toBe(0);
    expect(s["so-b"].auditsCount).toBe(2);
    expect(s["so-a"].auditsCount).toBe(1);

    // Change against September.
    expect(s["so-a"].previousTotal).toBe(96.97);
    expect(s["so-a"].previousRank).toBe(1);
    expect(s["so-a"].change).toBe(3.03);
    expect(s["so-b"].previousTotal).toBeNull();
    expect(s["xa-1"].previousTotal).toBe(100);

    // Ranking order: groups in order, ranks, not audited last.
    const ranking = await getRanking(db.knex, "2026-10");
    expect(ranking.map((r) => r.unitCode)).toEqual(["so-a", "so-c", "so-d", "so-b", "huyen-1", "huyen-2", "xa-1"]);
    expect(await getRanking(db.knex, "2026-10", { group: "huyen" })).toHaveLength(2);
    expect((await getRanking(db.knex, "2026-10", { search: "phù cát" })).map((r) => r.unitCode)).toEqual(["huyen-2"]);
  });

  test("points per criterion for unit B", async () => {
    const score = await getUnitScore(db.knex, u.B.unitId, "2026-10");
    expect(score).not.toBeNull();
    const pts = Object.fromEntries(score!.criteria.map((c) => [c.code, c.points]));
    expect(pts).toMatchObject({
      "noi-dung.tin-tuc": 3,
      "noi-dung.lich-cong-tac": 0,
      "noi-dung.gioi-thieu": 3,
      "ky-thuat.https": 1,
      "cap-nhat.tan-suat": 4.5,
      "cap-nhat.kip-thoi": 4.5,
      "unicode.trang-dat-chuan": 13.5,
      "cap-nhat.van-ban-dung-han": 5.33,
    });
    expect(pts["noi-dung.cong-bao"]).toBeUndefined();
    expect(score!.criteria).toHaveLength(35);
    expect(score!.score.groupPoints["noi-dung"]).toEqual({ points: 36, max: 39 });
    expect(score!.groupSize).toBe(4);

    const h1 = await getUnitScore(db.knex, u.H1.unitId, "2026-10");
    const h1pts = Object.fromEntries(h1!.criteria.map((c) => [c.code, c.points]));
    expect(h1pts).toMatchObject({ "noi-dung.hoi-dap": 0, "noi-dung.so-do-site": 0.5, "dinh-danh.tac-gia": 1.25, "ky-thuat.img-alt": 0.75, "ky-thuat.tiep-can": 0.75 });
    expect(h1!.criteria).toHaveLength(34);
  });

  test("recompute is idempotent", async () => {
    const snap = async () => {
      const ps = await db.knex("period_scores").orderBy(["period_id", "unit_id"]).select("*");
      const cs = await db.knex("criterion_scores").orderBy(["period_id", "unit_id", "criterion_code"]).select("*");
      return JSON.stringify([ps.map(({ computed_at: _c, ...r }) => r), cs]);
    };
    const before = await snap();
    await recomputePeriods(db.knex, ["2026-10"]);
    await recomputePeriods(db.knex, ["2026-09"]);
    await recomputePeriods(db.knex, ["2026-10"]);
    expect(await snap()).toBe(before);
    const all = await recomputeAll(db.knex);
    expect(all.recomputed).toEqual(expect.arrayContaining(["2026-09", "2026-10", "2026-11", "2026-Q3", "2026-Q4", "2026-H2", "2026"]));
    const ps10 = await scoresOf("2026-10");
    expect(ps10["so-b"].total).toBe(88.72);
  });

  test("a draft report names each criterion from the rubric (live rows keep no name)", async () => {
    await recomputePeriods(db.knex, ["2026-10"]);
    const live = await db.knex("criterion_scores as cs").join("periods as p", "p.id", "cs.period_id").where("p.code", "2026-10").select("cs.detail");
    expect(live.length).toBeGreaterThan(0);
    expect(live.every((r: { detail: Record<string, unknown> }) => r.detail.name === undefined)).toBe(true);
    const model = await loadReportModel(db.knex, { periodCode: "2026-10", unitId: u.B.unitId, allowDraft: true });
    expect(model.draft).toBe(true);
    const names = Object.fromEntries(model.details[0].criteria.map((c) => [c.code, c.name]));
    const period = await db.knex("periods").where({ code: "2026-10" }).first("rubric_version_id");
    const rubric: { code: string; name: string }[] = await db.knex("rubric_criteria").where({ rubric_version_id: period.rubric_version_id }).select("code", "name");
    expect(Object.keys(names).length).toBeGreaterThan(10);
    for (const [code, name] of Object.entries(names)) {
      expect(name).not.toBe(code);
      expect(name).toBe(rubric.find((r) => r.code === code)?.name);
    }
  });

  test("longer periods average their audits; history and trend", async () => {
    const q4 = await scoresOf("2026-Q4");
    // A in Q4: 05/10 perfect and 01/11 (Vietnam) with unicode 0/10 and no https: unicode pooled 10/20 → 7.5;
    // https mean 0.5 → 1 → points 99 − 7.5 − 1 = 90.5 → 90.5 × 100/99 = 91.41.
    expect(q4["so-a"].total).toBe(91.41);
    expect(q4["so-a"].auditsCount).toBe(2);
    const year = await scoresOf("2026");
    // A over the year: three audits; tan-suat mean (0.5+1+1)/3 → 6×0.8333 = 5 (lost 1); unicode 20/30 → 10 (lost 5);
    // https 2/3 → 1.33 (lost 0.67) → 99 − 6.67 = 92.33 → 93.26.
    expect(year["so-a"].total).toBe(93.26);
    expect(year["xa-1"].status).toBe("scored");

    const history = await getUnitHistory(db.knex, u.A.unitId);
    expect(history.filter((h) => h.kind === "month").map((h) => [h.periodCode, h.total])).toEqual([
      ["2026-09", 96.97],
      ["2026-10", 100],
      ["2026-11", 82.83], // unicode 0/10 (15) and no HTTPS (2): 82 → 82.83
    ]);
    const trend = await getProvinceTrend(db.knex, "month");
    const oct = trend.find((t) => t.periodCode === "2026-10")!;
    expect(oct.scored).toBe(6);
    expect(oct.notAudited).toBe(1);
    expect(oct.tiers).toEqual({ "Xuất sắc": 4, "Tốt": 1, "Trung bình": 1 });
    expect(oct.groups.map((g) => g.groupCode)).toEqual(["so-nganh", "huyen", "xa"]);
    const periods = await listPeriods(db.knex);
    expect(periods.map((p) => p.code)).toContain("2026-Q4");
  });
});

describe("explanation", () => {
  test("every point lost by B links to its findings and their evidence", async () => {
    const ex = await explainScore(db.knex, u.B.unitId, "2026-10");
    expect(ex.totalLost).toBe(11.17);
    const byCode = Object.fromEntries(ex.lost.map((l) => [l.criterionCode, l]));
    expect(Object.keys(byCode).sort()).toEqual(
      [
        "cap-nhat.kip-thoi",
        "cap-nhat.tan-suat",
        "cap-nhat.van-ban-dung-han",
        "ky-thuat.https",
        "noi-dung.lich-cong-tac",
        "noi-dung.tin-tuc",
        "unicode.trang-dat-chuan",
      ].sort(),
    );
    expect(ex.lost[0].criterionCode).toBe("cap-nhat.van-ban-dung-han");
    expect(byCode["noi-dung.lich-cong-tac"].findings.map((x) => x.id)).toEqual([f.B1[1], f.B2[0]]);
    expect(byCode["unicode.trang-dat-chuan"].findings).toHaveLength(2);
    expect(byCode["cap-nhat.van-ban-dung-han"].measured).toMatchObject({ numerator: 4, denominator: 6 });
    const ev = byCode["ky-thuat.https"].findings[0];
    expect(ev).toMatchObject({ code: "technical.no-https", counted: true, url: "http://so-b.binhdinh.gov.vn/", auditTime: "2026-10-05T02:00:00Z" });
    expect(ev.page).toMatchObject({ url: "http://so-b.binhdinh.gov.vn/", status: 200 });
    // A lost point never comes without a finding here: every criterion below its max has evidence.
    for (const l of ex.lost) expect(l.findings.length).toBeGreaterThan(0);
  });
});

describe("appeals", () => {
  test("only the unit head of the finding's unit files; a rejected appeal changes nothing", async () => {
    const headB = await addUser(db.knex, "head-b", "unit_head", u.B.unitId);
    const headC = await addUser(db.knex, "head-c", "unit_head", u.C.unitId);
    const inspector = await addUser(db.knex, "inspector", "inspector");
    await expect(fileAppeal(db.knex, { findingId: f.B1[2], userId: headC, explanation: "x" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(fileAppeal(db.knex, { findingId: f.B1[2], userId: inspector, explanation: "x" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(fileAppeal(db.knex, { findingId: f.B1[2], userId: headB, explanation: "   " })).rejects.toBeInstanceOf(ScoringError);

    const appeal = await fileAppeal(db.knex, { findingId: f.B1[2], userId: headB, explanation: "Trang có HTTPS từ 01/10." });
    await expect(fileAppeal(db.knex, { findingId: f.B1[2], userId: headB, explanation: "lại" })).rejects.toMatchObject({ code: "conflict" });
    await expect(decideAppeal(db.knex, { appealId: appeal.id, inspectorId: headB, accept: true, reason: "x" })).rejects.toMatchObject({ code: "forbidden" });
    const res = await decideAppeal(db.knex, { appealId: appeal.id, inspectorId: inspector, accept: false, reason: "Bằng chứng cho thấy trang chạy HTTP." });
    expect(res.appeal.status).toBe("rejected");
    expect(res.recomputed).toEqual([]);
    expect((await scoresOf("2026-10"))["so-b"].total).toBe(88.72);
    const ex = await explainScore(db.knex, u.B.unitId, "2026-10");
    const https = ex.lost.find((l) => l.criterionCode === "ky-thuat.https")!;
    expect(https.findings[0].appeal).toMatchObject({ status: "rejected", reason: "Bằng chứng cho thấy trang chạy HTTP." });
    await expect(decideAppeal(db.knex, { appealId: appeal.id, inspectorId: inspector, accept: true, reason: "x" })).rejects.toMatchObject({ code: "conflict" });
  });

  test("an accepted appeal takes the finding out and recomputes the open periods", async () => {
    const headB = (await db.knex("users").where({ username: "head-b" }).first()).id;
    const inspector = (await db.knex("users").where({ username: "inspector" }).first()).id;
    // lich-cong-tac missing in B's first audit: that audit now counts as present, and so does the
    // second audit's identical finding (an accepted explanation holds for later audits until it
    // expires; this one has no expiry).
    // lich-cong-tac: (1 + 1)/2 → 2 points (was 0); B points 87.83 + 2 = 89.83 → 89.83 × 100/99 = 90.74.
    const appeal = await fileAppeal(db.knex, { findingId: f.B1[1], userId: headB, explanation: "Chuyên mục nằm trong menu Giới thiệu." });
    const res = await decideAppeal(db.knex, { appealId: appeal.id, inspectorId: inspector, accept: true, reason: "Đã kiểm tra, có chuyên mục." });
    expect(res.recomputed.sort()).toEqual(["2026", "2026-10", "2026-H2", "2026-Q4"]);
    const s = await scoresOf("2026-10");
    expect(s["so-b"].total).toBe(90.74);
    expect(s["so-b"].rank).toBe(4);
    const score = await getUnitScore(db.knex, u.B.unitId, "2026-10");
    const lct = score!.criteria.find((c) => c.code === "noi-dung.lich-cong-tac")!;
    expect(lct.points).toBe(2);
    expect(lct.findingIds).toEqual([]);
    expect(lct.detail.acceptedFindingIds).toEqual([f.B1[1], f.B2[0]]);

    const log = await db.knex("audit_log").whereIn("action", ["appeal.file", "appeal.accept", "appeal.reject"]).orderBy("id").select("action", "user_id");
    expect(log).toEqual([
      { action: "appeal.file", user_id: headB },
      { action: "appeal.reject", user_id: inspector },
      { action: "appeal.file", user_id: headB },
      { action: "appeal.accept", user_id: inspector },
    ]);
  });
});

describe("freezing and rubric versions", () => {
  test("a published rubric is never changed in place, in code or in SQL", async () => {
    await expect(updateDraftCriteria(db.knex, rubricId, { remove: ["noi-dung.tin-tuc"] })).rejects.toMatchObject({ code: "frozen" });
    await expect(db.knex("rubric_criteria").where({ rubric_version_id: rubricId, code: "noi-dung.tin-tuc" }).update({ max_points: 10 })).rejects.toThrow(
      /cannot be changed/,
    );
    await expect(db.knex("rubric_versions").where({ id: rubricId }).update({ effective_from: "2020-01-01" })).rejects.toThrow(/cannot be changed/);
    await expect(db.knex("rubric_versions").where({ id: rubricId }).delete()).rejects.toThrow(/cannot be deleted/);
    const rubric = await getRubric(db.knex, rubricId);
    expect(rubric.totalPoints).toBe(100);
  });

  test("a rubric edited after a freeze leaves the frozen scores and report unchanged", async () => {
    const inspector = (await db.knex("users").where({ username: "inspector" }).first()).id;
    await freezePeriod(db.knex, "2026-10", inspector);
    await expect(freezePeriod(db.knex, "2026-10", inspector)).rejects.toMatchObject({ code: "frozen" });
    const model = await getFrozenReportModel(db.knex, "2026-10");
    const before = JSON.stringify(model);
    expect(model.rubric).toMatchObject({ id: rubricId, version: 1, totalPoints: 100 });
    expect(model.units.map((x) => [x.code, x.total, x.rank, x.tier])).toEqual([
      ["so-a", 100, 1, "Xuất sắc"],
      ["so-c", 95.96, 2, "Xuất sắc"],
      ["so-d", 95.96, 2, "Xuất sắc"],
      ["so-b", 90.74, 4, "Xuất sắc"],
      ["huyen-1", 94.64, 1, "Xuất sắc"],
      ["huyen-2", 61.22, 2, "Trung bình"],
      ["xa-1", null, null, null],
    ]);
    expect(model.statistics.byTier).toEqual([
      { tier: "Xuất sắc", count: 5 },
      { tier: "Tốt", count: 0 },
      { tier: "Khá", count: 0 },
      { tier: "Trung bình", count: 1 },
      { tier: "Yếu", count: 0 },
    ]);
    expect(model.statistics.notAudited).toBe(1);
    const bDetail = model.details.find((d) => d.unitId === u.B.unitId)!;
    const lct = bDetail.findings.find((x) => x.code === "category.missing" && x.categoryId === "lich-cong-tac")!;
    // Both occurrences are covered by the accepted explanation (grouped: same code/category/url).
    expect(lct).toMatchObject({ occurrences: 2, counted: false });
    expect(bDetail.findings.find((x) => x.code === "technical.no-https")!.appeal).toMatchObject({ status: "rejected" });

    // New rubric version: tin-tuc worth 10, effective 01/10/2026 (would change October if recomputed).
    const draft = await copyRubric(db.knex, { fromVersionId: rubricId, userId: inspector });
    const edited = await updateDraftCriteria(db.knex, draft, {
      upsert: [{ code: "noi-dung.tin-tuc", group: "noi-dung", name: "Tin tức, sự kiện", maxPoints: 10, measure: { kind: "category", category: "tin-tuc", findingCodes: ["category.missing", "category.empty"] } }],
      remove: ["ky-thuat.lang-vi"],
    }, inspector);
    expect(edited.totalPoints).toBe(105.5);
    await publishRubric(db.knex, { versionId: draft, effectiveFrom: "2026-10-01", userId: inspector });

    // Findings change too.
    await db.knex("findings").where({ id: f.B1[2] }).update({ message: "đã sửa" });
    await db.knex("units").where({ id: u.B.unitId }).update({ name: "Sở Y tế (đổi tên)" });

    const res = await recomputeAll(db.knex);
    expect(res.skippedFrozen).toContain("2026-10");
    expect(JSON.stringify(await getFrozenReportModel(db.knex, "2026-10"))).toBe(before);
    expect((await scoresOf("2026-10"))["so-b"].unitName).toBe("Sở Y tế");
    const ex = await explainScore(db.knex, u.B.unitId, "2026-10");
    expect(ex.lost.find((l) => l.criterionCode === "ky-thuat.https")!.findings[0].message).toBe("Lỗi technical.no-https");

    // The open November period uses the new version; September keeps the old one.
    const periods = Object.fromEntries((await db.knex("periods").select("code", "rubric_version_id")).map((p) => [p.code, p.rubric_version_id]));
    expect(periods["2026-11"]).toBe(draft);
    expect(periods["2026-09"]).toBe(rubricId);
    expect(periods["2026-10"]).toBe(rubricId);
    const nov = await scoresOf("2026-11");
    expect(nov["so-a"].maxTotal).toBe(105.5);

    // An appeal accepted after the freeze does not touch the frozen period.
    const headB = (await db.knex("users").where({ username: "head-b" }).first()).id;
    const appeal = await fileAppeal(db.knex, { findingId: f.B1[5], userId: headB, explanation: "Văn bản đăng đúng hạn." });
    const dec = await decideAppeal(db.knex, { appealId: appeal.id, inspectorId: inspector, accept: true, reason: "Đúng." });
    expect(dec.skippedFrozen).toEqual(["2026-10"]);
    expect(JSON.stringify(await getFrozenReportModel(db.knex, "2026-10"))).toBe(before);
    const unitModel = await getFrozenReportModel(db.knex, "2026-10", u.B.unitId);
    expect(unitModel.details).toHaveLength(1);
    await expect(getFrozenReportModel(db.knex, "2026-11")).rejects.toMatchObject({ code: "invalid" });
  });
});

describe("bad input", () => {
  test("a malformed summary scores what it can and never stops the recompute", async () => {
    const k = db.knex;
    await k("unit_groups").insert({ code: "khac", name: "Khác", sort: 9 });
    const e = await addUnit(k, "khac-1", "Đơn vị thử", "don_vi_su_nghiep", "khac");
    await k("site_audits").insert([
      {
        site_id: e.siteId, unit_id: e.unitId, status: "done", reference_time: "2027-01-05T02:00:00Z",
        summary: JSON.stringify({ categories: [1, "x", { id: "tin-tuc" }], technical: { https: "yes", search: 5 }, encoding: "bad", freshness: { postsPerWeek: "many" } }),
      },
      { site_id: e.siteId, unit_id: e.unitId, status: "done", reference_time: "2027-01-06T02:00:00Z", summary: JSON.stringify([1, 2]) },
      { site_id: e.siteId, unit_id: e.unitId, status: "done", reference_time: "2027-01-07T02:00:00Z", summary: JSON.stringify("text") },
    ]);
    const res = await recomputePeriods(k, ["2027-01"]);
    expect(res.recomputed).toEqual(["2027-01"]);
    const s = await getUnitScore(k, e.unitId, "2027-01");
    // Only the object summary counts: everything unreadable scores as missing (0) except
    // "search": 5 (clamped to 1), and the criteria whose unknown value counts as met
    // (img-alt, axe: nullShare 1; no documents/articles: noneShare 1).
    expect(s!.score.auditsCount).toBe(1);
    const pts = Object.fromEntries(s!.criteria.map((c) => [c.code, c.points]));
    expect(pts["ky-thuat.tim-kiem"]).toBe(2);
    expect(pts["ky-thuat.https"]).toBe(0);
    expect(pts["noi-dung.tin-tuc"]).toBe(0);
    expect(pts["cap-nhat.tan-suat"]).toBe(0);
    expect(pts["unicode.trang-dat-chuan"]).toBe(0);
    expect(pts["ky-thuat.img-alt"]).toBe(1.5);
    await k("site_audits").where({ unit_id: e.unitId }).delete();
    await k("period_scores").where({ unit_id: e.unitId }).delete();
    await k("sites").where({ unit_id: e.unitId }).delete();
    await k("units").where({ id: e.unitId }).delete();
  });
});

describe("reading category lists", () => {
  test("a list in another order, with an id twice or an entry without status reads as the general path does", async () => {
    const k = db.knex;
    const e = await addUnit(k, "thu-tu", "Đơn vị thứ tự", "so", "so-nganh");
    const base = metrics({}, { "hoi-dap": "empty" });
    const variants: Record<string, unknown[]> = {
      canonical: base.categories,
      reversed: [...base.categories].reverse(),
      // Listed twice (missing, then present): the better status counts, as in the general path.
      twice: [...base.categories.map((c) => (c.id === "tin-tuc" ? { ...c, status: "missing" } : c)), { id: "tin-tuc", status: "present" }],
      noStatus: base.categories.map((c) => (c.id === "lien-he" ? { id: "lien-he" } : c)),
      lienHeMissing: base.categories.map((c) => (c.id === "lien-he" ? { ...c, status: "missing" } : c)),
      notObject: [...base.categories, 7],
    };
    const ids: Record<string, number> = {};
    let day = 1;
    for (const [name, categories] of Object.entries(variants)) {
      const a = await addAudit(k, e, `2027-03-${String(day++).padStart(2, "0")}T02:00:00Z`, { ...base, categories } as never);
      ids[name] = a.auditId;
    }
    await recomputePeriods(k, ["2027-03"]);
    const rows: { site_audit_id: number; cats: (number | null)[] }[] = await k("scoring_audit_values").whereIn("site_audit_id", Object.values(ids)).select("site_audit_id", "cats");
    const cats = Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, rows.find((r) => Number(r.site_audit_id) === id)!.cats]));
    expect(cats.canonical.filter((c) => c === 2)).toHaveLength(1); // hoi-dap empty
    expect(cats.canonical.filter((c) => c === 3)).toHaveLength(17);
    expect(cats.reversed).toEqual(cats.canonical);
    expect(cats.twice).toEqual(cats.canonical);
    const lienHe = cats.lienHeMissing.indexOf(1);
    expect(lienHe).toBeGreaterThanOrEqual(0);
    expect(cats.noStatus).toEqual(cats.canonical.map((c, i) => (i === lienHe ? null : c)));
    // Any entry that is not an object makes the whole list unreadable (as before).
    expect(cats.notObject.every((c) => c === null)).toBe(true);
    await k("site_audits").where({ unit_id: e.unitId }).delete();
    await k("period_scores").where({ unit_id: e.unitId }).delete();
    await k("sites").where({ unit_id: e.unitId }).delete();
    await k("units").where({ id: e.unitId }).delete();
  });
});

describe("integrity", () => {
  test("no criterion score without its period score; deleting a period score removes its criteria", async () => {
    const k = db.knex;
    const sep = await k("periods").where({ code: "2026-09" }).first("id");
    await expect(
      k("criterion_scores").insert({ period_id: sep.id, unit_id: u.B.unitId, criterion_code: "x.y", group_code: "ky-thuat", points: 1, max_points: 1 }),
    ).resolves.toBeDefined(); // B has a (not audited) period score in September
    await expect(
      k("criterion_scores").insert({ period_id: sep.id + 9999, unit_id: u.B.unitId, criterion_code: "x.y", group_code: "ky-thuat", points: 1, max_points: 1 }),
    ).rejects.toThrow(/without its period score/);
    await k("period_scores").where({ period_id: sep.id, unit_id: u.B.unitId }).delete();
    expect(await k("criterion_scores").where({ period_id: sep.id, unit_id: u.B.unitId })).toHaveLength(0);
    await recomputePeriods(k, ["2026-09"]);
    expect((await scoresOf("2026-09"))["so-b"].status).toBe("not_audited");
  });
});

describe("transactions", () => {
  test("two recomputes inside one caller transaction", async () => {
    await db.knex.transaction(async (trx) => {
      await recomputePeriods(trx, ["2026-09"]);
      const again = await recomputePeriods(trx, ["2026-09"]);
      expect(again.recomputed).toEqual(["2026-09"]);
    });
  });
});

describe("cached audit values", () => {
  test("a changed audit summary is read again; a cached one is not re-read", async () => {
    const k = db.knex;
    await recomputePeriods(k, ["2026-09"]);
    const before = (await scoresOf("2026-09"))["xa-1"].total;
    expect(before).not.toBeNull();
    const audit = await k("site_audits").where({ unit_id: u.X1.unitId, status: "done" }).whereRaw("reference_time < '2026-10-01'").first("id", "summary");
    const cached = await k("scoring_audit_values").where({ site_audit_id: audit.id }).first();
    expect(cached).toBeDefined();
    // The summary is updated (a re-run check, a repair): the cache entry is stale by xmin.
    const changed = { ...audit.summary, technical: { ...audit.summary.technical, https: false, search: false } };
    await k("site_audits").where({ id: audit.id }).update({ summary: JSON.stringify(changed) });
    await recomputePeriods(k, ["2026-09"]);
    const after = (await scoresOf("2026-09"))["xa-1"].total;
    expect(after).toBeLessThan(before as number);
    await k("site_audits").where({ id: audit.id }).update({ summary: JSON.stringify(audit.summary) });
    await recomputePeriods(k, ["2026-09"]);
    expect((await scoresOf("2026-09"))["xa-1"].total).toBe(before);
  });
});
