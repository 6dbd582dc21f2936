// The one home for time: Vietnam time (Asia/Ho_Chi_Minh, UTC+7, no daylight saving), the
// Vietnam calendar day of an instant, dd/mm/yyyy display, which period an instant belongs to
// and the period labels. Pure (no I/O, no Node APIs): the dashboard's client bundle imports it.
//
// A period holds the instants whose Vietnam calendar day lies in [startsOn, endsOn]; in SQL use
// vietnamDaySql(column) (or the instants of periodRange) — never a bare `timestamptz >= date`,
// which compares in the session's time zone.
import { formatPeriodLabel, formatPeriodTitle, parsePeriodCode, periodsContaining, type PeriodSpec } from "./scoring/period-codes.ts";

export { formatPeriodLabel, formatPeriodTitle, parsePeriodCode, type PeriodKind, type PeriodSpec } from "./scoring/period-codes.ts";

export const VIETNAM_TIME_ZONE = "Asia/Ho_Chi_Minh";
/** UTC+7 all year (Vietnam has no daylight saving time). */
export const VIETNAM_OFFSET_MS = 7 * 3600_000;

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** The instant shifted to Vietnam wall-clock time: read it with getUTC* (for exceljs, zip times). */
export function vietnamWallClock(at: Date): Date {
  return new Date(at.getTime() + VIETNAM_OFFSET_MS);
}

export interface VietnamDateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function vietnamDateParts(at: Date): VietnamDateParts {
  const l = vietnamWallClock(at);
  return {
    year: l.getUTCFullYear(),
    month: l.getUTCMonth() + 1,
    day: l.getUTCDate(),
    hour: l.getUTCHours(),
    minute: l.getUTCMinutes(),
    second: l.getUTCSeconds(),
  };
}

/** The Vietnam calendar day of an instant, 'YYYY-MM-DD'. */
export function vietnamDay(at: Date | string | number): string {
  const d = at instanceof Date ? at : new Date(at);
  return vietnamWallClock(d).toISOString().slice(0, 10);
}

/** Today in Vietnam, 'YYYY-MM-DD'. */
export function vietnamToday(now: Date = new Date()): string {
  return vietnamDay(now);
}

/** The instant of local midnight that starts the Vietnam day 'YYYY-MM-DD'. */
export function vietnamDayStart(day: string): Date {
  return vietnamInstant(day);
}

/** The instant of a Vietnam wall-clock time on a day: vietnamInstant("2026-12-01", "02:00"). */
export function vietnamInstant(day: string, time = "00:00"): Date {
  return new Date(`${day.slice(0, 10)}T${time.length === 5 ? `${time}:00` : time}+07:00`);
}

/** The day after 'YYYY-MM-DD'. */
export function nextDay(day: string): string {
  const [y, m, d] = day.slice(0, 10).split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** A period as the half-open range of instants [from, until) of its Vietnam days. */
export function periodRange(p: PeriodSpec | string | { startsOn: string; endsOn: string }): { from: Date; until: Date } {
  const spec = typeof p === "string" ? parsePeriodCode(p) : p;
  return { from: vietnamDayStart(spec.startsOn), until: vietnamDayStart(nextDay(spec.endsOn)) };
}

/** Every period (month, quarter, half, year) the instant belongs to, by its Vietnam day. */
export function periodsAt(at: Date): PeriodSpec[] {
  return periodsContaining(vietnamDay(at));
}

/** The month code ('2026-12') of an instant, by its Vietnam day. */
export function monthCodeAt(at: Date): string {
  return vietnamDay(at).slice(0, 7);
}

/** SQL: the Vietnam calendar day (type date) of a timestamptz column or expression. */
export function vietnamDaySql(column: string): string {
  return `(${column} at time zone '${VIETNAM_TIME_ZONE}')::date`;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function toInstant(v: string | Date | number): Date | null {
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * dd/mm/yyyy. A plain calendar day ('YYYY-MM-DD') is shown as it is; an instant (Date, ISO
 * timestamp) by its Vietnam day. Null, empty or invalid → "—".
 */
export function formatVietnamDate(v: string | Date | number | null | undefined): string {
  if (v == null || v === "") return "—";
  if (typeof v === "string") {
    const m = ISO_DAY.exec(v);
    if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  }
  const d = toInstant(v);
  if (!d) return "—";
  const p = vietnamDateParts(d);
  return `${pad2(p.day)}/${pad2(p.month)}/${p.year}`;
}

/** "HH:MM dd/mm/yyyy" in Vietnam time (the dashboard's order). */
export function formatVietnamDateTime(v: string | Date | number | null | undefined): string {
  if (v == null || v === "") return "—";
  if (typeof v === "string" && ISO_DAY.test(v)) return `00:00 ${formatVietnamDate(v)}`;
  const d = toInstant(v);
  if (!d) return "—";
  const p = vietnamDateParts(d);
  return `${pad2(p.hour)}:${pad2(p.minute)} ${pad2(p.day)}/${pad2(p.month)}/${p.year}`;
}

/** "dd/mm/yyyy HH:MM" in Vietnam time (schedules, closing times, as the regulations write them). */
export function formatVietnamDayTime(v: string | Date | number | null | undefined): string {
  const d = v == null || v === "" ? null : toInstant(v);
  if (!d) return "—";
  const p = vietnamDateParts(d);
  return `${pad2(p.day)}/${pad2(p.month)}/${p.year} ${pad2(p.hour)}:${pad2(p.minute)}`;
}
