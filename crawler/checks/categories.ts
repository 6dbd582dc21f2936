// Rule set 1 — required content categories: present / empty / missing / unreachable, with evidence.
import type { CategoryStatus, FindingOut } from "../types.ts";
import { CATEGORY_BY_ID } from "../catalog/categories.ts";
import { matchCategory, matchSlug, textMatchStrength } from "../catalog/match.ts";
import { type CategoryRule } from "../catalog/rulesets.ts";
import { foldVietnamese } from "../catalog/text.ts";
import type { ParsedPage } from "../parse/page.ts";
import { type PageEntry, type SiteContext, lookup, normalizeUrl } from "./context.ts";
import { isArticlePage, isDocumentPage } from "./articles.ts";

const CHECK = "categories";

export interface CategoryResult {
  id: string;
  status: CategoryStatus;
  url: string | null;
  snippet: string | null;
  /** How the category was found: link text, slug, landing page heading… */
  via?: string;
  /** Whether the landing page was fetched and checked. */
  verified?: boolean;
}

interface Candidate {
  href: string;
  text: string;
  score: number;
  via: string;
}

const PLACEHOLDERS = [
  "noi dung dang duoc cap nhat",
  "dang cap nhat",
  "dang duoc cap nhat",
  "chua co du lieu",
  "khong co du lieu",
  "chua co bai viet",
  "khong co bai viet",
  "chua co thong tin",
  "chua co noi dung",
  "khong co noi dung",
  "khong co van ban",
  "chua co van ban",
  "khong tim thay du lieu",
  "khong tim thay ket qua",
  "trang dang xay dung",
  "dang xay dung",
  "chuyen muc dang duoc xay dung",
  "coming soon",
  "no data",
  "under construction",
];

/** Items that are only a template's or a tester's text ("test", "Tên văn bản", "Tiêu đề bài viết"). */
const PLACEHOLDER_ITEM = /^(?:test(?:\s.*)?|thu nghiem|tin thu nghiem|bai viet thu nghiem|ten van ban|tieu de(?: bai viet| tin)?|noi dung(?: bai viet| tin)?|bai viet mau|tin mau|van ban mau|lorem ipsum.*|demo|abc|xxx+|aaa+|\d+)$/;
/** Column headers and link labels of a listing: not content by themselves. */
const LISTING_CHROME = /\b(?:stt|so ky hieu|ngay ban hanh|ngay hieu luc|trich yeu|tieu de|noi dung|tai ve|tai tep|xem chi tiet|xem tiep|xem them|chi tiet|ngay dang|luot xem|co quan ban hanh|loai van ban|linh vuc|file dinh kem|dinh kem)\b/g;

/** Whether the visible text of a link or cell is placeholder/test content. */
export function isPlaceholderText(text: string): boolean {
  return PLACEHOLDER_ITEM.test(foldVietnamese(text));
}

/** Texts that name the page (headings, breadcrumb, the parts of its title). */
function pageLabels(parsed: ParsedPage): string[] {
  return [
    ...parsed.headings.filter((h) => h.level <= 3).slice(0, 4).map((h) => h.text),
    ...parsed.breadcrumb.slice(-1),
    ...parsed.title.split(/\s+[-|–:»›]\s+/),
  ].filter((t) => t.length >= 3 && t.length <= 120);
}

/** Whether a landing page holds nothing: a placeholder phrase or no content at all. */
export function isEmptyLanding(parsed: ParsedPage): { empty: boolean; snippet: string | null } {
  const main = parsed.mainText;
  // A page with plenty of text and several content links (and no placeholder near its top) is
  // not empty: skip the folding work.
  if (main.length > 1500 && !/(?:cập nhật|dữ liệu|xây dựng|no data|coming soon)/i.test(main.slice(0, 600))) {
    let contentLinks = 0;
    for (const l of parsed.links) if (!l.inMenu && !l.inFooter && !l.inHeader && !l.inBreadcrumb && !l.inNav && l.text.length >= 15 && ++contentLinks > 2) break;
    if (contentLinks > 2) return { empty: false, snippet: null };
  }
  const folded = foldVietnamese(main);
  // Remove the headings and breadcrumb: they name the category, they are not its content.
  let rest = folded;
  for (const h of parsed.headings) rest = rest.replace(foldVietnamese(h.text), " ");
  for (const b of parsed.breadcrumb) rest = rest.replace(foldVietnamese(b), " ");
  rest = rest.replace(/\s+/g, " ").trim();
  const contentLinks = parsed.links.filter((l) => !l.inMenu && !l.inFooter && !l.inHeader && !l.inBreadcrumb && !l.inNav);
  const articleLinks = contentLinks.filter((l) => l.text.length >= 15 && !isPlaceholderText(l.text));
  const placeholder = PLACEHOLDERS.find((p) => rest.includes(p));
  // A placeholder right after what names the page (a title area that is no heading, the <title>)
  // empties it even beside a news column.
  if (placeholder) {
    for (const label of pageLabels(parsed)) {
      const foldedLabel = foldVietnamese(label);
      if (foldedLabel.length < 3) continue;
      let at = folded.indexOf(foldedLabel);
      while (at >= 0) {
        const after = folded.slice(at + foldedLabel.length, at + foldedLabel.length + 60);
        const p = after.indexOf(placeholder);
        if (p >= 0 && after.slice(0, p).trim().length === 0) {
          const idx = at + foldedLabel.length + p;
          return { empty: true, snippet: main.slice(Math.max(0, idx - 20), idx + placeholder.length + 40).trim() || placeholder };
        }
        at = folded.indexOf(foldedLabel, at + 1);
      }
    }
  }
  // A placeholder right under the page heading empties the page even when unrecognised side
  // columns (news boxes, links) fill the rest of the layout.
  const h1 = parsed.headings.find((h) => h.level === 1) ?? parsed.headings.find((h) => h.level === 2);
  if (placeholder && h1) {
    const foldedH1 = foldVietnamese(h1.text);
    const at = folded.indexOf(foldedH1);
    if (at >= 0) {
      const after = folded.slice(at + foldedH1.length, at + foldedH1.length + 200);
      const p = after.indexOf(placeholder);
      if (p >= 0 && p < 60) {
        const idx = at + foldedH1.length + p;
        return { empty: true, snippet: main.slice(Math.max(0, idx - 20), idx + placeholder.length + 40).trim() || placeholder };
      }
    }
  }
  if (placeholder) {
    const withoutPlaceholder = rest.replace(placeholder, " ").replace(/\s+/g, " ").trim();
    if (withoutPlaceholder.length < 150 && articleLinks.length <= 2) {
      const idx = folded.indexOf(placeholder);
      return { empty: true, snippet: idx >= 0 ? main.slice(Math.max(0, idx - 20), idx + placeholder.length + 40).trim() : placeholder };
    }
  }
  if (rest.length < 40 && articleLinks.length === 0) {
    return { empty: true, snippet: main.slice(0, 120) || "(trang không có nội dung)" };
  }
  // Only test or template items ("test", "Tên văn bản") under listing headers and dates.
  const items = contentLinks.filter((l) => l.text.length > 0);
  if (items.length > 0 && items.length <= 20 && items.every((l) => isPlaceholderText(l.text))) {
    let left = rest;
    for (const l of items) left = left.split(foldVietnamese(l.text)).join(" ");
    left = left.replace(LISTING_CHROME, " ").replace(/\b(?:test|van ban|tin|bai viet)\b/g, " ").replace(/[\d\s]+/g, " ").trim();
    if (left.length < 40) return { empty: true, snippet: items.map((l) => l.text).slice(0, 3).join("; ") };
  }
  return { empty: false, snippet: null };
}

/** Whether a landing page is about the category (title, h1/h2, breadcrumb or slug). */
export function landingNamesCategory(parsed: ParsedPage, id: string, url: string): boolean {
  const texts = [
    ...parsed.breadcrumb.slice(-2),
    ...parsed.headings.filter((h) => h.level <= 3).slice(0, 6).map((h) => h.text),
    ...parsed.title.split(/\s+[-|–:»›]\s+/),
  ];
  if (texts.some((t) => textMatchStrength(t, id) > 0)) return true;
  return matchSlug(url).includes(id);
}

function collectCandidates(ctx: SiteContext): Map<string, Candidate[]> {
  const byId = new Map<string, Candidate[]>();
  const add = (id: string, c: Candidate) => {
    const list = byId.get(id) ?? [];
    const same = list.find((x) => normalizeUrl(x.href) === normalizeUrl(c.href));
    if (same) {
      if (c.score > same.score) Object.assign(same, c);
    } else list.push(c);
    byId.set(id, list);
  };
  const siteHost = hostOf(ctx.snapshot.baseUrl);
  for (const entry of ctx.entries) {
    const parsed = entry.parsed;
    if (!parsed || !entry.ok) continue;
    const isHome = entry === ctx.home;
    for (const link of parsed.links) {
      // Other agencies' sites listed in a "Liên kết website" block are not this unit's categories.
      if (link.inLinkBlock && hostOf(link.href) !== siteHost) continue;
      const text = link.text;
      const ids = matchCategory(text, link.href);
      if (!ids.length) continue;
      const textStrength = ids.length ? Math.max(...ids.map((id) => textMatchStrength(text, id))) : 0;
      for (const id of ids) {
        const strength = textMatchStrength(text, id);
        let score = strength === 2 ? 4 : strength === 1 ? 2 : 1;
        if (link.inMenu || link.inNav) score += 3;
        if (link.inHeader || link.inFooter) score += 1;
        if (isHome) score += 1;
        if (link.inBreadcrumb) score += 1;
        const via = strength > 0 ? (link.parentMenuText ? `menu "${link.parentMenuText} › ${text}"` : `liên kết "${text}"`) : textStrength === 0 ? "đường dẫn (slug)" : `liên kết "${text}"`;
        add(id, { href: link.href, text, score, via });
      }
    }
    // A fetched page whose breadcrumb/heading names a category is itself a landing page.
    // (An article's breadcrumb names its category too, but the article is not the landing page.)
    if (!isHome && !isArticlePage(entry) && !isDocumentPage(entry)) {
      const listing = entry.page.kind === "category" || entry.page.kind === "listing" || parsed.breadcrumb.length > 0;
      // Any other fetched page (reached by an icon, the sitemap, a later page) names its category
      // in its <title> ("Thống kê - Sở Xây dựng") or its first heading.
      const labels = listing
        ? [parsed.breadcrumb[parsed.breadcrumb.length - 1] ?? "", parsed.headings.find((h) => h.level === 1)?.text ?? ""]
        : [parsed.headings.find((h) => h.level === 1)?.text ?? "", ...parsed.title.split(/\s+[-|–»›]\s+/).slice(0, 2)];
      for (const label of labels) {
        if (!label) continue;
        for (const id of matchCategory(label)) {
          add(id, { href: entry.page.finalUrl || entry.page.url, text: label, score: 2, via: `tiêu đề trang "${label}"` });
        }
      }
    }
  }
  for (const list of byId.values()) list.sort((a, b) => b.score - a.score);
  return byId;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return "";
  }
}

function evaluate(ctx: SiteContext, id: string, candidates: Candidate[]): CategoryResult {
  let unreachable: CategoryResult | null = null;
  let empty: CategoryResult | null = null;
  let unverified: CategoryResult | null = null;
  for (const c of candidates.slice(0, 8)) {
    const entry: PageEntry | undefined = lookup(ctx, c.href);
    if (!entry) {
      unverified ??= { id, status: "present", url: c.href, snippet: c.text || c.href, via: c.via, verified: false };
      continue;
    }
    if (!entry.ok) {
      unreachable ??= {
        id,
        status: "unreachable",
        url: c.href,
        snippet: entry.page.error ? `${c.text} → lỗi: ${entry.page.error}` : `${c.text} → HTTP ${entry.page.status}`,
        via: c.via,
        verified: true,
      };
      continue;
    }
    const parsed = entry.parsed;
    if (!parsed) {
      // A file (PDF, document) behind the link: it exists and holds something.
      return { id, status: "present", url: c.href, snippet: c.text, via: c.via, verified: true };
    }
    const url = entry.page.finalUrl || entry.page.url;
    const names = landingNamesCategory(parsed, id, url) || c.score >= 6;
    if (!names) continue;
    const e = isEmptyLanding(parsed);
    if (e.empty) {
      empty ??= { id, status: "empty", url, snippet: e.snippet, via: c.via, verified: true };
      continue;
    }
    const heading = parsed.headings.find((h) => h.level <= 2)?.text ?? parsed.title;
    return { id, status: "present", url, snippet: heading || c.text, via: c.via, verified: true };
  }
  return empty ?? unverified ?? unreachable ?? { id, status: "missing", url: null, snippet: null };
}

/** What a category is looked for by: its menu labels and its URL slugs (as they appear in a path). */
export function searchedFor(id: string): { labels: string[]; slugs: string[] } {
  const def = CATEGORY_BY_ID.get(id);
  return { labels: def?.synonyms ?? [], slugs: (def?.slugs ?? []).map((s) => s.replace(/ /g, "-")) };
}

const MAX_SEARCHED_PAGES = 8;

/**
 * The stored pages a category was looked for on: the home page (its menus, header and footer),
 * the sitemaps read, and the landing pages whose menus were read too; first the home page.
 */
export function searchedIn(ctx: SiteContext): { url: string; role: string }[] {
  const out: { url: string; role: string }[] = [];
  const seen = new Set<string>();
  const add = (url: string, role: string) => {
    if (seen.has(url) || out.length >= MAX_SEARCHED_PAGES) return;
    seen.add(url);
    out.push({ url, role });
  };
  if (ctx.home?.ok) add(ctx.home.page.url, "trang chủ (menu, đầu trang, chân trang)");
  for (const e of ctx.entries) if (e.ok && e.page.kind === "sitemap") add(e.page.url, "sơ đồ trang (sitemap)");
  for (const e of ctx.entries) if (e.ok && e.parsed && (e.page.kind === "category" || e.page.kind === "listing")) add(e.page.url, "menu của trang chuyên mục");
  return out;
}

export function checkCategories(ctx: SiteContext, rules: CategoryRule[]): { results: CategoryResult[]; findings: FindingOut[] } {
  const candidates = collectCandidates(ctx);
  const results: CategoryResult[] = [];
  const findings: FindingOut[] = [];
  for (const rule of rules) {
    const def = CATEGORY_BY_ID.get(rule.id);
    const name = def?.name ?? rule.id;
    let result = evaluate(ctx, rule.id, candidates.get(rule.id) ?? []);
    if (rule.id === "so-do-site" && result.status === "missing") {
      const sitemapPage = ctx.entries.find((e) => e.ok && e.parsed && e.page.kind === "sitemap");
      if (sitemapPage) result = { id: rule.id, status: "present", url: sitemapPage.page.finalUrl, snippet: sitemapPage.parsed!.title, verified: true };
    }
    if (rule.id === "tieng-anh" && result.status === "missing") {
      // An English version announced by a language link, a flag image or <link hreflang="en">.
      const home = ctx.home?.parsed;
      const en = home?.links.find((l) => /^(?:en|english)$/i.test(l.text) || /[?&](?:lang|language|hl|locale)=en(?:[-_]\w+)?\b|\/en(?:[-_]\w+)?\/?$/i.test(l.href) || (l.lang !== null && /^en\b/.test(l.lang)));
      const alt = home?.alternates.find((a) => /^en\b/.test(a.hreflang));
      if (en) result = { id: rule.id, status: "present", url: en.href, snippet: en.text || "(cờ tiếng Anh)", verified: false };
      else if (alt) result = { id: rule.id, status: "present", url: alt.href, snippet: `hreflang="${alt.hreflang}"`, verified: false };
    }
    results.push(result);
    if (result.status === "present") continue;
    if (result.status === "missing" && rule.optional) {
      // Not a breach of the rules, but an emulation rubric may still award points for it:
      // recorded as information, so that a point lost there has its evidence.
      findings.push({
        check: CHECK, code: "category.optional-missing", severity: "info", categoryId: rule.id, url: null, snippet: null,
        message: `Chưa có chuyên mục "${name}" (chuyên mục không bắt buộc).`,
        details: { pagesExamined: ctx.entries.filter((e) => e.parsed).length },
      });
      continue;
    }
    if (result.status === "missing") {
      // The evidence of an absence: the stored pages where it was looked for (the home page's
      // snapshot is the finding's page) and the labels and slugs looked for (issue 13 §4).
      const where = searchedIn(ctx);
      findings.push({
        check: CHECK, code: "category.missing", severity: "error", categoryId: rule.id, url: where[0]?.url ?? null, snippet: null,
        message: `Không tìm thấy chuyên mục bắt buộc "${name}".`,
        details: { pagesExamined: ctx.entries.filter((e) => e.parsed).length, searched: searchedFor(rule.id), searchedIn: where },
      });
    } else if (result.status === "empty") {
      findings.push({
        check: CHECK, code: "category.empty", severity: "warning", categoryId: rule.id, url: result.url, snippet: result.snippet,
        message: `Chuyên mục "${name}" có nhưng chưa có nội dung.`,
        details: { via: result.via },
      });
    } else {
      findings.push({
        check: CHECK, code: "category.unreachable", severity: "error", categoryId: rule.id, url: result.url, snippet: result.snippet,
        message: `Chuyên mục "${name}" có liên kết nhưng trang không truy cập được.`,
        details: { via: result.via },
      });
    }
  }
  return { results, findings };
}
