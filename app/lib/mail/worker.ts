// Sends the outbox (db/queries/notifications.ts) from a pg-boss job. Events queue rows in the
// outbox and then poke the queue (kickMail: best effort, never throws). The job sends every due
// message; when the server refuses or is down, the job fails and pg-boss retries it with backoff;
// a periodic tick also pokes the queue while unsent mail remains, so nothing stays behind.
import type { Knex } from "knex";
import PgBoss from "pg-boss";
import { createKnex } from "../../../db/index.ts";
import { countUnsent, sendOneFromOutbox } from "../../../db/queries/notifications.ts";
import { createTransport, sendText, smtpUrl } from "./transport.ts";

export const MAIL_QUEUE = "mail-send";
export const DIGEST_QUEUE = "mail-digest";
/** The monthly digest: the 1st of each month at 08:00 Vietnam time, for the month that ended. */
export const DIGEST_CRON = "0 8 1 * *";
const SCHEMA = "pgboss";

function envNumber(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function queueOptions() {
  return { retryLimit: envNumber("MAIL_RETRY_LIMIT", 20), retryDelay: envNumber("MAIL_RETRY_DELAY", 30), retryBackoff: true, expireInSeconds: 600 };
}

function urlOf(knex: Knex): string {
  const conn = knex.client.config.connection as string | { connectionString?: string };
  const url = typeof conn === "string" ? conn : conn?.connectionString;
  if (!url) throw new Error("the knex instance has no connection string");
  return url;
}

async function newBoss(url: string, extra: Partial<PgBoss.ConstructorOptions> = {}): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: url, schema: SCHEMA, max: 2, application_name: "tuan-thu-mail", ...extra } as PgBoss.ConstructorOptions);
  boss.on("error", (err) => {
    if (process.env.TT_DEBUG) console.error(`pg-boss (thư): ${(err as Error).message}`);
  });
  await boss.start();
  await boss.createQueue(MAIL_QUEUE, { name: MAIL_QUEUE, ...queueOptions() } as PgBoss.Queue).catch((err) => {
    if (!/already exists/i.test((err as Error).message)) throw err;
  });
  return boss;
}

const senders = new Map<string, Promise<PgBoss>>();

/** Pokes the mail queue; never throws (the outbox row is already committed). */
export async function kickMail(knex: Knex): Promise<void> {
  try {
    const url = urlOf(knex);
    let b = senders.get(url);
    if (!b) {
      b = newBoss(url, { supervise: false, schedule: false });
      b.catch(() => senders.delete(url));
      senders.set(url, b);
    }
    // One pending job is enough: it sends every due message.
    await (await b).send(MAIL_QUEUE, {}, { ...queueOptions(), singletonKey: "outbox" });
  } catch (err) {
    if (process.env.TT_DEBUG) console.error(`Không đưa được thư vào hàng đợi: ${(err as Error).message}`);
  }
}

export async function closeMailQueues(): Promise<void> {
  const all = [...senders.values()];
  senders.clear();
  await Promise.all(all.map(async (b) => (await b.catch(() => null))?.stop({ graceful: false, wait: true }).catch(() => undefined)));
}

/** Sends every due message once; throws when one fails (the job is then retried). */
export async function drainOutbox(knex: Knex): Promise<number> {
  const url = await smtpUrl(knex);
  if (!url) return 0;
  const transport = createTransport(url);
  let sent = 0;
  try {
    for (;;) {
      const r = await sendOneFromOutbox(knex, (m) => sendText(transport, { to: m.to_address, subject: m.subject, text: m.body_text }));
      if (!r) return sent;
      if (!r.ok) throw new Error(`Gửi thư #${r.id} thất bại: ${r.error}`);
      sent++;
    }
  } finally {
    transport.close();
  }
}

function previousMonthCode(now: Date): string {
  const vn = new Date(now.getTime() + 7 * 3600_000);
  const y = vn.getUTCFullYear();
  const m = vn.getUTCMonth(); // 0-based: the previous month's 1-based number
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, "0")}`;
}

export interface MailWorker {
  stop(): Promise<void>;
}

/** Starts the mail sender: the pg-boss worker plus a tick (tickMs, default 30 s) while mail is unsent. */
export async function startMailWorker(opts: { url: string; tickMs?: number; digest?: boolean; onError?: (err: Error) => void }): Promise<MailWorker> {
  const knex = createKnex(opts.url, { max: 2 });
  const digest = opts.digest !== false;
  const boss = await newBoss(opts.url, { supervise: true, schedule: digest, maintenanceIntervalSeconds: 60 });
  if (digest) {
    await boss.createQueue(DIGEST_QUEUE, { name: DIGEST_QUEUE, retryLimit: 3, retryDelay: 300 } as PgBoss.Queue).catch((err) => {
      if (!/already exists/i.test((err as Error).message)) throw err;
    });
    await boss.schedule(DIGEST_QUEUE, DIGEST_CRON, {}, { tz: "Asia/Ho_Chi_Minh" });
    await boss.work(DIGEST_QUEUE, { batchSize: 1, pollingIntervalSeconds: 30 }, async () => {
      const { sendDigestOnce } = await import("./digest.ts");
      await sendDigestOnce(knex, previousMonthCode(new Date()));
    });
  }
  await boss.work(MAIL_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async () => {
    try {
      await drainOutbox(knex);
    } catch (err) {
      opts.onError?.(err as Error);
      throw err;
    }
  });
  const tick = setInterval(() => {
    countUnsent(knex)
      .then((n) => (n ? boss.send(MAIL_QUEUE, {}, { ...queueOptions(), singletonKey: "outbox" }) : null))
      .catch(() => undefined);
  }, opts.tickMs ?? envNumber("MAIL_TICK_MS", 30_000));
  tick.unref();
  await boss.send(MAIL_QUEUE, {}, { ...queueOptions(), singletonKey: "outbox" }).catch(() => undefined);
  return {
    async stop() {
      clearInterval(tick);
      await boss.stop({ graceful: true, wait: true, timeout: 5000 }).catch(() => undefined);
      await knex.destroy();
    },
  };
}
