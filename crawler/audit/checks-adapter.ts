// The crawler's view of the checks: which page needs rendering, which link is a category
// landing page, and the site checks themselves. Loaded lazily so that the crawler core and
// its tests do not depend on the checks being loaded (and to keep import cycles out).
import type { FetchedPage, SiteAuditResult, SiteSnapshot } from "../types.ts";

export interface ChecksApi {
  runSiteChecks(snapshot: SiteSnapshot): SiteAuditResult | Promise<SiteAuditResult>;
  /** Category ids the link names (best first); empty when none. */
  matchCategory(text: string, href: string): string[];
  needsRendering(page: FetchedPage): boolean;
  formatReport?: (result: SiteAuditResult) => string;
}

let cached: Promise<ChecksApi> | null = null;

type AnyModule = Record<string, unknown>;

async function tryImport(spec: string): Promise<AnyModule | null> {
  try {
    return (await import(spec)) as AnyModule;
  } catch (err) {
    if (process.env.TT_DEBUG) console.error(`checks-adapter: ${spec}: ${(err as Error).message}`);
    return null;
  }
}

function pick<T>(mods: (AnyModule | null)[], name: string): T | undefined {
  for (const m of mods) if (m && typeof m[name] === "function") return m[name] as T;
  return undefined;
}

export function loadChecks(): Promise<ChecksApi> {
  cached ??= (async () => {
    const mods = await Promise.all(
      ["../checks/index.ts", "../parse/page.ts", "../catalog/match.ts", "../checks/report.ts", "../checks/format.ts"].map(tryImport),
    );
    const runSiteChecks = pick<ChecksApi["runSiteChecks"]>(mods, "runSiteChecks");
    const match = pick<(text: string, href: string) => unknown>(mods, "matchCategory");
    const parsePage = pick<(p: FetchedPage) => unknown>(mods, "parsePage");
    const needs = pick<(parsed: unknown) => boolean>(mods, "needsRendering");
    const format = pick<(r: SiteAuditResult) => string>(mods, "formatReport") ?? pick<(r: SiteAuditResult) => string>(mods, "formatAuditReport") ?? pick<(r: SiteAuditResult) => string>(mods, "formatReportVi");
    return {
      runSiteChecks: runSiteChecks ?? fallbackSiteChecks,
      matchCategory: (text, href) => {
        if (!match) return [];
        const r = match(text, href);
        if (!r) return [];
        if (typeof r === "string") return [r];
        if (Array.isArray(r)) return r.filter((x): x is string => typeof x === "string");
        const o = r as { id?: string; categoryId?: string };
        const id = o.categoryId ?? o.id;
        return id ? [id] : [];
      },
      needsRendering: (page) => {
        if (!needs || !parsePage) return false;
        try {
          return !!needs(parsePage(page));
        } catch {
          return false;
        }
      },
      formatReport: format,
    };
  })();
  return cached;
}

/** Used only while the checks module is absent: the crawl facts without any judgement. */
function fallbackSiteChecks(snapshot: SiteSnapshot): SiteAuditResult {
  return {
    site: snapshot.baseUrl,
    auditedAt: snapshot.referenceTime.toISOString(),
    pages: [],
    encoding: { compliant: true, pagesChecked: 0, pagesCompliant: 0, legacySchemes: [] },
    categories: [],
    identity: { unitName: false, responsiblePerson: false, address: false, phone: false, email: false },
    freshness: { latestPublished: null, postsLast30Days: 0, items: [] },
    findings: [],
  };
}
