// Reading an HTML page: decoded once and parsed once (crawler/parse/page.ts parsePage), with
// link discovery riding along the same htmlparser2 pass; the parse is kept on the page for
// the checks (FetchedPage.parsed). A page that needs JavaScript is rendered first and its
// rendered HTML is what discovery and the checks read.
import { decodeHtml, extractLinks, linkCollector, type PageLinks } from "../../discover/links.ts";
import { parsePage } from "../../parse/page.ts";
import type { FetchOutcome } from "../../fetch/fetcher.ts";
import type { PageContext } from "../crawl-run.ts";
import { discoverFromHtml } from "./discover.ts";

export interface HtmlReadOptions {
  /** The page may be rendered in Chromium when it needs JavaScript (home, category, listing). */
  renderable: boolean;
  /** Run axe and take the screenshot on this page (the home page) when a browser is available. */
  home: boolean;
}

/**
 * Parses the page once (raw bytes or rendered HTML), with discovery's handler on the same pass,
 * and keeps the parse on the page for the checks. In "links" mode (a crawl whose pages go to no
 * checks: the benchmark) only discovery's reading is done, still in one decode and one pass.
 */
export function parseWithLinks(page: FetchOutcome, mode: "full" | "links"): PageLinks {
  const url = page.finalUrl || page.url;
  if (mode === "links") {
    if (page.renderedHtml) return extractLinks(page.renderedHtml, url);
    const decoded = decodeHtml(page.body, page.headers["content-type"]);
    return extractLinks(decoded.html, url, decoded.fix);
  }
  const collector = linkCollector(url);
  page.parsed = parsePage(page, collector.handler);
  return collector.result();
}

export async function readHtml(ctx: PageContext, opts: HtmlReadOptions): Promise<void> {
  const { run, page } = ctx;
  let rawLinks: PageLinks | null = null;
  const wantsRender =
    opts.renderable &&
    run.renderMode !== "never" &&
    // needsRendering reads page.parsed: the raw page is parsed (once) before deciding.
    (run.renderMode === "always" || ((rawLinks = parseWithLinks(page, run.parseMode)), run.opts.checks.needsRendering(page)));
  const wantsAxe = opts.home && run.canRunAxe();
  const wantsShot = opts.home && run.canScreenshot();
  if (wantsRender && !run.signal.aborted) {
    const renderer = run.opts.renderer;
    if (!renderer) page.renderError = "không có trình duyệt để hiển thị trang";
    else {
      try {
        const r = await renderer.render(page.finalUrl, run.policy, { axe: wantsAxe, screenshot: wantsShot });
        page.renderedHtml = r.html;
        ctx.rendered = true;
        run.stats.rendered++;
        if (r.axe) run.axe = r.axe;
        run.keepScreenshot(page.finalUrl, r);
      } catch (err) {
        page.renderError = (err as Error).message.split("\n")[0];
        if (wantsShot) run.screenshotError = page.renderError;
      }
    }
  } else if ((wantsAxe || wantsShot) && !run.signal.aborted) {
    run.startHomeRender(page.finalUrl, { axe: wantsAxe, screenshot: wantsShot });
  }
  // The rendered HTML is another document: parse it (once); else reuse the raw parse.
  const links = page.renderedHtml ? parseWithLinks(page, run.parseMode) : (rawLinks ?? parseWithLinks(page, run.parseMode));
  ctx.title = discoverFromHtml(ctx, links);
}
