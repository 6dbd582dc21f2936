// The nightly round: node-cron in Asia/Ho_Chi_Minh. The schedule comes from the settings
// table (key audit_schedule: "0 2 * * *" or {"cron": "..."}), else AUDIT_CRON, else 02:00.
import type { Knex } from "knex";
import cron from "node-cron";
import PgBoss from "pg-boss";
import { getSetting } from "../../db/queries/audits.ts";
import { connectionStringOf, enqueueRound, recoverStuckAudits, QUEUE_SCHEMA } from "./index.ts";

export const DEFAULT_AUDIT_CRON = "0 2 * * *";
export const AUDIT_TIMEZONE = "Asia/Ho_Chi_Minh";

export async function resolveSchedule(knex: Knex): Promise<string> {
  const setting = await getSetting<string | { cron?: string }>(knex, "audit_schedule").catch(() => null);
  const fromDb = typeof setting === "string" ? setting : setting?.cron;
  for (const candidate of [fromDb, process.env.AUDIT_CRON]) {
    if (candidate && cron.validate(candidate)) return candidate;
  }
  return DEFAULT_AUDIT_CRON;
}

export interface SchedulerHandle {
  expression: string;
  stop(): Promise<void>;
  /** Re-reads the schedule (after an inspector changes the setting). */
  reload(): Promise<string>;
}

export interface SchedulerOptions {
  onRound?: (roundId: number) => void;
  onError?: (err: Error) => void;
  /** Seconds without heartbeat before a running audit is presumed dead (default 90). */
  staleSeconds?: number;
}

export async function startScheduler(knex: Knex, opts: SchedulerOptions = {}): Promise<SchedulerHandle> {
  const onError = opts.onError ?? ((err: Error) => console.error(`Lịch kiểm tra: ${err.message}`));
  let task: cron.ScheduledTask | null = null;
  let expression = await resolveSchedule(knex);
  const fire = () => {
    enqueueRound(knex, { trigger: "schedule" })
      .then((id) => opts.onRound?.(id))
      .catch((err) => onError(err as Error));
  };
  const install = (expr: string) => {
    task?.stop();
    task = cron.schedule(expr, fire, { timezone: AUDIT_TIMEZONE });
  };
  install(expression);
  // Recovery of audits whose worker died, also when no worker is running.
  const boss = new PgBoss({ connectionString: connectionStringOf(knex), schema: QUEUE_SCHEMA, supervise: false, schedule: false, max: 2 });
  boss.on("error", () => undefined);
  let bossStarted = false;
  const staleSeconds = opts.staleSeconds ?? (Number(process.env.AUDIT_STALE_SECONDS) || 90);
  const recovery = setInterval(() => {
    (async () => {
      if (!bossStarted) {
        await boss.start();
        bossStarted = true;
      }
      await recoverStuckAudits(knex, boss, staleSeconds);
    })().catch((err) => onError(err as Error));
  }, 60_000);
  recovery.unref();
  return {
    get expression() {
      return expression;
    },
    async reload() {
      const next = await resolveSchedule(knex);
      if (next !== expression) {
        expression = next;
        install(next);
      }
      return expression;
    },
    async stop() {
      task?.stop();
      clearInterval(recovery);
      if (bossStarted) await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    },
  };
}
