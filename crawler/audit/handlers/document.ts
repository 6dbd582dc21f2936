// A body that is not HTML: a sitemap or a feed is read for the URLs it lists (as UTF-8, the
// XML default); any other file (PDF, image…) is kept as evidence only.
import { looksLikeFeed, looksLikeSitemap } from "../../discover/links.ts";
import type { PageContext } from "../crawl-run.ts";
import { discoverFromXml } from "./discover.ts";

const XML_READ_LIMIT = 20 * 1024 * 1024;

export function handleDocument(ctx: PageContext): void {
  const { item, page } = ctx;
  const text = page.body.subarray(0, XML_READ_LIMIT).toString("utf8");
  if (item.kind === "sitemap" || item.kind === "feed" || looksLikeSitemap(text) || looksLikeFeed(page.headers["content-type"], text)) discoverFromXml(ctx, text);
}
