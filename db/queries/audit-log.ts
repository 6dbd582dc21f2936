// The audit log: one row per mutation made through the dashboard (who, what, when, from where).
import type { Knex } from "knex";

export interface AuditEntry {
  userId: number | null;
  actor?: string | null;
  action: string;
  entity?: string | null;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

export async function writeAuditLog(knex: Knex, e: AuditEntry): Promise<void> {
  await knex("audit_log").insert({
    user_id: e.userId,
    actor: e.actor ?? null,
    action: e.action,
    entity: e.entity ?? null,
    entity_id: e.entityId == null ? null : String(e.entityId),
    details: JSON.stringify(e.details ?? {}),
    ip: e.ip ?? null,
  });
}

export interface AuditLogRow {
  id: number;
  at: Date;
  username: string | null;
  action: string;
  entity: string | null;
  entity_id: string | null;
  details: Record<string, unknown>;
}

export async function listAuditLog(knex: Knex, limit = 100): Promise<AuditLogRow[]> {
  return knex("audit_log as a")
    .leftJoin("users as u", "u.id", "a.user_id")
    .select("a.id", "a.at", "u.username", "a.action", "a.entity", "a.entity_id", "a.details")
    .orderBy("a.at", "desc")
    .limit(limit);
}
