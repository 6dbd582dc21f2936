// Page-load runs (crawler/perf/) as evidence, their monthly medians, and the stamp of those medians
// onto a site's done audits (summary.pageLoad, findings "page-load.*", and a "chưa xác minh được"
// item when every run of the month failed). See docs/decisions/0019-page-load.md.
// A site's figure for a month: for each measured page the median of its runs in the month (Vietnam
// calendar), then the worst page — a site is within a budget only when every measured page is.
import type { Knex } from "knex";
import { PAGE_LOAD_BUDGETS, PAGE_LOAD_LEGAL_BASIS, formatSeconds, withinBudget, type PageLoadMetric } from "../../crawler/perf/budgets.ts";
import type { PageLoadRunResult } from "../../crawler/perf/lighthouse.ts";
import type { AuditMetrics, UnverifiedItem } from "../../crawler/types.ts";
import { VIETNAM_TIME_ZONE, periodRange } from "../time.ts";
import { requestRescoreForAudit } from "../scoring/rescore.ts";

export type PageKind = "home" | "key";
export type PageLoadFigures = NonNullable<AuditMetrics["pageLoad"]>;

export const PAGE_LOAD_CHECK_ID = "page-load";
export const PAGE_LOAD_ITEM_KEY = "page-load";
const OK_PATHS = ["pageLoad.fcpOk", "pageLoad.lcpOk", "pageLoad.speedIndexOk", "pageLoad.tbtOk"];
const FINDING_CODE: Record<PageLoadMetric, string> = {
  fcpMs: "page-load.fcp",
  lcpMs: "page-load.lcp",
  speedIndexMs: "page-load.speed-index",
  tbtMs: "page-load.tbt",
};

export interface PageLoadTarget {
  siteId: number;
  unitId: number;
  baseUrl: string;
  allowedHosts: string[];
  allowPrivate: boolean;
  pages: { url: string; kind: PageKind }[];
}

/** Category pages measured besides the home page, in order of preference. */
const KEY_CATEGORIES = ["tin-tuc", "chi-dao-dieu-hanh", "van-ban", "thu-tuc-hanh-chinh", "gioi-thieu"];

/**
 * The pages to measure on a site: its home page and up to `keyPages` category pages found by its
 * latest done audit (news first). Null when the site does not exist or is inactive.
 */
export async function pageLoadTarget(knex: Knex, siteId: number, keyPages = 2): Promise<PageLoadTarget | null> {
  const site = await knex("sites").where({ id: siteId, active: true }).first("id", "unit_id", "base_url", "allowed_hosts", "allow_private");
  if (!site) return null;
  const audit = await knex("site_audits").where({ site_id: siteId, status: "done" }).orderBy("reference_time", "desc").orderBy("id", "desc").first("summary");
  const home = String(site.base_url);
  const pages: { url: string; kind: PageKind }[] = [{ url: home, kind: "home" }];
  const cats = (Array.isArray(audit?.summary?.categories) ? audit.summary.categories : []) as { id?: unknown; status?: unknown; url?: unknown }[];
  const present = cats.filter((c) => c && c.status === "present" && typeof c.url === "string" && typeof c.id === "string");
  const rank = (id: string) => (KEY_CATEGORIES.includes(id) ? KEY_CATEGORIES.indexOf(id) : KEY_CATEGORIES.length);
  present.sort((a, b) => rank(a.id as string) - rank(b.id as string));
  const strip = (u: string) => u.replace(/\/+$/, "");
  for (const c of present) {
    if (pages.length > keyPages) break;
    const url = c.url as string;
    if (pages.some((p) => strip(p.url) === strip(url))) continue;
    pages.push({ url, kind: "key" });
  }
  return { siteId: site.id, unitId: site.unit_id, baseUrl: home, allowedHosts: site.allowed_hosts ?? [], allowPrivate: site.allow_private, pages };
}

/** Active sites, in id order (what a scheduled slot measures). */
export async function activePageLoadSiteIds(knex: Knex): Promise<number[]> {
  return (await knex("sites").where({ active: true }).orderBy("id").select("id")).map((r: { id: number }) => r.id);
}

export interface RunToStore extends PageLoadRunResult {
  kind: PageKind;
}

export async function insertPageLoadRuns(knex: Knex, siteId: number, runs: RunToStore[], slot: Date | null = null): Promise<number[]> {
  if (!runs.length) return [];
  const rows = await knex("page_load_runs")
    .insert(
      runs.map((r) => ({
        site_id: siteId,
        url: r.url.slice(0, 2000),
        page_kind: r.kind,
        measured_at: r.measuredAt,
        fcp_ms: r.error ? null : r.fcpMs,
        lcp_ms: r.error ? null : r.lcpMs,
        speed_index_ms: r.error ? null : r.speedIndexMs,
        tbt_ms: r.error ? null : r.tbtMs,
        error: r.error?.slice(0, 1000) ?? null,
        duration_ms: Math.max(0, Math.round(r.durationMs)),
        throttling: r.throttling,
        tool: r.lighthouseVersion ? `Lighthouse ${r.lighthouseVersion}` : "Lighthouse",
        slot,
      })),
    )
    .returning("id");
  return rows.map((r: { id: number | string }) => Number(r.id));
}

export interface PageMedian {
  url: string;
  kind: PageKind;
  runs: number;
  failed: number;
  fcpMs: number | null;
  lcpMs: number | null;
  speedIndexMs: number | null;
  tbtMs: number | null;
}

export interface MonthFigures {
  /** YYYY-MM (Vietnam calendar). */
  month: string;
  pages: PageMedian[];
  /** The site's figures (worst page's medians); null when no run of the month succeeded. */
  site: PageLoadFigures | null;
  okRuns: number;
  failedRuns: number;
  lastError: string | null;
  /** The page whose median is the site's figure, per metric. */
  worstUrl: Partial<Record<PageLoadMetric, string>>;
}

/** Medians of the site's runs in the Vietnam month `month` (YYYY-MM). */
export async function monthFigures(knex: Knex | Knex.Transaction, siteId: number, month: string): Promise<MonthFigures> {
  const { from, until } = periodRange(month);
  const { rows } = await knex.raw(
    `select url, min(page_kind) as kind,
            count(*) filter (where error is null)::int as runs,
            count(*) filter (where error is not null)::int as failed,
            percentile_cont(0.5) within group (order by fcp_ms) as fcp_ms,
            percentile_cont(0.5) within group (order by lcp_ms) as lcp_ms,
            percentile_cont(0.5) within group (order by speed_index_ms) as speed_index_ms,
            percentile_cont(0.5) within group (order by tbt_ms) as tbt_ms,
            (array_agg(error order by measured_at desc) filter (where error is not null))[1] as last_error
       from page_load_runs
      where site_id = ? and measured_at >= ? and measured_at < ?
      group by url
      order by min(page_kind), url`,
    [siteId, from, until],
  );
  const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));
  const pages: PageMedian[] = rows.map((r: Record<string, unknown>) => ({
    url: r.url as string,
    kind: r.kind as PageKind,
    runs: Number(r.runs),
    failed: Number(r.failed),
    fcpMs: num(r.fcp_ms),
    lcpMs: num(r.lcp_ms),
    speedIndexMs: num(r.speed_index_ms),
    tbtMs: num(r.tbt_ms),
  }));
  const okRuns = pages.reduce((s, p) => s + p.runs, 0);
  const failedRuns = pages.reduce((s, p) => s + p.failed, 0);
  const lastError = (rows.find((r: Record<string, unknown>) => r.last_error)?.last_error as string | undefined) ?? null;
  const worstUrl: Partial<Record<PageLoadMetric, string>> = {};
  let site: PageLoadFigures | null = null;
  if (okRuns > 0) {
    const worst = (metric: PageLoadMetric): number | null => {
      let best: PageMedian | null = null;
      for (const p of pages) if (p[metric] !== null && (best === null || (p[metric] as number) > (best[metric] as number))) best = p;
      if (best) worstUrl[metric] = best.url;
      return best ? (best[metric] as number) : null;
    };
    const fcpMs = worst("fcpMs");
    const lcpMs = worst("lcpMs");
    const speedIndexMs = worst("speedIndexMs");
    const tbtMs = worst("tbtMs");
    site = {
      fcpMs,
      lcpMs,
      speedIndexMs,
      tbtMs,
      fcpOk: withinBudget("fcpMs", fcpMs),
      lcpOk: withinBudget("lcpMs", lcpMs),
      speedIndexOk: withinBudget("speedIndexMs", speedIndexMs),
      tbtOk: withinBudget("tbtMs", tbtMs),
      runs: okRuns,
    };
  }
  return { month, pages, site, okRuns, failedRuns, lastError, worstUrl };
}

type Json = Record<string, any>;

/** JSON with keys sorted (jsonb does not keep key order), to tell whether a summary changed. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Json)[k])}`).join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

/**
 * Writes the page-load figures of the audit's month onto one done audit: summary.pageLoad, one
 * finding per budget exceeded, and — when every run of the month failed — a "chưa xác minh
 * được" item covering the four metrics. An audit of a month without runs is left as it is (the
 * criteria keep their points). Returns whether the summary changed.
 */
export async function stampAuditPageLoad(knex: Knex, siteAuditId: number): Promise<boolean> {
  return knex.transaction(async (trx) => {
    const audit = await trx("site_audits").where({ id: siteAuditId, status: "done" }).forUpdate().first("id", "site_id", "unit_id", "summary", "reference_time");
    if (!audit || !audit.summary || typeof audit.summary !== "object") return false;
    const { rows } = await trx.raw(`select to_char((?::timestamptz at time zone ?), 'YYYY-MM') as month`, [audit.reference_time, VIETNAM_TIME_ZONE]);
    // A closed (frozen) month keeps its audits as they were: its reports must not change.
    const frozen = await trx("periods").where({ code: rows[0].month }).whereNotNull("frozen_at").first("id");
    if (frozen) return false;
    const fig = await monthFigures(trx, audit.site_id, rows[0].month);
    if (fig.okRuns === 0 && fig.failedRuns === 0) return false;
    const before = canonical(audit.summary);
    const summary: Json = { ...audit.summary };
    const counted: string[] = Array.isArray(summary.countedMetrics) ? summary.countedMetrics : [];
    const unverifiedItems: Json[] = (Array.isArray(summary.unverified) ? summary.unverified : []).filter((i: Json) => i?.key !== PAGE_LOAD_ITEM_KEY);
    let unverifiedMetrics: string[] = (Array.isArray(summary.unverifiedMetrics) ? summary.unverifiedMetrics : []).filter((p: string) => !OK_PATHS.includes(p));
    let findings: Json[] = [];
    if (fig.site) {
      summary.pageLoad = fig.site;
      findings = PAGE_LOAD_BUDGETS.filter((b) => withinBudget(b.metric, fig.site![b.metric]) === false).map((b) => {
        const value = fig.site![b.metric] as number;
        const url = fig.worstUrl[b.metric] ?? null;
        return {
          site_audit_id: audit.id,
          site_id: audit.site_id,
          unit_id: audit.unit_id,
          check_id: PAGE_LOAD_CHECK_ID,
          code: FINDING_CODE[b.metric],
          severity: "error",
          message: `${b.label} (${b.lighthouseName}, di động): trung vị ${formatSeconds(value)}, vượt ngưỡng dưới ${formatSeconds(b.limitMs)} — ${fig.okRuns} lần đo trong tháng ${fig.month.slice(5)}/${fig.month.slice(0, 4)}.`,
          url,
          details: JSON.stringify({ metric: b.metric, medianMs: value, limitMs: b.limitMs, runs: fig.okRuns, month: fig.month, legalBasis: PAGE_LOAD_LEGAL_BASIS }),
        };
      });
    } else {
      summary.pageLoad = { fcpMs: null, lcpMs: null, speedIndexMs: null, tbtMs: null, fcpOk: null, lcpOk: null, speedIndexOk: null, tbtOk: null, runs: 0 } satisfies PageLoadFigures;
      const home = fig.pages.find((p) => p.kind === "home")?.url ?? fig.pages[0]?.url ?? null;
      const item: UnverifiedItem = {
        key: PAGE_LOAD_ITEM_KEY,
        label: "Tốc độ tải trang (Lighthouse, di động)",
        reason: "render-failed",
        detail: `Cả ${fig.failedRuns} lần đo tốc độ tải trang trong tháng đều không thành công${fig.lastError ? `: ${fig.lastError}` : ""}.`,
        url: home,
        metrics: OK_PATHS,
        observed: null,
      };
      unverifiedItems.push(item);
      unverifiedMetrics = [...new Set([...unverifiedMetrics, ...OK_PATHS.filter((p) => !counted.includes(p))])].sort();
    }
    summary.unverified = unverifiedItems;
    if (unverifiedMetrics.length) summary.unverifiedMetrics = unverifiedMetrics;
    else delete summary.unverifiedMetrics;
    if (canonical(summary) === before) return false;
    await trx("findings").where({ site_audit_id: audit.id, check_id: PAGE_LOAD_CHECK_ID }).delete();
    if (findings.length) await trx("findings").insert(findings);
    await trx("site_audits").where({ id: audit.id }).update({ summary: JSON.stringify(summary) });
    await requestRescoreForAudit(trx, audit.id);
    return true;
  });
}

/** Stamps every done audit of the site whose Vietnam month is that of `at`; returns the audits changed. */
export async function stampSiteMonth(knex: Knex, siteId: number, at: Date): Promise<number[]> {
  const { rows } = await knex.raw(
    `select id from site_audits
      where site_id = ? and status = 'done'
        and to_char(reference_time at time zone ?, 'YYYY-MM') = to_char(?::timestamptz at time zone ?, 'YYYY-MM')
      order by id`,
    [siteId, VIETNAM_TIME_ZONE, at, VIETNAM_TIME_ZONE],
  );
  const changed: number[] = [];
  for (const r of rows) if (await stampAuditPageLoad(knex, Number(r.id))) changed.push(Number(r.id));
  return changed;
}

export interface StoredRun {
  id: number;
  url: string;
  kind: PageKind;
  measuredAt: Date;
  fcpMs: number | null;
  lcpMs: number | null;
  speedIndexMs: number | null;
  tbtMs: number | null;
  error: string | null;
  durationMs: number;
  throttling: string;
  tool: string;
}

export interface SitePageLoad {
  siteId: number;
  baseUrl: string;
  figures: MonthFigures;
  runs: StoredRun[];
}

/** The unit's active sites with this month's medians and runs (newest first, at most `limit` per site). */
export async function pageLoadOfUnit(knex: Knex, unitId: number, month: string, limit = 30): Promise<SitePageLoad[]> {
  const sites = await knex("sites").where({ unit_id: unitId, active: true }).orderBy("id").select("id", "base_url");
  const { from, until } = periodRange(month);
  const out: SitePageLoad[] = [];
  for (const s of sites) {
    const figures = await monthFigures(knex, s.id, month);
    const runs = await knex("page_load_runs")
      .where({ site_id: s.id })
      .andWhere("measured_at", ">=", from)
      .andWhere("measured_at", "<", until)
      .orderBy("measured_at", "desc")
      .orderBy("id", "desc")
      .limit(limit)
      .select("id", "url", "page_kind", "measured_at", "fcp_ms", "lcp_ms", "speed_index_ms", "tbt_ms", "error", "duration_ms", "throttling", "tool");
    out.push({
      siteId: s.id,
      baseUrl: s.base_url,
      figures,
      runs: runs.map((r: Record<string, any>) => ({
        id: Number(r.id),
        url: r.url,
        kind: r.page_kind,
        measuredAt: new Date(r.measured_at),
        fcpMs: r.fcp_ms,
        lcpMs: r.lcp_ms,
        speedIndexMs: r.speed_index_ms,
        tbtMs: r.tbt_ms,
        error: r.error,
        durationMs: r.duration_ms,
        throttling: r.throttling,
        tool: r.tool,
      })),
    });
  }
  return out;
}

/** Claims a page-load slot (one enqueuer per slot among several schedulers); false when taken or not later than the last. */
export async function claimPageLoadSlot(knex: Knex, slot: Date, expression: string, claimedBy: string): Promise<boolean> {
  const { rows } = await knex.raw(
    `insert into page_load_slots (slot, expression, claimed_by)
     select ?::timestamptz, ?, ?
     where not exists (select 1 from page_load_slots where slot >= ?::timestamptz)
     on conflict (slot) do nothing
     returning slot`,
    [slot.toISOString(), expression, claimedBy, slot.toISOString()],
  );
  return rows.length > 0;
}

export async function releasePageLoadSlot(knex: Knex, slot: Date): Promise<void> {
  await knex("page_load_slots").where({ slot }).whereNull("sites").delete();
}

export async function markPageLoadSlot(knex: Knex, slot: Date, sites: number): Promise<void> {
  await knex("page_load_slots").where({ slot }).update({ sites });
}
