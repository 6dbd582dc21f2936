// robots.txt per origin, fetched once per site audit. Follows RFC 9309: 4xx = no rules,
// 5xx or unreachable = everything disallowed (the audit then records why it could not crawl).
import robotsParser from "robots-parser";
import type { FetchOutcome, Fetcher, FetchRequest } from "./fetcher.ts";

export interface RobotsRules {
  url: string;
  page: FetchOutcome;
  /** null when every path is allowed. */
  isAllowed(url: string): boolean;
  crawlDelayMs: number;
  sitemaps: string[];
  /** Why everything is disallowed (unreachable robots.txt), if so. */
  blockedReason: string | null;
}

/** Crawl-delay above this is capped: a hostile robots.txt must not stall an audit for hours. */
export const MAX_CRAWL_DELAY_MS = 10_000;

export async function loadRobots(fetcher: Fetcher, origin: string, req: Omit<FetchRequest, "kind">): Promise<RobotsRules> {
  const url = new URL("/robots.txt", origin).toString();
  const page = await fetcher.fetch(url, { ...req, kind: "robots", accept: "text/plain,*/*;q=0.5", keepTruncated: true });
  const ua = fetcher.options.userAgent;
  // A robots.txt over the size cap is read up to the cap (RFC 9309 §2.5), its last, cut line
  // dropped: never taken as "no rules".
  const overCap = page.errorCode === "too-large" && page.body.length > 0;
  if (page.status >= 200 && page.status < 300 && (!page.error || overCap)) {
    let text = page.body.toString("utf8");
    if (overCap) text = text.slice(0, Math.max(0, text.lastIndexOf("\n") + 1));
    const robot = robotsParser(page.finalUrl, text);
    const delay = robot.getCrawlDelay(ua) ?? robot.getCrawlDelay("TuanThuBot");
    return {
      url,
      page,
      isAllowed: (u) => robot.isAllowed(u, ua) !== false,
      crawlDelayMs: delay ? Math.min(MAX_CRAWL_DELAY_MS, Math.round(delay * 1000)) : 0,
      sitemaps: robot.getSitemaps(),
      blockedReason: null,
    };
  }
  if (page.status >= 500 || page.status === 0 || page.errorCode === "too-large") {
    const why =
      page.errorCode === "too-large"
        ? `không đọc được robots.txt vượt quá giới hạn (${page.error ?? "quá lớn"})`
        : page.status
          ? `robots.txt trả về ${page.status}`
          : `không tải được robots.txt (${page.error ?? "lỗi"})`;
    return { url, page, isAllowed: () => false, crawlDelayMs: 0, sitemaps: [], blockedReason: why };
  }
  return { url, page, isAllowed: () => true, crawlDelayMs: 0, sitemaps: [], blockedReason: null };
}
