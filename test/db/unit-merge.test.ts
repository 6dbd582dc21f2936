// Merges and renames (two-level local government, decision 0016): a merge of two communes keeps
// both histories under the new unit, a closed earlier period's Excel report stays byte-identical
// (the .xlsx carries no generation time: its dates are the freeze time, so the bytes are
// compared), a rename keeps the history, and bad input is a Vietnamese error that changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { seedDefaultRubric } from "../../db/seeds/rubric-default.ts";
import { recomputePeriods } from "../../db/scoring/compute.ts";
import { freezePeriod } from "../../db/scoring/freeze.ts";
import { drainRescoreRequests, requestRescore } from "../../db/scoring/rescore.ts";
import { getRanking, getUnitHistory } from "../../db/queries/scores.ts";
import { generateReport } from "../../reports/generate.ts";
import { getUnitLineage, isSameOrPredecessor, LineageError, mergeUnits, renameUnit } from "../../db/queries/unit-lineage.ts";
import { addAudit, addUnit, addUser, metrics } from "../scoring/fixtures.ts";
import { importUnits, type ImportRow } from "../../db/queries/units.ts";
import { validateLineageCells } from "../../app/lib/unit-import-lineage.server.ts";

let db: TestDatabase;
let inspector: number;
let a: { unitId: number; siteId: number }; // UBND xã Phước Lộc
let b: { unitId: number; siteId: number }; // UBND xã Phước Hưng
let c: { unitId: number; siteId: number }; // UBND xã Cát Tiến (renamed later)
let n: { unitId: number; siteId: number }; // UBND xã Tuy Phước Đông (the new commune)
const findingsOf: Record<string, number[]> = {};

async function report(knex: Knex, periodCode: string, unitId?: number): Promise<Buffer> {
  return (await generateReport(knex, { periodCode, unitId, archive: false })).buffer;
}

/** Everything a refused merge or rename must leave as it was. */
async function state(knex: Knex) {
  const q = (t: string, order: string) => knex(t).orderBy(order).select("*");
  return {
    units: await q("units", "id"),
    sites: await q("sites", "id"),
    audits: await knex("site_audits").orderBy("id").select("id", "unit_id", "site_id"),
    findings: await knex("findings").orderBy("id").select("id", "unit_id"),
    lineage: await q("unit_lineage", "id"),
    log: await knex("audit_log").count({ n: "*" }),
    requests: await knex("score_requests").count({ n: "*" }),
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  const k = db.knex;
  await k("unit_groups").insert([
    { code: "so-nganh", name: "Sở, ban, ngành", sort: 1 },
    { code: "xa", name: "UBND xã, phường, đặc khu", sort: 2 },
  ]);
  await seedDefaultRubric(k);
  inspector = await addUser(k, "thanhtra", "inspector");
  a = await addUnit(k, "xa-phuoc-loc", "UBND xã Phước Lộc", "ubnd_xa", "xa");
  b = await addUnit(k, "xa-phuoc-hung", "UBND xã Phước Hưng", "ubnd_xa", "xa");
  c = await addUnit(k, "xa-cat-tien", "UBND xã Cát Tiến", "ubnd_xa", "xa");
  // June: the three communes audited; the month is closed.
  findingsOf.a = (await addAudit(k, a, "2026-06-10T02:00:00Z", metrics({ technical: { https: false } }), [{ code: "technical.no-https" }])).findingIds;
  findingsOf.b = (await addAudit(k, b, "2026-06-11T02:00:00Z", metrics({ encoding: { pagesCompliant: 2 } }), [{ code: "encoding.legacy-text", message: "Văn bản TCVN3" }])).findingIds;
  await addAudit(k, c, "2026-06-12T02:00:00Z", metrics());
  await recomputePeriods(k, ["2026-06"]);
  await freezePeriod(k, "2026-06", inspector, new Date("2026-07-03T03:00:00Z"));
  // July (open): audited again.
  await addAudit(k, a, "2026-07-10T02:00:00Z", metrics({ technical: { https: false } }), [{ code: "technical.no-https" }]);
  await addAudit(k, b, "2026-07-11T02:00:00Z", metrics());
  await addAudit(k, c, "2026-07-12T02:00:00Z", metrics({ technical: { sitemapXml: false } }));
  await recomputePeriods(k, ["2026-07"]);
  // The new commune, created for the merge, with its own site.
  n = await addUnit(k, "xa-tuy-phuoc-dong", "UBND xã Tuy Phước Đông", "ubnd_xa", "xa");
  // Every open period holding data scored, as the sweeper would leave them.
  await requestRescore(k, { reason: "test" });
  await drainRescoreRequests(k);
});
afterAll(async () => {
  await db?.drop();
});

describe("merging two communes", () => {
  let before: { province: Buffer; unitA: Buffer; unitB: Buffer };

  it("keeps both histories under the new unit, and the closed period's report byte-identical", async () => {
    const k = db.knex;
    before = { province: await report(k, "2026-06"), unitA: await report(k, "2026-06", a.unitId), unitB: await report(k, "2026-06", b.unitId) };
    // Same model, same bytes: the comparison below is meaningful.
    expect((await report(k, "2026-06")).equals(before.province)).toBe(true);
    const julyBefore = await getRanking(k, "2026-07");
    expect(julyBefore.map((r) => r.unitId).sort()).toEqual([a.unitId, b.unitId, c.unitId, n.unitId].sort());

    const res = await mergeUnits(k, { predecessorIds: [a.unitId, b.unitId], successorId: n.unitId, effectiveOn: "2026-07-01", note: "Nghị quyết sắp xếp đơn vị hành chính cấp xã", userId: inspector, actor: "thanhtra" });
    expect(res.lineageIds).toHaveLength(2);
    expect(res.sitesMoved).toBe(2);
    expect(res.auditsMoved).toBe(4);
    await drainRescoreRequests(k);

    // Closed June: the same bytes, province and predecessor reports alike.
    expect((await report(k, "2026-06")).equals(before.province)).toBe(true);
    expect((await report(k, "2026-06", a.unitId)).equals(before.unitA)).toBe(true);
    expect((await report(k, "2026-06", b.unitId)).equals(before.unitB)).toBe(true);

    // Predecessors inactive; their sites, audits and findings now belong to the new commune.
    const units = await k("units").whereIn("id", [a.unitId, b.unitId]).select("active");
    expect(units.every((u) => u.active === false)).toBe(true);
    expect((await k("sites").where({ unit_id: n.unitId })).map((s) => s.id).sort()).toEqual([a.siteId, b.siteId, n.siteId].sort());
    const moved = await k("findings").whereIn("id", [...findingsOf.a, ...findingsOf.b]).select("unit_id");
    expect(moved.every((f) => f.unit_id === n.unitId)).toBe(true);

    // Open July: the new commune is scored on both communes' audits, listed once; the
    // predecessors are no longer listed.
    const july = await getRanking(k, "2026-07");
    expect(july.map((r) => r.unitId).sort()).toEqual([c.unitId, n.unitId].sort());
    const row = july.find((r) => r.unitId === n.unitId)!;
    expect(row.status).toBe("scored");
    expect(row.auditsCount).toBe(2);

    // The unit page's lineage: both predecessors, their closed June scores under their names.
    const lineage = await getUnitLineage(k, n.unitId);
    expect(lineage.predecessors.map((p) => p.name).sort()).toEqual(["UBND xã Phước Hưng", "UBND xã Phước Lộc"]);
    expect(lineage.events.map((e) => [e.kind, e.predecessor.name, e.successor.name, e.effectiveOn])).toEqual([
      ["merge", "UBND xã Phước Lộc", "UBND xã Tuy Phước Đông", "2026-07-01"],
      ["merge", "UBND xã Phước Hưng", "UBND xã Tuy Phước Đông", "2026-07-01"],
    ]);
    const june = lineage.predecessorPeriods.filter((p) => p.periodCode === "2026-06");
    expect(june.map((p) => [p.unitName, p.frozen]).sort()).toEqual([
      ["UBND xã Phước Hưng", true],
      ["UBND xã Phước Lộc", true],
    ]);
    const frozenJune = await k("period_scores as ps").join("periods as p", "p.id", "ps.period_id").where("p.code", "2026-06").whereIn("ps.unit_id", [a.unitId, b.unitId]).select("ps.unit_id", "ps.total");
    for (const f of frozenJune) expect(june.find((p) => p.unitId === f.unit_id)!.total).toBe(Number(f.total));
    // No open-period rows remain for the predecessors.
    expect(lineage.predecessorPeriods.filter((p) => !p.frozen)).toEqual([]);

    // A predecessor's page points to its successor; the new unit's head may read it.
    const ofA = await getUnitLineage(k, a.unitId);
    expect(ofA.mergedInto).toMatchObject({ id: n.unitId, name: "UBND xã Tuy Phước Đông", effectiveOn: "2026-07-01" });
    expect(ofA.currentUnitId).toBe(n.unitId);
    expect(await isSameOrPredecessor(k, n.unitId, a.unitId)).toBe(true);
    expect(await isSameOrPredecessor(k, a.unitId, n.unitId)).toBe(false);
    expect(await isSameOrPredecessor(k, c.unitId, a.unitId)).toBe(false);

    // One Vietnamese audit-log entry.
    const log = await k("audit_log").where({ action: "unit.merge" }).select("details", "user_id");
    expect(log).toHaveLength(1);
    expect(log[0].user_id).toBe(inspector);
    expect(log[0].details.moTa).toBe("Sáp nhập “UBND xã Phước Lộc”, “UBND xã Phước Hưng” vào “UBND xã Tuy Phước Đông” từ ngày 01/07/2026.");
  });

  it("a rename keeps the unit's history; the closed period keeps its old name", async () => {
    const k = db.knex;
    const cBefore = await report(k, "2026-06", c.unitId);
    const historyBefore = await getUnitHistory(k, c.unitId);
    await renameUnit(k, { unitId: c.unitId, newName: "UBND phường Cát Tiến", effectiveOn: "2026-07-01", note: "Thành lập phường", userId: inspector });
    await drainRescoreRequests(k);
    expect((await report(k, "2026-06", c.unitId)).equals(cBefore)).toBe(true);
    expect((await report(k, "2026-06")).equals(before.province)).toBe(true);
    expect(await getUnitHistory(k, c.unitId)).toEqual(historyBefore);
    expect((await getRanking(k, "2026-07")).find((r) => r.unitId === c.unitId)!.unitName).toBe("UBND phường Cát Tiến");
    expect((await getRanking(k, "2026-06")).find((r) => r.unitId === c.unitId)!.unitName).toBe("UBND xã Cát Tiến");
    const lineage = await getUnitLineage(k, c.unitId);
    expect(lineage.events.map((e) => [e.kind, e.oldName, e.newName, e.note])).toEqual([["rename", "UBND xã Cát Tiến", "UBND phường Cát Tiến", "Thành lập phường"]]);
    const [log] = await k("audit_log").where({ action: "unit.rename" }).select("details");
    expect(log.details.moTa).toBe("Đổi tên “UBND xã Cát Tiến” thành “UBND phường Cát Tiến” từ ngày 01/07/2026.");
  });
});

describe("bad merges and renames change nothing", () => {
  const refused = async (run: () => Promise<unknown>, message: RegExp) => {
    const k = db.knex;
    const s0 = await state(k);
    const err = await run().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LineageError);
    expect((err as Error).message).toMatch(message);
    expect(await state(k)).toEqual(s0);
  };

  it("a unit merged into itself", async () => {
    await refused(() => mergeUnits(db.knex, { predecessorIds: [c.unitId], successorId: c.unitId, effectiveOn: "2026-07-01", userId: inspector }), /^Không thể sáp nhập một đơn vị vào chính nó\.$/);
  });

  it("an inactive (already merged) unit, on either side", async () => {
    await refused(
      () => mergeUnits(db.knex, { predecessorIds: [a.unitId], successorId: c.unitId, effectiveOn: "2026-07-01", userId: inspector }),
      /^Đơn vị “UBND xã Phước Lộc” đã sáp nhập vào “UBND xã Tuy Phước Đông” từ ngày 01\/07\/2026\.$/,
    );
    await refused(
      () => mergeUnits(db.knex, { predecessorIds: [c.unitId], successorId: b.unitId, effectiveOn: "2026-07-01", userId: inspector }),
      /^Đơn vị tiếp nhận “UBND xã Phước Hưng” đã sáp nhập vào “UBND xã Tuy Phước Đông”; chọn đơn vị đang hoạt động\.$/,
    );
    await refused(() => renameUnit(db.knex, { unitId: a.unitId, newName: "UBND xã Mới", effectiveOn: "2026-07-01", userId: inspector }), /đã sáp nhập vào “UBND xã Tuy Phước Đông”, không đổi tên được/);
  });

  it("a cycle (a merged unit made active again, then its successor merged into it)", async () => {
    const k = db.knex;
    await k("units").where({ id: a.unitId }).update({ active: true });
    try {
      await refused(
        () => mergeUnits(k, { predecessorIds: [n.unitId], successorId: a.unitId, effectiveOn: "2026-08-01", userId: inspector }),
        /^Không thể sáp nhập “UBND xã Tuy Phước Đông” vào “UBND xã Phước Lộc”: .*sẽ tạo vòng/,
      );
    } finally {
      await k("units").where({ id: a.unitId }).update({ active: false });
    }
  });

  it("unknown units, no predecessor, a bad or future date, a long note, an unchanged name", async () => {
    const m = (over: Partial<Parameters<typeof mergeUnits>[1]>) => () =>
      mergeUnits(db.knex, { predecessorIds: [c.unitId], successorId: n.unitId, effectiveOn: "2026-07-01", userId: inspector, ...over });
    await refused(m({ predecessorIds: [999_999] }), /^Không tìm thấy đơn vị số 999999\.$/);
    await refused(m({ predecessorIds: [] }), /^Chọn ít nhất một đơn vị được sáp nhập\.$/);
    await refused(m({ predecessorIds: [c.unitId, c.unitId] }), /hai lần/);
    await refused(m({ effectiveOn: "2026-02-30" }), /^Ngày hiệu lực không hợp lệ/);
    await refused(m({ effectiveOn: "2999-01-01" }), /^Ngày hiệu lực không được sau hôm nay/);
    await refused(m({ note: "x".repeat(1001) }), /^Ghi chú quá dài/);
    await refused(() => renameUnit(db.knex, { unitId: c.unitId, newName: "UBND phường Cát Tiến", effectiveOn: "2026-07-01", userId: inspector }), /^Tên mới trùng với tên hiện tại\.$/);
  });

  it("a website both units have", async () => {
    const k = db.knex;
    const url = (await k("sites").where({ id: c.siteId }).first("base_url")).base_url;
    const [{ id }] = await k("units").insert({ code: "xa-trung", name: "UBND xã Trùng", unit_type: "ubnd_xa", group_code: "xa" }).returning("id");
    await k("sites").insert({ unit_id: id, base_url: url });
    await refused(() => mergeUnits(k, { predecessorIds: [id], successorId: c.unitId, effectiveOn: "2026-07-01", userId: inspector }), /đã có ở cả đơn vị tiếp nhận và đơn vị được sáp nhập/);
  });
});

describe("merges and renames in the Excel import", () => {
  it("checks the row's merge and rename cells", () => {
    const claimed = new Map<string, number>();
    const msgs: string[] = [];
    const ok = validateLineageCells({ mergedFrom: "UBND xã Hòa Bình; UBND xã Hòa Lạc", oldName: "", effectiveOn: "01/07/2025" }, "UBND xã Hòa Tiến", 3, claimed, msgs);
    expect(msgs).toEqual([]);
    expect(ok).toEqual({ mergedFrom: ["UBND xã Hòa Bình", "UBND xã Hòa Lạc"], oldName: null, effectiveOn: "2025-07-01", row: 3 });
    const bad: string[] = [];
    expect(validateLineageCells({ mergedFrom: "UBND xã Hòa Tiến; UBND xã Hòa Lạc", oldName: "", effectiveOn: "31/02/2025" }, "UBND xã Hòa Tiến", 4, claimed, bad)).toBeNull();
    expect(bad).toEqual([
      "không thể sáp nhập một đơn vị vào chính nó",
      "“UBND xã Hòa Lạc” đã được sáp nhập ở dòng 3",
      "ngày hiệu lực “31/02/2025” không hợp lệ (dd/mm/yyyy)",
    ]);
    const missingDate: string[] = [];
    validateLineageCells({ mergedFrom: "", oldName: "UBND xã Cũ", effectiveOn: "" }, "UBND phường Mới", 5, claimed, missingDate);
    expect(missingDate).toEqual(["thiếu ngày hiệu lực của việc sáp nhập hoặc đổi tên"]);
  });

  it("merges and renames in one transaction; a refused row imports nothing", async () => {
    const k = db.knex;
    const [{ id: hb }] = await k("units").insert({ code: "xa-hoa-binh", name: "UBND xã Hòa Bình", unit_type: "ubnd_xa", group_code: "xa" }).returning("id");
    const [{ id: hl }] = await k("units").insert({ code: "xa-hoa-lac", name: "UBND xã Hòa Lạc", unit_type: "ubnd_xa", group_code: "xa" }).returning("id");
    const row = (name: string, website: string, lineage: ImportRow["lineage"]): ImportRow => ({ name, unitType: "ubnd_xa", groupCode: "xa", website, headEmail: null, lineage });
    // A merge naming a unit that does not exist: refused, nothing imported.
    const s0 = await state(k);
    await expect(
      importUnits(k, [
        row("UBND xã Hòa Tiến", "https://hoatien.example.gov.vn/", { mergedFrom: ["UBND xã Hòa Bình", "UBND xã Không Có"], oldName: null, effectiveOn: "2025-07-01", row: 2 }),
      ]),
    ).rejects.toThrow(/^Dòng 2: không có đơn vị đang theo dõi nào tên “UBND xã Không Có” \(cột Sáp nhập từ\)\. Chưa nhập dòng nào\.$/);
    expect(await state(k)).toEqual(s0);
    // Merging an already merged unit: the lineage error, with the row.
    await expect(
      importUnits(k, [row("UBND xã Hòa Tiến", "https://hoatien.example.gov.vn/", { mergedFrom: ["UBND xã Phước Lộc"], oldName: null, effectiveOn: "2025-07-01", row: 7 })]),
    ).rejects.toThrow(/^Dòng 7: không có đơn vị đang theo dõi nào tên “UBND xã Phước Lộc”/);
    expect(await state(k)).toEqual(s0);
    // The good file: a new commune from two, and a rename.
    const res = await importUnits(
      k,
      [
        row("UBND xã Hòa Tiến", "https://hoatien.example.gov.vn/", { mergedFrom: ["UBND xã Hòa Bình", "UBND xã Hòa Lạc"], oldName: null, effectiveOn: "2025-07-01", row: 2 }),
        row("UBND phường Tuy Phước", "https://tuyphuoc.example.gov.vn/", { mergedFrom: [], oldName: "UBND xã Tuy Phước Đông", effectiveOn: "2025-07-01", row: 3 }),
      ],
      { userId: inspector, actor: "thanhtra" },
    );
    expect(res).toMatchObject({ created: 1, updated: 1, merged: 2, renamed: 1 });
    const tien = await k("units").where({ name: "UBND xã Hòa Tiến" }).first("id");
    expect((await getUnitLineage(k, tien.id)).predecessors.map((p) => p.id).sort()).toEqual([hb, hl].sort());
    expect((await k("units").whereIn("id", [hb, hl]).pluck("active")).every((x) => x === false)).toBe(true);
    const renamed = await k("units").where({ id: n.unitId }).first("name");
    expect(renamed.name).toBe("UBND phường Tuy Phước");
    expect((await getUnitLineage(k, n.unitId)).predecessors.length).toBe(2); // the earlier merge is still there
    // Importing the old name of a merged unit again is refused (it would bring it back).
    await expect(importUnits(k, [row("UBND xã Hòa Bình", "https://hoabinh.example.gov.vn/", null)])).rejects.toThrow(
      /^Đơn vị “UBND xã Hòa Bình” đã sáp nhập vào “UBND xã Hòa Tiến”/,
    );
  });
});
