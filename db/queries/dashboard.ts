// Read models of the dashboard besides scores (those are in ./scores.ts): periods, units,
// audits, findings, evidence. Audits belong to a period by their Vietnam day (db/time.ts).
import type { Knex } from "knex";
import { nextDay, periodRange, vietnamDayStart, type PeriodKind } from "../time.ts";

export interface PeriodItem {
  id: number;
  kind: PeriodKind;
  code: string;
  starts_on: string;
  ends_on: string;
  frozen_at: Date | null;
}

export async function listPeriodsWithScores(knex: Knex): Promise<PeriodItem[]> {
  return knex("periods as p")
    .whereExists(knex("period_scores as s").whereRaw("s.period_id = p.id").select(knex.raw("1")))
    .select("p.id", "p.kind", "p.code", "p.starts_on", "p.ends_on", "p.frozen_at")
    .orderBy([{ column: "p.starts_on", order: "desc" }, { column: "p.kind" }]);
}

export async function getPeriodByCode(knex: Knex, code: string): Promise<PeriodItem | undefined> {
  return knex("periods").where({ code }).first("id", "kind", "code", "starts_on", "ends_on", "frozen_at");
}

export async function listGroups(knex: Knex): Promise<{ code: string; name: string }[]> {
  return knex("unit_groups").select("code", "name").orderBy("sort");
}

export interface UnitInfo {
  id: number;
  code: string;
  name: string;
  short_name: string | null;
  unit_type: string;
  group_code: string;
  group_name: string | null;
  head_email: string | null;
  active: boolean;
}

export async function getUnitInfo(knex: Knex, unitId: number): Promise<UnitInfo | undefined> {
  return knex("units as u")
    .leftJoin("unit_groups as g", "g.code", "u.group_code")
    .where("u.id", unitId)
    .first("u.id", "u.code", "u.name", "u.short_name", "u.unit_type", "u.group_code", "g.name as group_name", "u.head_email", "u.active");
}

export async function getUnitSites(knex: Knex, unitId: number) {
  return knex("sites").where({ unit_id: unitId }).orderBy([{ column: "is_primary", order: "desc" }, { column: "id" }]);
}

export interface FindingRow {
  id: number;
  site_audit_id: number;
  check_id: string;
  code: string;
  category_id: string | null;
  severity: string;
  message: string;
  page_id: number | null;
  url: string | null;
  snippet: string | null;
  details: Record<string, unknown>;
  created_at: Date;
  appeal_status: string | null;
}

const findingColumns = (knex: Knex) => [
  "f.id",
  "f.site_audit_id",
  "f.check_id",
  "f.code",
  "f.category_id",
  "f.severity",
  "f.message",
  "f.page_id",
  "f.url",
  "f.snippet",
  "f.details",
  "f.created_at",
  knex.raw(`(select a.status from appeals a where a.finding_id = f.id order by a.filed_at desc limit 1) as appeal_status`),
];

export async function getFindingsByIds(knex: Knex, unitId: number, ids: number[]): Promise<FindingRow[]> {
  if (ids.length === 0) return [];
  return knex("findings as f").whereIn("f.id", ids).andWhere("f.unit_id", unitId).select(findingColumns(knex));
}

export async function getAuditFindings(knex: Knex, auditIds: number[]): Promise<FindingRow[]> {
  if (auditIds.length === 0) return [];
  return knex("findings as f")
    .whereIn("f.site_audit_id", auditIds)
    .select(findingColumns(knex))
    .orderByRaw("case f.severity when 'error' then 0 when 'warning' then 1 else 2 end, f.check_id, f.id")
    .limit(500);
}

export async function getFinding(knex: Knex, findingId: number) {
  return knex("findings").where({ id: findingId }).first();
}

export interface AuditRow {
  id: number;
  site_id: number;
  base_url: string;
  status: string;
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  pages_planned: number;
  pages_done: number;
  pages_failed: number;
  error: string | null;
  findings_count: number;
}

export async function getUnitAuditHistory(knex: Knex, unitId: number, limit = 20): Promise<AuditRow[]> {
  return knex("site_audits as a")
    .join("sites as s", "s.id", "a.site_id")
    .where("a.unit_id", unitId)
    .select(
      "a.id",
      "a.site_id",
      "s.base_url",
      "a.status",
      "a.queued_at",
      "a.started_at",
      "a.finished_at",
      "a.pages_planned",
      "a.pages_done",
      "a.pages_failed",
      "a.error",
      knex.raw("(select count(*)::int from findings f where f.site_audit_id = a.id) as findings_count"),
    )
    .orderByRaw("coalesce(a.finished_at, a.started_at, a.queued_at) desc")
    .limit(limit);
}

/**
 * The newest finished audit of each of the unit's sites, optionally of a Vietnam day up to
 * `until` ('YYYY-MM-DD', inclusive).
 */
export async function getLatestUnitAudits(
  knex: Knex,
  unitId: number,
  until?: string | null,
): Promise<{ id: number; site_id: number; base_url: string; finished_at: Date; summary: Record<string, any> | null }[]> {
  const { rows } = await knex.raw(
    `select distinct on (a.site_id) a.id, a.site_id, s.base_url, a.finished_at, a.summary
       from site_audits a join sites s on s.id = a.site_id
      where a.unit_id = ? and a.status = 'done' ${until ? "and a.reference_time < ?" : ""}
      order by a.site_id, a.finished_at desc`,
    until ? [unitId, vietnamDayStart(nextDay(until))] : [unitId],
  );
  return rows;
}

export interface AuditAttempt {
  id: number;
  site_id: number;
  base_url: string;
  status: string;
  reference_time: Date;
  finished_at: Date | null;
  error: string | null;
}

/**
 * The last audit that ended (done, failed or cancelled) of each of the unit's active sites,
 * optionally of a Vietnam day up to `until`: tells a failed audit from a clean one.
 */
export async function getLastAuditAttempts(knex: Knex, unitId: number, until?: string | null): Promise<AuditAttempt[]> {
  const { rows } = await knex.raw(
    `select distinct on (a.site_id) a.id, a.site_id, s.base_url, a.status, a.reference_time, a.finished_at, a.error
       from site_audits a join sites s on s.id = a.site_id
      where a.unit_id = ? and s.active and a.status in ('done', 'failed', 'cancelled') ${until ? "and a.reference_time < ?" : ""}
      order by a.site_id, a.reference_time desc, a.id desc`,
    until ? [unitId, vietnamDayStart(nextDay(until))] : [unitId],
  );
  return rows;
}

/** Summaries of finished audits of the Vietnam days from…to (inclusive), for the freshness chart. */
export async function getUnitAuditSummaries(knex: Knex, unitId: number, from: string, to: string) {
  const range = periodRange({ startsOn: from, endsOn: to });
  return knex("site_audits")
    .where({ unit_id: unitId, status: "done" })
    .andWhere("reference_time", ">=", range.from)
    .andWhere("reference_time", "<", range.until)
    .select("id", "finished_at", "reference_time", "summary")
    .orderBy("reference_time");
}

export interface EvidencePage {
  id: number;
  unit_id: number;
  unit_name: string;
  site_audit_id: number;
  url: string;
  final_url: string | null;
  status: number | null;
  kind: string | null;
  fetched_at: Date;
  content_type: string | null;
  charset_declared: string | null;
  content_hash: string | null;
  size_bytes: number | null;
  rendered: boolean;
  title: string | null;
  error: string | null;
}

export async function getEvidencePage(knex: Knex, pageId: number): Promise<EvidencePage | undefined> {
  return knex("pages as p")
    .join("site_audits as a", "a.id", "p.site_audit_id")
    .join("units as u", "u.id", "a.unit_id")
    .where("p.id", pageId)
    .first(
      "p.id",
      "a.unit_id",
      "u.name as unit_name",
      "p.site_audit_id",
      "p.url",
      "p.final_url",
      "p.status",
      "p.kind",
      "p.fetched_at",
      "p.content_type",
      "p.charset_declared",
      "p.content_hash",
      "p.size_bytes",
      "p.rendered",
      "p.title",
      "p.error",
    );
}

export async function getPageFindings(knex: Knex, pageId: number): Promise<FindingRow[]> {
  return knex("findings as f").where("f.page_id", pageId).select(findingColumns(knex)).orderBy("f.id");
}

export async function getSnapshot(knex: Knex, hash: string): Promise<{ body: Buffer; compression: string } | undefined> {
  return knex("snapshots").where({ hash }).first("body", "compression");
}
