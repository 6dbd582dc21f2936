// Audit progress and history for the audits page, and the settings the dashboard edits.
import type { Knex } from "knex";

export interface ActiveAudit {
  id: number;
  status: "queued" | "running";
  unit_id: number;
  unit_name: string;
  base_url: string;
  queued_at: Date;
  started_at: Date | null;
  heartbeat_at: Date | null;
  pages_planned: number;
  pages_done: number;
  pages_failed: number;
  attempts: number;
  worker: string | null;
}

export async function listActiveAudits(knex: Knex, unitId?: number | null, limit = 200): Promise<ActiveAudit[]> {
  const q = knex("site_audits as a")
    .join("sites as s", "s.id", "a.site_id")
    .join("units as u", "u.id", "a.unit_id")
    .whereIn("a.status", ["queued", "running"])
    .select(
      "a.id",
      "a.status",
      "a.unit_id",
      "u.name as unit_name",
      "s.base_url",
      "a.queued_at",
      "a.started_at",
      "a.heartbeat_at",
      "a.pages_planned",
      "a.pages_done",
      "a.pages_failed",
      "a.attempts",
      "a.worker",
    )
    .orderByRaw("case a.status when 'running' then 0 else 1 end, a.queued_at, a.id")
    .limit(limit);
  if (unitId) q.andWhere("a.unit_id", unitId);
  return q;
}

export async function countActiveAudits(knex: Knex, unitId?: number | null): Promise<{ queued: number; running: number }> {
  const q = knex("site_audits").whereIn("status", ["queued", "running"]).select("status").count("* as n").groupBy("status");
  if (unitId) q.andWhere("unit_id", unitId);
  const rows = (await q) as { status: string; n: string }[];
  const out = { queued: 0, running: 0 };
  for (const r of rows) out[r.status as "queued" | "running"] = Number(r.n);
  return out;
}

export interface RecentAudit {
  id: number;
  status: string;
  unit_id: number;
  unit_name: string;
  base_url: string;
  finished_at: Date | null;
  pages_done: number;
  pages_failed: number;
  error: string | null;
  errors: number;
  warnings: number;
}

export async function listRecentAudits(knex: Knex, unitId?: number | null, limit = 30): Promise<RecentAudit[]> {
  const q = knex("site_audits as a")
    .join("sites as s", "s.id", "a.site_id")
    .join("units as u", "u.id", "a.unit_id")
    .whereIn("a.status", ["done", "failed", "cancelled"])
    .select(
      "a.id",
      "a.status",
      "a.unit_id",
      "u.name as unit_name",
      "s.base_url",
      "a.finished_at",
      "a.pages_done",
      "a.pages_failed",
      "a.error",
      knex.raw("(select count(*)::int from findings f where f.site_audit_id = a.id and f.severity = 'error') as errors"),
      knex.raw("(select count(*)::int from findings f where f.site_audit_id = a.id and f.severity = 'warning') as warnings"),
    )
    .orderByRaw("a.finished_at desc nulls last, a.id desc")
    .limit(limit);
  if (unitId) q.andWhere("a.unit_id", unitId);
  return q;
}

export async function listAuditableSites(knex: Knex): Promise<{ id: number; base_url: string; unit_id: number; unit_name: string }[]> {
  return knex("sites as s")
    .join("units as u", "u.id", "s.unit_id")
    .where({ "s.active": true, "u.active": true })
    .select("s.id", "s.base_url", "s.unit_id", "u.name as unit_name")
    .orderBy(["u.name", "s.base_url"]);
}

export async function getSetting<T>(knex: Knex, key: string): Promise<T | undefined> {
  const row = await knex("settings").where({ key }).first("value");
  return row?.value as T | undefined;
}

export async function setSetting(knex: Knex, key: string, value: unknown): Promise<void> {
  await knex("settings")
    .insert({ key, value: JSON.stringify(value), updated_at: knex.fn.now() })
    .onConflict("key")
    .merge(["value", "updated_at"]);
}

export async function siteIdsOfUnit(knex: Knex, unitId: number): Promise<number[]> {
  const rows = await knex("sites").where({ unit_id: unitId, active: true }).select("id");
  return rows.map((r) => r.id);
}
