// Units and their sites, as the inspectors manage them (create, edit, deactivate, import).
import type { Knex } from "knex";
import { requestRescore } from "../scoring/rescore.ts";
import { foldedLikePattern } from "../search.ts";
import { LineageError, mergeUnits, renameUnit, type Actor } from "./unit-lineage.ts";

export const UNIT_TYPES = ["so", "ban", "ubnd_huyen", "ubnd_xa", "don_vi_su_nghiep", "cong_tinh"] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

export interface UnitAdminRow {
  id: number;
  code: string;
  name: string;
  unit_type: string;
  group_code: string;
  head_email: string | null;
  active: boolean;
  sites: number;
  website: string | null;
  /** Name of the unit it was merged into (decision 0016), or null. */
  merged_into: string | null;
}

export interface UnitAdminPage {
  rows: UnitAdminRow[];
  /** Units matching the search (all pages). */
  total: number;
}

/**
 * The units as inspectors manage them: tracked first, then by name; one page at a time with the
 * number of matches (no silent cap). The search is accent- and case-insensitive on the name,
 * short name, code and websites ("phuoc" finds "Phước").
 */
export async function listUnitsAdmin(knex: Knex, q?: string | null, opts: { limit?: number; offset?: number } = {}): Promise<UnitAdminPage> {
  const limit = Math.min(Math.max(1, opts.limit ?? 100), 1000);
  const offset = Math.max(0, opts.offset ?? 0);
  const filter = (query: Knex.QueryBuilder) => {
    if (!q?.trim()) return;
    const p = foldedLikePattern(q);
    query.whereRaw(
      `(tt_fold(u.name) like ? or tt_fold(u.code) like ? or tt_fold(coalesce(u.short_name, '')) like ?
        or exists (select 1 from sites si where si.unit_id = u.id and tt_fold(si.base_url) like ?))`,
      [p, p, p, p],
    );
  };
  const rowsQuery = knex("units as u")
    .select(
      "u.id",
      "u.code",
      "u.name",
      "u.unit_type",
      "u.group_code",
      "u.head_email",
      "u.active",
      knex.raw("(select count(*)::int from sites s where s.unit_id = u.id) as sites"),
      knex.raw("(select s.base_url from sites s where s.unit_id = u.id and s.active order by s.is_primary desc, s.id limit 1) as website"),
      knex.raw("(select su.name from unit_lineage l join units su on su.id = l.successor_id where l.predecessor_id = u.id and l.kind = 'merge') as merged_into"),
    )
    .orderBy([{ column: "u.active", order: "desc" }, { column: "u.name" }, { column: "u.id" }])
    .limit(limit)
    .offset(offset);
  filter(rowsQuery);
  const countQuery = knex("units as u").count({ n: "*" });
  filter(countQuery);
  const [rows, [{ n }]] = await Promise.all([rowsQuery, countQuery]);
  return { rows, total: Number(n) };
}

export interface UnitInput {
  code: string;
  name: string;
  shortName?: string | null;
  unitType: UnitType;
  groupCode: string;
  headEmail?: string | null;
}

function unitRow(u: UnitInput) {
  return {
    code: u.code,
    name: u.name,
    short_name: u.shortName ?? null,
    unit_type: u.unitType,
    group_code: u.groupCode,
    head_email: u.headEmail ?? null,
  };
}

// Each change to a unit writes a score request for it (drained by the caller or the sweeper):
// a new unit appears in the open periods' rankings, an edited one moves group or type.
export async function createUnit(knex: Knex, u: UnitInput): Promise<number> {
  const [row] = await knex("units").insert(unitRow(u)).returning("id");
  await requestRescore(knex, { unitIds: [row.id], reason: `unit.create:${row.id}` });
  return row.id;
}

export async function updateUnit(knex: Knex, id: number, u: UnitInput): Promise<void> {
  await knex("units").where({ id }).update({ ...unitRow(u), updated_at: knex.fn.now() });
  await requestRescore(knex, { unitIds: [id], reason: `unit.update:${id}` });
}

export async function setUnitActive(knex: Knex, id: number, active: boolean): Promise<void> {
  await knex("units").where({ id }).update({ active, updated_at: knex.fn.now() });
  await requestRescore(knex, { unitIds: [id], reason: `unit.${active ? "activate" : "deactivate"}:${id}` });
}

export async function unitCodeTaken(knex: Knex, code: string, exceptId?: number): Promise<boolean> {
  const q = knex("units").where({ code });
  if (exceptId) q.andWhereNot({ id: exceptId });
  return Boolean(await q.first("id"));
}

export async function getUnitRow(knex: Knex, id: number) {
  return knex("units").where({ id }).first();
}

export async function listUnitOptions(knex: Knex): Promise<{ id: number; name: string }[]> {
  return knex("units").where({ active: true }).select("id", "name").orderBy("name");
}

export interface SiteInput {
  baseUrl: string;
  renderMode: "auto" | "never" | "always";
  maxPages?: number | null;
  crawlDelayMs?: number | null;
  isPrimary: boolean;
}

function siteRow(s: SiteInput) {
  return {
    base_url: s.baseUrl,
    render_mode: s.renderMode,
    max_pages: s.maxPages ?? null,
    crawl_delay_ms: s.crawlDelayMs ?? null,
    is_primary: s.isPrimary,
  };
}

export async function listSitesOfUnit(knex: Knex, unitId: number) {
  return knex("sites").where({ unit_id: unitId }).orderBy([{ column: "is_primary", order: "desc" }, { column: "id" }]);
}

export async function createSite(knex: Knex, unitId: number, s: SiteInput): Promise<number> {
  const [row] = await knex("sites").insert({ unit_id: unitId, ...siteRow(s) }).returning("id");
  return row.id;
}

export async function updateSite(knex: Knex, unitId: number, siteId: number, s: SiteInput): Promise<boolean> {
  return (await knex("sites").where({ id: siteId, unit_id: unitId }).update({ ...siteRow(s), updated_at: knex.fn.now() })) > 0;
}

export async function setSiteActive(knex: Knex, unitId: number, siteId: number, active: boolean): Promise<boolean> {
  return (await knex("sites").where({ id: siteId, unit_id: unitId }).update({ active, updated_at: knex.fn.now() })) > 0;
}

export async function siteUrlTaken(knex: Knex, unitId: number, baseUrl: string, exceptId?: number): Promise<boolean> {
  const q = knex("sites").where({ unit_id: unitId, base_url: baseUrl });
  if (exceptId) q.andWhereNot({ id: exceptId });
  return Boolean(await q.first("id"));
}

export interface ImportRow {
  name: string;
  unitType: UnitType;
  groupCode: string;
  website: string;
  headEmail: string | null;
  /** Merge and rename columns of the row ("Sáp nhập từ", "Tên cũ", "Ngày hiệu lực"). */
  lineage?: ImportLineage | null;
}

export interface ImportLineage {
  /** Names of existing active units merged into the row's unit. */
  mergedFrom: string[];
  /** The row's unit was renamed from this (existing, active) unit's name. */
  oldName: string | null;
  /** 'YYYY-MM-DD'. */
  effectiveOn: string;
  /** The spreadsheet row, for messages. */
  row: number;
}

/** An import refused as a whole (nothing imported); the message names the row. */
export class UnitImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnitImportError";
  }
}

/** ASCII code from a Vietnamese name: "Sở Tài chính" → "SO-TAI-CHINH". */
export function unitCodeFromName(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "D")
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
}

/**
 * Import a unit list in one transaction: a unit with the same name is updated (type, group,
 * head's email) and gets the website if it does not have it yet; others are created. A row with
 * "Tên cũ" renames the unit of that name first; a row with "Sáp nhập từ" merges the named units
 * into the row's unit afterwards (db/queries/unit-lineage.ts, with their audit-log entries).
 * All or nothing: any database error or refused merge (UnitImportError) rolls the whole import back.
 */
export async function importUnits(
  knex: Knex,
  rows: ImportRow[],
  actor: Actor = { userId: null },
): Promise<{ created: number; updated: number; sitesAdded: number; merged: number; renamed: number }> {
  return knex.transaction(async (trx) => {
    let created = 0;
    let updated = 0;
    let sitesAdded = 0;
    let merged = 0;
    let renamed = 0;
    const unitIds: number[] = [];
    const lineageError = (row: number, e: unknown): never => {
      if (e instanceof LineageError) throw new UnitImportError(`Dòng ${row}: ${e.message} Chưa nhập dòng nào.`);
      throw e;
    };
    for (const r of rows) {
      const lin = r.lineage ?? null;
      if (lin?.oldName) {
        const old = await trx("units").where({ name: lin.oldName, active: true }).first("id");
        if (!old) throw new UnitImportError(`Dòng ${lin.row}: không có đơn vị đang theo dõi nào tên “${lin.oldName}” (cột Tên cũ). Chưa nhập dòng nào.`);
        const clash = await trx("units").where({ name: r.name }).whereNot({ id: old.id }).first("id");
        if (clash) throw new UnitImportError(`Dòng ${lin.row}: đã có đơn vị tên “${r.name}”, không đổi tên “${lin.oldName}” thành tên này được. Chưa nhập dòng nào.`);
        await renameUnit(trx, { ...actor, unitId: old.id, newName: r.name, effectiveOn: lin.effectiveOn, note: "Nhập từ Excel" }).catch((e) => lineageError(lin.row, e));
        renamed++;
      }
      const existing = await trx("units").where({ name: r.name }).first("id");
      if (existing) {
        const into = await trx("unit_lineage as l").join("units as s", "s.id", "l.successor_id").where({ "l.predecessor_id": existing.id, "l.kind": "merge" }).first("s.name");
        if (into) throw new UnitImportError(`${lin ? `Dòng ${lin.row}: đ` : "Đ"}ơn vị “${r.name}” đã sáp nhập vào “${into.name}”; bỏ dòng này khỏi tệp hoặc dùng tên đơn vị mới. Chưa nhập dòng nào.`);
      }
      let unitId: number;
      if (existing) {
        await trx("units")
          .where({ id: existing.id })
          .update({ unit_type: r.unitType, group_code: r.groupCode, head_email: r.headEmail, active: true, updated_at: trx.fn.now() });
        unitId = existing.id;
        updated++;
      } else {
        const base = unitCodeFromName(r.name) || "DV";
        let code = base;
        for (let i = 2; await trx("units").where({ code }).first("id"); i++) code = `${base}-${i}`;
        const [row] = await trx("units")
          .insert({ code, name: r.name, unit_type: r.unitType, group_code: r.groupCode, head_email: r.headEmail })
          .returning("id");
        unitId = row.id;
        created++;
      }
      const has = await trx("sites").where({ unit_id: unitId, base_url: r.website }).first("id");
      if (!has) {
        const primary = !(await trx("sites").where({ unit_id: unitId, is_primary: true }).first("id"));
        await trx("sites").insert({ unit_id: unitId, base_url: r.website, is_primary: primary });
        sitesAdded++;
      }
      unitIds.push(unitId);
      if (lin?.mergedFrom.length) {
        const found: { id: number; name: string }[] = await trx("units").whereIn("name", lin.mergedFrom).where({ active: true }).select("id", "name");
        const missing = lin.mergedFrom.filter((n) => !found.some((f) => f.name === n));
        if (missing.length) {
          throw new UnitImportError(`Dòng ${lin.row}: không có đơn vị đang theo dõi nào tên ${missing.map((n) => `“${n}”`).join(", ")} (cột Sáp nhập từ). Chưa nhập dòng nào.`);
        }
        const ids = lin.mergedFrom.map((n) => found.find((f) => f.name === n)!.id);
        await mergeUnits(trx, { ...actor, predecessorIds: ids, successorId: unitId, effectiveOn: lin.effectiveOn, note: "Nhập từ Excel" }).catch((e) => lineageError(lin.row, e));
        merged += ids.length;
        unitIds.push(...ids);
      }
    }
    await requestRescore(trx, { unitIds, reason: `unit.import:${unitIds.length}` });
    return { created, updated, sitesAdded, merged, renamed };
  });
}
