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

export async function recordLoginAttempt(knex: Knex, username: string, ip: string | null, success: boolean): Promise<void> {
  await knex("login_attempts").insert({ username, ip, success });
}

/**
 * Failed attempts in the window: for this username from this IP, and from this IP for any
 * username (the caller applies a higher limit to the latter, so one office behind one address
 * is not locked out by a colleague's typos).
 */
export async function recentFailures(
  knex: Knex,
  username: string,
  ip: string | null,
  windowMinutes: number,
): Promise<{ byUser: number; byIp: number }> {
  const since = knex.raw(`now() - make_interval(mins => ?)`, [windowMinutes]);
  const userQ = knex("login_attempts").where({ username, success: false }).andWhere("at", ">", since);
  if (ip) userQ.andWhere({ ip });
  const [u] = await userQ.count<{ count: string }[]>("* as count");
  let byIp = 0;
  if (ip) {
    const [r] = await knex("login_attempts").where({ ip, success: false }).andWhere("at", ">", since).count<{ count: string }[]>("* as count");
    byIp = Number(r.count);
  }
  return { byUser: Number(u.count), byIp };
}
