// Which fetched pages are articles (and documents), shared by categories, freshness and attribution.
import { matchCategory } from "../catalog/match.ts";
import type { ParsedPage } from "../parse/page.ts";
import type { PageEntry } from "./context.ts";

const DATE_NEAR_TOP = /\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|ngày\s+\d{1,2}\s+tháng|\d+\s*(?:giờ|ngày|phút)\s+trước/i;
/** The site's start page under another name: "/", "/index.html", "/Default.aspx", "/trang-chu". */
const HOME_PATH = /^\/(?:(?:index|default|home|trang-?chu|trangchu)(?:\.(?:html?|php|aspx?|jsp))?)?\/?$/i;

export function isDocumentPage(entry: PageEntry): boolean {
  if (entry.page.kind === "document") return true;
  const p = entry.parsed;
  if (!p) return false;
  return /(?:ngày ban hành|số ký hiệu|cơ quan ban hành|trích yếu)/i.test(p.mainText.slice(0, 5000)) && p.listItems.length < 5;
}

function isHomeUrl(url: string): boolean {
  try {
    const u = new URL(url);
    if (!HOME_PATH.test(u.pathname)) return false;
    // "/?language=vi" is the home page; "/?nv=news&op=…" (NukeViet) is not.
    return [...u.searchParams.keys()].every((k) => /^(?:lang|language|l|hl)$/i.test(k));
  } catch {
    return false;
  }
}

/**
 * The article's own title: the h1, else the longest part of <title> (CMS titles are "Article -
 * Site" or "Site - Article") when the page shows it, else a heading the <title> contains.
 */
function articleTitle(p: ParsedPage): string | null {
  const h1 = p.headings.find((h) => h.level === 1);
  if (h1 && h1.text.split(" ").length >= 4) return h1.text;
  const parts = p.title.split(/\s+[-|–»]\s+/).filter((t) => t.split(" ").length >= 4).sort((a, b) => b.length - a.length);
  if (parts[0] && p.mainText.includes(parts[0])) return parts[0];
  // A short h1 that is the site's name in the title area is not the article's title.
  if (h1 && !(p.title.startsWith(h1.text) && parts[0])) return h1.text;
  const h = p.headings.find((x) => x.level <= 3 && x.text.split(" ").length >= 4 && p.title.includes(x.text));
  return h?.text ?? null;
}

/**
 * An article: the crawler says so (reached from a listing) and the page is not itself a list, or
 * the page declares itself one (og:type, JSON-LD), or it has a title, a body and a date at the top.
 * The home page (under any of its names) and pages titled with a category's name are listings.
 */
export function isArticlePage(entry: PageEntry): boolean {
  if (!entry.ok || !entry.parsed) return false;
  const kind = entry.page.kind;
  const p = entry.parsed;
  if (kind === "home" || isHomeUrl(entry.page.finalUrl || entry.page.url)) return false;
  // Pagination and "more" links reached from a listing are listings, not articles.
  if (p.listItems.length >= 5) return false;
  if (kind === "article") return true;
  if (kind && kind !== "other") return false;
  const title = articleTitle(p);
  // "Tin tức - Sự kiện" (page 2 of a category, reached from its pagination) is a listing.
  if (title && matchCategory(title).length > 0) return false;
  if (/"@type"\s*:\s*"(?:News)?Article"/.test(p.jsonLd.join(" "))) return true;
  if (!title) return (p.meta["og:type"] ?? "").toLowerCase() === "article" && p.mainText.length > 300;
  if ((p.meta["og:type"] ?? "").toLowerCase() === "article" || p.meta["article:published_time"]) return true;
  if (p.mainText.length <= 300) return false;
  // A static page (introduction, contacts) has no publication date under its title.
  const at = Math.max(0, p.mainText.indexOf(title));
  const top = p.mainText.slice(at + title.length, at + title.length + 200);
  const body = p.mainText.length - at;
  if (body > 700 && (p.times.length > 0 || DATE_NEAR_TOP.test(top))) return true;
  // Under a category: the breadcrumb ends with the category while the title is the article's own.
  const crumbs = p.breadcrumb.filter((c) => c.length > 0);
  if (crumbs.length >= 2) {
    const last = crumbs[crumbs.length - 1].toLowerCase();
    const t = title.toLowerCase();
    return last !== t && !t.startsWith(last) && title.split(" ").length >= 5;
  }
  return false;
}
