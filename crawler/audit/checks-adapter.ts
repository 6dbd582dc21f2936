// The crawler's view of the checks: which page needs rendering, which link is a category
// landing page, and the site checks themselves — one small interface so that the crawl loop
// and its tests can be given another implementation.
import { matchCategory } from "../catalog/match.ts";
import { runSiteChecks } from "../checks/index.ts";
import { formatReportVi } from "../checks/report-vi.ts";
import { needsRendering, parsedOf } from "../parse/page.ts";
import type { FetchedPage, SiteAuditResult, SiteSnapshot } from "../types.ts";

export interface ChecksApi {
  runSiteChecks(snapshot: SiteSnapshot): SiteAuditResult | Promise<SiteAuditResult>;
  /** Category ids the link names (best first); empty when none. */
  matchCategory(text: string, href: string): string[];
  needsRendering(page: FetchedPage): boolean;
  formatReport?: (result: SiteAuditResult) => string;
}

const CHECKS: ChecksApi = {
  runSiteChecks,
  matchCategory: (text, href) => matchCategory(text, href),
  needsRendering: (page) => {
    try {
      return needsRendering(parsedOf(page));
    } catch {
      // A page the parser cannot read is not worth a browser either; its checks report it.
      return false;
    }
  },
  formatReport: formatReportVi,
};

export function loadChecks(): Promise<ChecksApi> {
  return Promise.resolve(CHECKS);
}
