// Migration 20261122011000: criterion rows written under the old table (one row per criterion,
// frozen evidence in detail) read back identically through the criterion_scores view.
import { afterAll, beforeAll, expect, test } from "vitest";
import { migrationSource, MIGRATIONS } from "../../db/migrations/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ empty: true });
});
afterAll(async () => {
  await db.drop();
});

const config = { migrationSource, tableName: "knex_migrations" };
const BEFORE = "20261122010900_scoring_audit_values.ts";

test("old criterion rows, frozen or not, read back the same through the view", async () => {
  expect(Object.keys(MIGRATIONS)).toContain("20261122011000_criterion_score_sets.ts");
  const k = db.knex;
  for (;;) {
    const [done] = await k.migrate.list(config);
    if (done.some((m: { name: string }) => m.name === BEFORE)) break;
    await k.migrate.up(config);
  }
  await k("unit_groups").insert({ code: "so-nganh", name: "Sở, ban, ngành" });
  const units = await k("units")
    .insert([
      { code: "STC", name: "Sở Tài chính", unit_type: "so", group_code: "so-nganh" },
      { code: "SYT", name: "Sở Y tế", unit_type: "so", group_code: "so-nganh" },
    ])
    .returning("id");
  const [site] = await k("sites").insert({ unit_id: units[0].id, base_url: "https://stc.binhdinh.gov.vn/" }).returning("id");
  const [audit] = await k("site_audits").insert({ site_id: site.id, unit_id: units[0].id, status: "done", summary: {} }).returning("id");
  const findings = await k("findings")
    .insert([1, 2, 3].map((i) => ({
      site_audit_id: audit.id, site_id: site.id, unit_id: units[0].id, check_id: "identity", code: "identity.phone",
      severity: "error", message: `Thiếu số điện thoại ${i}`,
    })))
    .returning("id");
  const [rubric] = await k("rubric_versions").insert({ name: "Bộ tiêu chí", version: 1, status: "draft" }).returning("id");
  const [period] = await k("periods").insert({ kind: "month", code: "2026-10", starts_on: "2026-10-01", ends_on: "2026-10-31" }).returning("id");
  for (const u of units) {
    await k("period_scores").insert({ period_id: period.id, unit_id: u.id, rubric_version_id: rubric.id, group_code: "so-nganh", status: "scored", total: 90 });
  }
  const ids = findings.map((f: { id: number }) => Number(f.id));
  await k("criterion_scores").insert([
    { period_id: period.id, unit_id: units[0].id, criterion_code: "noi-dung.tin-tuc", group_code: "noi-dung", points: 3.5, max_points: 4, detail: { share: 0.875, audits: 4 }, finding_ids: [] },
    {
      period_id: period.id, unit_id: units[0].id, criterion_code: "dinh-danh.dien-thoai", group_code: "dinh-danh", points: 0, max_points: 1,
      detail: { share: 0, audits: 4, acceptedFindingIds: [ids[2]], name: "Số điện thoại", findings: [{ id: ids[0], counted: true, message: "Thiếu số điện thoại 1" }] },
      finding_ids: [ids[1], ids[0]],
    },
    { period_id: period.id, unit_id: units[1].id, criterion_code: "ky-thuat.https", group_code: "ky-thuat", points: 2, max_points: 2, detail: {}, finding_ids: [] },
  ]);
  const read = async () =>
    (await k.raw(`select period_id, unit_id, criterion_code, group_code, points, max_points, detail, finding_ids
                    from criterion_scores order by unit_id, criterion_code`)).rows;
  const before = await read();
  expect(before).toHaveLength(3);

  await k.migrate.latest(config);
  const after = await read();
  // The old table kept finding ids as written; the view lists them in id order.
  expect(after).toEqual(before.map((r: { finding_ids: string[] }) => ({ ...r, finding_ids: [...r.finding_ids].sort((a, b) => Number(a) - Number(b)) })));
  expect((await k("criterion_score_sets").count({ n: "*" }))[0].n).toBe(2);

  // Deleting a period score takes its criteria; a criterion without a period score is refused.
  await k("period_scores").where({ unit_id: units[1].id }).delete();
  expect(await k("criterion_scores").where({ unit_id: units[1].id })).toHaveLength(0);
  await expect(
    k("criterion_scores").insert({ period_id: period.id, unit_id: units[1].id, criterion_code: "x.y", group_code: "ky-thuat", points: 1, max_points: 1 }),
  ).rejects.toThrow(/without its period score/);
  // Updating and deleting through the view.
  await k("criterion_scores").where({ unit_id: units[0].id, criterion_code: "noi-dung.tin-tuc" }).update({ points: 4, finding_ids: [ids[0]] });
  await k("criterion_scores").where({ unit_id: units[0].id, criterion_code: "dinh-danh.dien-thoai" }).delete();
  const left = await k("criterion_scores").where({ unit_id: units[0].id }).select("criterion_code", "points", "finding_ids");
  expect(left.map((r: { criterion_code: string; points: unknown; finding_ids: unknown[] }) => [r.criterion_code, Number(r.points), r.finding_ids.map(Number)])).toEqual([["noi-dung.tin-tuc", 4, [ids[0]]]]);
});
