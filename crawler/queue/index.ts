// The audit queue on pg-boss: one job per site audit. Postgres is the only coordinator, so
// workers on other machines need only DATABASE_URL.
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Knex } from "knex";
import PgBoss from "pg-boss";
import { createKnex } from "../../db/index.ts";
import {
  activeSiteIdsOfUnit,
  createRound,
  failAudit,
  orphanedAudits,
  roundProgress,
  setJobIds,
  staleAudits,
  type RoundProgress,
  type RoundRequest,
} from "../../db/queries/audits.ts";
import { Fetcher, type FetcherOptions } from "../fetch/fetcher.ts";
import { Renderer } from "../render/renderer.ts";
import { runSiteAudit, type RunAuditOutcome } from "../audit/run-audit.ts";
import { drainRescoreRequests, startRescoreSweeper } from "../../db/scoring/rescore.ts";
import type { CrawlProgress } from "../audit/crawl-site.ts";
import { stampAuditPageLoad } from "../../db/queries/page-load.ts";
import { notifyAuditOutcome } from "../../app/lib/mail/notify.ts";

export const AUDIT_QUEUE = "audit-site";
export const QUEUE_SCHEMA = "pgboss";

export interface AuditJobData {
  siteAuditId: number;
}

function envNumber(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export function jobOptions() {
  return {
    // Retries are spent only by our own failures (a worker killed, the database restarting, a
    // live worker presumed dead): a site's errors end the audit "failed" with a reason, without a
    // retry. One round can hit several of ours (tests/faults: two kills and a restart), so 4.
    retryLimit: envNumber("AUDIT_RETRY_LIMIT", 4),
    retryDelay: envNumber("AUDIT_RETRY_DELAY", 10),
    retryBackoff: true,
    expireInSeconds: envNumber("AUDIT_JOB_EXPIRE_SECONDS", 15 * 60),
  };
}

export function connectionStringOf(knex: Knex): string {
  const conn = knex.client.config.connection as string | { connectionString?: string };
  const url = typeof conn === "string" ? conn : conn?.connectionString;
  if (!url) throw new Error("the knex instance has no connection string");
  return url;
}

const senders = new Map<string, Promise<PgBoss>>();

async function newBoss(url: string, extra: Partial<PgBoss.ConstructorOptions> = {}): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: url, schema: QUEUE_SCHEMA, max: 4, application_name: "tuan-thu-queue", ...extra } as PgBoss.ConstructorOptions);
  boss.on("error", (err) => {
    if (process.env.TT_DEBUG) console.error(`pg-boss: ${(err as Error).message}`);
  });
  await boss.start();
  await boss.createQueue(AUDIT_QUEUE, { name: AUDIT_QUEUE, ...jobOptions() } as PgBoss.Queue).catch((err) => {
    if (!/already exists/i.test((err as Error).message)) throw err;
  });
  return boss;
}

/** A pg-boss client for sending (no maintenance, no scheduling), one per database. */
function sender(url: string): Promise<PgBoss> {
  let b = senders.get(url);
  if (!b) {
    b = newBoss(url, { supervise: false, schedule: false });
    b.catch(() => senders.delete(url));
    senders.set(url, b);
  }
  return b;
}

/** Stops the senders this process opened (tests, CLIs before exit). */
export async function closeQueues(): Promise<void> {
  const all = [...senders.values()];
  senders.clear();
  await Promise.all(all.map(async (b) => (await b.catch(() => null))?.stop({ graceful: false, wait: true }).catch(() => undefined)));
}

export interface EnqueueRequest extends RoundRequest {}

/** Creates a round (one site audit per active site, filtered) and sends one job per audit. */
export async function enqueueRound(knex: Knex, req: EnqueueRequest): Promise<number> {
  const { roundId, audits } = await createRound(knex, req);
  if (!audits.length) return roundId;
  const jobs = audits.map((a) => ({ id: randomUUID(), siteAuditId: a.id }));
  await setJobIds(knex, jobs.map((j) => ({ id: j.siteAuditId, jobId: j.id })));
  const boss = await sender(connectionStringOf(knex));
  const opts = jobOptions();
  await boss.insert(jobs.map((j) => ({ id: j.id, name: AUDIT_QUEUE, data: { siteAuditId: j.siteAuditId } satisfies AuditJobData, ...opts })));
  return roundId;
}

/** Audits one site now (a round of one). */
export function auditSiteNow(knex: Knex, siteId: number, opts: { requestedBy?: number | null; referenceTime?: Date } = {}): Promise<number> {
  return enqueueRound(knex, { trigger: "manual", siteIds: [siteId], ...opts });
}

/** Audits every active site of one unit now. */
export async function auditUnitNow(knex: Knex, unitId: number, opts: { requestedBy?: number | null; referenceTime?: Date } = {}): Promise<number> {
  const siteIds = await activeSiteIdsOfUnit(knex, unitId);
  return enqueueRound(knex, { trigger: "manual", siteIds, ...opts });
}

export async function waitForRound(knex: Knex, roundId: number, timeoutMs: number, onProgress?: (p: RoundProgress) => void): Promise<RoundProgress> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const p = await roundProgress(knex, roundId);
    if (!p) throw new Error(`round ${roundId} does not exist`);
    onProgress?.(p);
    if (p.queued === 0 && p.running === 0) return p;
    if (Date.now() > until) throw new Error(`round ${roundId} not finished after ${timeoutMs} ms (${p.done + p.failed}/${p.total})`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/**
 * Fails the jobs of audits whose worker died (stale heartbeat) so pg-boss retries them with
 * backoff, and marks failed the audits whose job is gone or out of retries.
 */
export async function recoverStuckAudits(knex: Knex, boss: PgBoss, staleSeconds: number): Promise<{ retried: number; failed: number }> {
  let retried = 0;
  let failed = 0;
  for (const a of await staleAudits(knex, QUEUE_SCHEMA, AUDIT_QUEUE, staleSeconds)) {
    await boss.fail(AUDIT_QUEUE, a.jobId, { error: `worker stopped reporting (attempt ${a.attempts})` });
    retried++;
  }
  for (const a of await orphanedAudits(knex, QUEUE_SCHEMA, AUDIT_QUEUE, staleSeconds)) {
    await failAudit(knex, a.id, a.jobState ? `công việc kiểm tra kết thúc ở trạng thái ${a.jobState}` : "công việc kiểm tra không còn trong hàng đợi");
    failed++;
  }
  return { retried, failed };
}

export interface WorkerOptions {
  url: string;
  concurrency?: number;
  /** Page budget for sites without one. */
  maxPages?: number;
  fetcher?: FetcherOptions;
  /** Render pages that need JavaScript (and run axe) when Chromium is available. */
  render?: boolean;
  /** Seconds without heartbeat after which a running audit's worker is presumed dead. */
  staleSeconds?: number;
  maxAuditMs?: number;
  onAuditStart?: (siteAuditId: number) => void;
  onAuditEnd?: (siteAuditId: number, outcome: RunAuditOutcome | { status: "error"; error: string }) => void;
  onProgress?: (siteAuditId: number, p: CrawlProgress) => void;
}

export interface WorkerHandle {
  stop(): Promise<void>;
  readonly name: string;
  readonly knex: Knex;
}

export async function startWorker(opts: WorkerOptions): Promise<WorkerHandle> {
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? envNumber("WORKER_CONCURRENCY", 2)));
  const knex = createKnex(opts.url, { max: concurrency + 3 });
  const staleSeconds = opts.staleSeconds ?? envNumber("AUDIT_STALE_SECONDS", 90);
  const boss = await newBoss(opts.url, {
    supervise: true,
    schedule: false,
    maintenanceIntervalSeconds: 60,
    max: concurrency + 2,
  });
  const fetcher = new Fetcher({ globalConcurrency: Math.max(16, concurrency * 8), ...opts.fetcher });
  const renderer = opts.render === false ? null : new Renderer({ maxPages: 2 });
  const name = `${os.hostname()}:${process.pid}`;
  const workerIds: string[] = [];
  const onRescoreError = (err: Error) => console.error(`Tính điểm sau kiểm tra: ${err.message}`);
  const sweeper = startRescoreSweeper(knex, { onError: onRescoreError });
  const handle = async (jobs: PgBoss.JobWithMetadata<AuditJobData>[]) => {
    for (const job of jobs) {
      const id = Number(job.data?.siteAuditId);
      if (!Number.isInteger(id)) continue;
      opts.onAuditStart?.(id);
      try {
        const outcome = await runSiteAudit(knex, id, {
          fetcher,
          renderer,
          worker: name,
          jobId: job.id,
          defaultMaxPages: opts.maxPages,
          maxDurationMs: opts.maxAuditMs ?? Math.max(60_000, (jobOptions().expireInSeconds - 60) * 1000),
          onProgress: opts.onProgress,
        });
        // The month's page-load medians (crawler/perf/) go onto the new audit too.
        if (outcome.status === "done") await stampAuditPageLoad(knex, id).catch((err) => onRescoreError(err as Error));
        // Scores follow the audit within seconds; a failed rescore keeps its request for the
        // next drain (the sweeper) and never fails the audit job.
        if (outcome.status === "done") await drainRescoreRequests(knex).catch((err) => onRescoreError(err as Error));
        // E-mail to the unit's heads (new point-losing findings, failed/unverifiable): queued, never blocks.
        await notifyAuditOutcome(knex, id);
        opts.onAuditEnd?.(id, outcome);
      } catch (err) {
        const message = (err as Error).message;
        opts.onAuditEnd?.(id, { status: "error", error: message });
        if (job.retryCount >= job.retryLimit) {
          await failAudit(knex, id, `lỗi khi kiểm tra: ${message}`).catch(() => undefined);
          await notifyAuditOutcome(knex, id);
        }
        throw err;
      }
    }
  };
  for (let i = 0; i < concurrency; i++) {
    workerIds.push(
      await boss.work<AuditJobData>(AUDIT_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5, includeMetadata: true }, handle),
    );
  }
  let recovering = false;
  const recovery = setInterval(
    () => {
      if (recovering) return;
      recovering = true;
      recoverStuckAudits(knex, boss, staleSeconds)
        .catch(() => undefined)
        .finally(() => {
          recovering = false;
        });
    },
    Math.max(1000, Math.min(15_000, (staleSeconds * 1000) / 3)),
  );
  recovery.unref();
  let stopped = false;
  return {
    name,
    knex,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(recovery);
      sweeper.stop();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => undefined);
      await renderer?.close();
      await fetcher.close();
      await knex.destroy();
    },
  };
}
