// "Chưa xác minh được" (could not verify): after the checks, every verdict that rests on a
// failure of ours — a page our user agent was refused (403/429), a render that failed, a
// timeout, a transient error that outlived the retries, a link never fetched within the
// budget — is turned from "missing/unreachable/present-unchecked" into an unverified item with
// its reason. Unverified items cost the unit no points until an inspector decides
// (docs/decisions/0013-unverified.md). Also computes the audit's coverage.
import { normalizeUrl } from "../discover/normalize.ts";
import type { AuditCoverage, AuditMetrics, CategoryStatus, FetchedPage, FindingOut, UnverifiedItem, UnverifiedReason } from "../types.ts";
import type { FetchOutcome } from "../fetch/fetcher.ts";

export const UNVERIFIED_LABEL = "Chưa xác minh được";

/** Short Vietnamese label of each reason (dashboard, API, unit sheet). */
export const UNVERIFIED_REASON_LABELS: Record<UnverifiedReason, string> = {
  blocked: "bộ thu thập bị chặn (HTTP 403/429, tường lửa)",
  "render-failed": "không hiển thị được trang bằng Chromium",
  timeout: "quá thời gian chờ",
  "not-fetched": "chưa tải được trong giới hạn của lượt kiểm tra",
  transient: "lỗi tạm thời của máy chủ sau khi đã thử lại",
};

/** Metrics read from pages reached through the menus: unverifiable when the home page could not be rendered. */
const CONTENT_METRICS = [
  "freshness.daysSinceLastPost",
  "freshness.postsLast7Days",
  "freshness.postsLast30Days",
  "freshness.postsLast90Days",
  "freshness.postsPerWeek",
  "freshness.newSincePreviousAudit",
  "deadlines.documentsChecked",
  "deadlines.documentsOnTime",
  "attribution.articlesChecked",
  "attribution.withAuthor",
  "attribution.withSource",
];
const AXE_METRIC = "technical.axeSeriousViolations";

type PageLike = FetchedPage & Partial<Pick<FetchOutcome, "errorCode" | "attempts">>;

export interface VerdictInput {
  categories: { id: string; status: CategoryStatus; url: string | null; snippet?: string | null; verified?: boolean }[];
  metrics?: Partial<AuditMetrics>;
  findings: FindingOut[];
}

export interface VerdictCrawl {
  pages: PageLike[];
  stats: { fetched: number; failed: number; rendered: number; robotsSkipped: number; found?: number };
  crawlError: string | null;
  snapshot: { axe?: unknown };
}

export interface VerdictOptions {
  renderMode?: "auto" | "never" | "always";
  /** Why the renderer cannot run here (Chromium missing…), or null; undefined = no renderer given. */
  rendererUnavailable?: string | null;
  /** Category names for labels (id → name). */
  categoryName?: (id: string) => string;
}

/** Why a fetched page failed, as a coverage bucket; null when it did not fail. */
export function failureReason(p: PageLike): UnverifiedReason | "not-found" | "other" | null {
  const failed = !!p.error || p.status === 0 || p.status >= 400;
  if (!failed) return null;
  if (p.errorCode === "timeout") return "timeout";
  if (p.status === 403 || p.status === 429) return "blocked";
  if (p.status >= 500 || (p.status === 0 && p.errorCode === "fetch-error")) return "transient";
  if (p.errorCode === "blocked") return "not-fetched";
  if (p.status === 404 || p.status === 410) return "not-found";
  return "other";
}

function pageDetail(p: PageLike, reason: UnverifiedReason): string {
  const url = p.finalUrl || p.url;
  const tries = (p.attempts ?? 1) > 1 ? ` (${p.attempts} lần thử)` : "";
  switch (reason) {
    case "blocked":
      return `Trang ${url} từ chối bộ thu thập (HTTP ${p.status}): có thể tường lửa chặn user agent của Tuân Thủ.`;
    case "timeout":
      return `Trang ${url} không trả lời trong thời hạn${tries}.`;
    case "transient":
      return `Trang ${url} gặp lỗi tạm thời (${p.status ? `HTTP ${p.status}` : (p.error ?? "mất kết nối")})${tries}.`;
    case "not-fetched":
      return `Liên kết ${url} không được tải (${p.error ?? "ngoài phạm vi được phép"}).`;
    default:
      return `Trang ${url}: ${p.error ?? `HTTP ${p.status}`}.`;
  }
}

function coverageOf(crawl: VerdictCrawl): AuditCoverage {
  const pages = crawl.pages.filter((p) => p.kind !== "robots");
  const failedByReason: AuditCoverage["failedByReason"] = {};
  let ok = 0;
  let retried = 0;
  let renderFailed = 0;
  for (const p of pages) {
    const r = failureReason(p);
    if (r) failedByReason[r] = (failedByReason[r] ?? 0) + 1;
    else ok++;
    if ((p.attempts ?? 1) > 1) retried++;
    if (p.renderError) renderFailed++;
  }
  const fetched = pages.length;
  const found = Math.max(crawl.stats.found ?? fetched, fetched);
  return {
    found,
    fetched,
    ok,
    failed: fetched - ok,
    failedByReason,
    notFetched: Math.max(0, found - fetched - crawl.stats.robotsSkipped),
    robotsSkipped: crawl.stats.robotsSkipped,
    retried,
    rendered: crawl.stats.rendered,
    renderFailed,
  };
}

/**
 * Applies the unverified verdicts to a checks result in place (categories, metrics, findings)
 * and returns the items and the coverage. Idempotent for a given input.
 */
export function applyVerdicts(result: VerdictInput, crawl: VerdictCrawl, opts: VerdictOptions = {}): { unverified: UnverifiedItem[]; coverage: AuditCoverage } {
  const byUrl = new Map<string, PageLike>();
  for (const p of crawl.pages) {
    if (p.kind === "robots") continue;
    for (const u of [p.url, p.finalUrl]) {
      const n = u ? (normalizeUrl(u) ?? u) : null;
      if (n && !byUrl.has(n)) byUrl.set(n, p);
    }
  }
  const find = (url: string | null) => (url ? byUrl.get(normalizeUrl(url) ?? url) : undefined);
  const name = (id: string) => opts.categoryName?.(id) ?? id;
  const home = crawl.pages.find((p) => p.kind === "home");
  const homeRenderFailed = !!home?.renderError;
  const timedOut = !!crawl.crawlError && /hết thời gian/.test(crawl.crawlError);
  const items: UnverifiedItem[] = [];
  const dropFindings = new Set<string>();

  for (const c of result.categories) {
    let reason: UnverifiedReason | null = null;
    let detail = "";
    const page = find(c.url);
    if (c.status === "present" && c.verified === false && c.url && !page) {
      reason = "not-fetched";
      detail = `Đã thấy liên kết ${c.url} nhưng chưa tải trang này trong giới hạn của lượt kiểm tra.`;
    } else if (c.status === "unreachable" && page) {
      const r = failureReason(page);
      if (r && r !== "not-found" && r !== "other") {
        reason = r;
        detail = pageDetail(page, r);
      }
    } else if (c.status === "unreachable" && !page) {
      reason = "not-fetched";
      detail = `Chưa tải được trang ${c.url ?? ""} của chuyên mục.`;
    } else if ((c.status === "missing" || c.status === "empty") && homeRenderFailed) {
      reason = "render-failed";
      detail = `Trang chủ cần JavaScript để hiện menu nhưng không hiển thị được: ${home!.renderError}.`;
    } else if (c.status === "empty" && page?.renderError) {
      reason = "render-failed";
      detail = `Trang ${c.url} cần JavaScript nhưng không hiển thị được: ${page.renderError}.`;
    } else if (c.status === "missing" && timedOut) {
      reason = "timeout";
      detail = `Lượt kiểm tra hết thời gian trước khi đọc hết trang (${crawl.crawlError}).`;
    }
    if (!reason) continue;
    const observed = c.status === "present" ? "present-unchecked" : c.status;
    c.status = "unverified";
    dropFindings.add(c.id);
    items.push({ key: `category:${c.id}`, label: `Chuyên mục “${name(c.id)}”`, reason, detail, url: c.url, categoryId: c.id, observed });
  }

  const metrics = result.metrics;
  const unverifiedMetrics = new Set<string>(metrics?.unverifiedMetrics ?? []);
  // Dates, documents and bylines are read on the listing pages and the items they list: a
  // listing we could not read (or a home page we could not render) leaves them unverified.
  const ours = (r: ReturnType<typeof failureReason>): r is UnverifiedReason => !!r && r !== "not-found" && r !== "other";
  const failedListing = crawl.pages.find((p) => (p.kind === "category" || p.kind === "listing") && ours(failureReason(p)));
  const content: { reason: UnverifiedReason; detail: string; url: string } | null = homeRenderFailed
    ? {
        reason: "render-failed",
        detail: `Trang chủ cần JavaScript nhưng không hiển thị được (${home!.renderError}): các trang tin và văn bản có thể chưa được đọc hết.`,
        url: home!.finalUrl || home!.url,
      }
    : failedListing
      ? {
          reason: failureReason(failedListing) as UnverifiedReason,
          detail: `Không đọc được trang danh sách: ${pageDetail(failedListing, failureReason(failedListing) as UnverifiedReason)} Các tin và văn bản của nó chưa được kiểm tra.`,
          url: failedListing.finalUrl || failedListing.url,
        }
      : null;
  if (content) {
    const paths = CONTENT_METRICS;
    paths.forEach((p) => unverifiedMetrics.add(p));
    items.push({ key: "metrics:content", label: "Cập nhật tin bài, thời hạn văn bản, tác giả và nguồn tin", ...content, metrics: paths, observed: null });
  }
  if (homeRenderFailed) {
    if (metrics?.identity) {
      const missing = Object.entries(metrics.identity)
        .filter(([, v]) => v === false)
        .map(([k]) => `identity.${k}`);
      if (missing.length) {
        missing.forEach((p) => unverifiedMetrics.add(p));
        items.push({
          key: "metrics:identity",
          label: "Thông tin định danh ở chân trang",
          reason: "render-failed",
          detail: `Trang chủ cần JavaScript nhưng không hiển thị được (${home!.renderError}): chân trang có thể chưa được đọc đầy đủ.`,
          url: home!.finalUrl || home!.url,
          metrics: missing,
          observed: "missing",
        });
      }
    }
  }
  // HT (TT 22/2023): the links required on the home page may be drawn by JavaScript too.
  let dropHomeLinks = false;
  if (homeRenderFailed && metrics?.homeLinks && metrics.homeLinks.present < metrics.homeLinks.required) {
    dropHomeLinks = true;
    unverifiedMetrics.add("homeLinks.present");
    items.push({
      key: "metrics:home-links",
      label: "Liên kết bắt buộc trên trang chủ",
      reason: "render-failed",
      detail: `Trang chủ cần JavaScript nhưng không hiển thị được (${home!.renderError}): các liên kết có thể chưa được đọc hết.`,
      url: home!.finalUrl || home!.url,
      metrics: ["homeLinks.present"],
      observed: "missing",
    });
  }
  const renderWanted = opts.renderMode !== "never" && opts.rendererUnavailable !== undefined;
  if (renderWanted && crawl.snapshot.axe == null && home && !home.error) {
    const why = opts.rendererUnavailable ?? home.renderError ?? "không chạy được axe-core trên trang chủ";
    unverifiedMetrics.add(AXE_METRIC);
    items.push({
      key: "metrics:axe",
      label: "Khả năng tiếp cận (axe-core)",
      reason: "render-failed",
      detail: `Không kiểm tra được khả năng tiếp cận vì không hiển thị được trang chủ bằng Chromium: ${why}.`,
      url: home.finalUrl || home.url,
      metrics: [AXE_METRIC],
      observed: null,
    });
  }
  if (metrics) {
    if (metrics.categories) {
      const status = new Map(result.categories.map((c) => [c.id, c.status]));
      for (const m of metrics.categories) m.status = status.get(m.id) ?? m.status;
    }
    if (unverifiedMetrics.size) metrics.unverifiedMetrics = [...unverifiedMetrics].sort();
  }

  // The findings that would have counted the failure against the unit give way to one
  // "verdict.unverified" finding per item (information, with its reason).
  const CATEGORY_CODES = new Set(["category.unreachable", "category.missing", "category.empty", "category.optional-missing"]);
  const kept = result.findings.filter((f) => !(f.categoryId && dropFindings.has(f.categoryId) && CATEGORY_CODES.has(f.code)) && !(dropHomeLinks && f.code === "home-links.missing"));
  for (const it of items) {
    kept.push({
      check: "crawl",
      code: "verdict.unverified",
      severity: "info",
      message: `${UNVERIFIED_LABEL}: ${it.label} — ${UNVERIFIED_REASON_LABELS[it.reason]}. ${it.detail}`,
      url: it.url,
      categoryId: it.categoryId ?? null,
      snippet: null,
      details: { key: it.key, reason: it.reason, observed: it.observed ?? null, metrics: it.metrics ?? null },
    });
  }
  result.findings.splice(0, result.findings.length, ...kept);
  return { unverified: items, coverage: coverageOf(crawl) };
}

/** The reason a whole audit could not run, when it is ours (blocked, timeout, transient), else null. */
export function startFailureVerdict(crawl: VerdictCrawl): { reason: UnverifiedReason; detail: string } | null {
  const home = crawl.pages.find((p) => p.kind === "home");
  if (!home) return null;
  const r = failureReason(home);
  if (!r || r === "not-found" || r === "other") return null;
  return { reason: r, detail: pageDetail(home, r) };
}
