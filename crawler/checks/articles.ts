// Which fetched pages are articles (and documents), shared by categories, freshness and attribution.
import type { PageEntry } from "./context.ts";

const DATE_NEAR_TOP = /\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|ngày\s+\d{1,2}\s+tháng|\d+\s*(?:giờ|ngày|phút)\s+trước/i;

export function isDocumentPage(entry: PageEntry): boolean {
  if (entry.page.kind === "document") return true;
  const p = entry.parsed;
  if (!p) return false;
  return /(?:ngày ban hành|số ký hiệu|cơ quan ban hành|trích yếu)/i.test(p.mainText.slice(0, 5000)) && p.listItems.length < 5;
}

/**
 * An article: the crawler says so (reached from a listing) and the page is not itself a list, or
 * the page declares itself one (og:type, JSON-LD), or it has a title, a body and a date at the top.
 */
export function isArticlePage(entry: PageEntry): boolean {
  if (!entry.ok || !entry.parsed) return false;
  const kind = entry.page.kind;
  const p = entry.parsed;
  // Pagination and "more" links reached from a listing are listings, not articles.
  if (p.listItems.length >= 5) return false;
  if (kind === "article") return true;
  if (kind && kind !== "other") return false;
  if ((p.meta["og:type"] ?? "").toLowerCase() === "article" || p.meta["article:published_time"]) return true;
  if (/"@type"\s*:\s*"(?:News)?Article"/.test(p.jsonLd.join(" "))) return true;
  const h1 = p.headings.find((h) => h.level === 1);
  if (!h1 || p.mainText.length <= 300) return false;
  // A static page (introduction, contacts) has no publication date under its title.
  const at = p.mainText.indexOf(h1.text);
  const top = p.mainText.slice(Math.max(0, at), Math.max(0, at) + h1.text.length + 200);
  if (p.mainText.length > 800 && (p.times.length > 0 || DATE_NEAR_TOP.test(top.slice(h1.text.length)))) return true;
  // Under a category: the breadcrumb ends with the category while the title is the article's own.
  const crumbs = p.breadcrumb.filter((c) => c.length > 0);
  if (crumbs.length >= 2) {
    const last = crumbs[crumbs.length - 1].toLowerCase();
    const title = h1.text.toLowerCase();
    return last !== title && !title.startsWith(last) && h1.text.split(" ").length >= 5;
  }
  return false;
}
