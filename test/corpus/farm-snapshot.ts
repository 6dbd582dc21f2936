// Builds SiteSnapshots straight from the fixture farm's routes (every page, as a full crawl
// would fetch them) so the checks can be compared with the farm's ground truth in-process.
import { buildSite } from "../farm/render.ts";
import { provinceSpecs } from "../farm/province.ts";
import type { GroundTruth } from "../farm/types.ts";
import type { FetchedPage, PageKind, SiteSnapshot } from "../../crawler/types.ts";

export interface FarmCase {
  id: string;
  truth: GroundTruth;
  snapshot: SiteSnapshot;
}

function kindOf(path: string, truth: GroundTruth, origin: string): PageKind {
  const url = origin + path;
  if (path === "/") return "home";
  if (/sitemap[^/]*\.xml$/.test(path)) return "sitemap";
  if (path === "/rss") return "feed";
  if (path === "/robots.txt") return "robots";
  if (truth.documents.some((d) => d.url === url)) return "document";
  if (truth.items.some((i) => i.url === url)) return "article";
  if (Object.values(truth.categories).some((c) => c.url === url)) return "category";
  return "other";
}

export function farmCases(reference = "2026-11-20", seed = 1): FarmCase[] {
  const out: FarmCase[] = [];
  provinceSpecs().forEach((spec, i) => {
    const origin = `http://127.0.0.1:${42000 + i}`;
    const site = buildSite(spec, seed, reference, origin);
    const fetchedAt = new Date(reference + "T03:00:00Z");
    const pages: FetchedPage[] = [];
    for (const [path, r] of site.routes) {
      if (path.startsWith("/files/") || path.startsWith("/images/") || /\.(png|jpg|gif|css|js)$/.test(path)) continue;
      // A polite crawler does not fetch what robots.txt disallows.
      if (site.truth.robots?.disallow.some((d) => d && path.startsWith(d))) continue;
      const url = origin + path;
      pages.push({ url, finalUrl: url, status: r.status, headers: r.headers, body: r.body, fetchedAt, kind: kindOf(path, site.truth, origin) });
    }
    out.push({
      id: spec.id,
      truth: site.truth,
      snapshot: { baseUrl: origin + "/", pages, referenceTime: new Date(reference + "T03:00:00Z"), unitType: spec.unitType, unitName: spec.name },
    });
  });
  return out;
}
