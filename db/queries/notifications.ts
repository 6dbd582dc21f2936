// E-mail notifications: who receives which event (notification_prefs: no row = receives), and the
// outbox every message goes through (app/lib/mail/worker.ts sends it). Writing to the outbox is a
// plain insert, inside the caller's transaction when it has one: a failing mail server can never
// block an audit or a decision.
import type { Knex } from "knex";

export const MAIL_EVENTS = ["finding.new", "audit.failed", "appeal.filed", "appeal.decided", "period.closed", "digest.monthly"] as const;
export type MailEvent = (typeof MAIL_EVENTS)[number];

export const MAIL_EVENT_LABELS: Record<MailEvent, string> = {
  "finding.new": "Phát hiện mới làm mất điểm",
  "audit.failed": "Lượt kiểm tra thất bại hoặc không xác minh được",
  "appeal.filed": "Có giải trình mới",
  "appeal.decided": "Giải trình đã được quyết định",
  "period.closed": "Kỳ đã chốt (báo cáo chính thức gửi tỉnh)",
  "digest.monthly": "Bản tin tháng: điểm, thứ hạng, điểm bị trừ và cách khắc phục",
};

/** Which events each role can receive (the settings form shows only these). */
export const EVENTS_BY_ROLE: Record<string, MailEvent[]> = {
  inspector: ["appeal.filed", "audit.failed", "period.closed"],
  unit_head: ["finding.new", "audit.failed", "appeal.decided", "digest.monthly"],
  province: ["period.closed"],
};

export interface Recipient {
  userId: number;
  email: string;
  name: string;
}

export async function getPrefs(knex: Knex, userId: number): Promise<Record<string, boolean>> {
  const rows: { event: string; enabled: boolean }[] = await knex("notification_prefs").where({ user_id: userId }).select("event", "enabled");
  const out: Record<string, boolean> = {};
  for (const e of MAIL_EVENTS) out[e] = true;
  for (const r of rows) out[r.event] = r.enabled;
  return out;
}

export async function setPrefs(knex: Knex, userId: number, enabled: Record<string, boolean>): Promise<void> {
  const rows = MAIL_EVENTS.filter((e) => e in enabled).map((event) => ({ user_id: userId, event, enabled: !!enabled[event] }));
  if (!rows.length) return;
  await knex("notification_prefs").insert(rows).onConflict(["user_id", "event"]).merge(["enabled"]);
}

export async function setUserEmail(knex: Knex, userId: number, email: string | null): Promise<void> {
  await knex("users").where({ id: userId }).update({ email });
}

/** Active users (filtered) with an address who did not turn the event off; unit heads fall back to units.head_email. */
async function recipients(knex: Knex, event: MailEvent, where: (q: Knex.QueryBuilder) => void): Promise<Recipient[]> {
  const q = knex("users as u")
    .leftJoin("units as un", "un.id", "u.unit_id")
    .leftJoin("notification_prefs as np", function () {
      this.on("np.user_id", "u.id").andOn("np.event", knex.raw("?", [event]));
    })
    .where("u.active", true)
    .whereRaw("coalesce(np.enabled, true)")
    .whereRaw("coalesce(nullif(trim(u.email), ''), case when u.role = 'unit_head' then nullif(trim(un.head_email), '') end) is not null")
    .select(
      "u.id as userId",
      knex.raw("coalesce(nullif(trim(u.email), ''), nullif(trim(un.head_email), '')) as email"),
      knex.raw("coalesce(nullif(u.full_name, ''), u.username) as name"),
    )
    .orderBy("u.id");
  where(q);
  return q;
}

export function unitHeadRecipients(knex: Knex, event: MailEvent, unitId: number): Promise<Recipient[]> {
  return recipients(knex, event, (q) => q.where({ "u.role": "unit_head", "u.unit_id": unitId }));
}

export function roleRecipients(knex: Knex, event: MailEvent, roles: string[]): Promise<Recipient[]> {
  return recipients(knex, event, (q) => q.whereIn("u.role", roles));
}

export interface OutboxMessage {
  event: MailEvent;
  to: Recipient;
  subject: string;
  body: string;
}

/** Queues messages (in the caller's transaction if given); returns their outbox ids. */
export async function queueMail(knex: Knex, messages: OutboxMessage[]): Promise<number[]> {
  if (!messages.length) return [];
  const rows = await knex("mail_outbox")
    .insert(messages.map((m) => ({ event: m.event, user_id: m.to.userId, to_address: m.to.email, subject: m.subject, body_text: m.body })))
    .returning("id");
  return rows.map((r: { id: number | string }) => Number(r.id));
}

export interface OutboxRow {
  id: number;
  event: string;
  to_address: string;
  subject: string;
  body_text: string;
  created_at: Date;
  sent_at: Date | null;
  attempts: number;
  last_error: string | null;
}

export async function listOutbox(knex: Knex, limit = 100): Promise<OutboxRow[]> {
  return knex("mail_outbox").orderBy("id", "desc").limit(limit).select("id", "event", "to_address", "subject", "body_text", "created_at", "sent_at", "attempts", "last_error");
}

export async function countUnsent(knex: Knex): Promise<number> {
  const [r] = await knex("mail_outbox").whereNull("sent_at").count<{ n: string }[]>("* as n");
  return Number(r.n);
}

/**
 * Claims one unsent message (skip locked: several senders never send the same one), calls send,
 * and records the outcome in the same transaction. Returns null when nothing is due.
 */
export async function sendOneFromOutbox(
  knex: Knex,
  send: (m: OutboxRow) => Promise<void>,
  opts: { maxAttempts?: number } = {},
): Promise<{ id: number; ok: boolean; error?: string } | null> {
  return knex.transaction(async (trx) => {
    const m: OutboxRow | undefined = await trx("mail_outbox")
      .whereNull("sent_at")
      .where("attempts", "<", opts.maxAttempts ?? 50)
      .orderBy("id")
      .forUpdate()
      .skipLocked()
      .first("id", "event", "to_address", "subject", "body_text", "created_at", "sent_at", "attempts", "last_error");
    if (!m) return null;
    try {
      await send(m);
      await trx("mail_outbox").where({ id: m.id }).update({ sent_at: trx.fn.now(), attempts: m.attempts + 1, last_attempt_at: trx.fn.now(), last_error: null });
      return { id: Number(m.id), ok: true };
    } catch (err) {
      const error = (err as Error).message.slice(0, 1000);
      await trx("mail_outbox").where({ id: m.id }).update({ attempts: m.attempts + 1, last_attempt_at: trx.fn.now(), last_error: error });
      return { id: Number(m.id), ok: false, error };
    }
  });
}
