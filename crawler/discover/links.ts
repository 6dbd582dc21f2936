// Link discovery from fetched bytes: one streaming htmlparser2 pass per HTML page (anchors
// with their text and where they sit), plus sitemap and feed readers.
import type { Handler } from "htmlparser2";
import { parseWithinBudget } from "../parse/page.ts";
import { charsetToDecode, decodeBody } from "../encoding/decode.ts";
import { normalizeUrl } from "./normalize.ts";

export interface FoundLink {
  url: string;
  text: string;
  /** Inside nav/header/menu-like containers. */
  inMenu: boolean;
  /** Inside footer. */
  inFooter: boolean;
  /** Order of appearance on the page. */
  index: number;
}

export interface PageLinks {
  title: string | null;
  links: FoundLink[];
  feeds: string[];
  sitemaps: string[];
  /** <meta http-equiv=refresh> target, if any. */
  refresh: string | null;
}

export interface DecodedHtml {
  html: string;
  /**
   * UTF-8 pages are read as Latin-1 (a byte-for-byte copy, much cheaper than decoding the whole
   * page): markup and URLs are ASCII, and the few strings we keep (link text, title) are
   * re-read as UTF-8 by `fix`.
   */
  fix: (s: string) => string;
}

const identity = (s: string) => s;

/** Re-reads a string taken from Latin-1-decoded UTF-8 bytes as UTF-8 (entity output kept). */
export function latin1ToUtf8(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return s;
  let out = "";
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length) out += Buffer.from(bytes).toString("utf8");
    bytes = [];
  };
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0xff) bytes.push(c);
    else {
      // A character produced by an entity (&#7871;, &ndash;): already Unicode.
      flush();
      out += s[i];
    }
  }
  flush();
  return out;
}

/** Decodes an HTML body for link extraction, with the charset the checks use (crawler/encoding/decode.ts). */
export function decodeHtml(body: Buffer, contentType: string | undefined): DecodedHtml {
  const cs = charsetToDecode(body, contentType);
  if (cs === "utf-8") return { html: body.toString("latin1"), fix: latin1ToUtf8 };
  return { html: decodeBody(body, cs), fix: identity };
}

export function isHtml(contentType: string | undefined, body: Buffer): boolean {
  if (contentType) return /html|xhtml/i.test(contentType);
  const head = body.subarray(0, 512).toString("latin1").trimStart().toLowerCase();
  return head.startsWith("<!doctype html") || head.startsWith("<html");
}

const MENU_HINT = /(^|[\s_-])(nav|navbar|menu|mainmenu|main-menu|topmenu|top-menu|sidebar|megamenu|dropdown|header)([\s_-]|$)/i;

export function extractLinks(html: string, pageUrl: string, fix: (s: string) => string = identity): PageLinks {
  const collector = linkCollector(pageUrl, fix);
  // Within the parse budget (depth and size, crawler/parse/page.ts): linear in the input.
  parseWithinBudget(html, collector.handler, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  return collector.result();
}

/**
 * Discovery's reading of a page as htmlparser2 handlers, so that it can ride along the checks'
 * parse of the same page (parsePage's `tap`): one parse per page, shared (issue 13 §3).
 */
export function linkCollector(pageUrl: string, fix: (s: string) => string = identity): { handler: Partial<Handler>; result(): PageLinks } {
  let base = pageUrl;
  let title: string | null = null;
  let inTitle = false;
  const links: FoundLink[] = [];
  const feeds: string[] = [];
  const sitemaps: string[] = [];
  let refresh: string | null = null;
  // Stack of open elements that matter: whether each is a menu or footer container.
  const stack: { name: string; menu: boolean; footer: boolean }[] = [];
  let menuDepth = 0;
  let footerDepth = 0;
  let anchor: { href: string; text: string; title: string; menu: boolean; footer: boolean } | null = null;
  const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]);

  const handler: Partial<Handler> = {
      onopentag(name, attrs) {
        if (name === "base" && attrs.href) {
          const b = normalizeUrl(attrs.href, pageUrl);
          if (b) base = b;
        } else if (name === "title" && title === null) {
          inTitle = true;
          title = "";
        } else if (name === "link") {
          const rel = (attrs.rel ?? "").toLowerCase();
          const type = (attrs.type ?? "").toLowerCase();
          if (rel.includes("alternate") && /rss|atom/.test(type) && attrs.href) {
            const u = normalizeUrl(attrs.href, base);
            if (u) feeds.push(u);
          } else if (rel.includes("sitemap") && attrs.href) {
            const u = normalizeUrl(attrs.href, base);
            if (u) sitemaps.push(u);
          }
        } else if (name === "meta" && (attrs["http-equiv"] ?? "").toLowerCase() === "refresh" && attrs.content) {
          const m = /url\s*=\s*['"]?([^'";]+)/i.exec(attrs.content);
          if (m) refresh = normalizeUrl(m[1], base);
        }
        if (anchor && name === "img" && attrs.alt) anchor.text += ` ${attrs.alt}`;
        if (VOID.has(name)) return;
        const cls = `${attrs.class ?? ""} ${attrs.id ?? ""} ${attrs.role ?? ""}`;
        const menu = name === "nav" || name === "header" || name === "menu" || (cls.trim() !== "" && MENU_HINT.test(cls)) || attrs.role === "navigation" || attrs.role === "menubar";
        const footer = name === "footer" || /(^|[\s_-])footer([\s_-]|$)/i.test(cls) || attrs.role === "contentinfo";
        stack.push({ name, menu, footer });
        if (menu) menuDepth++;
        if (footer) footerDepth++;
        if (name === "a" && attrs.href) anchor = { href: attrs.href, text: "", title: attrs.title ?? "", menu: menuDepth > 0, footer: footerDepth > 0 };
      },
      ontext(text) {
        if (inTitle) title += text;
        if (anchor) anchor.text += text;
      },
      onclosetag(name) {
        if (name === "title") inTitle = false;
        if (VOID.has(name)) return;
        if (name === "a" && anchor) {
          const u = normalizeUrl(fix(anchor.href), base);
          // Re-read as UTF-8 before collapsing spaces: byte 0xA0 inside "à" is not a space.
          const text = fix(anchor.text).replace(/\s+/g, " ").trim() || fix(anchor.title).trim();
          if (u) links.push({ url: u, text, inMenu: anchor.menu, inFooter: anchor.footer, index: links.length });
          anchor = null;
        }
        // Pop to the matching element (tolerates unclosed children).
        for (let i = stack.length - 1; i >= 0; i--) {
          if (stack[i].name === name) {
            while (stack.length > i) {
              const e = stack.pop()!;
              if (e.menu) menuDepth--;
              if (e.footer) footerDepth--;
            }
            break;
          }
        }
      },
  };
  return {
    handler,
    result(): PageLinks {
      const t = title as string | null;
      return { title: t === null ? null : fix(t).replace(/\s+/g, " ").trim(), links, feeds, sitemaps, refresh };
    },
  };
}

export interface SitemapEntry {
  url: string;
  lastmod: string | null;
}

export interface SitemapContent {
  /** <sitemapindex> children. */
  sitemaps: SitemapEntry[];
  urls: SitemapEntry[];
}

function unescapeXml(s: string): string {
  return s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&")
    .trim();
}

export function parseSitemap(xml: string, base: string): SitemapContent {
  const out: SitemapContent = { sitemaps: [], urls: [] };
  const block = /<(sitemap|url)\b[^>]*>([\s\S]*?)<\/\1\s*>/gi;
  let m: RegExpExecArray | null;
  while ((m = block.exec(xml))) {
    const loc = /<loc\b[^>]*>([\s\S]*?)<\/loc\s*>/i.exec(m[2]);
    if (!loc) continue;
    const url = normalizeUrl(unescapeXml(loc[1]), base);
    if (!url) continue;
    const lastmod = /<lastmod\b[^>]*>([\s\S]*?)<\/lastmod\s*>/i.exec(m[2]);
    const entry = { url, lastmod: lastmod ? unescapeXml(lastmod[1]) : null };
    (m[1].toLowerCase() === "sitemap" ? out.sitemaps : out.urls).push(entry);
  }
  return out;
}

export interface FeedItem {
  url: string;
  published: string | null;
  title: string | null;
}

export function parseFeed(xml: string, base: string): FeedItem[] {
  const items: FeedItem[] = [];
  const block = /<(item|entry)\b[^>]*>([\s\S]*?)<\/\1\s*>/gi;
  let m: RegExpExecArray | null;
  while ((m = block.exec(xml))) {
    const body = m[2];
    let href: string | null = null;
    const atom = /<link\b[^>]*href\s*=\s*["']([^"']+)["'][^>]*>/i.exec(body);
    const rss = /<link\b[^>]*>([\s\S]*?)<\/link\s*>/i.exec(body);
    if (rss && rss[1].trim()) href = unescapeXml(rss[1]);
    else if (atom) href = unescapeXml(atom[1]);
    if (!href) continue;
    const url = normalizeUrl(href, base);
    if (!url) continue;
    const date = /<(pubDate|published|updated|dc:date)\b[^>]*>([\s\S]*?)<\/\1\s*>/i.exec(body);
    const title = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(body);
    items.push({ url, published: date ? unescapeXml(date[2]) : null, title: title ? unescapeXml(title[1]) : null });
  }
  return items;
}

export function looksLikeFeed(contentType: string | undefined, text: string): boolean {
  if (contentType && /rss|atom/i.test(contentType)) return true;
  const head = text.slice(0, 500);
  return /<rss\b|<feed\b/i.test(head);
}

export function looksLikeSitemap(text: string): boolean {
  const head = text.slice(0, 1000);
  return /<urlset\b|<sitemapindex\b/i.test(head);
}
