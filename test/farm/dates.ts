/** Calendar helpers on plain YYYY-MM-DD dates (UTC arithmetic, no clock). */

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

export function parseYmd(s: string): Ymd {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new Error(`Ngày không hợp lệ (cần YYYY-MM-DD): ${s}`);
  const ymd = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  if (addDays(s, 0) !== s) throw new Error(`Ngày không hợp lệ: ${s}`);
  return ymd;
}

function toDate(s: string): Date {
  const [y, m, d] = s.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

export function toYmd(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(s: string, n: number): string {
  const d = toDate(s);
  d.setUTCDate(d.getUTCDate() + n);
  return toYmd(d);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(s: string): number {
  return toDate(s).getUTCDay();
}

export function isWeekend(s: string): boolean {
  const w = weekday(s);
  return w === 0 || w === 6;
}

/** Moves a date back to the previous weekday if it falls on a weekend. */
export function weekdayOnOrBefore(s: string): string {
  let x = s;
  while (isWeekend(x)) x = addDays(x, -1);
  return x;
}

/** Adds n weekdays (weekends skipped; holidays are the auditor's business). */
export function addWeekdays(s: string, n: number): string {
  let x = s;
  let left = n;
  while (left > 0) {
    x = addDays(x, 1);
    if (!isWeekend(x)) left--;
  }
  return x;
}

export function daysBetween(a: string, b: string): number {
  return Math.round((toDate(b).getTime() - toDate(a).getTime()) / 86_400_000);
}

/** HTTP-date for Last-Modified (time fixed at 08:00 local = 01:00 GMT). */
export function httpDate(s: string, hour = 1): string {
  const d = toDate(s);
  d.setUTCHours(hour);
  return d.toUTCString();
}

export function parseHttpDate(s: string): number | null {
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

const WEEKDAYS_VI = ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];

const p2 = (n: number) => String(n).padStart(2, "0");

/** The date formats of domain.md rule set 4 (always day/month/year). */
export type DateStyle =
  | "dmy-slash" // 20/11/2023
  | "dmy-dash" // 20-11-2023
  | "dmy-time" // 20/11/2023 08:30
  | "time-dmy" // 08:30 20/11/2023
  | "weekday" // Thứ Hai, 20/11/2023
  | "words" // ngày 20 tháng 11 năm 2023
  | "cap-nhat" // Cập nhật: 20/11/2023 08:30
  | "ngay-dang" // Ngày đăng: 20/11/2023
  | "relative" // 2 giờ trước / 3 ngày trước (listings only)
  | "time-tag" // <time datetime="2023-11-20T08:30:00+07:00">20/11/2023</time>
  | "meta-only"; // no visible date: article:published_time, JSON-LD, DC.date in <head>

export function formatDate(style: DateStyle, ymd: string, minutes: number, reference: string): string {
  const { y, m, d } = parseYmd(ymd);
  const dmy = `${p2(d)}/${p2(m)}/${y}`;
  const hm = `${p2(Math.floor(minutes / 60))}:${p2(minutes % 60)}`;
  switch (style) {
    case "dmy-slash":
      return dmy;
    case "dmy-dash":
      return `${p2(d)}-${p2(m)}-${y}`;
    case "dmy-time":
      return `${dmy} ${hm}`;
    case "time-dmy":
      return `${hm} ${dmy}`;
    case "weekday":
      return `${WEEKDAYS_VI[weekday(ymd)]}, ${dmy}`;
    case "words":
      return `ngày ${d} tháng ${m} năm ${y}`;
    case "cap-nhat":
      return `Cập nhật: ${dmy} ${hm}`;
    case "ngay-dang":
      return `Ngày đăng: ${dmy}`;
    case "relative": {
      const days = daysBetween(ymd, reference);
      if (days <= 0) return "2 giờ trước";
      if (days < 30) return `${days} ngày trước`;
      return dmy;
    }
    case "time-tag":
      return `<time datetime="${isoLocal(ymd, minutes)}">${dmy}</time>`;
    case "meta-only":
      return "";
  }
}

/** ISO timestamp in Vietnam time (+07:00); minutes are always 07:00–17:59 so the UTC date is the same day. */
export function isoLocal(ymd: string, minutes: number): string {
  return `${ymd}T${p2(Math.floor(minutes / 60))}:${p2(minutes % 60)}:00+07:00`;
}
