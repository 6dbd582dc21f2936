// Shared contracts between the fetcher/discovery (crawler), the checks and the storage.
// Checks are pure: they read FetchedPage/SiteSnapshot and return typed results; no I/O.

export type Severity = "error" | "warning" | "info";

/** "unverified" = chưa xác minh được: our failure (blocked, render failed, timed out, not fetched), set by crawler/audit/verdicts.ts. */
export type CategoryStatus = "present" | "empty" | "missing" | "unreachable" | "unverified";

/** Why an item could not be verified: each is a failure of ours or of the network, not the unit's. */
export type UnverifiedReason = "blocked" | "render-failed" | "timeout" | "not-fetched" | "transient";

/**
 * One item the audit could not verify ("chưa xác minh được"). It costs the unit no points until an
 * inspector counts it against the unit (docs/decisions/0013-unverified.md). Stored in
 * site_audits.summary.unverified; key is "category:<id>" or "metrics:<name>".
 */
export interface UnverifiedItem {
  key: string;
  /** Vietnamese label of the item ("Chuyên mục “Tin tức”", "Khả năng tiếp cận (axe-core)"). */
  label: string;
  reason: UnverifiedReason;
  /** Vietnamese sentence: why, with the URL/status/error. */
  detail: string;
  url: string | null;
  categoryId?: string;
  /** Metric paths (AuditMetrics) this item covers; scoring reads them as unverified. */
  metrics?: string[];
  /** What the checks alone concluded (e.g. "missing", "unreachable"), for the inspector. */
  observed?: string | null;
}

/** What one audit read: pages found, fetched, failed by reason (site_audits.summary.coverage). */
export interface AuditCoverage {
  found: number;
  fetched: number;
  ok: number;
  failed: number;
  failedByReason: Partial<Record<UnverifiedReason | "not-found" | "other", number>>;
  /** Found but not fetched (page budget or time budget), robots.txt exclusions apart. */
  notFetched: number;
  robotsSkipped: number;
  retried: number;
  rendered: number;
  renderFailed: number;
}

export type LegacyScheme = "TCVN3" | "VNI" | "VISCII" | "CP1258" | "DOUBLE_UTF8";

/** What the crawler hands to the checks for one URL it fetched (or failed to). */
export interface FetchedPage {
  url: string;
  finalUrl: string;
  /** HTTP status; 0 when no response was received (error set). */
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Raw body bytes as received (after content decoding), possibly truncated at the cap. */
  body: Buffer;
  fetchedAt: Date;
  durationMs?: number;
  /** Why the crawler reached this URL. */
  kind?: PageKind;
  depth?: number;
  /** HTML after JavaScript ran, when the page was rendered in Chromium. */
  renderedHtml?: string;
  /** Set when the page needed rendering but could not be rendered (reason). */
  renderError?: string;
  /** The page as the crawl parsed it (of renderedHtml when rendered): the checks reuse it (issue 13 §3). */
  parsed?: import("./parse/page.ts").ParsedPage;
  error?: string;
  /** Redirect chain, first hop first (not including finalUrl). */
  redirects?: string[];
  truncated?: boolean;
}

export type PageKind =
  | "home"
  | "category"
  | "listing"
  | "article"
  | "document"
  | "sitemap"
  | "feed"
  | "robots"
  | "other";

/** Everything the site-level checks get. */
export interface SiteSnapshot {
  /** Start URL of the site. */
  baseUrl: string;
  pages: FetchedPage[];
  /** The reference time of the audit ("now" for relative dates and windows). */
  referenceTime: Date;
  /** Unit type (units.unit_type) for rule applicability; undefined = apply the defaults. */
  unitType?: string;
  /** Expected unit name (from the registry) to help the footer identity check. */
  unitName?: string;
  /** Item URLs seen by the previous audit of the site (for "new since last audit"). */
  previousItemUrls?: string[];
  /** Holiday table (YYYY-MM-DD → name) for working-day counting; undefined = computed by rule. */
  holidays?: Record<string, string>;
  /** Whether the plain-HTTP URL redirected to HTTPS, when the crawler tried it. */
  httpRedirectsToHttps?: boolean | null;
  /** TLS problem seen while fetching (e.g. expired certificate), if any. */
  tlsError?: string | null;
  /** axe-core results on the home page, when Chromium was available. */
  axe?: { violations: { id: string; impact: string | null; nodes: number; help: string }[] } | null;
  /** Domain and transport probe (DNS, TLS, HTTP→HTTPS), when the crawl ran it (crawler/net/probe.ts, HD). */
  domainTransport?: import("./net/probe.ts").DomainTransportProbe | null;
}

export interface FindingOut {
  check: string;
  /** Specific kind, e.g. "category.missing", "encoding.legacy-text". */
  code: string;
  severity: Severity;
  message: string;
  url: string | null;
  categoryId?: string | null;
  snippet?: string | null;
  details?: Record<string, unknown>;
}

export interface PageEncodingResult {
  declared: string | null;
  validUtf8: boolean;
  legacy: LegacyScheme | null;
  legacyFonts: string[];
  nfc: boolean;
  compliant: boolean;
  /** Converted preview of the first legacy run (Vietnamese Unicode), if any. */
  preview?: string | null;
  /** The suspicious text as found. */
  sample?: string | null;
}

/** The result of the checks on one site: also the `audit --json` document. */
export interface SiteAuditResult {
  site: string;
  auditedAt: string;
  pages: { url: string; status: number; encoding: PageEncodingResult }[];
  encoding: { compliant: boolean; pagesChecked: number; pagesCompliant: number; legacySchemes: string[] };
  categories: { id: string; status: CategoryStatus; url: string | null; snippet?: string | null }[];
  identity: { unitName: boolean; responsiblePerson: boolean; address: boolean; phone: boolean; email: boolean };
  freshness: {
    latestPublished: string | null;
    postsLast30Days: number;
    items: { url: string; published: string; categoryId?: string | null; title?: string | null }[];
    [key: string]: unknown;
  };
  findings: FindingOut[];
  [key: string]: unknown;
}

/**
 * The measurements scoring relies on, stored as site_audits.summary (jsonb) next to the
 * findings. Produced by runSiteChecks (crawler/checks/index.ts) as SiteAuditResult.metrics.
 * Every field is a plain number/boolean so that SQL can aggregate it.
 */
export interface AuditMetrics {
  categories: { id: string; status: CategoryStatus; url: string | null }[];
  /** Metric paths the audit could not verify: scored as met (db/scoring/generated-sql.ts). */
  unverifiedMetrics?: string[];
  /** Metric paths an inspector counted against the unit: scored 0. */
  countedMetrics?: string[];
  encoding: { pagesChecked: number; pagesCompliant: number; legacySchemes: string[] };
  identity: { unitName: boolean; responsiblePerson: boolean; address: boolean; phone: boolean; email: boolean };
  freshness: {
    latestPublished: string | null;
    daysSinceLastPost: number | null;
    postsLast7Days: number;
    postsLast30Days: number;
    postsLast90Days: number;
    /** Average over the last 12 weeks. */
    postsPerWeek: number;
    newSincePreviousAudit: number | null;
  };
  deadlines: { documentsChecked: number; documentsOnTime: number };
  attribution: { articlesChecked: number; withAuthor: number; withSource: number };
  technical: {
    https: boolean;
    httpsRedirect: boolean | null;
    sitemapXml: boolean;
    sitemapPage: boolean;
    search: boolean;
    viewport: boolean;
    langVi: boolean;
    imgAltRatio: number | null;
    axeSeriousViolations: number | null;
  };
  /** .gov.vn, IPv6 (AAAA), DNSSEC (crawler/checks/domain.ts); absent when the probe did not run; null = unverified. */
  domain?: { govVn: boolean; ipv6: boolean | null; dnssec: boolean | null };
  /** Valid HTTPS certificate, HTTP→HTTPS redirect (crawler/checks/transport.ts); absent when the probe did not run. */
  transport?: { httpsValid: boolean | null; httpRedirect: boolean | null; certDaysLeft: number | null };
  /** EMC monitoring code and label on the home page (crawler/checks/emc.ts, TT 22/2023); absent in audits before it. */
  emc?: { script: boolean; label: boolean; labelInFooter: boolean; pagesChecked: number; pagesWithScript: number };
  /** Links the home page must carry under the rule set in force (crawler/checks/home-links.ts, TT 22/2023). */
  homeLinks?: { required: number; present: number };
  /** Page-load medians of the audit's month, worst measured page (crawler/perf/, db/queries/page-load.ts); absent when never measured. */
  pageLoad?: {
    fcpMs: number | null;
    lcpMs: number | null;
    speedIndexMs: number | null;
    tbtMs: number | null;
    fcpOk: boolean | null;
    lcpOk: boolean | null;
    speedIndexOk: boolean | null;
    tbtOk: boolean | null;
    runs: number;
  };
}
