// Rule set 5 — every article names its author and its source (ND 43/2011 Điều 5.3).
import type { FindingOut } from "../types.ts";
import type { ParsedPage } from "../parse/page.ts";
import { isArticlePage } from "./articles.ts";
import type { SiteContext } from "./context.ts";

const CHECK = "attribution";

const AUTHOR_LABEL = /(?:^|[^\p{L}])(?:tác\s+giả|người\s+viết|bài\s+và\s+ảnh|bài,\s*ảnh|bài|tin\s+và\s+ảnh|tin,\s*ảnh|tin\s*[-–]\s*ảnh|bài\s*[-–]\s*ảnh|ảnh\s+và\s+tin|thực\s+hiện|nhóm\s+pv|phóng\s+viên|biên\s+tập\s+viên|btv|ctv|pv|người\s+đăng)\s*[:：]\s*(?=[A-ZÀ-ỸĐ])|đăng\s+bởi\s*[:：]?\s*(?=[A-ZÀ-ỸĐ])/giu;

/** A labelled byline: the label in any case, followed by a capitalised name. */
function findAuthorLabel(text: string): RegExpExecArray | null {
  AUTHOR_LABEL.lastIndex = 0;
  for (let m = AUTHOR_LABEL.exec(text); m; m = AUTHOR_LABEL.exec(text)) {
    const next = text.charAt(m.index + m[0].length);
    if (next && next === next.toUpperCase() && next !== next.toLowerCase()) return m;
  }
  return null;
}
const SOURCE_STRICT = /nguồn(?:\s+tin)?\s*[:：]\s*\S/iu;
// "… Theo Báo Bình Định" / "(Theo baochinhphu.vn)" closing an article.
const SOURCE_TRAILING = /(?:^|\n|[.!?)\]]\s+|\(\s*)[Tt]heo\s+(?:\p{Lu}|báo\s|cổng\s|trang\s|\S+\.(?:vn|com|org)\b)[^.!?]{1,80}[.)]?\s*$/u;
// "… Nguyễn Văn An" or "Minh Anh (Trung tâm …)" closing an article: a byline without a label.
// The last block of the article is only a name (2–5 capitalised words, maybe with a unit in brackets).
const TRAILING_BYLINE = /(?:^|\n)((?:\p{Lu}[\p{Ll}]*[ ]){1,4}\p{Lu}[\p{Ll}]*)[ ]*(?:\([^)\n]{2,60}\))?[ .]*$/u;
// "… phát triển kinh tế./. Lệ Sương": the closing mark of Vietnamese press, then the author's name.
const CLOSING_MARK_BYLINE = /\/\.\s*((?:\p{Lu}[\p{Ll}]*[ ]){0,4}\p{Lu}[\p{Ll}]*)[ ]*(?:\([^)\n]{2,60}\))?[ .]*$/u;
// Boxes that follow the article body (related news, comments): the byline is before them.
const AFTER_BODY = /\n(?:tin liên quan|các tin (?:khác|liên quan|đã đưa|cùng chuyên mục)|tin cùng chuyên mục|tin đã đưa|bài viết liên quan|các bài viết khác|tin mới hơn|tin cũ hơn|tin khác|tin mới nhất|tin mới|tin nổi bật|tin xem nhiều|tin đọc nhiều|bài viết mới|bài viết mới nhất|tin tức mới|xem thêm|ý kiến bạn đọc|bình luận|gửi bình luận|trả lời|chia sẻ|in bài viết|lượt xem)\s*[:：]?\s*(?:\n|$)/i;

export interface ArticleAttribution {
  url: string;
  author: boolean;
  source: boolean;
  authorSnippet: string | null;
  sourceSnippet: string | null;
}

function snippet(text: string, m: RegExpExecArray | null): string | null {
  return m ? text.slice(Math.max(0, m.index - 10), m.index + m[0].length + 50).trim() : null;
}

export function checkArticleAttribution(parsed: ParsedPage, url: string): ArticleAttribution {
  // Bylines and sources sit at the top or the bottom of an article.
  let main = parsed.mainText;
  const after = AFTER_BODY.exec(main);
  if (after && after.index > main.length * 0.3) main = main.slice(0, after.index);
  const text = main.length > 6000 ? main.slice(0, 2000) + "\n" + main.slice(-4000) : main;
  const tail = text.slice(-600);
  const metaAuthor = parsed.meta["author"] ?? parsed.meta["article:author"] ?? parsed.meta["dc.creator"] ?? null;
  const ldAuthor = /"author"\s*:/.test(parsed.jsonLd.join(" "));
  const a = findAuthorLabel(text);
  // A source line may close the article after the byline ("Hoàng Vy\n(Theo Báo Bình Định)").
  const trailingSource = SOURCE_TRAILING.exec(tail);
  const beforeSource = trailingSource ? tail.slice(0, trailingSource.index).replace(/[\s(]+$/, "") : tail;
  const lastName = TRAILING_BYLINE.exec(tail) ?? CLOSING_MARK_BYLINE.exec(tail);
  // "Theo Báo Bình Định" is capitalised like a name: it is the source, not the author.
  const trailing =
    lastName && !/^theo\s/i.test(lastName[1])
      ? lastName
      : trailingSource
        ? (TRAILING_BYLINE.exec(beforeSource) ?? CLOSING_MARK_BYLINE.exec(beforeSource))
        : null;
  const author = !!a || !!(metaAuthor && metaAuthor.trim() && !/admin|quản trị/i.test(metaAuthor)) || ldAuthor || !!trailing;
  const s = SOURCE_STRICT.exec(text) ?? SOURCE_TRAILING.exec(tail);
  const metaSource = parsed.meta["source"] ?? parsed.meta["dc.source"] ?? parsed.meta["original-source"] ?? null;
  return {
    url,
    author,
    source: !!s || !!metaSource,
    authorSnippet: snippet(text, a) ?? (metaAuthor ? `author: ${metaAuthor}` : trailing ? trailing[1] : null),
    sourceSnippet: s ? snippet(s.input, s) : metaSource ? `source: ${metaSource}` : null,
  };
}

export function checkAttribution(ctx: SiteContext): {
  articles: ArticleAttribution[];
  metrics: { articlesChecked: number; withAuthor: number; withSource: number };
  findings: FindingOut[];
} {
  const articles: ArticleAttribution[] = [];
  const findings: FindingOut[] = [];
  for (const entry of ctx.entries) {
    if (!isArticlePage(entry) || entry.page.kind === "document") continue;
    const url = entry.page.finalUrl || entry.page.url;
    const r = checkArticleAttribution(entry.parsed!, url);
    articles.push(r);
    if (!r.author) {
      findings.push({ check: CHECK, code: "attribution.author-missing", severity: "warning", url, snippet: entry.parsed!.headings[0]?.text ?? entry.parsed!.title, message: "Bài viết không ghi tên tác giả.", details: {} });
    }
    if (!r.source) {
      findings.push({ check: CHECK, code: "attribution.source-missing", severity: "warning", url, snippet: entry.parsed!.headings[0]?.text ?? entry.parsed!.title, message: "Bài viết không ghi nguồn tin.", details: {} });
    }
  }
  return {
    articles,
    metrics: { articlesChecked: articles.length, withAuthor: articles.filter((a) => a.author).length, withSource: articles.filter((a) => a.source).length },
    findings,
  };
}
