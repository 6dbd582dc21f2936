// Merges and renames of units (two-level local government, 01/07/2025; decision 0016).
//
// A merge moves the predecessors' websites, audits, findings and appeals to the successor and
// makes the predecessors inactive, in one transaction with its lineage rows and audit-log entry;
// open periods are then rescored (the successor is scored on every audit of its sites, the
// predecessors leave the open rankings). Closed periods are never touched: their rows stay keyed
// by the predecessors with the names frozen at closing, so their reports do not change.
// A rename changes the unit's name and records the old one; the unit keeps its id and history.
import type { Knex } from "knex";
import { requestRescore } from "../scoring/rescore.ts";
import { formatPeriodLabel, formatVietnamDate, vietnamToday } from "../time.ts";
import { rowRankSql } from "./scores.ts";

export type LineageErrorCode = "invalid" | "not_found" | "self" | "inactive" | "cycle" | "site_conflict" | "same_name";

/** A merge or rename that cannot be made; the message is one Vietnamese sentence for users. */
export class LineageError extends Error {
  constructor(
    readonly code: LineageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "LineageError";
  }
}

export interface Actor {
  userId: number | null;
  /** Username for the audit log. */
  actor?: string | null;
  ip?: string | null;
}

export interface MergeInput extends Actor {
  predecessorIds: number[];
  successorId: number;
  /** 'YYYY-MM-DD', not after today (Vietnam). */
  effectiveOn: string;
  note?: string | null;
}

export interface RenameInput extends Actor {
  unitId: number;
  newName: string;
  effectiveOn: string;
  note?: string | null;
}

export interface MergeResult {
  lineageIds: number[];
  sitesMoved: number;
  auditsMoved: number;
  findingsMoved: number;
}

const LOCK = "tuan-thu:unit-lineage";
export const MAX_NOTE_LENGTH = 1000;
const MAX_PREDECESSORS = 100;
const MAX_ID = 2_147_483_647;

function checkDate(day: string, today: string): void {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? "");
  const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : null;
  if (!m || !d || d.toISOString().slice(0, 10) !== day || +m[1] < 1945) {
    throw new LineageError("invalid", "Ngày hiệu lực không hợp lệ (nhập theo dạng dd/mm/yyyy).");
  }
  if (day > today) throw new LineageError("invalid", `Ngày hiệu lực không được sau hôm nay (${formatVietnamDate(today)}).`);
}

function checkNote(note: string | null | undefined): string | null {
  const n = (note ?? "").trim();
  if (n.length > MAX_NOTE_LENGTH) throw new LineageError("invalid", `Ghi chú quá dài (tối đa ${MAX_NOTE_LENGTH} ký tự).`);
  return n || null;
}

function checkId(id: unknown): number {
  if (typeof id !== "number" || !Number.isInteger(id) || id <= 0 || id > MAX_ID) throw new LineageError("not_found", `Mã đơn vị không hợp lệ: ${String(id)}.`);
  return id;
}

interface UnitLock {
  id: number;
  name: string;
  active: boolean;
}

async function lockUnits(trx: Knex.Transaction, ids: number[]): Promise<Map<number, UnitLock>> {
  await trx.raw(`select pg_advisory_xact_lock(hashtext('${LOCK}'))`);
  const rows: UnitLock[] = await trx("units").whereIn("id", ids).orderBy("id").forUpdate().select("id", "name", "active");
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const id of ids) if (!byId.has(id)) throw new LineageError("not_found", `Không tìm thấy đơn vị số ${id}.`);
  return byId;
}

/** The successor a merged unit went into, or null. */
async function mergedInto(knex: Knex | Knex.Transaction, unitId: number): Promise<{ id: number; name: string; effective_on: string } | null> {
  const row = await knex("unit_lineage as l")
    .join("units as u", "u.id", "l.successor_id")
    .where({ "l.predecessor_id": unitId, "l.kind": "merge" })
    .first("u.id", "u.name", knex.raw("to_char(l.effective_on, 'YYYY-MM-DD') as effective_on"));
  return row ?? null;
}

/** Every unit merged (directly or not) into `unitId`. */
export async function ancestorIds(knex: Knex | Knex.Transaction, unitId: number): Promise<number[]> {
  const { rows } = await knex.raw(
    `with recursive a(id) as (
       select predecessor_id from unit_lineage where kind = 'merge' and successor_id = ?
       union
       select l.predecessor_id from unit_lineage l join a on l.successor_id = a.id where l.kind = 'merge')
     select id from a order by id`,
    [unitId],
  );
  return rows.map((r: { id: number }) => r.id);
}

/** The unit a merged unit's data now belongs to (the end of its merge chain); itself when not merged. */
export async function currentUnitId(knex: Knex | Knex.Transaction, unitId: number): Promise<number> {
  const { rows } = await knex.raw(
    `with recursive d(id, depth) as (
       select ?::int, 0
       union
       select l.successor_id, d.depth + 1 from unit_lineage l join d on l.predecessor_id = d.id where l.kind = 'merge' and d.depth < 1000)
     select id from d order by depth desc limit 1`,
    [unitId],
  );
  return rows[0]?.id ?? unitId;
}

/**
 * Merges the predecessors into the successor from `effectiveOn`. Refuses (LineageError, nothing
 * changed) a unit merged into itself, a missing or inactive unit, a merge that would make a
 * cycle, and a website both units have.
 */
export async function mergeUnits(knex: Knex, input: MergeInput): Promise<MergeResult> {
  const successorId = checkId(input.successorId);
  if (!Array.isArray(input.predecessorIds) || input.predecessorIds.length === 0) {
    throw new LineageError("invalid", "Chọn ít nhất một đơn vị được sáp nhập.");
  }
  if (input.predecessorIds.length > MAX_PREDECESSORS) throw new LineageError("invalid", `Mỗi lần sáp nhập tối đa ${MAX_PREDECESSORS} đơn vị.`);
  const predecessorIds = input.predecessorIds.map(checkId);
  if (new Set(predecessorIds).size !== predecessorIds.length) throw new LineageError("invalid", "Một đơn vị được chọn hai lần.");
  if (predecessorIds.includes(successorId)) throw new LineageError("self", "Không thể sáp nhập một đơn vị vào chính nó.");
  checkDate(input.effectiveOn, vietnamToday());
  const note = checkNote(input.note);

  const result = await knex.transaction(async (trx) => {
    const units = await lockUnits(trx, [successorId, ...predecessorIds]);
    const successor = units.get(successorId)!;
    if (!successor.active) {
      const into = await mergedInto(trx, successorId);
      throw new LineageError(
        "inactive",
        into
          ? `Đơn vị tiếp nhận “${successor.name}” đã sáp nhập vào “${into.name}”; chọn đơn vị đang hoạt động.`
          : `Đơn vị tiếp nhận “${successor.name}” đã ngừng theo dõi; theo dõi lại trước khi sáp nhập.`,
      );
    }
    for (const id of predecessorIds) {
      const p = units.get(id)!;
      if (p.active) continue;
      const into = await mergedInto(trx, id);
      throw new LineageError(
        "inactive",
        into
          ? `Đơn vị “${p.name}” đã sáp nhập vào “${into.name}” từ ngày ${formatVietnamDate(into.effective_on)}.`
          : `Đơn vị “${p.name}” đã ngừng theo dõi, không sáp nhập được.`,
      );
    }
    const ancestorsOfSuccessor = new Set(await ancestorIds(trx, successorId));
    for (const id of predecessorIds) {
      if ((await ancestorIds(trx, id)).includes(successorId)) {
        throw new LineageError("cycle", `Không thể sáp nhập “${units.get(id)!.name}” vào “${successor.name}”: “${successor.name}” trước đây đã sáp nhập vào đơn vị này (sẽ tạo vòng).`);
      }
      if (ancestorsOfSuccessor.has(id)) throw new LineageError("cycle", `“${units.get(id)!.name}” đã sáp nhập vào “${successor.name}” trước đây.`);
    }
    const { rows: clashes } = await trx.raw(
      `select p.base_url from sites p join sites s on s.base_url = p.base_url and s.unit_id = ? where p.unit_id = any(?::int[]) order by p.base_url limit 1`,
      [successorId, predecessorIds],
    );
    if (clashes.length) {
      throw new LineageError("site_conflict", `Website ${clashes[0].base_url} đã có ở cả đơn vị tiếp nhận và đơn vị được sáp nhập; ngừng theo dõi hoặc sửa một bên trước.`);
    }

    // The successor keeps its primary site; moved sites become secondary when it has one.
    const hasPrimary = Boolean(await trx("sites").where({ unit_id: successorId, is_primary: true }).first("id"));
    const sitesMoved = await trx("sites")
      .whereIn("unit_id", predecessorIds)
      .update({ unit_id: successorId, ...(hasPrimary ? { is_primary: false } : {}), updated_at: trx.fn.now() });
    const auditsMoved = await trx("site_audits").whereIn("unit_id", predecessorIds).update({ unit_id: successorId });
    const findingsMoved = await trx("findings").whereIn("unit_id", predecessorIds).update({ unit_id: successorId });
    await trx("appeals").whereIn("unit_id", predecessorIds).update({ unit_id: successorId });
    await trx("units").whereIn("id", predecessorIds).update({ active: false, updated_at: trx.fn.now() });
    const rows = await trx("unit_lineage")
      .insert(predecessorIds.map((p) => ({ kind: "merge", predecessor_id: p, successor_id: successorId, effective_on: input.effectiveOn, note, created_by: input.userId })))
      .returning("id");
    const names = predecessorIds.map((id) => `“${units.get(id)!.name}”`).join(", ");
    await trx("audit_log").insert({
      user_id: input.userId,
      actor: input.actor ?? null,
      ip: input.ip ?? null,
      action: "unit.merge",
      entity: "unit",
      entity_id: String(successorId),
      details: JSON.stringify({
        moTa: `Sáp nhập ${names} vào “${successor.name}” từ ngày ${formatVietnamDate(input.effectiveOn)}.`,
        predecessorIds,
        effectiveOn: input.effectiveOn,
        note,
        sitesMoved,
        auditsMoved,
        findingsMoved,
      }),
    });
    await requestRescore(trx, { unitIds: [successorId, ...predecessorIds], reason: `unit.merge:${successorId}` });
    return { lineageIds: rows.map((r: { id: number }) => r.id), sitesMoved, auditsMoved, findingsMoved };
  });
  return result;
}

/** Renames a unit from `effectiveOn`, keeping the old name in its lineage. */
export async function renameUnit(knex: Knex, input: RenameInput): Promise<number> {
  const unitId = checkId(input.unitId);
  const newName = (input.newName ?? "").normalize("NFC").replace(/\s+/g, " ").trim();
  if (newName.length < 2) throw new LineageError("invalid", "Nhập tên mới của đơn vị.");
  if (newName.length > 300) throw new LineageError("invalid", "Tên đơn vị quá dài (tối đa 300 ký tự).");
  checkDate(input.effectiveOn, vietnamToday());
  const note = checkNote(input.note);
  return knex.transaction(async (trx) => {
    const unit = (await lockUnits(trx, [unitId])).get(unitId)!;
    if (!unit.active) {
      const into = await mergedInto(trx, unitId);
      throw new LineageError("inactive", into ? `Đơn vị “${unit.name}” đã sáp nhập vào “${into.name}”, không đổi tên được.` : `Đơn vị “${unit.name}” đã ngừng theo dõi, không đổi tên được.`);
    }
    if (unit.name === newName) throw new LineageError("same_name", "Tên mới trùng với tên hiện tại.");
    const [row] = await trx("unit_lineage")
      .insert({ kind: "rename", predecessor_id: unitId, successor_id: unitId, effective_on: input.effectiveOn, old_name: unit.name, new_name: newName, note, created_by: input.userId })
      .returning("id");
    await trx("units").where({ id: unitId }).update({ name: newName, updated_at: trx.fn.now() });
    await trx("audit_log").insert({
      user_id: input.userId,
      actor: input.actor ?? null,
      ip: input.ip ?? null,
      action: "unit.rename",
      entity: "unit",
      entity_id: String(unitId),
      details: JSON.stringify({
        moTa: `Đổi tên “${unit.name}” thành “${newName}” từ ngày ${formatVietnamDate(input.effectiveOn)}.`,
        oldName: unit.name,
        newName,
        effectiveOn: input.effectiveOn,
        note,
      }),
    });
    // Open periods read the name live; the request reorders nothing but keeps the log complete.
    await requestRescore(trx, { unitIds: [unitId], reason: `unit.rename:${unitId}` });
    return row.id as number;
  });
}

// ---------------------------------------------------------------------------------------
// Reading a unit's lineage (the unit page's "Lịch sử sáp nhập / đổi tên").

export interface LineageEvent {
  id: number;
  kind: "merge" | "rename";
  effectiveOn: string;
  predecessor: { id: number; name: string };
  successor: { id: number; name: string };
  oldName: string | null;
  newName: string | null;
  note: string | null;
  createdBy: string | null;
  createdAt: Date;
}

export interface PredecessorPeriod {
  unitId: number;
  /** The name the period shows: frozen at closing for a closed period, else the unit's name. */
  unitName: string;
  periodCode: string;
  label: string;
  status: "scored" | "not_audited";
  total: number | null;
  tier: string | null;
  rank: number | null;
  frozen: boolean;
}

export interface UnitLineage {
  /** Merges into this unit (directly or through its predecessors) and renames of them, oldest first. */
  events: LineageEvent[];
  /** Units merged into this one, directly or not. */
  predecessors: { id: number; code: string; name: string; mergedOn: string | null }[];
  /** Period scores of the predecessors (closed periods keep their frozen names). */
  predecessorPeriods: PredecessorPeriod[];
  /** When this unit was merged into another: the unit that holds its data now. */
  mergedInto: { id: number; name: string; effectiveOn: string } | null;
  /** The unit whose findings this unit's pages read (itself, or the end of its merge chain). */
  currentUnitId: number;
}

export async function getUnitLineage(knex: Knex, unitId: number): Promise<UnitLineage> {
  const ancestors = await ancestorIds(knex, unitId);
  const involved = [unitId, ...ancestors];
  const eventRows = await knex("unit_lineage as l")
    .join("units as p", "p.id", "l.predecessor_id")
    .join("units as s", "s.id", "l.successor_id")
    .leftJoin("users as us", "us.id", "l.created_by")
    .where((q) => q.whereIn("l.successor_id", involved).orWhereIn("l.predecessor_id", involved))
    .orderBy([{ column: "l.effective_on" }, { column: "l.id" }])
    .select(
      "l.id",
      "l.kind",
      knex.raw("to_char(l.effective_on, 'YYYY-MM-DD') as effective_on"),
      "p.id as p_id",
      "p.name as p_name",
      "s.id as s_id",
      "s.name as s_name",
      "l.old_name",
      "l.new_name",
      "l.note",
      "us.full_name as by_name",
      "us.username as by_username",
      "l.created_at",
    );
  const events: LineageEvent[] = eventRows.map((r: Record<string, any>) => ({
    id: r.id,
    kind: r.kind,
    effectiveOn: r.effective_on,
    predecessor: { id: r.p_id, name: r.p_name },
    successor: { id: r.s_id, name: r.s_name },
    oldName: r.old_name,
    newName: r.new_name,
    note: r.note,
    createdBy: r.by_name || r.by_username || null,
    createdAt: r.created_at,
  }));
  const predecessors = ancestors.length
    ? (
        await knex("units as u")
          .leftJoin("unit_lineage as l", function () {
            this.on("l.predecessor_id", "u.id").andOn("l.kind", knex.raw("'merge'"));
          })
          .whereIn("u.id", ancestors)
          .orderBy([{ column: "u.name" }, { column: "u.id" }])
          .select("u.id", "u.code", "u.name", knex.raw("to_char(l.effective_on, 'YYYY-MM-DD') as merged_on"))
      ).map((r: Record<string, any>) => ({ id: r.id, code: r.code, name: r.name, mergedOn: r.merged_on }))
    : [];
  const predecessorPeriods: PredecessorPeriod[] = ancestors.length
    ? (
        await knex.raw(
          `select ps.unit_id, coalesce(ps.unit_snapshot->>'name', u.name) as unit_name, p.code, ps.status, ps.total, ps.tier,
                  ${rowRankSql("ps")} as rank, ps.frozen
             from period_scores ps join periods p on p.id = ps.period_id join units u on u.id = ps.unit_id
            where ps.unit_id = any(?::int[])
            order by p.starts_on desc, array_position(array['month','quarter','half','year'], p.kind), unit_name, ps.unit_id`,
          [ancestors],
        )
      ).rows.map((r: Record<string, any>) => ({
        unitId: r.unit_id,
        unitName: r.unit_name,
        periodCode: r.code,
        label: formatPeriodLabel(r.code),
        status: r.status,
        total: r.total === null ? null : Number(r.total),
        tier: r.tier,
        rank: r.rank === null ? null : Number(r.rank),
        frozen: r.frozen,
      }))
    : [];
  const into = await mergedInto(knex, unitId);
  return {
    events,
    predecessors,
    predecessorPeriods,
    mergedInto: into ? { id: into.id, name: into.name, effectiveOn: into.effective_on } : null,
    currentUnitId: into ? await currentUnitId(knex, unitId) : unitId,
  };
}

/** A unit head of `userUnitId` may read `unitId` when it is that unit or merged into it. */
export async function isSameOrPredecessor(knex: Knex, userUnitId: number, unitId: number): Promise<boolean> {
  if (userUnitId === unitId) return true;
  return (await ancestorIds(knex, userUnitId)).includes(unitId);
}

/** Units a merge form offers: active units, by name. */
export async function listMergeCandidates(knex: Knex, exceptId: number): Promise<{ id: number; code: string; name: string }[]> {
  return knex("units").where({ active: true }).whereNot({ id: exceptId }).orderBy([{ column: "name" }, { column: "id" }]).select("id", "code", "name");
}
