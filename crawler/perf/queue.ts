// The page-load queue: its own pg-boss queue ("page-load", policy "singleton": at most one job
// active across every worker), so that Lighthouse — one Chromium at full CPU for 10–15 s a page —
// never runs beside itself and never takes a slot of the audit queue (crawler/queue/index.ts).
import type { Knex } from "knex";
import PgBoss from "pg-boss";
import { createKnex } from "../../db/index.ts";
import { connectionStringOf, QUEUE_SCHEMA } from "../queue/index.ts";
import { measureSite, type MeasureSiteResult } from "./measure-site.ts";

export const PAGE_LOAD_QUEUE = "page-load";

export interface PageLoadJobData {
  siteId: number;
  /** ISO instant of the schedule slot, or null. */
  slot: string | null;
  keyPages?: number;
}

function envNumber(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function pageLoadJobOptions() {
  return { retryLimit: 1, retryDelay: 60, expireInSeconds: envNumber("PAGE_LOAD_JOB_EXPIRE_SECONDS", 10 * 60) };
}

async function newBoss(url: string, extra: Partial<PgBoss.ConstructorOptions> = {}): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: url, schema: QUEUE_SCHEMA, max: 2, application_name: "tuan-thu-page-load", ...extra } as PgBoss.ConstructorOptions);
  boss.on("error", (err) => {
    if (process.env.TT_DEBUG) console.error(`pg-boss (page-load): ${(err as Error).message}`);
  });
  await boss.start();
  await boss.createQueue(PAGE_LOAD_QUEUE, { name: PAGE_LOAD_QUEUE, policy: "singleton", ...pageLoadJobOptions() } as PgBoss.Queue).catch((err) => {
    if (!/already exists/i.test((err as Error).message)) throw err;
  });
  return boss;
}

/** Sends one job per site (they run one at a time). */
export async function enqueuePageLoad(knex: Knex, siteIds: number[], opts: { slot?: Date | null; keyPages?: number } = {}): Promise<number> {
  if (!siteIds.length) return 0;
  const boss = await newBoss(connectionStringOf(knex), { supervise: false, schedule: false });
  try {
    const o = pageLoadJobOptions();
    await boss.insert(
      siteIds.map((siteId) => ({
        name: PAGE_LOAD_QUEUE,
        data: { siteId, slot: opts.slot ? opts.slot.toISOString() : null, ...(opts.keyPages !== undefined ? { keyPages: opts.keyPages } : {}) } satisfies PageLoadJobData,
        ...o,
      })),
    );
  } finally {
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
  }
  return siteIds.length;
}

export interface PageLoadWorkerOptions {
  url: string;
  onSite?: (result: MeasureSiteResult) => void;
  onError?: (siteId: number, err: Error) => void;
}

export interface PageLoadWorkerHandle {
  stop(): Promise<void>;
}

/** One page-load worker (concurrency 1); the queue's singleton policy keeps it one across processes. */
export async function startPageLoadWorker(opts: PageLoadWorkerOptions): Promise<PageLoadWorkerHandle> {
  const knex = createKnex(opts.url, { max: 3 });
  const boss = await newBoss(opts.url, { supervise: true, schedule: false, maintenanceIntervalSeconds: 120 });
  await boss.work<PageLoadJobData>(PAGE_LOAD_QUEUE, { batchSize: 1, pollingIntervalSeconds: 2 }, async (jobs) => {
    for (const job of jobs) {
      const siteId = Number(job.data?.siteId);
      if (!Number.isInteger(siteId)) continue;
      try {
        const slot = job.data.slot ? new Date(job.data.slot) : null;
        const result = await measureSite(knex, siteId, { slot, keyPages: job.data.keyPages });
        if (result) opts.onSite?.(result);
      } catch (err) {
        opts.onError?.(siteId, err as Error);
        throw err;
      }
    }
  });
  let stopped = false;
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      await boss.stop({ graceful: true, wait: true, timeout: 60_000 }).catch(() => undefined);
      await knex.destroy();
    },
  };
}
