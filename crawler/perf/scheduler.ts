// The page-load schedule: its own cron slot (settings key page_load_schedule, else PAGE_LOAD_CRON,
// else Tuesdays and Fridays at 10:00 and 16:00, Asia/Ho_Chi_Minh) — measured at different times
// of day as the 2025 criteria ask, and away from the nightly content crawl (02:00 by default).
// Same rules and claim as the audit schedule (docs/decisions/0008-scheduler.md), with its own
// table page_load_slots; a claimed slot sends one job per active site to the page-load queue.
import os from "node:os";
import type { Knex } from "knex";
import { getSetting } from "../../db/queries/audits.ts";
import { activePageLoadSiteIds, claimPageLoadSlot, markPageLoadSlot, releasePageLoadSlot } from "../../db/queries/page-load.ts";
import { checkSchedule, latestSlotAtOrBefore, nextRunsOf } from "../queue/cron-rules.ts";
import { enqueuePageLoad } from "./queue.ts";

export const PAGE_LOAD_SCHEDULE_SETTING = "page_load_schedule";
export const DEFAULT_PAGE_LOAD_CRON = "0 10,16 * * 2,5";

/** The expression in force: the setting, else PAGE_LOAD_CRON, else the default (invalid values skipped). */
export async function resolvePageLoadSchedule(knex: Knex, now: Date = new Date()): Promise<string> {
  const raw = await getSetting<unknown>(knex, PAGE_LOAD_SCHEDULE_SETTING);
  const stored = typeof raw === "string" ? raw : raw && typeof raw === "object" && typeof (raw as { cron?: unknown }).cron === "string" ? (raw as { cron: string }).cron : null;
  for (const candidate of [stored, process.env.PAGE_LOAD_CRON]) {
    if (!candidate) continue;
    const c = checkSchedule(candidate, now);
    if (c.ok) return c.expression;
  }
  return DEFAULT_PAGE_LOAD_CRON;
}

/** Enqueues the most recent slot ≤ now when due (later than `after`, claimed by this call); returns the sites sent. */
export async function runDuePageLoad(knex: Knex, opts: { now: Date; expression?: string; after?: Date | null; claimedBy?: string }): Promise<{ slot: Date; sites: number } | null> {
  const expression = opts.expression ?? (await resolvePageLoadSchedule(knex, opts.now));
  const slot = latestSlotAtOrBefore(expression, opts.now);
  if (!slot || (opts.after && slot.getTime() <= opts.after.getTime())) return null;
  if (!(await claimPageLoadSlot(knex, slot, expression, opts.claimedBy ?? `${os.hostname()}:${process.pid}`))) return null;
  try {
    const sites = await enqueuePageLoad(knex, await activePageLoadSiteIds(knex), { slot });
    await markPageLoadSlot(knex, slot, sites);
    return { slot, sites };
  } catch (err) {
    await releasePageLoadSlot(knex, slot).catch(() => undefined);
    throw err;
  }
}

export interface PageLoadSchedulerHandle {
  readonly expression: string;
  tick(): Promise<{ slot: Date; sites: number } | null>;
  stop(): Promise<void>;
}

export async function startPageLoadScheduler(
  knex: Knex,
  opts: { clock?: () => Date; pollMs?: number; onSlot?: (slot: Date, sites: number) => void; onError?: (err: Error) => void } = {},
): Promise<PageLoadSchedulerHandle> {
  const clock = opts.clock ?? (() => new Date());
  const pollMs = opts.pollMs ?? (Number(process.env.TT_SCHEDULER_POLL_MS) || 15_000);
  const onError = opts.onError ?? ((err: Error) => console.error(`Lịch đo tốc độ tải trang: ${err.message}`));
  let expression = await resolvePageLoadSchedule(knex, clock());
  let after = clock();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  const tick = () => {
    const run = chain.then(async () => {
      if (stopped) return null;
      const next = await resolvePageLoadSchedule(knex, clock());
      if (next !== expression) {
        expression = next;
        after = clock();
      }
      const due = await runDuePageLoad(knex, { now: clock(), expression, after });
      if (due) opts.onSlot?.(due.slot, due.sites);
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
  return {
    get expression() {
      return expression;
    },
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await chain;
    },
  };
}
