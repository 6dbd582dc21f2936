// The scheduled audit rounds. The schedule comes from the settings table (key audit_schedule:
// "0 2 * * *" or {"cron": "..."}), else AUDIT_CRON, else 02:00 — each only when it passes the rules
// of cron-rules.ts. A scheduler wakes at each slot (and at least every `pollMs`), re-reads the
// schedule and calls runDueRounds with its clock; runDueRounds claims the slot in PostgreSQL
// (table scheduled_slots) so that, with several schedulers, exactly one enqueues each round.
// See docs/decisions/0008-scheduler.md.
import os from "node:os";
import type { Knex } from "knex";
import PgBoss from "pg-boss";
import { getSetting } from "../../db/queries/audits.ts";
import { AUDIT_TIMEZONE, checkSchedule, latestSlotAtOrBefore, nextRunsOf } from "./cron-rules.ts";
import { connectionStringOf, enqueueRound, recoverStuckAudits, QUEUE_SCHEMA } from "./index.ts";

export { AUDIT_TIMEZONE };
export const DEFAULT_AUDIT_CRON = "0 2 * * *";
export const SCHEDULE_SETTING = "audit_schedule";

export interface ScheduleInForce {
  /** The expression the schedulers use. */
  expression: string;
  source: "setting" | "env" | "default";
  /** The text stored in settings (null when not set). */
  stored: string | null;
  /** Why the stored value is not used (null when it is, or when nothing is stored). */
  storedError: string | null;
  /** Why AUDIT_CRON is not used although set and needed. */
  envError: string | null;
}

function textOf(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && typeof (value as { cron?: unknown }).cron === "string") return (value as { cron: string }).cron;
  return null;
}

/** The schedule in force and where it comes from; an invalid stored value is reported, not thrown. */
export async function readSchedule(knex: Knex, now: Date = new Date()): Promise<ScheduleInForce> {
  const raw = await getSetting<unknown>(knex, SCHEDULE_SETTING);
  const stored = textOf(raw);
  let storedError: string | null = null;
  if (raw !== null && raw !== undefined) {
    if (stored === null) storedError = "Giá trị đã lưu không phải một biểu thức cron.";
    else {
      const c = checkSchedule(stored, now);
      if (c.ok) return { expression: c.expression, source: "setting", stored, storedError: null, envError: null };
      storedError = c.error;
    }
  }
  const env = process.env.AUDIT_CRON;
  let envError: string | null = null;
  if (env) {
    const c = checkSchedule(env, now);
    if (c.ok) return { expression: c.expression, source: "env", stored, storedError, envError: null };
    envError = c.error;
  }
  return { expression: DEFAULT_AUDIT_CRON, source: "default", stored, storedError, envError };
}

/** The expression in force: the setting, else AUDIT_CRON, else 02:00 daily (invalid values skipped). */
export async function resolveSchedule(knex: Knex): Promise<string> {
  return (await readSchedule(knex)).expression;
}

export interface RunDueOptions {
  /** The clock: the slot considered is the most recent run of the schedule at or before it. */
  now: Date;
  /** The schedule; by default the one in force (resolveSchedule). */
  expression?: string;
  /** Only slots strictly later than this (a live scheduler passes when it started or the schedule changed). */
  after?: Date | null;
  /** Written to scheduled_slots.claimed_by (default host:pid). */
  claimedBy?: string;
}

export interface DueRound {
  slot: Date;
  roundId: number;
}

/**
 * Enqueues the round of the most recent slot ≤ now when it is due: later than `after`, later than
 * every slot already claimed, and claimed by this call (insert … on conflict do nothing — of several
 * schedulers only the inserter enqueues). The round is dated at the slot (referenceTime). Returns
 * null when nothing was due or another scheduler had the slot.
 */
export async function runDueRounds(knex: Knex, opts: RunDueOptions): Promise<DueRound | null> {
  const expression = opts.expression ?? (await resolveSchedule(knex));
  const check = checkSchedule(expression, opts.now);
  if (!check.ok) throw new Error(`invalid audit schedule "${expression}": ${check.error}`);
  const slot = latestSlotAtOrBefore(check.expression, opts.now);
  if (!slot || (opts.after && slot.getTime() <= opts.after.getTime())) return null;
  const claimedBy = opts.claimedBy ?? `${os.hostname()}:${process.pid}`;
  const { rows } = await knex.raw<{ rows: { slot: Date }[] }>(
    `insert into scheduled_slots (slot, expression, claimed_by)
     select ?::timestamptz, ?, ?
     where not exists (select 1 from scheduled_slots where slot >= ?::timestamptz)
     on conflict (slot) do nothing
     returning slot`,
    [slot.toISOString(), check.expression, claimedBy, slot.toISOString()],
  );
  if (!rows.length) return null;
  let roundId: number;
  try {
    roundId = await enqueueRound(knex, { trigger: "schedule", referenceTime: slot });
  } catch (err) {
    // Give the slot back so that the next tick (of any scheduler) retries it.
    await knex("scheduled_slots").where({ slot }).whereNull("round_id").delete().catch(() => undefined);
    throw err;
  }
  await knex("scheduled_slots").where({ slot }).update({ round_id: roundId });
  return { slot, roundId };
}

export interface SchedulerHandle {
  readonly expression: string;
  stop(): Promise<void>;
  /** Re-reads the schedule now (also done on every wake-up); never creates a second timer. */
  reload(): Promise<string>;
  /** Runs one wake-up now (re-read, then runDueRounds); for tests. */
  tick(): Promise<DueRound | null>;
}

export interface SchedulerOptions {
  onRound?: (roundId: number, slot: Date) => void;
  onError?: (err: Error) => void;
  /** Called when a reload changed the expression. */
  onChange?: (expression: string) => void;
  /** Seconds without heartbeat before a running audit is presumed dead (default 90). */
  staleSeconds?: number;
  /** Longest sleep between two wake-ups, which also re-read the schedule (default 15 s). */
  pollMs?: number;
  /** The clock (tests). */
  clock?: () => Date;
  /** Written to scheduled_slots.claimed_by. */
  name?: string;
}

// The schedulers of this process, shared by every copy of this module (the dashboard's bundled
// server code and the CLI load it separately), so that saving the schedule reloads them at once.
const REGISTRY = Symbol.for("tuan-thu.schedulers");
function registry(): Set<SchedulerHandle> {
  const g = globalThis as unknown as { [REGISTRY]?: Set<SchedulerHandle> };
  return (g[REGISTRY] ??= new Set());
}

/** Makes every scheduler running in this process re-read the schedule now. */
export async function reloadSchedulers(): Promise<void> {
  await Promise.all([...registry()].map((s) => s.reload().catch(() => undefined)));
}

export async function startScheduler(knex: Knex, opts: SchedulerOptions = {}): Promise<SchedulerHandle> {
  const onError = opts.onError ?? ((err: Error) => console.error(`Lịch kiểm tra: ${err.message}`));
  const clock = opts.clock ?? (() => new Date());
  const pollMs = opts.pollMs ?? (Number(process.env.TT_SCHEDULER_POLL_MS) || 15_000);
  const name = opts.name ?? `${os.hostname()}:${process.pid}`;
  let expression = await resolveSchedule(knex);
  // Slots before the start (or before the last change of schedule) are not caught up.
  let after = clock();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<unknown> = Promise.resolve();

  const reload = async (): Promise<string> => {
    const next = await resolveSchedule(knex);
    if (next !== expression) {
      expression = next;
      after = clock();
      opts.onChange?.(next);
    }
    return expression;
  };
  // One wake-up at a time, whether from the timer or a test.
  const tick = (): Promise<DueRound | null> => {
    const run = chain.then(async () => {
      if (stopped) return null;
      await reload();
      const due = await runDueRounds(knex, { now: clock(), expression, after, claimedBy: name });
      if (due) opts.onRound?.(due.roundId, due.slot);
      return due;
    });
    chain = run.catch(() => undefined);
    return run;
  };
  const schedule = () => {
    if (stopped) return;
    let delay = pollMs;
    try {
      const now = clock();
      const [next] = nextRunsOf(expression, now, 1);
      delay = Math.min(pollMs, Math.max(250, next.getTime() - now.getTime() + 250));
    } catch {
      // keep pollMs
    }
    timer = setTimeout(() => {
      timer = null;
      tick()
        .catch((err) => onError(err as Error))
        .finally(schedule);
    }, delay);
    timer.unref();
  };
  schedule();

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

  const handle: SchedulerHandle = {
    get expression() {
      return expression;
    },
    reload,
    tick,
    async stop() {
      stopped = true;
      registry().delete(handle);
      if (timer) clearTimeout(timer);
      timer = null;
      clearInterval(recovery);
      await chain;
      if (bossStarted) await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    },
  };
  registry().add(handle);
  return handle;
}
