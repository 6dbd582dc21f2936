// Publication dates in the formats seen on Vietnamese sites. Always day/month/year.
// Dates are calendar dates in Vietnam (UTC+7) and are returned as "YYYY-MM-DD".

import { vietnamDay } from "../../db/time.ts";

export interface FoundDate {
  date: string;
  /** The text the date was read from. */
  source: string;
  /** Label in front of it, folded ("ngay ban hanh", "cap nhat", "ngay dang"…), if any. */
  label: string | null;
  index: number;
}

function pad(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

function validYmd(y: number, m: number, d: number): string | null {
  if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

function year4(y: string): number {
  const n = Number(y);
  return y.length === 2 ? 2000 + n : n;
}

/** The Vietnamese calendar date of an instant. */
export function vnDate(instant: Date): string {
  return vietnamDay(instant);
}

const LABELS =
  "ngày ban hành|ban hành ngày|ngày ký|ngày đăng tải|ngày đăng|đăng ngày|đăng lúc|ngày cập nhật|cập nhật lúc|cập nhật ngày|cập nhật|ngày xuất bản|xuất bản|ngày hiệu lực|có hiệu lực từ|hiệu lực|ngày|thời gian|posted|published|updated|date";
const LABEL_RE = new RegExp(`(${LABELS})\\s*[:：]?\\s*$`, "i");

const NUMERIC = /(?<![\d/.-])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?![\d/.-])/g;
const WORDS = /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/gi;
const ISO = /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?/g;
const RELATIVE = /(\d+)\s*(phút|giờ|tiếng|ngày|tuần|tháng)\s*trước/gi;

/** An ISO-8601 timestamp (or date) as a Vietnamese calendar date. */
export function parseIsoDate(value: string): string | null {
  const v = value.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?/.exec(v);
  if (!m) return parseDateText(v)[0]?.date ?? null;
  if (m[4] !== undefined && m[7]) {
    const t = Date.parse(v.replace(" ", "T"));
    if (!Number.isNaN(t)) return vnDate(new Date(t));
  }
  return validYmd(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** RFC 822 dates of RSS ("Mon, 20 Nov 2023 08:30:00 +0700"). */
export function parseRfc822(value: string): string | null {
  const t = Date.parse(value);
  if (Number.isNaN(t)) return parseIsoDate(value);
  return vnDate(new Date(t));
}

/**
 * Every date in a piece of visible text, in order of appearance.
 * Relative dates ("2 giờ trước") need the reference time.
 */
export function parseDateText(text: string, reference?: Date): FoundDate[] {
  const found: FoundDate[] = [];
  const labelBefore = (idx: number): string | null => {
    const before = text.slice(Math.max(0, idx - 40), idx);
    // Skip a weekday or time between the label and the date ("Cập nhật: Thứ Hai, 20/11/2023", "08:30 20/11/2023").
    const cleaned = before
      .replace(/(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|chủ\s+nhật|CN)\s*,?\s*$/i, "")
      .replace(/\d{1,2}\s*(?:[:h]\s*\d{2}(?:\s*:\s*\d{2})?|giờ)\s*(?:sa|ch|am|pm)?\s*[,|-]?\s*$/i, "")
      .replace(/[\s,(|-]+$/, " ");
    const m = LABEL_RE.exec(cleaned.trimEnd() + " ");
    const m2 = m ?? LABEL_RE.exec(cleaned.trimEnd());
    return m2 ? m2[1].toLowerCase() : null;
  };
  for (const m of text.matchAll(WORDS)) {
    const d = validYmd(Number(m[3]), Number(m[2]), Number(m[1]));
    if (d) found.push({ date: d, source: m[0], label: labelBefore(m.index!), index: m.index! });
  }
  for (const m of text.matchAll(ISO)) {
    const d = parseIsoDate(m[0]);
    if (d) found.push({ date: d, source: m[0], label: labelBefore(m.index!), index: m.index! });
  }
  for (const m of text.matchAll(NUMERIC)) {
    const d = validYmd(year4(m[4]), Number(m[3]), Number(m[1]));
    if (d) found.push({ date: d, source: m[0], label: labelBefore(m.index!), index: m.index! });
  }
  if (reference) {
    for (const m of text.matchAll(RELATIVE)) {
      const n = Number(m[1]);
      const unit = m[2].toLowerCase();
      const ms = { phút: 60_000, giờ: 3600_000, tiếng: 3600_000, ngày: 86400_000, tuần: 7 * 86400_000, tháng: 30 * 86400_000 }[unit] ?? 0;
      if (!ms) continue;
      // Calendar arithmetic on the reference date: "2 giờ trước" is today, "3 ngày trước" three dates back.
      const days = Math.floor((n * ms) / 86400_000);
      const refDate = vnDate(reference);
      const d = new Date(Date.parse(refDate + "T00:00:00Z") - days * 86400_000).toISOString().slice(0, 10);
      found.push({ date: d, source: m[0], label: null, index: m.index! });
    }
  }
  if (reference) {
    for (const m of text.matchAll(/\bhôm\s+(nay|qua|kia)\b/gi)) {
      const days = { nay: 0, qua: 1, kia: 2 }[m[1].toLowerCase() as "nay" | "qua" | "kia"];
      const refDate = vnDate(reference);
      const d = new Date(Date.parse(refDate + "T00:00:00Z") - days * 86400_000).toISOString().slice(0, 10);
      found.push({ date: d, source: m[0], label: null, index: m.index! });
    }
  }
  found.sort((a, b) => a.index - b.index);
  return found;
}

/** The first date in a text (null when none). */
export function firstDate(text: string, reference?: Date): string | null {
  return parseDateText(text, reference)[0]?.date ?? null;
}
