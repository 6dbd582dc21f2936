// The home page: may need rendering, carries axe (in the background), and tells whether the
// plain-HTTP address redirects to HTTPS.
import type { PageContext } from "../crawl-run.ts";
import { readHtml } from "./html.ts";

export async function handleHome(ctx: PageContext, html: boolean): Promise<void> {
  const { run, page } = ctx;
  // Unchanged since the last audit: no parse here (the checks parse it once); axe and the
  // screenshot still run.
  if (ctx.reuseLinks) run.startHomeRender(page.finalUrl, { axe: run.canRunAxe(), screenshot: run.canScreenshot() });
  if (html) await readHtml(ctx, { renderable: true, home: true });
  if (page.finalUrl !== page.url) {
    try {
      const final = new URL(page.finalUrl);
      if (final.protocol === "https:" && run.baseUrl.protocol === "http:") run.snapshot.httpRedirectsToHttps = true;
    } catch {
      // finalUrl is always absolute
    }
  }
}
