// Any other HTML page (reached by an ordinary link or listed in the sitemap): read as served.
import type { PageContext } from "../crawl-run.ts";
import { readHtml } from "./html.ts";

export function handleOther(ctx: PageContext): Promise<void> {
  return readHtml(ctx, { renderable: false, home: false });
}
