// Rule set 4 — update frequency and deadlines: dated items from articles, listings, feeds and
// sitemaps; per-category newest date and counts; posts per week; items new since the previous
// audit; documents posted late (working days between "Ngày ban hành" and posting).
import type { FindingOut } from "../types.ts";
import { CATEGORY_BY_ID } from "../catalog/categories.ts";
import { matchCategory, matchSlug } from "../catalog/match.ts";
import type { CategoryRule, RuleSet } from "../catalog/rulesets.ts";
import { workingDaysBetween } from "../calendar/holidays.ts";
import { extractPageDates } from "../dates/extract.ts";
import { parseFeed, parseSitemap } from "../dates/feeds.ts";
import { parseDateText, vnDate } from "../dates/parse.ts";
import type { ParsedPage } from "../parse/page.ts";
import { isArticlePage, isDocumentPage } from "./articles.ts";
import { type SiteContext, normalizeUrl } from "./context.ts";

const CHECK = "freshness";
const DAY = 86400_000;

export interface DatedItem {
  url: string;
  published: string;
  categoryId: string | null;
  title: string | null;
  /** Where the date came from: article, listing, feed, sitemap. */
  via: "article" | "listing" | "feed" | "sitemap";
}

export interface CategoryFreshness {
  id: string;
  latestPublished: string | null;
  last7Days: number;
  last30Days: number;
  last90Days: number;
  items: number;
}

export interface DocumentDeadline {
  url: string;
  issued: string;
  posted: string;
  workingDays: number;
  limit: number;
  late: boolean;
}

export interface FreshnessResult {
  items: DatedItem[];
  latestPublished: string | null;
  daysSinceLastPost: number | null;
  postsLast7Days: number;
  postsLast30Days: number;
  postsLast90Days: number;
  postsPerWeek: number;
  newSincePreviousAudit: number | null;
  newItems: string[];
  byCategory: CategoryFreshness[];
  documents: DocumentDeadline[];
  findings: FindingOut[];
}

const PRIORITY = { article: 4, listing: 3, feed: 2, sitemap: 1 } as const;

function daysAgo(date: string, refDate: string): number {
  return Math.round((Date.parse(refDate) - Date.parse(date)) / DAY);
}

/** The category a page belongs to: breadcrumb, then headings/title, then its URL. */
export function categoryOfPage(parsed: ParsedPage | null, url: string): string | null {
  if (parsed) {
    for (const crumb of [...parsed.breadcrumb].reverse()) {
      const ids = matchCategory(crumb);
      if (ids.length) return ids[0];
    }
  }
  const slug = matchSlug(url);
  if (slug.length) return slug[0];
  if (parsed) {
    const h = parsed.headings.find((x) => x.level <= 2);
    const ids = h ? matchCategory(h.text) : [];
    if (ids.length) return ids[0];
  }
  return null;
}

function isXml(body: string): boolean {
  return /^\s*(?:<\?xml|<rss|<feed|<urlset|<sitemapindex)/i.test(body);
}

export function checkFreshness(ctx: SiteContext, ruleSet: RuleSet, rules: CategoryRule[], landingUrls: (string | null)[] = []): FreshnessResult {
  const snap = ctx.snapshot;
  const ref = snap.referenceTime;
  const refDate = vnDate(ref);
  const maxDate = vnDate(new Date(ref.getTime() + DAY));
  const items = new Map<string, DatedItem>();
  const seenItemUrls = new Set<string>();
  const documents: DocumentDeadline[] = [];
  const findings: FindingOut[] = [];
  const landingKeys = new Set<string>();
  for (const e of ctx.entries) {
    if (e.page.kind === "home" || e.page.kind === "category" || e.page.kind === "listing") landingKeys.add(normalizeUrl(e.page.finalUrl || e.page.url));
  }
  landingKeys.add(normalizeUrl(snap.baseUrl));
  // Category landing pages and listings change whenever anything is posted: they are not items.
  for (const u of landingUrls) if (u) landingKeys.add(normalizeUrl(u));
  for (const e of ctx.entries) {
    if (e.parsed && e.parsed.listItems.length >= 3) landingKeys.add(normalizeUrl(e.page.finalUrl || e.page.url));
  }

  const put = (item: DatedItem) => {
    if (item.published > maxDate) return;
    const key = normalizeUrl(item.url);
    if (landingKeys.has(key)) return;
    seenItemUrls.add(key);
    const prev = items.get(key);
    if (!prev || PRIORITY[item.via] > PRIORITY[prev.via]) {
      items.set(key, { ...item, categoryId: item.categoryId ?? prev?.categoryId ?? null, title: item.title ?? prev?.title ?? null });
    } else if (!prev.categoryId && item.categoryId) prev.categoryId = item.categoryId;
  };

  const vanBan = rules.find((r) => r.id === "van-ban");
  const limit = vanBan?.postingDeadlineWorkingDays ?? ruleSet.documentDeadlineWorkingDays;

  for (const entry of ctx.entries) {
    if (!entry.ok) continue;
    const url = entry.page.finalUrl || entry.page.url;
    const parsed = entry.parsed;
    if (!parsed) {
      const body = entry.page.body?.toString("utf8") ?? "";
      if (!isXml(body)) continue;
      if (/<(?:rss|feed)\b/i.test(body.slice(0, 2000))) {
        for (const l of parseFeed(body)) if (l.date) put({ url: l.url, published: l.date, categoryId: matchSlug(l.url)[0] ?? null, title: l.title, via: "feed" });
      } else if (/<urlset\b/i.test(body.slice(0, 2000))) {
        for (const l of parseSitemap(body).urls) {
          if (!l.date) continue;
          let path = "/";
          try {
            path = new URL(l.url).pathname;
          } catch {
            continue;
          }
          // Only item-like URLs: category landing pages change whenever anything is posted.
          if (path === "/" || matchCategory("", l.url).length && path.split("/").filter(Boolean).length <= 1) continue;
          put({ url: l.url, published: l.date, categoryId: matchSlug(l.url)[0] ?? null, title: null, via: "sitemap" });
        }
      }
      continue;
    }
    if (isArticlePage(entry) || isDocumentPage(entry)) {
      const dates = extractPageDates(parsed, ref);
      const categoryId = categoryOfPage(parsed, url) ?? (isDocumentPage(entry) ? "van-ban" : null);
      const title = parsed.headings.find((h) => h.level === 1)?.text ?? parsed.title;
      if (dates.published) put({ url, published: dates.published, categoryId, title, via: "article" });
      else seenItemUrls.add(normalizeUrl(url));
      if (isDocumentPage(entry) && dates.issued && dates.published && dates.published >= dates.issued) {
        const doc = documentDeadline(url, dates.issued, dates.published, limit, snap.holidays);
        documents.push(doc);
        if (doc.late) findings.push(lateDocumentFinding(doc, dates.snippet));
      }
    }
    if (parsed.listItems.length) {
      const pageCategory = categoryOfPage(parsed, url);
      for (const li of parsed.listItems) {
        if (matchCategory(li.title).length && li.title.split(" ").length <= 6) continue;
        // Several dates in one row (a document table: issued, posted): the posting date is the latest.
        const d = parseDateText(li.text, ref).map((f) => f.date).filter((x) => x <= maxDate).sort().pop();
        if (!d) continue;
        put({ url: li.href, published: d, categoryId: pageCategory ?? matchSlug(li.href)[0] ?? null, title: li.title || null, via: "listing" });
      }
    }
  }

  const list = [...items.values()].sort((a, b) => (a.published < b.published ? 1 : a.published > b.published ? -1 : a.url.localeCompare(b.url)));
  const within = (d: string, n: number) => {
    const ago = daysAgo(d, refDate);
    return ago >= 0 && ago < n;
  };
  const latestPublished = list.find((i) => i.published <= refDate)?.published ?? null;
  const last84 = list.filter((i) => within(i.published, 84)).length;
  let newItems: string[] = [];
  let newSince: number | null = null;
  if (snap.previousItemUrls) {
    const prev = new Set(snap.previousItemUrls.map(normalizeUrl));
    newItems = list.filter((i) => !prev.has(normalizeUrl(i.url))).map((i) => i.url);
    newSince = newItems.length;
  }

  const byCategory: CategoryFreshness[] = [];
  const ids = new Set<string>(rules.map((r) => r.id));
  for (const i of list) if (i.categoryId) ids.add(i.categoryId);
  for (const id of ids) {
    const its = list.filter((i) => i.categoryId === id);
    if (!its.length) continue;
    byCategory.push({
      id,
      latestPublished: its.find((i) => i.published <= refDate)?.published ?? null,
      last7Days: its.filter((i) => within(i.published, 7)).length,
      last30Days: its.filter((i) => within(i.published, 30)).length,
      last90Days: its.filter((i) => within(i.published, 90)).length,
      items: its.length,
    });
  }

  for (const rule of rules) {
    if (!rule.staleAfterDays) continue;
    const c = byCategory.find((x) => x.id === rule.id);
    if (!c?.latestPublished) continue;
    const age = daysAgo(c.latestPublished, refDate);
    if (age > rule.staleAfterDays) {
      const name = CATEGORY_BY_ID.get(rule.id)?.name ?? rule.id;
      const newest = list.find((i) => i.categoryId === rule.id && i.published === c.latestPublished);
      findings.push({
        check: CHECK, code: "freshness.stale", severity: "error", categoryId: rule.id, url: newest?.url ?? null, snippet: newest?.title ?? null,
        message: `Chuyên mục "${name}" không được cập nhật: tin mới nhất ngày ${fmt(c.latestPublished)} (${age} ngày, ngưỡng ${rule.staleAfterDays} ngày).`,
        details: { latestPublished: c.latestPublished, ageDays: age, thresholdDays: rule.staleAfterDays },
      });
    }
  }

  const postsPerWeek = Number((last84 / 12).toFixed(2));
  const news = rules.find((r) => r.id === "tin-tuc");
  if (list.length && news?.minPostsPerWeek) {
    const newsItems = list.filter((i) => i.categoryId === "tin-tuc");
    const basis = newsItems.length ? newsItems : list;
    const perWeek = basis.filter((i) => within(i.published, 84)).length / 12;
    if (perWeek < news.minPostsPerWeek) {
      findings.push({
        check: CHECK, code: "freshness.low-frequency", severity: "warning", categoryId: newsItems.length ? "tin-tuc" : null, url: null, snippet: null,
        message: `Tần suất đăng tin thấp: trung bình ${perWeek.toFixed(1)} tin/tuần trong 12 tuần qua (yêu cầu tối thiểu ${news.minPostsPerWeek}).`,
        details: { postsPerWeek: Number(perWeek.toFixed(2)), minimum: news.minPostsPerWeek, weeks: 12 },
      });
    }
  }
  if (list.length) {
    // The measurement the posting-frequency criterion scores (every dated item, not only
    // news): information, so that points lost below a rubric's full mark have their evidence.
    findings.push({
      check: CHECK, code: "freshness.frequency", severity: "info", url: null, snippet: null,
      message: `Tần suất đăng tin 12 tuần qua: trung bình ${postsPerWeek.toLocaleString("vi-VN")} tin/tuần (${last84} tin có ngày đăng trong 84 ngày).`,
      details: { postsPerWeek, items: last84, weeks: 12 },
    });
  }
  if (!list.length && ctx.entries.some((e) => e.ok && e.parsed)) {
    findings.push({
      check: CHECK, code: "freshness.no-dates", severity: "warning", url: ctx.home?.page.finalUrl ?? null, snippet: null,
      message: "Không xác định được ngày đăng của bài viết nào (không có ngày trên trang, RSS hoặc sitemap).",
      details: { pagesExamined: ctx.entries.filter((e) => e.parsed).length },
    });
  }

  return {
    items: list,
    latestPublished,
    daysSinceLastPost: latestPublished ? daysAgo(latestPublished, refDate) : null,
    postsLast7Days: list.filter((i) => within(i.published, 7)).length,
    postsLast30Days: list.filter((i) => within(i.published, 30)).length,
    postsLast90Days: list.filter((i) => within(i.published, 90)).length,
    postsPerWeek,
    newSincePreviousAudit: newSince,
    newItems,
    byCategory,
    documents,
    findings,
  };
}

/** A document's posting deadline: working days from issue to posting against the limit. */
export function documentDeadline(url: string, issued: string, posted: string, limit: number, holidays?: Record<string, string>): DocumentDeadline {
  const workingDays = workingDaysBetween(issued, posted, holidays);
  return { url, issued, posted, workingDays, limit, late: workingDays > limit };
}

export function lateDocumentFinding(doc: DocumentDeadline, snippet: string | null): FindingOut {
  return {
    check: CHECK,
    code: "deadline.late-document",
    severity: "warning",
    url: doc.url,
    categoryId: "van-ban",
    snippet,
    message: `Văn bản ban hành ngày ${fmt(doc.issued)} được đăng ngày ${fmt(doc.posted)}: ${doc.workingDays} ngày làm việc (quá hạn ${doc.limit} ngày làm việc).`,
    details: { issued: doc.issued, posted: doc.posted, workingDays: doc.workingDays, limit: doc.limit },
  };
}

export function fmt(date: string): string {
  const [y, m, d] = date.split("-");
  return `${d}/${m}/${y}`;
}
