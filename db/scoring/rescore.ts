// Scores that follow the data (docs/decisions/0009-rescoring.md).
//
// A change that can move a score (an audit finishing, a unit added, edited or deactivated, an
// appeal decided, a rubric published, the holiday table edited) writes a score request, in its
// own transaction where it can; `drainRescoreRequests` then rescores what the pending requests
// name, incrementally: only the named units are read again, the other units of their groups
// are re-ranked from their stored scores. The worker drains after each audit, the dashboard
// after each change it makes, and a sweeper every half minute catches anything left (a process
// that died between the change and the rescore). Closed (frozen) periods are never touched.
import type { Knex } from "knex";
import { parsePeriodCode, periodsContaining } from "./period-codes.ts";
import { openPeriodCodes, recomputePeriods, SCORING_TIME_ZONE, type RecomputeResult } from "./compute.ts";

export interface RescoreRequest {
  /** Units whose scores may change; omitted or null: every unit. */
  unitIds?: number[] | null;
  /** Periods that may change; omitted or null: every open period holding data. */
  periodCodes?: string[] | null;
  /** Why (shown in the scoring log): "audit:123", "unit.update:4", "rubric.publish:2"… */
  reason: string;
}

export interface ScoringRun {
  id: number;
  startedAt: Date;
  finishedAt: Date;
  reasons: string[];
  unitIds: number[] | null;
  periods: string[];
  unitsScored: number;
  ms: number;
  error: string | null;
}

export interface DrainResult {
  requests: number;
  result: RecomputeResult;
  run: ScoringRun;
}

const DRAIN_LOCK = "tuan-thu:rescore-drain";

export async function requestRescore(knex: Knex | Knex.Transaction, req: RescoreRequest): Promise<void> {
  const unitIds = req.unitIds == null ? null : [...new Set(req.unitIds.filter((n) => Number.isInteger(n)))];
  if (unitIds !== null && unitIds.length === 0) return;
  const codes = req.periodCodes == null ? null : [...new Set(req.periodCodes.map((c) => parsePeriodCode(c).code))];
  if (codes !== null && codes.length === 0) return;
  await knex("score_requests").insert({ unit_ids: unitIds, period_codes: codes, reason: req.reason.slice(0, 200) });
}

/** The request an audit makes when it finishes: its unit, the periods holding its Vietnam day. */
export async function requestRescoreForAudit(knex: Knex | Knex.Transaction, siteAuditId: number): Promise<void> {
  const { rows } = await knex.raw(
    `select unit_id, to_char((reference_time at time zone ?)::date, 'YYYY-MM-DD') as day from site_audits where id = ?`,
    [SCORING_TIME_ZONE, siteAuditId],
  );
  if (!rows.length) return;
  await requestRescore(knex, {
    unitIds: [rows[0].unit_id],
    periodCodes: periodsContaining(rows[0].day).map((p) => p.code),
    reason: `audit:${siteAuditId}`,
  });
}

export async function pendingRescoreCount(knex: Knex): Promise<number> {
  const [{ n }] = await knex("score_requests").count({ n: "*" });
  return Number(n);
}

function toRun(r: Record<string, any>): ScoringRun {
  return {
    id: Number(r.id),
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    reasons: r.reasons,
    unitIds: r.unit_ids,
    periods: r.periods,
    unitsScored: r.units_scored,
    ms: r.ms,
    error: r.error,
  };
}

/**
 * Rescores what the pending requests name, in one transaction: the requests are consumed only
 * if the rescore commits (a failed rescore leaves them for the next drain). Drains run one at a
 * time across processes. Returns null when nothing was pending.
 */
export async function drainRescoreRequests(knex: Knex): Promise<DrainResult | null> {
  const started = new Date();
  try {
    return await knex.transaction(async (trx) => {
      await trx.raw("select pg_advisory_xact_lock(hashtext(?))", [DRAIN_LOCK]);
      const reqs: { id: string; unit_ids: number[] | null; period_codes: string[] | null; reason: string }[] = (
        await trx.raw(`delete from score_requests returning id, unit_ids, period_codes, reason`)
      ).rows;
      if (!reqs.length) return null;
      const everyUnit = reqs.some((r) => r.unit_ids === null);
      const unitIds = everyUnit ? null : [...new Set(reqs.flatMap((r) => r.unit_ids ?? []))].sort((a, b) => a - b);
      const everyPeriod = reqs.some((r) => r.period_codes === null);
      const codes = everyPeriod ? await openPeriodCodes(trx, unitIds) : [...new Set(reqs.flatMap((r) => r.period_codes ?? []))];
      const result = await recomputePeriods(trx, codes, unitIds ? { unitIds } : {});
      const reasons = [...new Set(reqs.map((r) => r.reason))].slice(0, 50);
      const [row] = await trx("scoring_runs")
        .insert({
          started_at: started,
          reasons,
          unit_ids: unitIds,
          periods: result.recomputed,
          units_scored: result.unitsScored,
          ms: Date.now() - started.getTime(),
        })
        .returning("*");
      return { requests: reqs.length, result, run: toRun(row) };
    });
  } catch (err) {
    await knex("scoring_runs")
      .insert({ started_at: started, reasons: ["error"], periods: [], ms: Date.now() - started.getTime(), error: (err as Error).message.slice(0, 1000) })
      .catch(() => undefined);
    throw err;
  }
}

/** Requests and drains at once (a change made by the dashboard, a command, a test). */
export async function rescoreNow(knex: Knex, req: RescoreRequest): Promise<DrainResult | null> {
  await requestRescore(knex, req);
  return drainRescoreRequests(knex);
}

/** The latest successful scoring run (for "điểm được tính lúc …"). */
export async function lastScoringRun(knex: Knex): Promise<ScoringRun | null> {
  const row = await knex("scoring_runs").whereNull("error").orderBy("finished_at", "desc").first();
  return row ? toRun(row) : null;
}

export interface Sweeper {
  stop(): void;
}

/** Drains pending requests every `intervalMs` (default 30 s); errors go to `onError`. */
export function startRescoreSweeper(knex: Knex, opts: { intervalMs?: number; onError?: (err: Error) => void } = {}): Sweeper {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    drainRescoreRequests(knex)
      .catch((err) => (opts.onError ?? ((e: Error) => console.error(`Tính điểm: ${e.message}`)))(err as Error))
      .finally(() => {
        busy = false;
      });
  }, opts.intervalMs ?? 30_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** For the dashboard header: when scores were last computed, and whether a rescore is pending. */
export async function scoringStatus(knex: Knex): Promise<{ lastComputedAt: Date | null; pending: number }> {
  const [last, pending] = await Promise.all([lastScoringRun(knex), pendingRescoreCount(knex)]);
  return { lastComputedAt: last?.finishedAt ?? null, pending };
}
