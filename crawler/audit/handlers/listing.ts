// A category landing page or a listing: may need rendering (a menu drawn by JavaScript); its
// first content links are the newest items (discover.ts).
import type { PageContext } from "../crawl-run.ts";
import { readHtml } from "./html.ts";

export function handleListing(ctx: PageContext): Promise<void> {
  return readHtml(ctx, { renderable: true, home: false });
}
