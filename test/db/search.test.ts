// Accent- and case-insensitive search (issue 15 §4): "phuoc" finds "Phước" on the unit list and
// the ranking, the list pages through every match instead of stopping at a cap.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { foldText, foldedLikePattern } from "../../db/search.ts";
import { listUnitsAdmin } from "../../db/queries/units.ts";
import { getRanking, getRankingPage, getScorePeriod, parseRankingSort } from "../../db/queries/scores.ts";
import { seedDefaultRubric } from "../../db/seeds/rubric-default.ts";
import { recomputeAll } from "../../db/scoring/compute.ts";
import { addAudit, addUnit, metrics, seedGroups } from "../scoring/fixtures.ts";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  const k = db.knex;
  await seedGroups(k);
  await seedDefaultRubric(k);
  const a = await addUnit(k, "stc-bp", "Sở Tài chính tỉnh Bình Phước", "so", "so-nganh");
  const b = await addUnit(k, "xa-dt", "UBND xã Đồng Tiến", "ubnd_xa", "xa");
  await addUnit(k, "xa-ph", "UBND xã Phù Hóa", "ubnd_xa", "xa");
  // 250 more units: the list pages through them all.
  await k("units").insert(Array.from({ length: 250 }, (_, i) => ({ code: `dv-${i}`, name: `Đơn vị số ${i}`, unit_type: "so", group_code: "so-nganh" })));
  await addAudit(k, a, "2026-10-05T02:00:00Z", metrics());
  await addAudit(k, b, "2026-10-05T02:00:00Z", metrics());
  await recomputeAll(k);
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

describe("search folds accents and case", () => {
  test("the query is folded as the database folds names", async () => {
    expect(foldText("Phước ĐỒNG Tiến")).toBe("phuoc dong tien");
    // Decomposed input (NFD, as some keyboards send it) folds the same way.
    expect(foldText("Phước".normalize("NFD"))).toBe("phuoc");
    expect(foldedLikePattern(" 50%_x ")).toBe("%50\\%\\_x%");
    const { rows } = await db.knex.raw(`select tt_fold(?) as a, tt_fold(?) as b`, ["Sở Tài chính tỉnh Bình Phước", "UBND XÃ ĐỒNG TIẾN"]);
    expect(rows[0]).toEqual({ a: "so tai chinh tinh binh phuoc", b: "ubnd xa dong tien" });
  });

  test("the unit list: 'phuoc', 'DONG TIEN' and 'hoa' find the units whatever their accents", async () => {
    const names = async (q: string) => (await listUnitsAdmin(db.knex, q)).rows.map((r) => r.name);
    expect(await names("phuoc")).toEqual(["Sở Tài chính tỉnh Bình Phước"]);
    expect(await names("DONG TIEN")).toEqual(["UBND xã Đồng Tiến"]);
    expect(await names("hoa")).toEqual(["UBND xã Phù Hóa"]);
    expect(await names("Phước")).toEqual(["Sở Tài chính tỉnh Bình Phước"]);
    expect(await names("binhdinh.gov.vn/")).toHaveLength(3);
    expect(await names("100%")).toEqual([]);
  });

  test("the unit list pages through every unit and says how many there are", async () => {
    const first = await listUnitsAdmin(db.knex, null, { limit: 100 });
    expect(first.total).toBe(253);
    expect(first.rows).toHaveLength(100);
    const last = await listUnitsAdmin(db.knex, null, { limit: 100, offset: 200 });
    expect(last.rows).toHaveLength(53);
    const seen = new Set([...first.rows, ...(await listUnitsAdmin(db.knex, null, { limit: 100, offset: 100 })).rows, ...last.rows].map((r) => r.id));
    expect(seen.size).toBe(253);
  });

  test("the ranking's search: 'phuoc' finds the unit, its rank is its rank in the whole group", async () => {
    const rows = await getRanking(db.knex, "2026-10", { search: "phuoc" });
    expect(rows.map((r) => r.unitName)).toEqual(["Sở Tài chính tỉnh Bình Phước"]);
    expect(rows[0].rank).toBe(1);
    expect((await getRanking(db.knex, "2026-10", { search: "dong tien" })).map((r) => r.unitName)).toEqual(["UBND xã Đồng Tiến"]);
  });

  test("a sorted ranking: by name, by total, by a criterion group; ranks stay the group's ranks", async () => {
    const k = db.knex;
    const period = (await getScorePeriod(k, "2026-10"))!;
    const rows = async (key: string | null, dir: string | null) =>
      (await getRankingPage(k, period.id, { group: "xa", limit: 10, sort: parseRankingSort(key, dir) }))[0].rows.map((r) => [r.unitName, r.rank]);
    // Default: rank (the audited unit first, the unit not audited after it).
    expect(await rows(null, null)).toEqual([["UBND xã Đồng Tiến", 1], ["UBND xã Phù Hóa", null]]);
    expect(await rows("ten", "giam")).toEqual([["UBND xã Phù Hóa", null], ["UBND xã Đồng Tiến", 1]]);
    expect(await rows("tong", "tang")).toEqual([["UBND xã Đồng Tiến", 1], ["UBND xã Phù Hóa", null]]);
    expect(await rows("noi-dung", "giam")).toEqual([["UBND xã Đồng Tiến", 1], ["UBND xã Phù Hóa", null]]);
    // An unknown column is the default order, never SQL.
    expect(parseRankingSort("total; drop table units", "giam")).toBeNull();
    const big = (await getRankingPage(k, period.id, { group: "so-nganh", limit: 3, sort: parseRankingSort("ten", "tang") }))[0].rows.map((r) => r.unitName);
    expect(big).toEqual([...big].sort((a, b) => a.localeCompare(b, "vi")));
  });
});
