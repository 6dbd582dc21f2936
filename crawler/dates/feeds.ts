// Item dates from RSS/Atom feeds and sitemap.xml <lastmod>.
import { parseIsoDate, parseRfc822 } from "./parse.ts";

export interface DatedLink {
  url: string;
  date: string | null;
  title: string | null;
}

function decodeXml(s: string): string {
  return s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, "$1")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&amp;/g, "&")
    .trim();
}

function tag(block: string, name: string): string | null {
  const m = new RegExp(`<${name}\\b[^>]*>([\\s\\S]*?)</${name}>`, "i").exec(block);
  return m ? decodeXml(m[1]) : null;
}

export function parseFeed(xml: string): DatedLink[] {
  const out: DatedLink[] = [];
  for (const m of xml.matchAll(/<item\b[\s\S]*?<\/item>/gi)) {
    const block = m[0];
    const url = tag(block, "link") ?? tag(block, "guid");
    const date = tag(block, "pubDate") ?? tag(block, "dc:date");
    if (url) out.push({ url, date: date ? parseRfc822(date) : null, title: tag(block, "title") });
  }
  for (const m of xml.matchAll(/<entry\b[\s\S]*?<\/entry>/gi)) {
    const block = m[0];
    const href = /<link\b[^>]*href\s*=\s*["']([^"']+)["']/i.exec(block)?.[1];
    const date = tag(block, "published") ?? tag(block, "updated");
    if (href) out.push({ url: decodeXml(href), date: date ? parseIsoDate(date) : null, title: tag(block, "title") });
  }
  return out;
}

export function parseSitemap(xml: string): { urls: DatedLink[]; sitemaps: string[] } {
  const urls: DatedLink[] = [];
  const sitemaps: string[] = [];
  for (const m of xml.matchAll(/<url\b[\s\S]*?<\/url>/gi)) {
    const loc = tag(m[0], "loc");
    const lastmod = tag(m[0], "lastmod");
    if (loc) urls.push({ url: loc, date: lastmod ? parseIsoDate(lastmod) : null, title: null });
  }
  for (const m of xml.matchAll(/<sitemap\b[\s\S]*?<\/sitemap>/gi)) {
    const loc = tag(m[0], "loc");
    if (loc) sitemaps.push(loc);
  }
  return { urls, sitemaps };
}
