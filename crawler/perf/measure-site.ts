// One site's page-load measurement: its home page and a few key pages (db/queries/page-load.ts
// pageLoadTarget), one Lighthouse run each, stored as evidence; then the month's medians are
// stamped onto the site's audits of this month and the scores that change are recomputed.
import type { Knex } from "knex";
import { insertPageLoadRuns, pageLoadTarget, stampSiteMonth } from "../../db/queries/page-load.ts";
import { drainRescoreRequests } from "../../db/scoring/rescore.ts";
import { measurePages, type MeasureOptions, type PageLoadRunResult } from "./lighthouse.ts";

export interface MeasureSiteOptions extends MeasureOptions {
  /** Category pages measured besides the home page (default PAGE_LOAD_KEY_PAGES, else 2). */
  keyPages?: number;
  /** The schedule slot that asked for it (null: on demand). */
  slot?: Date | null;
  /** Recompute the scores now (default true); the workers' sweeper does it otherwise. */
  rescore?: boolean;
}

export interface MeasureSiteResult {
  siteId: number;
  runIds: number[];
  runs: PageLoadRunResult[];
  stampedAudits: number[];
}

export function defaultKeyPages(): number {
  const v = Number(process.env.PAGE_LOAD_KEY_PAGES);
  return Number.isInteger(v) && v >= 0 && v <= 10 ? v : 2;
}

/** Measures one active site now; null when the site does not exist or is inactive. */
export async function measureSite(knex: Knex, siteId: number, opts: MeasureSiteOptions = {}): Promise<MeasureSiteResult | null> {
  const target = await pageLoadTarget(knex, siteId, opts.keyPages ?? defaultKeyPages());
  if (!target) return null;
  const runs = await measurePages(
    target.pages.map((p) => p.url),
    { allowedHosts: target.allowedHosts, allowPrivate: target.allowPrivate },
    opts,
  );
  const runIds = await insertPageLoadRuns(
    knex,
    siteId,
    runs.map((r, i) => ({ ...r, kind: target.pages[i].kind })),
    opts.slot ?? null,
  );
  const stampedAudits = await stampSiteMonth(knex, siteId, runs[0]?.measuredAt ?? new Date());
  if (stampedAudits.length && opts.rescore !== false) await drainRescoreRequests(knex);
  return { siteId, runIds, runs, stampedAudits };
}
