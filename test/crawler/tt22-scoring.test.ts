// An old period scores under the rubric and rule set of its time, a new one under TT 22/2023
// (issue 14 §1): the same site, without EMC and missing one required home-page link, audited in
// 03/2024 (NĐ 42/2022 + TT 32/2017), 06/2024 (TT 22/2023, EMC in transition) and 06/2025 (EMC
// required, 2025 national criteria).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { runSiteChecks } from "../../crawler/checks/index.ts";
import type { FetchedPage, SiteSnapshot } from "../../crawler/types.ts";
import { recomputePeriods } from "../../db/queries/scoring.ts";
import { getUnitScore } from "../../db/queries/scores.ts";
import { getRubric, getRubricVersionIdForDate } from "../../db/queries/rubric.ts";
import { DEFAULT_RUBRIC_VERSIONS, seedDefaultRubric, seedDefaultRubricVersions } from "../../db/seeds/rubric-default.ts";
import { addAudit, addUnit, seedGroups } from "../scoring/fixtures.ts";
import { buildTt22Site, type Tt22Spec } from "../farm/tt22.ts";

const SITE: Tt22Spec = { id: "tt22-cu-moi", name: "Sở Tư pháp", unitType: "so", script: "none", label: "none", missingLinks: ["dich-vu-cong-quoc-gia"] };
const ORIGIN = "http://127.0.0.1:44200";

function audit(day: string) {
  const at = new Date(`${day}T03:00:00Z`);
  const pages: FetchedPage[] = [...buildTt22Site(SITE)].map(([path, r]) => ({
    url: ORIGIN + path,
    finalUrl: ORIGIN + path,
    status: r.status,
    headers: r.headers,
    body: r.body,
    fetchedAt: at,
    kind: path === "/" ? "home" : "category",
  }));
  const snapshot: SiteSnapshot = { baseUrl: `${ORIGIN}/`, pages, referenceTime: at, unitType: SITE.unitType, unitName: SITE.name };
  return { at: at.toISOString(), result: runSiteChecks(snapshot) };
}

let db: TestDatabase;
let ids: number[];
let unit: { unitId: number; siteId: number };

beforeAll(async () => {
  db = await createTestDatabase();
  const k = db.knex;
  await seedGroups(k);
  ids = await seedDefaultRubricVersions(k);
  unit = await addUnit(k, "so-tp", SITE.name, "so", "so-nganh");
  for (const day of ["2024-03-20", "2024-06-10", "2025-06-10"]) {
    const { at, result } = audit(day);
    await addAudit(
      k,
      unit,
      at,
      result.metrics,
      result.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, url: f.url ?? undefined, categoryId: f.categoryId ?? undefined })),
    );
  }
  await recomputePeriods(k, ["2024-03", "2024-06", "2025-06"]);
});

afterAll(async () => {
  await db?.drop();
});

describe("rubric versions by effective date", () => {
  it("seeds three published versions of 100 points each, idempotently, the first being seedDefaultRubric's", async () => {
    expect(ids).toHaveLength(DEFAULT_RUBRIC_VERSIONS.length);
    for (const id of ids) expect((await getRubric(db.knex, id)).totalPoints).toBe(100);
    expect(await seedDefaultRubricVersions(db.knex)).toEqual(ids);
    expect(await seedDefaultRubric(db.knex)).toBe(ids[0]);
    expect(await getRubricVersionIdForDate(db.knex, "2024-04-04")).toBe(ids[0]);
    expect(await getRubricVersionIdForDate(db.knex, "2024-04-05")).toBe(ids[1]);
    expect(await getRubricVersionIdForDate(db.knex, "2026-11-20")).toBe(ids[2]);
  });

  it("scores 03/2024 under the 2022 rubric: no TT 22/2023 criterion, no EMC or link finding", async () => {
    const s = (await getUnitScore(db.knex, unit.unitId, "2024-03"))!;
    expect(s.score.rubricVersionId).toBe(ids[0]);
    const codes = s.criteria.map((c) => c.code);
    expect(codes).not.toContain("ky-thuat.lien-ket-trang-chu");
    expect(codes).not.toContain("ky-thuat.emc-ma-giam-sat");
    expect(s.criteria.find((c) => c.code === "unicode.trang-dat-chuan")?.maxPoints).toBe(15);
  });

  it("scores 06/2024 under TT 22/2023: the missing link costs 1 of 3 points, EMC is not scored yet", async () => {
    const s = (await getUnitScore(db.knex, unit.unitId, "2024-06"))!;
    expect(s.score.rubricVersionId).toBe(ids[1]);
    const links = s.criteria.find((c) => c.code === "ky-thuat.lien-ket-trang-chu")!;
    expect([links.points, links.maxPoints]).toEqual([2, 3]);
    expect(links.findingIds.length).toBe(1);
    expect(s.criteria.map((c) => c.code)).not.toContain("ky-thuat.emc-ma-giam-sat");
  });

  it("scores 06/2025 with EMC required: no code and no label cost 4 points, with the findings linked", async () => {
    const s = (await getUnitScore(db.knex, unit.unitId, "2025-06"))!;
    expect(s.score.rubricVersionId).toBe(ids[2]);
    const emc = s.criteria.find((c) => c.code === "ky-thuat.emc-ma-giam-sat")!;
    const label = s.criteria.find((c) => c.code === "ky-thuat.emc-nhan")!;
    expect([emc.points, emc.maxPoints, label.points, label.maxPoints]).toEqual([0, 3, 0, 1]);
    expect(emc.findingIds.length).toBeGreaterThan(0);
    expect(s.criteria.map((c) => c.code)).toEqual(expect.arrayContaining(["ky-thuat.gov-vn", "ky-thuat.tai-trang-fcp"]));
    expect(s.criteria.map((c) => c.code)).not.toContain("ky-thuat.https");
  });
});
