// Server-side sessions and login throttling. The cookie carries a random token; the table
// stores only its sha256, so a leaked table does not hand out live sessions.
import type { Knex } from "knex";
import type { Role } from "./users.ts";

export interface SessionUser {
  sessionId: string;
  csrfToken: string;
  id: number;
  username: string;
  fullName: string;
  role: Role;
  unitId: number | null;
  unitName: string | null;
}

export async function createSession(
  knex: Knex,
  s: { idHash: string; userId: number; csrfToken: string; ttlHours: number; ip: string | null; userAgent: string | null },
): Promise<void> {
  await knex("sessions").insert({
    id: s.idHash,
    user_id: s.userId,
    csrf_token: s.csrfToken,
    expires_at: knex.raw(`now() + make_interval(hours => ?)`, [s.ttlHours]),
    ip: s.ip,
    user_agent: s.userAgent?.slice(0, 300) ?? null,
  });
}

export async function getSessionUser(knex: Knex, idHash: string): Promise<SessionUser | undefined> {
  const row = await knex("sessions as s")
    .join("users as u", "u.id", "s.user_id")
    .leftJoin("units as n", "n.id", "u.unit_id")
    .where("s.id", idHash)
    .andWhere("s.expires_at", ">", knex.fn.now())
    .andWhere("u.active", true)
    .first(
      "s.id as sessionId",
      "s.csrf_token as csrfToken",
      "u.id",
      "u.username",
      "u.full_name as fullName",
      "u.role",
      "u.unit_id as unitId",
      "n.name as unitName",
    );
  return row as SessionUser | undefined;
}

export async function deleteSession(knex: Knex, idHash: string): Promise<void> {
  await knex("sessions").where({ id: idHash }).del();
}

export async function deleteUserSessions(knex: Knex, userId: number, exceptIdHash?: string): Promise<void> {
  const q = knex("sessions").where({ user_id: userId });
  if (exceptIdHash) q.andWhereNot({ id: exceptIdHash });
  await q.del();
}

export async function deleteExpiredSessions(knex: Knex): Promise<void> {
  await knex("sessions").where("expires_at", "<", knex.fn.now()).del();
}

export type AttemptKind = "login" | "password-change";

export interface AttemptLimits {
  kind: AttemptKind;
  username: string;
  /** Counted per (username, ip) and per ip when set; per username alone when null. */
  ip: string | null;
  windowMinutes: number;
  maxByUser: number;
  /** Failures from one address over all usernames (login only). */
  maxByIp?: number;
}

/**
 * The throttle, atomic: under an advisory lock per username (and per address), count the
 * failures in the window and, when under the limits, record this attempt as a failure before
 * the password is even checked (markAttemptSucceeded turns it into a success). So N parallel
 * guesses get at most maxByUser evaluations, never "all read 0 failures, then all verify".
 * Returns the attempt's id, or null when the caller must refuse it.
 */
export async function reserveAttempt(knex: Knex, l: AttemptLimits): Promise<number | null> {
  return knex.transaction(async (trx) => {
    if (l.ip && l.maxByIp !== undefined) await trx.raw(`select pg_advisory_xact_lock(hashtext(?))`, [`tt-${l.kind}-ip:${l.ip}`]);
    await trx.raw(`select pg_advisory_xact_lock(hashtext(?))`, [`tt-${l.kind}-user:${l.username}`]);
    const since = trx.raw(`now() - make_interval(mins => ?)`, [l.windowMinutes]);
    const userQ = trx("login_attempts").where({ kind: l.kind, username: l.username, success: false }).andWhere("at", ">", since);
    if (l.ip) userQ.andWhere({ ip: l.ip });
    const [u] = await userQ.count<{ count: string }[]>("* as count");
    if (Number(u.count) >= l.maxByUser) return null;
    if (l.ip && l.maxByIp !== undefined) {
      const [r] = await trx("login_attempts").where({ kind: l.kind, ip: l.ip, success: false }).andWhere("at", ">", since).count<{ count: string }[]>("* as count");
      if (Number(r.count) >= l.maxByIp) return null;
    }
    const [row] = await trx("login_attempts").insert({ kind: l.kind, username: l.username, ip: l.ip, success: false }).returning("id");
    return Number(row.id);
  });
}

export async function markAttemptSucceeded(knex: Knex, id: number): Promise<void> {
  await knex("login_attempts").where({ id }).update({ success: true });
}
