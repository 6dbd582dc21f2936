// One site's crawl, in memory: robots.txt, the start page, then the frontier within the page
// budget. No database here: the worker stores what this returns, the `audit` command
// prints it. Every failure becomes a recorded error (on the page or the crawl).
// This file drives the crawl (target checks, robots, the start page, the pump); the state is
// one CrawlRun (crawl-run.ts) and each fetched page goes through the router of page handlers
// (handlers/index.ts), which decodes and parses it once for discovery and the checks.
import type { FetchOutcome, Fetcher } from "../fetch/fetcher.ts";
import { checkTarget, type TargetPolicy } from "../fetch/ssrf.ts";
import { Priority } from "../discover/frontier.ts";
import { isHtml } from "../discover/links.ts";
import { normalizeUrl } from "../discover/normalize.ts";
import type { Renderer } from "../render/renderer.ts";
import type { FindingOut, PageKind, SiteSnapshot } from "../types.ts";
import type { ChecksApi } from "./checks-adapter.ts";
import { CrawlRun, MAX_PROTOCOL_FETCHES, PAGE_FAILED } from "./crawl-run.ts";
import { routePage } from "./handlers/index.ts";
import { probeDomainTransport } from "../net/probe.ts";

export { sha256 } from "./crawl-run.ts";

export type RenderMode = "auto" | "never" | "always";

export interface PreviousPage {
  etag: string | null;
  lastModified: string | null;
  contentHash: string | null;
  status: number;
  headers: Record<string, string>;
  title?: string | null;
  /** The page was rendered in Chromium (its links came from the rendered HTML). */
  rendered?: boolean;
}

export interface PreviousPages {
  pages: Map<string, PreviousPage>;
  /**
   * Every URL the previous audit fetched (failed ones too), in fetch order. A re-audit queues
   * them up front and does not re-read the links of a page that answered 304: what it links to
   * is already here.
   */
  seeds?: { url: string; kind: PageKind | null; depth: number }[];
  /** The stored body of a previous page (for a 304), or null when it is not available. */
  loadBody(hash: string): Promise<Buffer | null>;
}

export interface CrawlSiteOptions {
  baseUrl: string;
  allowedHosts?: string[];
  allowPrivate?: boolean;
  maxPages?: number;
  maxDepth?: number;
  renderMode?: RenderMode;
  /** Site setting: minimum gap between requests to the site (robots Crawl-delay may raise it). */
  crawlDelayMs?: number;
  /** Hard limit on the whole crawl. */
  maxDurationMs?: number;
  newestPerListing?: number;
  /** Try the plain-HTTP home page to see whether it redirects to HTTPS. */
  probeHttpRedirect?: boolean;
  runAxe?: boolean;
  /** Probe the domain and transport (DNS, TLS, IPv6, DNSSEC: crawler/net/probe.ts) after the crawl; default on. */
  probeDomainTransport?: boolean;
  /** Take a Chromium screenshot of the home page when rendering is on (the worker stores it as evidence). */
  screenshot?: boolean;
  fetcher: Fetcher;
  renderer?: Renderer | null;
  checks: Pick<ChecksApi, "matchCategory" | "needsRendering">;
  previous?: PreviousPages | null;
  referenceTime?: Date;
  unitType?: string;
  unitName?: string;
  previousItemUrls?: string[];
  holidays?: Record<string, string>;
  signal?: AbortSignal;
  onPage?: (page: CrawledPage) => void | Promise<void>;
  /**
   * Keep page bodies in the result (default). A crawl whose consumer takes the bodies in onPage
   * and runs no checks afterwards (the benchmark) can drop them to hold less memory.
   */
  retainBodies?: boolean;
  /**
   * "full" (default): each HTML page is parsed once for discovery and the checks together, and
   * the parse is kept on the page (FetchedPage.parsed). "links": only discovery's reading, for a
   * crawl whose pages go to no checks (default when retainBodies is false).
   */
  parse?: "full" | "links";
  onProgress?: (p: CrawlProgress) => void;
}

export interface CrawlProgress {
  planned: number;
  done: number;
  failed: number;
}

export interface CrawledPage extends FetchOutcome {
  contentHash: string | null;
  rendered: boolean;
  title: string | null;
}

export interface CrawlResult {
  snapshot: SiteSnapshot;
  pages: CrawledPage[];
  /** Why the start page could not be fetched (the audit has no content to check). */
  startError: string | null;
  /** A problem with the crawl as a whole (time limit hit, robots unreachable…). */
  crawlError: string | null;
  findings: FindingOut[];
  /** Chromium's PNG of the home page (CrawlSiteOptions.screenshot), or null. */
  screenshot?: { png: Buffer; url: string; takenAt: Date } | null;
  screenshotError?: string | null;
  stats: { fetched: number; failed: number; notModified: number; rendered: number; robotsSkipped: number; durationMs: number; found?: number };
}

function withWwwVariants(hosts: string[]): string[] {
  const out = new Set<string>();
  for (const h of hosts) {
    let host = h.trim().toLowerCase();
    // Tolerate registry entries written as URLs ("https://x.gov.vn/").
    if (host.includes("://")) {
      try {
        host = new URL(host).host;
      } catch {
        continue;
      }
    }
    host = host.replace(/\/.*$/, "");
    if (!host) continue;
    out.add(host);
    if (/^[a-z]/.test(host) && !host.includes(":")) out.add(host.startsWith("www.") ? host.slice(4) : `www.${host}`);
  }
  return [...out];
}

export async function crawlSite(opts: CrawlSiteOptions): Promise<CrawlResult> {
  const base = normalizeUrl(opts.baseUrl);
  const run = new CrawlRun(opts, base);
  const { findings, stats, frontier } = run;
  if (!base) {
    findings.push({ check: "crawl", code: "crawl.fetch-error", severity: "error", message: `Địa chỉ trang không hợp lệ: ${opts.baseUrl}`, url: opts.baseUrl });
    return run.result(`địa chỉ không hợp lệ: ${opts.baseUrl}`);
  }
  const baseUrl = new URL(base);
  const policy: TargetPolicy = {
    allowedHosts: withWwwVariants([baseUrl.host, ...(opts.allowedHosts ?? [])]),
    allowPrivate: !!opts.allowPrivate,
  };
  run.baseUrl = baseUrl;
  run.policy = policy;
  const refusal = await checkTarget(baseUrl, policy);
  if (refusal) {
    findings.push({ check: "crawl", code: "crawl.fetch-error", severity: "error", message: `Không được phép tải trang: ${refusal}`, url: base });
    return run.result(refusal);
  }

  const deadline = AbortSignal.timeout(opts.maxDurationMs ?? 10 * 60_000);
  const signal = opts.signal ? AbortSignal.any([deadline, opts.signal]) : deadline;
  run.signal = signal;

  // robots.txt first: it decides whether we may fetch anything at all.
  const baseRobots = await run.robotsFor(baseUrl.origin);
  if (baseRobots.blockedReason || !baseRobots.isAllowed(base)) {
    const why = baseRobots.blockedReason ?? "robots.txt không cho phép tải trang chủ";
    findings.push({ check: "crawl", code: "crawl.robots-disallowed", severity: "error", message: `Không kiểm tra được trang: ${why}`, url: base });
    run.crawlError = why;
    return run.result(why);
  }

  frontier.push({ url: base, kind: "home", depth: 0, priority: Priority.home });
  let inflight = 0;
  let taken = 0;
  const progress = () =>
    opts.onProgress?.({ planned: Math.min(run.maxPages, taken + frontier.size), done: stats.fetched, failed: stats.failed });

  /** Fetch, route to the page's handler, record. */
  const crawlItem = async (item: Parameters<CrawlRun["fetchItem"]>[0]): Promise<void> => {
    const ctx = await run.fetchItem(item);
    await routePage(ctx);
    const page = ctx.page;
    // A redirect's target is this page: do not fetch it again when a link names it (HM, issue 13 §2).
    if (page.finalUrl && page.finalUrl !== item.url) frontier.markSeen(page.finalUrl);
    await run.record(page, item.categoryId ?? null, ctx.rendered, ctx.title, ctx.knownHash);
  };

  // The start page alone first: if it fails there is nothing else to crawl.
  const home = frontier.pop()!;
  taken++;
  progress();
  await crawlItem(home);
  const homePage = run.pages.find((p) => p.kind === "home")!;
  if (PAGE_FAILED(homePage)) {
    const why = homePage.error ?? `trang chủ trả về HTTP ${homePage.status}`;
    if (!homePage.error) findings.push({ check: "crawl", code: "crawl.fetch-error", severity: "error", message: `Không tải được trang chủ: HTTP ${homePage.status}`, url: base, details: { status: homePage.status } });
    return run.result(why);
  }
  if (!isHtml(homePage.headers["content-type"], homePage.body)) {
    const why = `trang chủ không phải HTML (Content-Type: ${homePage.headers["content-type"] ?? "không khai báo"})`;
    findings.push({ check: "crawl", code: "crawl.fetch-error", severity: "error", message: `Không đọc được trang chủ: ${why}`, url: base, details: { contentType: homePage.headers["content-type"] ?? null } });
    return run.result(why);
  }
  const snapshot = run.snapshot;
  if (baseUrl.protocol === "http:" && snapshot.httpRedirectsToHttps === null) snapshot.httpRedirectsToHttps = false;
  if (run.maxPages > 1) {
    for (const seed of opts.previous?.seeds ?? []) {
      if (seed.kind === "robots" || seed.url === base) continue;
      const priority =
        seed.kind === "sitemap" || seed.kind === "feed"
          ? Priority.protocol
          : seed.kind === "category"
            ? Priority.category
            : seed.kind === "article" || seed.kind === "listing"
              ? Priority.newest
              : Priority.rest;
      run.tryPush({ url: seed.url, kind: seed.kind ?? "other", depth: seed.depth, priority });
    }
    for (const s of baseRobots.sitemaps) run.tryPush({ url: normalizeUrl(s) ?? s, kind: "sitemap", depth: 1, priority: Priority.protocol });
    run.tryPush({ url: new URL("/sitemap.xml", baseUrl).toString(), kind: "sitemap", depth: 1, priority: Priority.protocol });
    if (opts.probeHttpRedirect !== false && baseUrl.protocol === "https:") {
      const plain = new URL(base);
      plain.protocol = "http:";
      const probe = await run.fetcher.fetch(plain.toString(), { policy, kind: "other", signal, hostDelayMs: run.hostDelay.get(baseUrl.host) ?? 0 });
      snapshot.httpRedirectsToHttps = !probe.error && (probe.finalUrl.startsWith("https:") || (probe.redirects ?? []).length > 0 && probe.finalUrl.startsWith("https:"));
    }
  }

  const concurrency = Math.max(1, run.fetcher.options.perHostConcurrency);
  let robotsSkippedSample: string | null = null;
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (inflight < concurrency && taken < run.maxPages && !signal.aborted) {
        const item = frontier.pop();
        if (!item) break;
        if (item.kind === "sitemap") {
          if (run.protocolFetches >= MAX_PROTOCOL_FETCHES) continue;
          run.protocolFetches++;
        }
        taken++;
        inflight++;
        (async () => {
          try {
            const u = new URL(item.url);
            const rules = await run.robotsFor(u.origin);
            if (!rules.isAllowed(item.url)) {
              stats.robotsSkipped++;
              robotsSkippedSample ??= item.url;
              taken--;
              return;
            }
            await crawlItem(item);
          } catch (err) {
            // A bug in discovery must not lose the crawl: record and go on.
            stats.failed++;
            findings.push({ check: "crawl", code: "crawl.fetch-error", severity: "warning", message: `Lỗi khi xử lý trang: ${(err as Error).message}`, url: item.url });
          } finally {
            inflight--;
            progress();
            pump();
          }
        })();
      }
      if (inflight === 0) resolve();
    };
    pump();
  });
  if (deadline.aborted) {
    run.crawlError = `hết thời gian kiểm tra (${Math.round((opts.maxDurationMs ?? 600_000) / 1000)} giây), đã tải ${stats.fetched} trang`;
    findings.push({ check: "crawl", code: "crawl.timeout", severity: "warning", message: `Hết thời gian kiểm tra trang; ${run.crawlError}`, url: base });
  }
  if (stats.robotsSkipped) {
    findings.push({
      check: "crawl",
      code: "crawl.robots-disallowed",
      severity: "info",
      message: `robots.txt không cho phép tải ${stats.robotsSkipped} địa chỉ (ví dụ ${robotsSkippedSample})`,
      url: robotsSkippedSample,
      details: { skipped: stats.robotsSkipped },
    });
  }
  if (run.axeTask) await run.axeTask;
  // HD (issue 14 §3): the domain and transport probe, once the crawl knows whether HTTP redirects.
  if (opts.probeDomainTransport !== false) {
    snapshot.domainTransport = await probeDomainTransport({ baseUrl: base, allowPrivate: !!opts.allowPrivate }, { knownHttpRedirect: snapshot.httpRedirectsToHttps, userAgent: run.fetcher.options.userAgent });
  }
  progress();
  return run.result(null);
}
