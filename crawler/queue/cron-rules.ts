// What an audit schedule may be, in one place for the scheduler and the Kiểm tra page: a 5-field
// cron expression (minute hour day-of-month month day-of-week) in Asia/Ho_Chi_Minh that runs at
// most once an hour and on dates that exist. Also its next runs, its most recent slot and a
// plain-Vietnamese description of the common shapes (docs/decisions/0008-scheduler.md).
import parser from "cron-parser";
import { formatVietnamDayTime, VIETNAM_TIME_ZONE } from "../../db/time.ts";

export const AUDIT_TIMEZONE = VIETNAM_TIME_ZONE;
/** Shortest allowed time between two consecutive runs. */
export const MIN_GAP_MINUTES = 60;

const EXAMPLE = "ví dụ 0 2 * * 1 — 2 giờ sáng thứ Hai hằng tuần";
export const SYNTAX_ERROR = `Biểu thức cron không hợp lệ: cần 5 trường (phút giờ ngày tháng thứ), ${EXAMPLE}.`;

export type ScheduleCheck =
  | { ok: true; expression: string; description: string | null; nextRuns: Date[] }
  | { ok: false; error: string; kind: "empty" | "syntax" | "seconds" | "never" | "too-often"; nextRuns: Date[] };

type Fields = ReturnType<typeof parser.parseExpression>["fields"];

function parse(expression: string, currentDate: Date) {
  return parser.parseExpression(expression, { tz: AUDIT_TIMEZONE, currentDate });
}

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function listVi(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} và ${items[items.length - 1]}`;
}

/** Checks an expression at `now` (the next runs are counted from it). */
export function checkSchedule(input: string, now: Date = new Date()): ScheduleCheck {
  const expression = String(input ?? "").trim().replace(/\s+/g, " ");
  if (!expression) return { ok: false, kind: "empty", error: "Nhập biểu thức lịch (cron).", nextRuns: [] };
  if (expression.length > 100) return { ok: false, kind: "syntax", error: "Biểu thức quá dài.", nextRuns: [] };
  const parts = expression.split(" ");
  if (parts.length === 6) {
    return {
      ok: false,
      kind: "seconds",
      error: "Không dùng trường giây: lịch gồm đúng 5 trường (phút giờ ngày tháng thứ) và chạy nhiều nhất mỗi giờ một lần.",
      nextRuns: [],
    };
  }
  // Only digits, names, and the operators * , - / (no @aliases, L, W, #, ?).
  if (parts.length !== 5 || !parts.every((p) => /^[0-9A-Za-z*,\-/]+$/.test(p)) || /[LW#?]/.test(parts.slice(2).join(" ").replace(/[A-Za-z]{3}/g, ""))) {
    return { ok: false, kind: "syntax", error: SYNTAX_ERROR, nextRuns: [] };
  }
  let fields: Fields;
  try {
    fields = parse(expression, now).fields;
  } catch (err) {
    if (/day of month/i.test((err as Error).message)) return never(parts);
    return { ok: false, kind: "syntax", error: SYNTAX_ERROR, nextRuns: [] };
  }
  const nextRuns = runs(specOf(fields), now, 3, 1);
  if (!nextRuns.length) return never(parts);
  const gap = minGapMinutes(fields);
  if (gap !== null && gap < MIN_GAP_MINUTES) {
    const [a, b] = closestPair(fields);
    return {
      ok: false,
      kind: "too-often",
      error:
        `Lịch chạy quá dày: hai lần chạy liên tiếp chỉ cách nhau ${gap} phút (lúc ${a} và ${b}). ` +
        `Mỗi lượt kiểm tra toàn tỉnh cần thời gian, nên hai lần chạy phải cách nhau ít nhất ${MIN_GAP_MINUTES} phút.`,
      nextRuns,
    };
  }
  return { ok: true, expression, description: describeSchedule(expression), nextRuns };
}

function never(parts: string[]): ScheduleCheck {
  const [, , dom, month] = parts;
  const days = /^\d+(,\d+)*$/.test(dom) ? dom.split(",").map(Number) : null;
  const months = /^\d+(,\d+)*$/.test(month) ? month.split(",").map(Number) : null;
  const detail =
    days && months && days.length === 1
      ? `: tháng ${listVi(months.map(String))} không có ngày ${days[0]}`
      : " (ví dụ ngày 30/2 hay 31/4 không có trong lịch)";
  return { ok: false, kind: "never", error: `Lịch này không bao giờ chạy${detail}. Chọn một ngày có thật.`, nextRuns: [] };
}

// Runs are computed here from the parsed fields rather than by cron-parser's iterator, which steps
// through luxon dates and took 0.2 s for three runs of a daily schedule (2.7 s to give up on 31/2).
// Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving since 1975), so a day is a fixed span.
const OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;
/** Long enough to find 29 February across 2100 (not a leap year). */
const SEARCH_DAYS = 366 * 9;

interface Spec {
  times: number[];
  months: Set<number>;
  dom: Set<number>;
  dow: Set<number>;
  domAny: boolean;
  dowAny: boolean;
}

function specOf(fields: Fields): Spec {
  const dow = new Set(fields.dayOfWeek.map((d) => d % 7));
  return {
    times: minutesOfDay(fields),
    months: new Set<number>(fields.month),
    dom: new Set<number>(fields.dayOfMonth.map(Number)),
    dow,
    domAny: fields.dayOfMonth.length >= 31,
    dowAny: dow.size >= 7,
  };
}

/** Cron's rule: with both day fields restricted, a day matches either. */
function dayMatches(spec: Spec, dayIndex: number): boolean {
  const d = new Date(dayIndex * DAY_MS);
  if (!spec.months.has(d.getUTCMonth() + 1)) return false;
  const domOk = spec.dom.has(d.getUTCDate());
  const dowOk = spec.dow.has(d.getUTCDay());
  if (spec.domAny && spec.dowAny) return true;
  if (spec.domAny) return dowOk;
  if (spec.dowAny) return domOk;
  return domOk || dowOk;
}

function runs(spec: Spec, from: Date, count: number, direction: 1 | -1): Date[] {
  const out: Date[] = [];
  const ref = from.getTime();
  const firstDay = Math.floor((ref + OFFSET_MS) / DAY_MS);
  const times = direction === 1 ? spec.times : [...spec.times].reverse();
  // Gives up after SEARCH_DAYS days without a run.
  for (let i = 0, lastFound = 0; i - lastFound <= SEARCH_DAYS && out.length < count; i++) {
    const day = firstDay + i * direction;
    if (!dayMatches(spec, day)) continue;
    lastFound = i;
    for (const m of times) {
      const t = day * DAY_MS + m * 60_000 - OFFSET_MS;
      if (direction === 1 ? t > ref : t <= ref) out.push(new Date(t));
      if (out.length >= count) break;
    }
  }
  return out;
}

/** The next `count` runs strictly after `from` (fewer when the expression never matches). */
export function nextRunsOf(expression: string, from: Date, count: number): Date[] {
  return runs(specOf(parse(expression, from).fields), from, count, 1);
}

/** The most recent run at or before `now`, or null. */
export function latestSlotAtOrBefore(expression: string, now: Date): Date | null {
  try {
    return runs(specOf(parse(expression, now).fields), now, 1, -1)[0] ?? null;
  } catch {
    return null;
  }
}

function minutesOfDay(fields: Fields): number[] {
  const out: number[] = [];
  for (const h of fields.hour) for (const m of fields.minute) out.push(h * 60 + m);
  return out.sort((a, b) => a - b);
}

/**
 * The shortest time between two consecutive runs. Every day that runs has the same times (hour ×
 * minute), so two runs closer than an hour are on one day; across midnight the gap is never below an
 * hour unless it already is within a day.
 */
export function minGapMinutes(fields: Fields): number | null {
  const times = minutesOfDay(fields);
  let gap: number | null = null;
  for (let i = 1; i < times.length; i++) gap = Math.min(gap ?? Infinity, times[i] - times[i - 1]);
  if (fields.second.length > 1) gap = 0;
  return gap;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

function closestPair(fields: Fields): [string, string] {
  const times = minutesOfDay(fields);
  let best: [number, number] = [times[0], times[1] ?? times[0]];
  for (let i = 1; i < times.length; i++) if (times[i] - times[i - 1] < best[1] - best[0]) best = [times[i - 1], times[i]];
  return [hhmm(best[0]), hhmm(best[1])];
}

const DOW = ["Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"];

/** "Lúc 02:00 hằng ngày", "Lúc 02:00 thứ Hai hằng tuần", …; null for shapes it does not phrase. */
export function describeSchedule(expression: string): string | null {
  let fields: Fields;
  try {
    fields = parse(expression, new Date()).fields;
  } catch {
    return null;
  }
  const [minuteRaw, hourRaw, domRaw, monthRaw, dowRaw] = expression.trim().split(/\s+/);
  const anyDom = domRaw === "*";
  const anyMonth = monthRaw === "*";
  const anyDow = dowRaw === "*";
  // When: one or a few times a day, or once an hour.
  let when: string;
  if (fields.minute.length !== 1) return null;
  const minute = fields.minute[0];
  if (hourRaw === "*") when = `Mỗi giờ một lần, vào phút ${String(minute).padStart(2, "0")}`;
  else if (fields.hour.length <= 4) when = `Lúc ${listVi(fields.hour.map((h) => hhmm(h * 60 + minute)))}`;
  else {
    const step = /^\*\/(\d+)$/.exec(hourRaw);
    if (!step) return null;
    when = `Mỗi ${step[1]} giờ, vào phút ${String(minute).padStart(2, "0")}`;
  }
  const sep = when.startsWith("Lúc") ? " " : ", ";
  if (anyDom && anyMonth && anyDow) return hourRaw === "*" ? when : `${when}${sep}hằng ngày`;
  if (anyDom && anyMonth) {
    const days = [...new Set(fields.dayOfWeek.map((d) => d % 7))].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7));
    const mondayFirst = days.map((d) => (d + 6) % 7);
    const consecutive = mondayFirst.every((d, i) => i === 0 || d === mondayFirst[i - 1] + 1);
    const phrase =
      days.length >= 3 && consecutive ? `từ ${DOW[days[0]]} đến ${DOW[days[days.length - 1]]}` : listVi(days.map((d) => DOW[d]));
    return `${when}${sep}${phrase} hằng tuần`;
  }
  if (anyDow && !anyDom && fields.dayOfMonth.length <= 4) {
    const days = listVi(fields.dayOfMonth.map(String));
    if (anyMonth) return `${when}${sep}ngày ${days} hằng tháng`;
    if (fields.month.length <= 4) return `${when}${sep}ngày ${days} tháng ${listVi(fields.month.map(String))} hằng năm`;
  }
  return null;
}

/** dd/mm/yyyy HH:mm in Asia/Ho_Chi_Minh. */
export const formatRunTime = (d: Date): string => formatVietnamDayTime(d);

/** Whether a stored or configured value is an acceptable schedule. */
export function isValidSchedule(expression: string | null | undefined, now: Date = new Date()): expression is string {
  return typeof expression === "string" && checkSchedule(expression, now).ok;
}
