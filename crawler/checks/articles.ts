// Which fetched pages are articles (and documents), shared by freshness and attribution.
import type { PageEntry } from "./context.ts";

export function isDocumentPage(entry: PageEntry): boolean {
  if (entry.page.kind === "document") return true;
  const p = entry.parsed;
  if (!p) return false;
  return /(?:ngày ban hành|số ký hiệu|cơ quan ban hành|trích yếu)/i.test(p.mainText.slice(0, 5000)) && p.listItems.length < 5;
}

export function isArticlePage(entry: PageEntry): boolean {
  if (!entry.ok || !entry.parsed) return false;
  const kind = entry.page.kind;
  if (kind === "article") return true;
  if (kind && kind !== "other") return false;
  const p = entry.parsed;
  if ((p.meta["og:type"] ?? "").toLowerCase() === "article" || p.meta["article:published_time"]) return true;
  if (/"@type"\s*:\s*"(?:News)?Article"/.test(p.jsonLd.join(" "))) return true;
  const h1 = p.headings.some((h) => h.level === 1);
  return kind === "other" && h1 && p.mainText.length > 800 && p.listItems.length < 5;
}
