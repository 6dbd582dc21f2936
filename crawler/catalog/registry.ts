// The names a rubric may refer to, shared with the checks: metric paths of AuditMetrics, category
// ids and finding codes. A rubric naming anything else (a typo such as "technical.htps" or
// "tin-tucc") would silently cost every unit its points, so it is refused with the name.
import type { AuditMetrics } from "../types.ts";
import { CATEGORIES } from "./categories.ts";

type Leaves<T> = { [K in keyof T]-?: true };

/** Every numeric/boolean leaf of AuditMetrics (the compiler keeps this list complete). */
const METRIC_FIELDS: { [K in Exclude<keyof AuditMetrics, "categories" | "unverifiedMetrics" | "countedMetrics">]-?: Leaves<NonNullable<AuditMetrics[K]>> } = {
  encoding: { pagesChecked: true, pagesCompliant: true, legacySchemes: true },
  identity: { unitName: true, responsiblePerson: true, address: true, phone: true, email: true },
  freshness: {
    latestPublished: true,
    daysSinceLastPost: true,
    postsLast7Days: true,
    postsLast30Days: true,
    postsLast90Days: true,
    postsPerWeek: true,
    newSincePreviousAudit: true,
  },
  deadlines: { documentsChecked: true, documentsOnTime: true },
  attribution: { articlesChecked: true, withAuthor: true, withSource: true },
  technical: {
    https: true,
    httpsRedirect: true,
    sitemapXml: true,
    sitemapPage: true,
    search: true,
    viewport: true,
    langVi: true,
    imgAltRatio: true,
    axeSeriousViolations: true,
  },
  domain: { govVn: true, ipv6: true, dnssec: true },
  transport: { httpsValid: true, httpRedirect: true, certDaysLeft: true },
  emc: { script: true, label: true, labelInFooter: true, pagesChecked: true, pagesWithScript: true },
  homeLinks: { required: true, present: true },
  pageLoad: { fcpMs: true, lcpMs: true, speedIndexMs: true, tbtMs: true, fcpOk: true, lcpOk: true, speedIndexOk: true, tbtOk: true, runs: true },
};

export const METRIC_PATHS: ReadonlySet<string> = new Set(
  Object.entries(METRIC_FIELDS).flatMap(([group, fields]) => Object.keys(fields).map((f) => `${group}.${f}`)),
);

export const CATEGORY_IDS: ReadonlySet<string> = new Set(CATEGORIES.map((c) => c.id));

/** Every finding code the crawler and the checks emit (check "crawl" included). */
export const FINDING_CODES: ReadonlySet<string> = new Set([
  "attribution.author-missing",
  "attribution.source-missing",
  "category.empty",
  "category.missing",
  "category.optional-missing",
  "category.unreachable",
  "crawl.fetch-error",
  "crawl.render-failed",
  "crawl.robots-disallowed",
  "crawl.timeout",
  "crawl.too-large",
  "deadline.late-document",
  "domain.no-dnssec",
  "domain.no-ipv6",
  "domain.not-gov-vn",
  "emc.label-misplaced",
  "emc.label-not-footer",
  "emc.label-without-script",
  "emc.missing",
  "emc.no-label",
  "emc.no-script",
  "emc.script-misplaced",
  "encoding.charset-not-utf8",
  "encoding.invalid-utf8",
  "encoding.legacy-font",
  "encoding.legacy-text",
  "encoding.nfd",
  "freshness.frequency",
  "freshness.low-frequency",
  "freshness.no-dates",
  "freshness.stale",
  "home-links.missing",
  "identity.address",
  "identity.email",
  "identity.phone",
  "identity.responsible-person",
  "identity.unit-name",
  "page-load.fcp",
  "page-load.lcp",
  "page-load.speed-index",
  "page-load.tbt",
  "technical.axe",
  "technical.img-alt",
  "technical.lang-not-vi",
  "technical.no-https",
  "technical.no-https-redirect",
  "technical.no-search",
  "technical.no-sitemap-page",
  "technical.no-sitemap-xml",
  "technical.no-viewport",
  "technical.tls-error",
  "transport.cert-expiring",
  "transport.cert-invalid",
  "transport.no-https",
  "transport.no-https-redirect",
  "verdict.unverified",
]);

/** The names a rubric measure refers to (the fields of db/scoring/measure.ts measures). */
export interface MeasureNames {
  kind?: string;
  metric?: string;
  numerator?: string;
  denominator?: string;
  category?: string;
  findingCodes?: string[];
}

/** Vietnamese errors naming every unknown metric path, category id or finding code; empty when all exist. */
export function unknownMeasureNames(m: MeasureNames): string[] {
  const errors: string[] = [];
  for (const field of ["metric", "numerator", "denominator"] as const) {
    const path = m[field];
    if (path !== undefined && !METRIC_PATHS.has(path)) errors.push(`chỉ số "${path}" không tồn tại`);
  }
  if (m.category !== undefined && !CATEGORY_IDS.has(m.category)) errors.push(`chuyên mục "${m.category}" không tồn tại`);
  for (const code of m.findingCodes ?? []) if (!FINDING_CODES.has(code)) errors.push(`mã phát hiện "${code}" không tồn tại`);
  return errors;
}
