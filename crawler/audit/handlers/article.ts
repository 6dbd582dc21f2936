// An article (a listing's or a feed's item): read as served, never rendered.
import type { PageContext } from "../crawl-run.ts";
import { readHtml } from "./html.ts";

export function handleArticle(ctx: PageContext): Promise<void> {
  return readHtml(ctx, { renderable: false, home: false });
}
