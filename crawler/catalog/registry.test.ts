// Rubric names are checked against the registries the checks share (issue 13 §5).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRubricDraft, getRubric } from "../../db/queries/rubric.ts";
import { DEFAULT_CRITERIA, DEFAULT_RUBRIC_VERSIONS } from "../../db/seeds/rubric-default.ts";
import type { CriterionInput } from "../../db/scoring/measure.ts";
import { createTestDatabase, type TestDatabase } from "../../test/helpers/db.ts";
import { farmCases } from "../../test/corpus/farm-snapshot.ts";
import { PLATFORMS, buildCmsSite, cmsSnapshot } from "../../test/farm/cms.ts";
import { runSiteChecks } from "../checks/index.ts";
import { CATEGORY_IDS, FINDING_CODES, METRIC_PATHS, unknownMeasureNames } from "./registry.ts";

const ok: CriterionInput = { code: "kt.https", group: "ky-thuat", name: "HTTPS", maxPoints: 2, measure: { kind: "boolean", metric: "technical.https", findingCodes: ["technical.no-https"] } };

describe("rubric name registries", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("know every name the default rubric uses", () => {
    for (const c of DEFAULT_CRITERIA) expect(unknownMeasureNames(c.measure), c.code).toEqual([]);
    // Every version of the default rubric (TT 22/2023 and 2025 ones included) totals 100 points.
    for (const v of DEFAULT_RUBRIC_VERSIONS) {
      for (const c of v.criteria) expect(unknownMeasureNames(c.measure), `${v.effectiveFrom} ${c.code}`).toEqual([]);
      expect(Math.round(v.criteria.reduce((s, c) => s + c.maxPoints, 0) * 100) / 100, v.effectiveFrom).toBe(100);
    }
    expect(METRIC_PATHS.has("emc.script") && METRIC_PATHS.has("homeLinks.present")).toBe(true);
    expect(FINDING_CODES.has("emc.missing") && FINDING_CODES.has("home-links.missing")).toBe(true);
    expect(METRIC_PATHS.has("technical.https")).toBe(true);
    expect(CATEGORY_IDS.has("tin-tuc")).toBe(true);
  });

  it("hold every finding code the checks emit", () => {
    const codes = new Set<string>();
    // A dozen farm sites cover every kind of finding (legacy encodings, stale, missing, late documents).
    for (const c of farmCases().slice(0, 12)) for (const f of runSiteChecks(c.snapshot).findings) codes.add(f.code);
    for (const p of PLATFORMS) for (const f of runSiteChecks(cmsSnapshot(buildCmsSite(p, 7, "2026-11-20", "http://127.0.0.1:43000"), "2026-11-20")).findings) codes.add(f.code);
    expect(codes.size).toBeGreaterThan(10);
    expect([...codes].filter((c) => !FINDING_CODES.has(c))).toEqual([]);
  }, 180_000);

  it("refuse a rubric naming a metric, category or finding that does not exist, naming it", async () => {
    const draft = (measure: CriterionInput["measure"]) =>
      createRubricDraft(db.knex, { name: "Thử tên", criteria: [ok, { code: "x.y", group: "ky-thuat", name: "X", maxPoints: 1, measure }] });
    await expect(draft({ kind: "boolean", metric: "technical.htps" })).rejects.toThrow(/technical\.htps/);
    await expect(draft({ kind: "category", category: "tin-tucc" })).rejects.toThrow(/"tin-tucc"/);
    await expect(draft({ kind: "ratio", numerator: "attribution.withAuthor", denominator: "attribution.articlesCheckd" })).rejects.toThrow(/attribution\.articlesCheckd/);
    await expect(draft({ kind: "boolean", metric: "technical.https", findingCodes: ["technical.no-htps"] })).rejects.toThrow(/technical\.no-htps/);
    const id = await draft({ kind: "category", category: "tin-tuc", findingCodes: ["category.missing"] });
    expect((await getRubric(db.knex, id)).criteria).toHaveLength(2);
  });
});
