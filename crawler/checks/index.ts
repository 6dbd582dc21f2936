// All checks registered in one place. runSiteChecks produces the `audit --json` document and
// the metrics stored as site_audits.summary.
import type { AuditMetrics, FetchedPage, FindingOut, PageEncodingResult, SiteAuditResult, SiteSnapshot } from "../types.ts";
import { applicableCategories, ruleSetFor } from "../catalog/rulesets.ts";
import { type ParsedPage, parsePage } from "../parse/page.ts";
import { checkArticleAttribution, checkAttribution } from "./attribution.ts";
import { type CategoryResult, checkCategories, isEmptyLanding } from "./categories.ts";
import { matchCategory } from "../catalog/match.ts";
import { extractPageDates } from "../dates/extract.ts";
import { buildContext, isHtmlPage } from "./context.ts";
import { checkPageEncoding } from "./encoding.ts";
import { type FreshnessResult, checkFreshness } from "./freshness.ts";
import { checkIdentityOnPage, identityFindings } from "./identity.ts";
import { checkTechnical } from "./technical.ts";
import { checkEmc } from "./emc.ts";
import { checkHomeLinks } from "./home-links.ts";
import { evaluateDomainTransport } from "../net/domain-transport.ts";

export { parsePage, needsRendering } from "../parse/page.ts";
export type { ParsedPage, ParsedLink } from "../parse/page.ts";
export { matchCategory };
export { formatReportVi } from "./report-vi.ts";
export { CATEGORIES, CATEGORY_BY_ID } from "../catalog/categories.ts";
export { RULE_SETS, ruleSetFor, applicableCategories } from "../catalog/rulesets.ts";
export { holidaysForYear, workingDaysBetween, isWorkingDay, tetDate } from "../calendar/holidays.ts";

export const CHECK_IDS = ["categories", "encoding", "freshness", "identity", "attribution", "technical", "domain", "transport", "emc", "home-links"] as const;

export interface PageCheckResult {
  url: string;
  status: number;
  encoding: PageEncodingResult;
  findings: FindingOut[];
}

/** The page-level checks (encoding) on one fetched HTML page; parse once and pass `parsed` if you have it. */
export function checkPage(page: FetchedPage, parsed?: ParsedPage): PageCheckResult | null {
  if (!isHtmlPage(page) || page.error || page.status < 200 || page.status >= 400) return null;
  const p = parsed ?? parsePage(page);
  const enc = checkPageEncoding(page, p);
  return { url: page.finalUrl || page.url, status: page.status, encoding: enc.result, findings: enc.findings };
}

/**
 * Every page-level piece of work runSiteChecks does for one page (parse once, encoding with
 * legacy conversion, menu matching, emptiness, dates, identity, attribution): what the
 * benchmark measures, and a convenient per-page entry point.
 */
export function runPageChecks(page: FetchedPage, referenceTime: Date) {
  const ctx = buildContext({ baseUrl: page.url, pages: [page], referenceTime });
  const entry = ctx.entries[0];
  const parsed = entry.parsed;
  if (!parsed) return null;
  const categories = new Set<string>();
  for (const l of parsed.links) for (const id of matchCategory(l.text, l.href)) categories.add(id);
  return {
    encoding: entry.encoding?.result ?? null,
    encodingFindings: entry.encoding?.findings ?? [],
    linkedCategories: [...categories],
    empty: isEmptyLanding(parsed).empty,
    dates: extractPageDates(parsed, referenceTime),
    listItems: parsed.listItems.length,
    identity: checkIdentityOnPage(parsed),
    attribution: checkArticleAttribution(parsed, page.finalUrl || page.url),
  };
}

export type FullAuditResult = SiteAuditResult & {
  metrics: AuditMetrics;
  categories: CategoryResult[];
  freshness: SiteAuditResult["freshness"] & Omit<FreshnessResult, "items" | "findings">;
};

export function runSiteChecks(snapshot: SiteSnapshot): FullAuditResult {
  const ctx = buildContext(snapshot);
  const ruleSet = ruleSetFor(snapshot.referenceTime);
  const rules = applicableCategories(ruleSet, snapshot.unitType);
  const findings: FindingOut[] = [];

  // check_id "crawl" belongs to the crawler (fetch errors, timeouts, rendering): not repeated here.

  // Encoding, per page.
  const pages: SiteAuditResult["pages"] = [];
  const schemes = new Set<string>();
  for (const e of ctx.entries) {
    if (!e.parsed || !e.ok || !e.isHtml || !e.encoding) continue;
    const enc = e.encoding;
    pages.push({ url: e.page.finalUrl || e.page.url, status: e.page.status, encoding: enc.result });
    if (enc.result.legacy) schemes.add(enc.result.legacy);
    findings.push(...enc.findings);
  }
  const pagesCompliant = pages.filter((p) => p.encoding.compliant).length;
  const encoding = { compliant: pages.length > 0 && pagesCompliant === pages.length, pagesChecked: pages.length, pagesCompliant, legacySchemes: [...schemes].sort() };

  const cats = checkCategories(ctx, rules);
  findings.push(...cats.findings);

  const homeParsed = ctx.home?.parsed ?? null;
  const idResult = homeParsed ? checkIdentityOnPage(homeParsed, snapshot.unitName) : null;
  const identity = {
    unitName: !!idResult?.unitName.found,
    responsiblePerson: !!idResult?.responsiblePerson.found,
    address: !!idResult?.address.found,
    phone: !!idResult?.phone.found,
    email: !!idResult?.email.found,
  };
  if (idResult) findings.push(...identityFindings(idResult, ctx.home!.page.finalUrl || ctx.home!.page.url, ruleSet.site.identityBasis));

  // TT 22/2023 (HT): EMC code and label, required home-page links; findings only under a rule set that requires them.
  const emc = checkEmc(ctx, ruleSet.site);
  findings.push(...emc.findings);
  const homeLinks = checkHomeLinks(ctx, ruleSet.site);
  findings.push(...homeLinks.findings);

  const fresh = checkFreshness(ctx, ruleSet, rules, cats.results.map((c) => c.url));
  findings.push(...fresh.findings);

  const attribution = checkAttribution(ctx);
  findings.push(...attribution.findings);

  const sitemapPage = cats.results.find((c) => c.id === "so-do-site")?.status === "present";
  const technical = checkTechnical(ctx, sitemapPage);
  findings.push(...technical.findings);

  const { items, findings: _f, ...freshRest } = fresh;
  const metrics: AuditMetrics = {
    categories: cats.results.map((c) => ({ id: c.id, status: c.status, url: c.url })),
    encoding: { pagesChecked: encoding.pagesChecked, pagesCompliant, legacySchemes: encoding.legacySchemes },
    identity,
    freshness: {
      latestPublished: fresh.latestPublished,
      daysSinceLastPost: fresh.daysSinceLastPost,
      postsLast7Days: fresh.postsLast7Days,
      postsLast30Days: fresh.postsLast30Days,
      postsLast90Days: fresh.postsLast90Days,
      postsPerWeek: fresh.postsPerWeek,
      newSincePreviousAudit: fresh.newSincePreviousAudit,
    },
    deadlines: { documentsChecked: fresh.documents.length, documentsOnTime: fresh.documents.filter((d) => !d.late).length },
    attribution: attribution.metrics,
    technical: technical.metrics,
    emc: emc.metrics,
    homeLinks: homeLinks.metrics,
  };

  // Domain and transport (HD): only when the crawl ran the probe (SiteSnapshot.domainTransport).
  const dt = snapshot.domainTransport ? evaluateDomainTransport(snapshot.domainTransport) : null;
  if (dt) {
    findings.push(...dt.findings);
    metrics.domain = dt.metrics.domain;
    metrics.transport = dt.metrics.transport;
    if (dt.unverifiedMetrics.length) metrics.unverifiedMetrics = [...new Set([...(metrics.unverifiedMetrics ?? []), ...dt.unverifiedMetrics])].sort();
  }

  return {
    site: snapshot.baseUrl,
    auditedAt: snapshot.referenceTime.toISOString(),
    ruleSet: { id: ruleSet.id, legalBasis: ruleSet.legalBasis },
    pages,
    encoding,
    categories: cats.results,
    identity,
    identityEvidence: idResult,
    freshness: {
      ...freshRest,
      items: items.map((i) => ({ url: i.url, published: i.published, categoryId: i.categoryId, title: i.title })),
    },
    attribution: attribution.metrics,
    technical: technical.metrics,
    homeLinks: homeLinks.links,
    findings,
    metrics,
    // Unverified items of the domain/transport probe, for withVerdicts to keep (HD).
    ...(dt?.unverified.length ? { probeUnverified: dt.unverified } : {}),
  };
}
