// One site audit as the worker runs it: start a fresh attempt (replacing any partial one),
// crawl, store pages as they come, run the checks, and write findings + summary + status in
// one transaction at the end.
import os from "node:os";
import type { Knex } from "knex";
import {
  beginAttempt,
  finishAudit,
  heartbeat,
  insertPages,
  loadAuditContext,
  loadHolidays,
  loadSnapshotBody,
  previousAudit,
  StaleAttemptError,
  updateProgress,
  type FindingRecord,
  type PageRecord,
} from "../../db/queries/audits.ts";
import type { Fetcher } from "../fetch/fetcher.ts";
import type { Renderer } from "../render/renderer.ts";
import type { AuditMetrics, FindingOut, PageKind, SiteAuditResult, UnverifiedItem } from "../types.ts";
import { loadChecks } from "./checks-adapter.ts";
import { crawlSite, type CrawledPage, type CrawlProgress, type CrawlResult, type PreviousPage, type RenderMode } from "./crawl-site.ts";
import { CATEGORY_BY_ID } from "../catalog/categories.ts";
import { storeAuditScreenshot } from "../../db/queries/screenshots.ts";
import { applyVerdicts, startFailureVerdict, UNVERIFIED_REASON_LABELS, type VerdictInput } from "./verdicts.ts";

export interface RunAuditDeps {
  fetcher: Fetcher;
  renderer?: Renderer | null;
  worker?: string;
  jobId?: string | null;
  /** Page budget when the site has none. */
  defaultMaxPages?: number;
  maxDurationMs?: number;
  /** Called with progress (for a CLI progress bar). */
  onProgress?: (siteAuditId: number, p: CrawlProgress) => void;
}

export type RunAuditOutcome = { status: "done" | "failed" | "skipped" | "stale"; error?: string | null; pages?: number };

const PAGE_BATCH = 25;

export function toPageRecord(p: CrawledPage): PageRecord {
  return {
    url: p.url,
    finalUrl: p.finalUrl,
    status: p.status,
    kind: p.kind ?? null,
    depth: p.depth ?? 0,
    fetchedAt: p.fetchedAt,
    durationMs: p.durationMs ?? null,
    headers: p.headers,
    contentHash: p.contentHash,
    body: p.contentHash ? p.body : null,
    rendered: p.rendered,
    notModified: !!p.notModified,
    title: p.title,
    error: p.error ?? p.renderError ?? null,
  };
}

/** Merges the crawler's own findings into the checks' (one per code and URL). */
export function mergeFindings(checks: FindingOut[], crawl: FindingOut[]): FindingOut[] {
  const seen = new Set(checks.map((f) => `${f.code}|${f.url ?? ""}`));
  return [...checks, ...crawl.filter((f) => !seen.has(`${f.code}|${f.url ?? ""}`))];
}

export function buildSummary(result: SiteAuditResult, crawl: { fetched: number; failed: number; notModified: number; rendered: number; durationMs: number }) {
  const metrics = (result.metrics ?? {}) as Partial<AuditMetrics>;
  return {
    ...metrics,
    result: { categories: result.categories, identity: result.identity, freshness: result.freshness, encoding: result.encoding },
    crawl,
    // "Chưa xác minh được" items and what the audit read (crawler/audit/verdicts.ts).
    unverified: (result.unverified as UnverifiedItem[] | undefined) ?? [],
    coverage: result.coverage ?? null,
  };
}

/**
 * Runs the verdicts on a checks result: our failures become unverified items (stored on the
 * result as `unverified`, with `coverage`). Shared by the worker and the `audit` command.
 */
export function withVerdicts(result: SiteAuditResult, crawl: CrawlResult, renderMode: RenderMode | undefined, renderer: Renderer | null | undefined): SiteAuditResult {
  const { unverified, coverage } = applyVerdicts(result as unknown as VerdictInput, crawl, {
    renderMode,
    rendererUnavailable: renderer ? renderer.unavailableReason() : undefined,
    categoryName: (id) => CATEGORY_BY_ID.get(id)?.name ?? id,
  });
  // HD: the domain/transport probe's own "could not verify" items (crawler/net/probe.ts).
  result.unverified = [...unverified, ...(((result as { probeUnverified?: UnverifiedItem[] }).probeUnverified) ?? [])];
  result.coverage = coverage;
  return result;
}

/** Summary of an audit whose start page failed: coverage and, when the failure is ours, the whole audit unverified. */
export function failedSummary(crawl: CrawlResult) {
  const verdict = startFailureVerdict(crawl);
  const probe = withVerdictsCoverage(crawl);
  return {
    crawl: crawl.stats,
    coverage: probe,
    unverified: verdict
      ? [{ key: "audit", label: "Toàn bộ trang", reason: verdict.reason, detail: `${UNVERIFIED_REASON_LABELS[verdict.reason]}: ${verdict.detail}`, url: crawl.snapshot.baseUrl, observed: "failed" } satisfies UnverifiedItem]
      : [],
  };
}

function withVerdictsCoverage(crawl: CrawlResult) {
  return applyVerdicts({ categories: [], findings: [] }, crawl).coverage;
}

export async function runSiteAudit(knex: Knex, siteAuditId: number, deps: RunAuditDeps): Promise<RunAuditOutcome> {
  const ctx = await loadAuditContext(knex, siteAuditId);
  if (!ctx) return { status: "skipped", error: "không tìm thấy lượt kiểm tra" };
  const worker = deps.worker ?? `${os.hostname()}:${process.pid}`;
  const attempt = await beginAttempt(knex, siteAuditId, worker, deps.jobId ?? null);
  if (attempt === null) return { status: "skipped" };

  const checks = await loadChecks();
  const [prev, holidays] = await Promise.all([previousAudit(knex, ctx.site.id, siteAuditId), loadHolidays(knex)]);
  const prevPages = new Map<string, PreviousPage>();
  for (const p of prev?.pages ?? []) {
    if (!p.contentHash || p.error) continue;
    prevPages.set(p.url, { etag: p.etag, lastModified: p.lastModified, contentHash: p.contentHash, status: p.status, headers: p.headers, title: p.title, rendered: p.rendered });
  }
  const seeds = (prev?.pages ?? []).map((p) => ({ url: p.url, kind: p.kind as PageKind | null, depth: p.depth }));

  let pending: PageRecord[] = [];
  let writing: Promise<void> = Promise.resolve();
  let stale = false;
  let lastProgress: CrawlProgress = { planned: 1, done: 0, failed: 0 };
  let progressDirty = false;
  const abort = new AbortController();
  const flush = () => {
    const batch = pending;
    pending = [];
    const progress = lastProgress;
    progressDirty = false;
    writing = writing.then(async () => {
      if (stale) return;
      try {
        if (batch.length) await insertPages(knex, siteAuditId, attempt, batch);
        if (!(await updateProgress(knex, siteAuditId, attempt, progress))) throw new StaleAttemptError(siteAuditId, attempt);
      } catch (err) {
        if (err instanceof StaleAttemptError) {
          stale = true;
          abort.abort();
          return;
        }
        throw err;
      }
    });
    return writing;
  };
  // The heartbeat says "alive" even while one slow page is being fetched.
  const beat = setInterval(() => {
    if (progressDirty) void flush().catch(() => undefined);
    else
      void heartbeat(knex, siteAuditId, attempt)
        .then((ok) => {
          if (!ok) {
            stale = true;
            abort.abort();
          }
        })
        .catch(() => undefined);
  }, 2_000);
  beat.unref();

  try {
    const crawl = await crawlSite({
      baseUrl: ctx.site.baseUrl,
      allowedHosts: ctx.site.allowedHosts,
      allowPrivate: ctx.site.allowPrivate,
      maxPages: ctx.site.maxPages ?? deps.defaultMaxPages ?? 200,
      renderMode: ctx.site.renderMode,
      crawlDelayMs: ctx.site.crawlDelayMs ?? 0,
      maxDurationMs: deps.maxDurationMs,
      fetcher: deps.fetcher,
      renderer: deps.renderer ?? null,
      screenshot: true,
      checks,
      previous: prev ? { pages: prevPages, seeds, loadBody: (h) => loadSnapshotBody(knex, h) } : null,
      referenceTime: ctx.referenceTime,
      unitType: ctx.unit.unitType,
      unitName: ctx.unit.name,
      previousItemUrls: prev?.itemUrls,
      holidays,
      signal: abort.signal,
      onPage: (page) => {
        pending.push(toPageRecord(page));
        if (pending.length >= PAGE_BATCH) void flush().catch(() => undefined);
      },
      onProgress: (p) => {
        lastProgress = p;
        progressDirty = true;
        deps.onProgress?.(siteAuditId, p);
      },
    });
    await flush();
    await writing;
    if (stale) return { status: "stale" };
    if (crawl.screenshot) {
      // Evidence of how the home page looked (issue 13 §4); a failure to keep it does not fail the audit.
      await storeAuditScreenshot(knex, siteAuditId, crawl.screenshot).catch(() => undefined);
    }
    const progress = { planned: Math.max(crawl.stats.fetched, lastProgress.planned), done: crawl.stats.fetched, failed: crawl.stats.failed };
    if (crawl.startError) {
      await finishAudit(knex, siteAuditId, attempt, {
        status: "failed",
        summary: failedSummary(crawl),
        findings: crawl.findings as FindingRecord[],
        error: crawl.startError,
        progress,
      });
      return { status: "failed", error: crawl.startError, pages: crawl.stats.fetched };
    }
    let result: SiteAuditResult;
    try {
      result = withVerdicts(await checks.runSiteChecks(crawl.snapshot), crawl, ctx.site.renderMode, deps.renderer);
    } catch (err) {
      // A fault in the checks is not the site's: keep the crawl as evidence, record why, and
      // do not re-crawl the site for it.
      const why = `lỗi khi chạy các phép kiểm tra: ${(err as Error).message}`;
      await finishAudit(knex, siteAuditId, attempt, { status: "failed", summary: { crawl: crawl.stats }, findings: crawl.findings as FindingRecord[], error: why, progress });
      return { status: "failed", error: why, pages: crawl.stats.fetched };
    }
    const findings = mergeFindings(result.findings ?? [], crawl.findings);
    await finishAudit(knex, siteAuditId, attempt, {
      status: "done",
      summary: buildSummary(result, crawl.stats),
      findings: findings as FindingRecord[],
      error: crawl.crawlError,
      progress,
    });
    return { status: "done", error: crawl.crawlError, pages: crawl.stats.fetched };
  } catch (err) {
    if (err instanceof StaleAttemptError || stale) return { status: "stale" };
    throw err;
  } finally {
    clearInterval(beat);
    await writing.catch(() => undefined);
  }
}
