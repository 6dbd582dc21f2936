// The state of one site's crawl, in one object that the router and the page handlers share
// (Crawlee's "crawling context"): the target policy, the frontier, what was fetched, findings
// and counters, and the few operations on them (fetch, record, enqueue). crawl-site.ts drives
// it; crawler/audit/handlers/ read each fetched page by kind.
import { createHash } from "node:crypto";
import { loadRobots, type RobotsRules } from "../fetch/robots.ts";
import type { FetchOutcome, Fetcher } from "../fetch/fetcher.ts";
import { hostAllowed, type TargetPolicy } from "../fetch/ssrf.ts";
import { Frontier, Priority, type FrontierItem } from "../discover/frontier.ts";
import { fetchablePath } from "../discover/normalize.ts";
import type { FindingOut, PageKind, SiteSnapshot } from "../types.ts";
import type { CrawledPage, CrawlResult, CrawlSiteOptions, PreviousPage, RenderMode } from "./crawl-site.ts";

export function sha256(body: Buffer): string {
  return createHash("sha256").update(body).digest("hex");
}

const EMPTY = Buffer.alloc(0);

/** Lower is more specific: a page reached both from a listing and from the sitemap is an article. */
export const KIND_SPECIFICITY: Record<PageKind, number> = {
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

export const PAGE_FAILED = (p: FetchOutcome) => !!p.error || p.status === 0 || p.status >= 400;

/** At most this many sitemaps are fetched per crawl. */
export const MAX_PROTOCOL_FETCHES = 6;

/** One fetched page on its way through the router: what the handlers read and fill in. */
export interface PageContext {
  run: CrawlRun;
  item: FrontierItem;
  page: FetchOutcome;
  prev: PreviousPage | undefined;
  /** Hash of the stored body reused for a 304, else null. */
  knownHash: string | null;
  title: string | null;
  rendered: boolean;
  /** Unchanged since the previous audit and not rendered then: its links are queued already. */
  reuseLinks: boolean;
}

export class CrawlRun {
  readonly started = Date.now();
  readonly fetcher: Fetcher;
  readonly maxPages: number;
  readonly maxDepth: number;
  readonly newestPerListing: number;
  readonly renderMode: RenderMode;
  readonly parseMode: "full" | "links";
  readonly findings: FindingOut[] = [];
  readonly pages: CrawledPage[] = [];
  /**
   * The kind a page is checked as must not depend on which link reached it first (sitemap,
   * menu or listing answer in any order): every route is noted and the most specific wins.
   */
  readonly discoveredKinds = new Map<string, PageKind>();
  readonly stats = { fetched: 0, failed: 0, notModified: 0, rendered: 0, robotsSkipped: 0, durationMs: 0 };
  readonly snapshot: SiteSnapshot;
  readonly frontier = new Frontier();
  readonly categoryCandidates = new Map<string, number>();
  readonly hostDelay = new Map<string, number>();
  crawlError: string | null = null;
  tlsError: string | null = null;
  insecureTls = false;
  axe: SiteSnapshot["axe"] = null;
  axeTask: Promise<void> | null = null;
  protocolFetches = 0;
  /** Chromium's picture of the home page (issue 13 §4), when asked for and rendering is on. */
  screenshot: { png: Buffer; url: string; takenAt: Date } | null = null;
  screenshotError: string | null = null;
  /** Set once the base URL is known to be valid and allowed (crawl-site.ts). */
  policy!: TargetPolicy;
  baseUrl!: URL;
  signal!: AbortSignal;
  private readonly robotsByOrigin = new Map<string, Promise<RobotsRules>>();
  // Menus and footers repeat on every page: match each (text, href) once per crawl.
  private readonly categoryMemo = new Map<string, string[]>();

  constructor(readonly opts: CrawlSiteOptions, readonly base: string | null) {
    this.fetcher = opts.fetcher;
    this.maxPages = Math.max(1, opts.maxPages ?? 200);
    this.maxDepth = opts.maxDepth ?? 4;
    this.newestPerListing = opts.newestPerListing ?? 5;
    this.renderMode = opts.renderMode ?? "auto";
    this.parseMode = opts.parse ?? (opts.retainBodies === false ? "links" : "full");
    this.snapshot = {
      baseUrl: base ?? opts.baseUrl,
      pages: this.pages,
      referenceTime: opts.referenceTime ?? new Date(),
      unitType: opts.unitType,
      unitName: opts.unitName,
      previousItemUrls: opts.previousItemUrls,
      holidays: opts.holidays,
      httpRedirectsToHttps: null,
      tlsError: null,
      axe: null,
    };
  }

  result(startError: string | null): CrawlResult {
    const stats: CrawlResult["stats"] = this.stats;
    stats.durationMs = Date.now() - this.started;
    // Coverage (HV): every distinct URL discovered, fetched or not.
    stats.found = new Set([...this.discoveredKinds.keys(), ...this.pages.filter((p) => p.kind !== "robots").map((p) => p.url)]).size;
    for (const page of this.pages) {
      const best = this.discoveredKinds.get(page.url);
      if (best && page.kind && KIND_SPECIFICITY[best] < KIND_SPECIFICITY[page.kind]) page.kind = best;
    }
    this.snapshot.tlsError = this.tlsError;
    this.snapshot.axe = this.axe;
    return { snapshot: this.snapshot, pages: this.pages, startError, crawlError: this.crawlError, findings: this.findings, stats, screenshot: this.screenshot, screenshotError: this.screenshotError };
  }

  robotsFor(origin: string): Promise<RobotsRules> {
    let r = this.robotsByOrigin.get(origin);
    if (!r) {
      const delay = this.opts.crawlDelayMs ?? 0;
      const load = async () => {
        const first = await loadRobots(this.fetcher, origin, { policy: this.policy, signal: this.signal, hostDelayMs: delay, insecureTls: this.insecureTls });
        if (first.page.errorCode !== "tls-error" || this.insecureTls) return first;
        // Record the certificate problem, then read the site anyway so the other checks run.
        this.tlsError = first.page.tlsError ?? first.page.error ?? "TLS";
        this.insecureTls = true;
        return loadRobots(this.fetcher, origin, { policy: this.policy, signal: this.signal, hostDelayMs: delay, insecureTls: true });
      };
      r = load().then(async (rules) => {
        this.hostDelay.set(new URL(origin).host, Math.max(delay, rules.crawlDelayMs));
        await this.record(rules.page, null);
        return rules;
      });
      this.robotsByOrigin.set(origin, r);
    }
    return r;
  }

  async record(page: FetchOutcome, categoryId: string | null, rendered = false, title: string | null = null, knownHash: string | null = null): Promise<CrawledPage> {
    const contentHash = knownHash ?? (page.body.length || page.status === 200 ? sha256(page.body) : null);
    const crawled: CrawledPage = { ...page, contentHash, rendered, title };
    this.pages.push(crawled);
    if (page.kind !== "robots") {
      this.stats.fetched++;
      if (PAGE_FAILED(page)) this.stats.failed++;
    }
    if (page.tlsError && !this.tlsError) this.tlsError = page.tlsError;
    if (page.error && page.errorCode) {
      const code = page.errorCode === "timeout" ? "crawl.timeout" : page.errorCode === "too-large" ? "crawl.too-large" : "crawl.fetch-error";
      const isStart = page.kind === "home";
      this.findings.push({
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
      this.findings.push({
        check: "crawl",
        code: "crawl.render-failed",
        severity: "warning",
        message: `Trang cần JavaScript nhưng không thể hiển thị (could not be rendered): ${page.renderError}`,
        url: page.url,
        categoryId,
      });
    }
    await this.opts.onPage?.(crawled);
    if (this.opts.retainBodies === false) {
      crawled.body = EMPTY;
      crawled.renderedHtml = undefined;
      crawled.parsed = undefined;
    }
    return crawled;
  }

  matchCategory(text: string, href: string): string[] {
    const key = `${text}\u0000${href}`;
    let ids = this.categoryMemo.get(key);
    if (!ids) {
      ids = this.opts.checks.matchCategory(text, href);
      this.categoryMemo.set(key, ids);
    }
    return ids;
  }

  /** Counts one more landing-page candidate for each of cats when any still has room (two each). */
  takeCategoryCandidate(cats: string[]): boolean {
    if (!cats.some((c) => (this.categoryCandidates.get(c) ?? 0) < 2)) return false;
    for (const c of cats) this.categoryCandidates.set(c, (this.categoryCandidates.get(c) ?? 0) + 1);
    return true;
  }

  tryPush(item: FrontierItem): void {
    const known = this.discoveredKinds.get(item.url);
    if (!known || KIND_SPECIFICITY[item.kind] < KIND_SPECIFICITY[known]) this.discoveredKinds.set(item.url, item.kind);
    if (item.depth > this.maxDepth && item.priority >= Priority.rest) return;
    if (this.frontier.has(item.url) && item.priority >= Priority.rest) return;
    let u: URL;
    try {
      u = new URL(item.url);
    } catch {
      return;
    }
    if ((u.protocol !== "http:" && u.protocol !== "https:") || !hostAllowed(u, this.policy) || !fetchablePath(u.pathname)) return;
    this.frontier.push(item);
  }

  hostDelayFor(host: string): number {
    return this.hostDelay.get(host) ?? this.opts.crawlDelayMs ?? 0;
  }

  /** Fetches an item (conditionally on a re-audit; a 304 reuses the stored body). */
  async fetchItem(item: FrontierItem): Promise<PageContext> {
    const prev = this.opts.previous?.pages.get(item.url);
    const u = new URL(item.url);
    const signal = this.signal;
    const policy = this.policy;
    let page = await this.fetcher.fetch(item.url, {
      policy,
      kind: item.kind,
      depth: item.depth,
      conditional: prev && prev.contentHash ? { etag: prev.etag, lastModified: prev.lastModified } : undefined,
      hostDelayMs: this.hostDelayFor(u.host),
      insecureTls: this.insecureTls,
      signal,
    });
    if (page.errorCode === "tls-error" && item.kind === "home" && !this.insecureTls) {
      // Record the certificate problem, then read the content anyway so the other checks run.
      this.tlsError = page.tlsError ?? page.error ?? "TLS";
      this.insecureTls = true;
      page = await this.fetcher.fetch(item.url, { policy, kind: item.kind, depth: item.depth, insecureTls: true, signal, hostDelayMs: this.hostDelay.get(u.host) ?? 0 });
    }
    let knownHash: string | null = null;
    if (page.notModified && prev?.contentHash) {
      const body = await this.opts.previous!.loadBody(prev.contentHash);
      if (body) {
        this.stats.notModified++;
        knownHash = prev.contentHash;
        page = { ...page, status: prev.status || 200, headers: { ...prev.headers, ...page.headers }, body };
      } else {
        page = await this.fetcher.fetch(item.url, { policy, kind: item.kind, depth: item.depth, insecureTls: this.insecureTls, signal, hostDelayMs: this.hostDelay.get(u.host) ?? 0 });
      }
    }
    return {
      run: this,
      item,
      page,
      prev,
      knownHash,
      title: knownHash ? (prev?.title ?? null) : null,
      rendered: false,
      reuseLinks: knownHash !== null && !prev?.rendered && !!this.opts.previous?.seeds,
    };
  }

  /**
   * axe and the screenshot only need the home page in a browser; the crawl goes on meanwhile.
   * (Named axeTask for history: it is the background render of the home page.)
   */
  startHomeRender(url: string, what: { axe: boolean; screenshot: boolean }): void {
    if (!what.axe && !what.screenshot) return;
    this.axeTask = this.opts.renderer!.render(url, this.policy, what).then(
      (r) => {
        if (r.axe) this.axe = r.axe;
        this.keepScreenshot(url, r);
      },
      (err: Error) => {
        if (what.screenshot) this.screenshotError = err.message.split("\n")[0];
      },
    );
  }

  keepScreenshot(url: string, r: { screenshot?: Buffer; screenshotError?: string }): void {
    if (r.screenshot) this.screenshot = { png: r.screenshot, url, takenAt: new Date() };
    else if (r.screenshotError) this.screenshotError = r.screenshotError;
  }

  private browserReady(): boolean {
    return this.renderMode !== "never" && !!this.opts.renderer && !this.opts.renderer.unavailableReason();
  }

  canRunAxe(): boolean {
    return this.opts.runAxe !== false && this.browserReady();
  }

  /** A screenshot of the home page is wanted (the worker asks for it) and a browser is there. */
  canScreenshot(): boolean {
    return !!this.opts.screenshot && this.browserReady();
  }
}
