// Turning what a page links to into frontier items: the budget rules of decision 0003
// (sitemaps and feeds, category landing pages, the newest items of listings, the rest).
import type { PageLinks } from "../../discover/links.ts";
import { looksLikeFeed, looksLikeSitemap, parseFeed, parseSitemap } from "../../discover/links.ts";
import { Priority } from "../../discover/frontier.ts";
import { MAX_PROTOCOL_FETCHES, type PageContext } from "../crawl-run.ts";

/** Queues the links of an HTML page; returns its title. */
export function discoverFromHtml(ctx: PageContext, found: PageLinks): string | null {
  const { run, item, page } = ctx;
  const childDepth = item.depth + 1;
  for (const s of found.sitemaps) if (run.protocolFetches < MAX_PROTOCOL_FETCHES) run.tryPush({ url: s, kind: "sitemap", depth: 1, priority: Priority.protocol });
  for (const f of found.feeds.slice(0, 3)) run.tryPush({ url: f, kind: "feed", depth: 1, priority: Priority.protocol });
  if (found.refresh) run.tryPush({ url: found.refresh, kind: item.kind, depth: item.depth, priority: item.priority });
  let newest = 0;
  const isListing = item.kind === "category" || item.kind === "listing";
  for (const link of found.links) {
    if (link.url === page.finalUrl || link.url === page.url) continue;
    const cats = run.matchCategory(link.text, link.url);
    // A link under the listing's own category is one of its items, not another landing page.
    const own = isListing && !link.inMenu && item.categoryId != null && cats.includes(item.categoryId);
    if (cats.length && !own && !run.frontier.has(link.url) && run.takeCategoryCandidate(cats)) {
      run.tryPush({ url: link.url, kind: "category", depth: childDepth, priority: Priority.category, via: link.text, categoryId: cats[0] });
      continue;
    }
    if (isListing && !link.inMenu && !link.inFooter && newest < run.newestPerListing && !run.frontier.has(link.url)) {
      newest++;
      run.tryPush({ url: link.url, kind: "article", depth: childDepth, priority: Priority.newest, via: link.text });
      continue;
    }
    run.tryPush({ url: link.url, kind: isListing && !link.inMenu ? "article" : "other", depth: childDepth, priority: Priority.rest, via: link.text });
  }
  return found.title;
}

/** Queues what a sitemap or a feed lists. */
export function discoverFromXml(ctx: PageContext, text: string): void {
  const { run, page } = ctx;
  if (looksLikeSitemap(text)) {
    const sm = parseSitemap(text, page.finalUrl);
    for (const child of sm.sitemaps.slice(0, 10)) run.tryPush({ url: child.url, kind: "sitemap", depth: 1, priority: Priority.protocol });
    const urls = [...sm.urls].sort((a, b) => (b.lastmod ?? "").localeCompare(a.lastmod ?? ""));
    urls.forEach((entry, i) => {
      const cats = run.matchCategory("", entry.url);
      if (cats.length && run.takeCategoryCandidate(cats)) {
        run.tryPush({ url: entry.url, kind: "category", depth: 1, priority: Priority.category, categoryId: cats[0] });
      } else run.tryPush({ url: entry.url, kind: "other", depth: 1, priority: i < 20 && entry.lastmod ? Priority.newest : Priority.rest });
    });
  } else if (looksLikeFeed(page.headers["content-type"], text)) {
    for (const it of parseFeed(text, page.finalUrl).slice(0, 10)) run.tryPush({ url: it.url, kind: "article", depth: 1, priority: Priority.newest, via: it.title ?? undefined });
  }
}
