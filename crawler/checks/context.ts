// The site as the checks see it: every fetched page parsed once, looked up by URL.
import type { FetchedPage, SiteSnapshot } from "../types.ts";
import { type ParsedPage, mapTexts, parsedOf } from "../parse/page.ts";
import { convertRun } from "../encoding/legacy.ts";
import { type PageEncodingCheck, checkPageEncoding } from "./encoding.ts";

export interface PageEntry {
  page: FetchedPage;
  /** Null for non-HTML bodies (feeds, sitemaps, files) and failed fetches. */
  parsed: ParsedPage | null;
  isHtml: boolean;
  ok: boolean;
  /** Encoding check of the page as served (before any conversion of `parsed`). */
  encoding: PageEncodingCheck | null;
}

export interface SiteContext {
  snapshot: SiteSnapshot;
  entries: PageEntry[];
  home: PageEntry | null;
  /** Normalised URL (url and finalUrl) → entry. */
  byUrl: Map<string, PageEntry>;
}

export function normalizeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.hash = "";
    // "/gioi-thieu/index.html" and "/Default.aspx" are the directory's page.
    if (/\/(?:index|default)\.(?:html?|php|aspx?|jsp|shtml)$/i.test(u.pathname)) u.pathname = u.pathname.replace(/(?:index|default)\.\w+$/i, "");
    let s = u.href;
    if (u.pathname !== "/" && s.endsWith("/") && !u.search) s = s.slice(0, -1);
    return s.replace(/^https?:\/\/(?:www\.)?/i, "//");
  } catch {
    return url;
  }
}

export function isHtmlPage(page: FetchedPage): boolean {
  if (page.renderedHtml) return true;
  const ct = (page.headers?.["content-type"] ?? "").toLowerCase();
  if (ct) return ct.includes("html");
  if (page.kind === "feed" || page.kind === "sitemap" || page.kind === "robots") return false;
  const head = page.body?.subarray(0, 512).toString("latin1").trimStart().toLowerCase() ?? "";
  return head.startsWith("<!doctype html") || head.startsWith("<html") || /<(?:head|body|div|meta|title)\b/.test(head);
}

export function isOk(page: FetchedPage): boolean {
  return !page.error && page.status >= 200 && page.status < 400;
}

export function buildContext(snapshot: SiteSnapshot): SiteContext {
  const entries: PageEntry[] = [];
  const byUrl = new Map<string, PageEntry>();
  for (const page of snapshot.pages) {
    const ok = isOk(page);
    const isHtml = isHtmlPage(page);
    let parsed: ParsedPage | null = null;
    if (isHtml && (page.body?.length || page.renderedHtml)) {
      try {
        // The crawl's parse when it has one: each page is parsed once (issue 13 §3).
        parsed = parsedOf(page);
      } catch {
        parsed = null;
      }
    }
    let encoding: PageEncodingCheck | null = null;
    if (parsed && ok) {
      try {
        encoding = checkPageEncoding(page, parsed);
        const scheme = encoding.result.legacy;
        if (encoding.dominantLegacy && scheme && !parsed.convertedFrom) {
          // A page in legacy glyphs: convert its text so that menus, footers and dates can be read.
          mapTexts(parsed, (t) => convertRun(t, scheme));
          parsed.convertedFrom = scheme;
        }
      } catch {
        encoding = null;
      }
    }
    const entry: PageEntry = { page, parsed, isHtml, ok, encoding };
    entries.push(entry);
    for (const u of [page.url, page.finalUrl, ...(page.redirects ?? [])]) {
      if (!u) continue;
      const key = normalizeUrl(u);
      const prev = byUrl.get(key);
      // Prefer a successful fetch of the same URL over a failed one.
      if (!prev || (!prev.ok && ok)) byUrl.set(key, entry);
    }
  }
  const baseKey = normalizeUrl(snapshot.baseUrl);
  const home =
    byUrl.get(baseKey) ?? entries.find((e) => e.page.kind === "home") ?? entries.find((e) => e.ok && e.isHtml) ?? null;
  return { snapshot, entries, home, byUrl };
}

export function lookup(ctx: SiteContext, url: string): PageEntry | undefined {
  return ctx.byUrl.get(normalizeUrl(url));
}

export function snippetOf(text: string, index: number, radius = 80): string {
  const start = Math.max(0, index - radius);
  const end = Math.min(text.length, index + radius);
  return (start > 0 ? "…" : "") + text.slice(start, end).trim() + (end < text.length ? "…" : "");
}
