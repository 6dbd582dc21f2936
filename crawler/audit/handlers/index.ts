// The router: each fetched page goes to the handler of its kind (Crawlee-style), which reads it
// (one decode, one parse: html.ts) and queues what it links to (discover.ts).
//   home → home.ts · category, listing → listing.ts · article → article.ts
//   other HTML (and HTML reached as a sitemap or feed) → other.ts · not HTML → document.ts
import { isHtml } from "../../discover/links.ts";
import type { PageContext } from "../crawl-run.ts";
import { handleArticle } from "./article.ts";
import { handleDocument } from "./document.ts";
import { handleHome } from "./home.ts";
import { handleListing } from "./listing.ts";
import { handleOther } from "./other.ts";

export async function routePage(ctx: PageContext): Promise<void> {
  const { page, item } = ctx;
  // Only a successful, non-empty answer is read; one that answered 304 with its links already
  // queued is not read again (the checks parse it).
  const readable = !ctx.reuseLinks && !page.error && page.status >= 200 && page.status < 300 && page.body.length > 0;
  const html = readable && isHtml(page.headers["content-type"], page.body);
  if (item.kind === "home") return handleHome(ctx, html);
  if (!readable) return;
  if (!html) return handleDocument(ctx);
  switch (item.kind) {
    case "category":
    case "listing":
      return handleListing(ctx);
    case "article":
      return handleArticle(ctx);
    default:
      return handleOther(ctx);
  }
}
