// Dates of a page from its metadata and text: when it was published, and for documents when
// the document was issued ("Ngày ban hành").
import type { ParsedPage } from "../parse/page.ts";
import { type FoundDate, parseDateText, parseIsoDate, vnDate } from "./parse.ts";

export interface PageDates {
  published: string | null;
  publishedSource: string | null;
  /** "Ngày ban hành" / "Ngày ký" of a document page. */
  issued: string | null;
  /** Evidence text the date was read from. */
  snippet: string | null;
}

const META_KEYS = ["article:published_time", "og:published_time", "datepublished", "dc.date", "dc.date.issued", "dcterms.date", "dcterms.created", "pubdate", "publishdate", "date", "article:modified_time", "og:updated_time"];
const PUBLISH_LABELS = /^(?:ngày đăng|đăng ngày|đăng lúc|ngày đăng tải|ngày xuất bản|xuất bản|cập nhật|cập nhật lúc|cập nhật ngày|ngày cập nhật|posted|published|updated|thời gian|date)$/;
const ISSUE_LABELS = /^(?:ngày ban hành|ban hành ngày|ngày ký)$/;

function jsonLdDate(blocks: string[]): string | null {
  for (const raw of blocks) {
    const m = /"datePublished"\s*:\s*"([^"]+)"/.exec(raw) ?? /"dateCreated"\s*:\s*"([^"]+)"/.exec(raw);
    if (m) {
      const d = parseIsoDate(m[1]);
      if (d) return d;
    }
  }
  return null;
}

function notFuture(d: string | null, reference: Date): string | null {
  if (!d) return null;
  return d <= vnDate(new Date(reference.getTime() + 86400_000)) ? d : null;
}

/**
 * A posting date stands in its own block ("20/11/2023", "Thứ Hai, 20/11/2023 08:30",
 * "Lượt xem: 120 | 20/11/2023"); a date cited inside a sentence ("Căn cứ Quyết định số 38/QĐ-UBND
 * ngày 15/01/2019 …") is not one.
 */
function startsItsLine(text: string, index: number): boolean {
  const lineStart = text.lastIndexOf("\n", index - 1) + 1;
  const prefix = text.slice(lineStart, index);
  return prefix.length <= 30 && !/(?:(?:^|\s)số(?:\s|$)|\/[A-ZĐ]{2,}|căn cứ|quyết định|nghị định|thông tư|kế hoạch)/i.test(prefix);
}

export function extractPageDates(parsed: ParsedPage, reference: Date): PageDates {
  let published: string | null = null;
  let source: string | null = null;
  let snippet: string | null = null;
  for (const key of META_KEYS) {
    const v = parsed.meta[key];
    if (!v) continue;
    const d = notFuture(parseIsoDate(v), reference);
    if (d) {
      published = d;
      source = `meta ${key}`;
      snippet = `${key}: ${v}`;
      break;
    }
  }
  if (!published) {
    const d = notFuture(jsonLdDate(parsed.jsonLd), reference);
    if (d) {
      published = d;
      source = "JSON-LD datePublished";
      snippet = source;
    }
  }
  if (!published) {
    for (const t of parsed.times) {
      const d = notFuture(t.datetime ? parseIsoDate(t.datetime) : parseDateText(t.text, reference)[0]?.date ?? null, reference);
      if (d) {
        published = d;
        source = "<time>";
        snippet = t.datetime ?? t.text;
        break;
      }
    }
  }
  // The main text: labelled dates first, then the first date near the top of the article.
  const text = parsed.mainText.length > 0 ? parsed.mainText : parsed.text;
  const head = text.slice(0, 20_000);
  const found: FoundDate[] = parseDateText(head, reference);
  let issued: string | null = null;
  for (const f of found) {
    if (f.label && ISSUE_LABELS.test(f.label) && !issued) issued = f.date;
  }
  if (!published) {
    const labelled = found.find((f) => f.label && PUBLISH_LABELS.test(f.label) && notFuture(f.date, reference));
    // An unlabelled date counts only right under the title (a date cited in the body is not the posting date).
    const h1 = parsed.headings.find((h) => h.level === 1) ?? parsed.headings[0];
    const h1At = h1 ? head.indexOf(h1.text) : -1;
    const windowStart = h1At >= 0 ? h1At + h1.text.length : 0;
    const first =
      labelled ??
      found.find(
        (f) =>
          !(f.label && ISSUE_LABELS.test(f.label)) &&
          f.index >= windowStart - 60 &&
          f.index <= windowStart + 200 &&
          startsItsLine(head, f.index) &&
          notFuture(f.date, reference),
      );
    if (first) {
      published = first.date;
      source = labelled ? `nhãn "${labelled.label}"` : "ngày trong bài";
      snippet = head.slice(Math.max(0, first.index - 30), first.index + first.source.length + 10).trim();
    }
  }
  return { published, publishedSource: source, issued, snippet };
}
