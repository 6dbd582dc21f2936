// One site's crawl, in memory: robots.txt, the start page, then the frontier within the page
// budget. No database here: the worker stores what this returns, the `audit` command
// prints it. Every failure becomes a recorded error (on the page or the crawl).
import { createHash } from "node:crypto";
import { loadRobots, type RobotsRules } from "../fetch/robots.ts";
import type { FetchOutcome, Fetcher } from "../fetch/fetcher.ts";
import { checkTarget, hostAllowed, type TargetPolicy } from "../fetch/ssrf.ts";
import { Frontier, Priority, type FrontierItem } from "../discover/frontier.ts";
import { decodeHtml, extractLinks, isHtml, looksLikeFeed, looksLikeSitemap, parseFeed, parseSitemap } from "../discover/links.ts";
import { fetchablePath, normalizeUrl } from "../discover/normalize.ts";
import type { Renderer } from "../render/renderer.ts";
import type { FindingOut, PageKind, SiteSnapshot } from "../types.ts";
import type { ChecksApi } from "./checks-adapter.ts";

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
  stats: { fetched: number; failed: number; notModified: number; rendered: number; robotsSkipped: number; durationMs: number; found?: number };
}

export function sha256(body: Buffer): string {
  return createHash("sha256").update(body).digest("hex");
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

const EMPTY = Buffer.alloc(0);

/** Lower is more specific: a page reached both from a listing and from the sitemap is an article. */
const KIND_SPECIFICITY: Record<PageKind, number> = {
  home: 0,
  robots: 1,
  sitemap: 2,
  feed: 3,
  document: 4,
  category: 5,
  listing: 6,
  article: 7,
  other: 8,
};

const PAGE_FAILED = (p: FetchOutcome) => !!p.error || p.status === 0 || p.status >= 400;

export async function crawlSite(opts: CrawlSiteOptions): Promise<CrawlResult> {
  const started = Date.now();
  const fetcher = opts.fetcher;
  const maxPages = Math.max(1, opts.maxPages ?? 200);
  const maxDepth = opts.maxDepth ?? 4;
  const newestPerListing = opts.newestPerListing ?? 5;
  const renderMode = opts.renderMode ?? "auto";
  const referenceTime = opts.referenceTime ?? new Date();
  const findings: FindingOut[] = [];
  const pages: CrawledPage[] = [];
  // The kind a page is checked as must not depend on which link reached it first (sitemap,
  // menu or listing answer in any order): every route is noted and the most specific wins.
  const discoveredKinds = new Map<string, PageKind>();
  const stats = { fetched: 0, failed: 0, notModified: 0, rendered: 0, robotsSkipped: 0, durationMs: 0 };
  let crawlError: string | null = null;
  let tlsError: string | null = null;
  let insecureTls = false;
  let axe: SiteSnapshot["axe"] = null;
  let axeTask: Promise<void> | null = null;

  const base = normalizeUrl(opts.baseUrl);
  const snapshot: SiteSnapshot = {
    baseUrl: base ?? opts.baseUrl,
    pages,
    referenceTime,
    unitType: opts.unitType,
    unitName: opts.unitName,
    previousItemUrls: opts.previousItemUrls,
    holidays: opts.holidays,
    httpRedirectsToHttps: null,
    tlsError: null,
    axe: null,
  };
  const result = (startError: string | null): CrawlResult => {
    stats.durationMs = Date.now() - started;
    // Coverage (HV): every distinct URL discovered, fetched or not.
    (stats as CrawlResult["stats"]).found = new Set([...discoveredKinds.keys(), ...pages.filter((p) => p.kind !== "robots").map((p) => p.url)]).size;
    for (const page of pages) {
      const best = discoveredKinds.get(page.url);
      if (best && page.kind && KIND_SPECIFICITY[best] < KIND_SPECIFICITY[page.kind]) page.kind = best;
    }
    snapshot.tlsError = tlsError;
    snapshot.axe = axe;
    return { snapshot, pages, startError, crawlError, findings, stats };
  };
  if (!base) {
    findings.push({ check: "crawl", code: "crawl.fetch-error", severity: "error", message: `Địa chỉ trang không hợp lệ: ${opts.baseUrl}`, url: opts.baseUrl });
    return result(`địa chỉ không hợp lệ: ${opts.baseUrl}`);
  }
  const baseUrl = new URL(base);
  const policy: TargetPolicy = {
    allowedHosts: withWwwVariants([baseUrl.host, ...(opts.allowedHosts ?? [])]),
    allowPrivate: !!opts.allowPrivate,
  };
  const refusal = await checkTarget(baseUrl, policy);
  if (refusal) {
    findings.push({ check: "crawl", code: "crawl.fetch-error", severity: "error", message: `Không được phép tải trang: ${refusal}`, url: base });
    return result(refusal);
  }

  const deadline = AbortSignal.timeout(opts.maxDurationMs ?? 10 * 60_000);
  const signal = opts.signal ? AbortSignal.any([deadline, opts.signal]) : deadline;
  const hostDelay = new Map<string, number>();
  const robotsByOrigin = new Map<string, Promise<RobotsRules>>();
  const robotsFor = (origin: string): Promise<RobotsRules> => {
    let r = robotsByOrigin.get(origin);
    if (!r) {
      const load = async () => {
        const first = await loadRobots(fetcher, origin, { policy, signal, hostDelayMs: opts.crawlDelayMs ?? 0, insecureTls });
        if (first.page.errorCode !== "tls-error" || insecureTls) return first;
        // Record the certificate problem, then read the site anyway so the other checks run.
        tlsError = first.page.tlsError ?? first.page.error ?? "TLS";
        insecureTls = true;
        return loadRobots(fetcher, origin, { policy, signal, hostDelayMs: opts.crawlDelayMs ?? 0, insecureTls: true });
      };
      r = load().then(async (rules) => {
        hostDelay.set(new URL(origin).host, Math.max(opts.crawlDelayMs ?? 0, rules.crawlDelayMs));
        await record(rules.page, null);
        return rules;
      });
      robotsByOrigin.set(origin, r);
    }
    return r;
  };

  const record = async (page: FetchOutcome, categoryId: string | null, rendered = false, title: string | null = null, knownHash: string | null = null): Promise<CrawledPage> => {
    const contentHash = knownHash ?? (page.body.length || page.status === 200 ? sha256(page.body) : null);
    const crawled: CrawledPage = { ...page, contentHash, rendered, title };
    pages.push(crawled);
    if (page.kind !== "robots") {
      stats.fetched++;
      if (PAGE_FAILED(page)) stats.failed++;
    }
    if (page.tlsError && !tlsError) tlsError = page.tlsError;
    if (page.error && page.errorCode) {
      const code = page.errorCode === "timeout" ? "crawl.timeout" : page.errorCode === "too-large" ? "crawl.too-large" : "crawl.fetch-error";
      const isStart = page.kind === "home";
      findings.push({
        check: "crawl",
        code,
        severity: isStart ? "error" : "warning",
        message: page.error,
        url: page.url,
        categoryId,
        details: { errorCode: page.errorCode, finalUrl: page.finalUrl, status: page.status },
      });
    }
    if (page.renderError) {
      findings.push({
        check: "crawl",
        code: "crawl.render-failed",
        severity: "warning",
        message: `Trang cần JavaScript nhưng không thể hiển thị (could not be rendered): ${page.renderError}`,
        url: page.url,
        categoryId,
      });
    }
    await opts.onPage?.(crawled);
    if (opts.retainBodies === false) {
      crawled.body = EMPTY;
      crawled.renderedHtml = undefined;
    }
    return crawled;
  };

  // robots.txt first: it decides whether we may fetch anything at all.
  const baseRobots = await robotsFor(baseUrl.origin);
  if (baseRobots.blockedReason || !baseRobots.isAllowed(base)) {
    const why = baseRobots.blockedReason ?? "robots.txt không cho phép tải trang chủ";
    findings.push({ check: "crawl", code: "crawl.robots-disallowed", severity: "error", message: `Không kiểm tra được trang: ${why}`, url: base });
    crawlError = why;
    return result(why);
  }

  const frontier = new Frontier();
  frontier.push({ url: base, kind: "home", depth: 0, priority: Priority.home });
  let inflight = 0;
  let taken = 0;
  const categoryCandidates = new Map<string, number>();
  let protocolFetches = 0;
  const progress = () =>
    opts.onProgress?.({ planned: Math.min(maxPages, taken + frontier.size), done: stats.fetched, failed: stats.failed });

  // Menus and footers repeat on every page: match each (text, href) once per crawl.
  const categoryMemo = new Map<string, string[]>();
  const matchCategory = (text: string, href: string): string[] => {
    const key = `${text}\u0000${href}`;
    let ids = categoryMemo.get(key);
    if (!ids) {
      ids = opts.checks.matchCategory(text, href);
      categoryMemo.set(key, ids);
    }
    return ids;
  };

  const tryPush = (item: FrontierItem): void => {
    const known = discoveredKinds.get(item.url);
    if (!known || KIND_SPECIFICITY[item.kind] < KIND_SPECIFICITY[known]) discoveredKinds.set(item.url, item.kind);
    if (item.depth > maxDepth && item.priority >= Priority.rest) return;
    if (frontier.has(item.url) && item.priority >= Priority.rest) return;
    let u: URL;
    try {
      u = new URL(item.url);
    } catch {
      return;
    }
    if ((u.protocol !== "http:" && u.protocol !== "https:") || !hostAllowed(u, policy) || !fetchablePath(u.pathname)) return;
    frontier.push(item);
  };

  const discoverFromHtml = (page: FetchOutcome, html: string, item: FrontierItem, fix?: (s: string) => string): string | null => {
    const found = extractLinks(html, page.finalUrl, fix);
    const childDepth = item.depth + 1;
    for (const s of found.sitemaps) if (protocolFetches < 6) tryPush({ url: s, kind: "sitemap", depth: 1, priority: Priority.protocol });
    for (const f of found.feeds.slice(0, 3)) tryPush({ url: f, kind: "feed", depth: 1, priority: Priority.protocol });
    if (found.refresh) tryPush({ url: found.refresh, kind: item.kind, depth: item.depth, priority: item.priority });
    let newest = 0;
    const isListing = item.kind === "category" || item.kind === "listing";
    for (const link of found.links) {
      if (link.url === page.finalUrl || link.url === page.url) continue;
      const cats = matchCategory(link.text, link.url);
      // A link under the listing's own category is one of its items, not another landing page.
      const own = isListing && !link.inMenu && item.categoryId != null && cats.includes(item.categoryId);
      if (cats.length && !own && !frontier.has(link.url) && cats.some((c) => (categoryCandidates.get(c) ?? 0) < 2)) {
        for (const c of cats) categoryCandidates.set(c, (categoryCandidates.get(c) ?? 0) + 1);
        tryPush({ url: link.url, kind: "category", depth: childDepth, priority: Priority.category, via: link.text, categoryId: cats[0] });
        continue;
      }
      if (isListing && !link.inMenu && !link.inFooter && newest < newestPerListing && !frontier.has(link.url)) {
        newest++;
        tryPush({ url: link.url, kind: "article", depth: childDepth, priority: Priority.newest, via: link.text });
        continue;
      }
      tryPush({ url: link.url, kind: isListing && !link.inMenu ? "article" : "other", depth: childDepth, priority: Priority.rest, via: link.text });
    }
    return found.title;
  };

  const discoverFromXml = (page: FetchOutcome, text: string): void => {
    if (looksLikeSitemap(text)) {
      const sm = parseSitemap(text, page.finalUrl);
      for (const child of sm.sitemaps.slice(0, 10)) tryPush({ url: child.url, kind: "sitemap", depth: 1, priority: Priority.protocol });
      const urls = [...sm.urls].sort((a, b) => (b.lastmod ?? "").localeCompare(a.lastmod ?? ""));
      urls.forEach((entry, i) => {
        const cats = matchCategory("", entry.url);
        if (cats.length && cats.some((c) => (categoryCandidates.get(c) ?? 0) < 2)) {
          for (const c of cats) categoryCandidates.set(c, (categoryCandidates.get(c) ?? 0) + 1);
          tryPush({ url: entry.url, kind: "category", depth: 1, priority: Priority.category, categoryId: cats[0] });
        } else tryPush({ url: entry.url, kind: "other", depth: 1, priority: i < 20 && entry.lastmod ? Priority.newest : Priority.rest });
      });
    } else if (looksLikeFeed(page.headers["content-type"], text)) {
      for (const it of parseFeed(text, page.finalUrl).slice(0, 10)) tryPush({ url: it.url, kind: "article", depth: 1, priority: Priority.newest, via: it.title ?? undefined });
    }
  };

  const fetchItem = async (item: FrontierItem): Promise<void> => {
    const prev = opts.previous?.pages.get(item.url);
    const u = new URL(item.url);
    let page = await fetcher.fetch(item.url, {
      policy,
      kind: item.kind,
      depth: item.depth,
      conditional: prev && prev.contentHash ? { etag: prev.etag, lastModified: prev.lastModified } : undefined,
      hostDelayMs: hostDelay.get(u.host) ?? opts.crawlDelayMs ?? 0,
      insecureTls,
      signal,
    });
    if (page.errorCode === "tls-error" && item.kind === "home" && !insecureTls) {
      // Record the certificate problem, then read the content anyway so the other checks run.
      tlsError = page.tlsError ?? page.error ?? "TLS";
      insecureTls = true;
      page = await fetcher.fetch(item.url, { policy, kind: item.kind, depth: item.depth, insecureTls: true, signal, hostDelayMs: hostDelay.get(u.host) ?? 0 });
    }
    let knownHash: string | null = null;
    if (page.notModified && prev?.contentHash) {
      const body = await opts.previous!.loadBody(prev.contentHash);
      if (body) {
        stats.notModified++;
        knownHash = prev.contentHash;
        page = { ...page, status: prev.status || 200, headers: { ...prev.headers, ...page.headers }, body };
      } else {
        page = await fetcher.fetch(item.url, { policy, kind: item.kind, depth: item.depth, insecureTls, signal, hostDelayMs: hostDelay.get(u.host) ?? 0 });
      }
    }
    let title: string | null = knownHash ? (prev?.title ?? null) : null;
    let rendered = false;
    // Unchanged and not rendered last time: its links are among the seeds already.
    const reuseLinks = knownHash !== null && !prev?.rendered && !!opts.previous?.seeds;
    if (reuseLinks && item.kind === "home" && opts.runAxe !== false && renderMode !== "never" && opts.renderer && !opts.renderer.unavailableReason()) {
      axeTask = opts.renderer.render(page.finalUrl, policy, { axe: true }).then(
        (r) => {
          if (r.axe) axe = r.axe;
        },
        () => undefined,
      );
    }
    if (!reuseLinks && !page.error && page.status >= 200 && page.status < 300 && page.body.length) {
      const ct = page.headers["content-type"];
      if (isHtml(ct, page.body)) {
        const wantsRender =
          (item.kind === "home" || item.kind === "category" || item.kind === "listing") &&
          renderMode !== "never" &&
          (renderMode === "always" || opts.checks.needsRendering(page));
        const wantsAxe = item.kind === "home" && opts.runAxe !== false && renderMode !== "never" && !!opts.renderer && !opts.renderer.unavailableReason();
        if (wantsRender && !signal.aborted) {
          if (!opts.renderer) page.renderError = "không có trình duyệt để hiển thị trang";
          else {
            try {
              const r = await opts.renderer.render(page.finalUrl, policy, { axe: wantsAxe });
              page.renderedHtml = r.html;
              rendered = true;
              stats.rendered++;
              if (r.axe) axe = r.axe;
            } catch (err) {
              page.renderError = (err as Error).message.split("\n")[0];
            }
          }
        } else if (wantsAxe && !signal.aborted) {
          // axe only needs the home page in a browser; the crawl goes on meanwhile.
          axeTask = opts.renderer!.render(page.finalUrl, policy, { axe: true }).then(
            (r) => {
              if (r.axe) axe = r.axe;
            },
            () => undefined,
          );
        }
        if (page.renderedHtml) title = discoverFromHtml(page, page.renderedHtml, item);
        else {
          const decoded = decodeHtml(page.body, ct);
          title = discoverFromHtml(page, decoded.html, item, decoded.fix);
        }
      } else {
        const text = page.body.subarray(0, 20 * 1024 * 1024).toString("utf8");
        if (item.kind === "sitemap" || item.kind === "feed" || looksLikeSitemap(text) || looksLikeFeed(ct, text)) discoverFromXml(page, text);
      }
    }
    if (item.kind === "home" && page.finalUrl !== page.url) {
      try {
        const final = new URL(page.finalUrl);
        if (final.protocol === "https:" && baseUrl.protocol === "http:") snapshot.httpRedirectsToHttps = true;
      } catch {
        // finalUrl is always absolute
      }
    }
    // A redirect's target is this page: do not fetch it again when a link names it (HM, issue 13 §2).
    if (page.finalUrl && page.finalUrl !== item.url) frontier.markSeen(page.finalUrl);
    await record(page, item.categoryId ?? null, rendered, title, knownHash);
  };

  // The start page alone first: if it fails there is nothing else to crawl.
  const home = frontier.pop()!;
  taken++;
  progress();
  await fetchItem(home);
  const homePage = pages.find((p) => p.kind === "home")!;
  if (PAGE_FAILED(homePage)) {
    const why = homePage.error ?? `trang chủ trả về HTTP ${homePage.status}`;
    if (!homePage.error) findings.push({ check: "crawl", code: "crawl.fetch-error", severity: "error", message: `Không tải được trang chủ: HTTP ${homePage.status}`, url: base, details: { status: homePage.status } });
    return result(why);
  }
  if (!isHtml(homePage.headers["content-type"], homePage.body)) {
    const why = `trang chủ không phải HTML (Content-Type: ${homePage.headers["content-type"] ?? "không khai báo"})`;
    findings.push({ check: "crawl", code: "crawl.fetch-error", severity: "error", message: `Không đọc được trang chủ: ${why}`, url: base, details: { contentType: homePage.headers["content-type"] ?? null } });
    return result(why);
  }
  if (baseUrl.protocol === "http:" && snapshot.httpRedirectsToHttps === null) snapshot.httpRedirectsToHttps = false;
  if (maxPages > 1) {
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
      tryPush({ url: seed.url, kind: seed.kind ?? "other", depth: seed.depth, priority });
    }
    for (const s of baseRobots.sitemaps) tryPush({ url: normalizeUrl(s) ?? s, kind: "sitemap", depth: 1, priority: Priority.protocol });
    tryPush({ url: new URL("/sitemap.xml", baseUrl).toString(), kind: "sitemap", depth: 1, priority: Priority.protocol });
    if (opts.probeHttpRedirect !== false && baseUrl.protocol === "https:") {
      const plain = new URL(base);
      plain.protocol = "http:";
      const probe = await fetcher.fetch(plain.toString(), { policy, kind: "other", signal, hostDelayMs: hostDelay.get(baseUrl.host) ?? 0 });
      snapshot.httpRedirectsToHttps = !probe.error && (probe.finalUrl.startsWith("https:") || (probe.redirects ?? []).length > 0 && probe.finalUrl.startsWith("https:"));
    }
  }

  const concurrency = Math.max(1, fetcher.options.perHostConcurrency);
  let robotsSkippedSample: string | null = null;
  await new Promise<void>((resolve) => {
    const pump = () => {
      while (inflight < concurrency && taken < maxPages && !signal.aborted) {
        const item = frontier.pop();
        if (!item) break;
        if (item.kind === "sitemap") {
          if (protocolFetches >= 6) continue;
          protocolFetches++;
        }
        taken++;
        inflight++;
        (async () => {
          try {
            const u = new URL(item.url);
            const rules = await robotsFor(u.origin);
            if (!rules.isAllowed(item.url)) {
              stats.robotsSkipped++;
              robotsSkippedSample ??= item.url;
              taken--;
              return;
            }
            await fetchItem(item);
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
    crawlError = `hết thời gian kiểm tra (${Math.round((opts.maxDurationMs ?? 600_000) / 1000)} giây), đã tải ${stats.fetched} trang`;
    findings.push({ check: "crawl", code: "crawl.timeout", severity: "warning", message: `Hết thời gian kiểm tra trang; ${crawlError}`, url: base });
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
  if (axeTask) await axeTask;
  progress();
  return result(null);
}
