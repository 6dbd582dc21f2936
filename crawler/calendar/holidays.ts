// Vietnamese working-day calendar (Bộ luật Lao động 2019 Điều 112), seeded by rule.
// The official days off differ year to year (set by the Prime Minister): the per-year table
// produced here is a seed an inspector can edit; SiteSnapshot.holidays overrides it.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const amlich = require("amlich") as {
  convertLunar2Solar(day: number, month: number, year: number, leap: number, timeZone: number): [number, number, number];
  convertSolar2Lunar(day: number, month: number, year: number, timeZone: number): [number, number, number, number];
};

const TIME_ZONE = 7;

function iso(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function addDays(date: string, n: number): string {
  const t = Date.parse(date + "T00:00:00Z") + n * 86400_000;
  return new Date(t).toISOString().slice(0, 10);
}

function weekday(date: string): number {
  return new Date(date + "T00:00:00Z").getUTCDay();
}

export function isWeekend(date: string): boolean {
  const w = weekday(date);
  return w === 0 || w === 6;
}

/** Solar date of a lunar date (not leap month) in the Vietnamese time zone. */
export function lunarToSolar(day: number, month: number, lunarYear: number): string {
  const [d, m, y] = amlich.convertLunar2Solar(day, month, lunarYear, 0, TIME_ZONE);
  return iso(y, m, d);
}

/** Mùng 1 Tết (first day of the lunar year) falling in solar `year`. */
export function tetDate(year: number): string {
  return lunarToSolar(1, 1, year);
}

/**
 * Holidays of a year by rule, date → name: 1/1; Tết (the last day of the lunar year and the
 * first four days of the new one: 5 days); Giỗ Tổ 10/3 lunar; 30/4; 1/5; 2/9 and one adjacent
 * day (the law leaves the choice to the yearly decision: seeded as 1/9 when 2/9 is a Monday,
 * otherwise 3/9); a holiday on a weekend is given back on the next working day. The Prime
 * Minister's yearly decision may differ: this is the seed an inspector edits.
 */
export function holidaysForYear(year: number): Record<string, string> {
  const days: [string, string][] = [];
  days.push([iso(year, 1, 1), "Tết Dương lịch"]);
  const tet = tetDate(year);
  days.push([addDays(tet, -1), "Tết Âm lịch (30 Tết)"]);
  for (let i = 0; i < 4; i++) days.push([addDays(tet, i), `Tết Âm lịch (mùng ${i + 1})`]);
  days.push([lunarToSolar(10, 3, year), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"]);
  days.push([iso(year, 4, 30), "Ngày Giải phóng miền Nam (30/4)"]);
  days.push([iso(year, 5, 1), "Ngày Quốc tế Lao động (1/5)"]);
  days.push([iso(year, 9, 2), "Quốc khánh (2/9)"]);
  days.push([iso(year, 9, weekday(iso(year, 9, 2)) === 1 ? 1 : 3), "Quốc khánh (ngày liền kề)"]);
  const table: Record<string, string> = {};
  for (const [d, name] of days) table[d] = name;
  // A holiday on a weekend is given back on the next working day.
  for (const [d, name] of days) {
    if (!isWeekend(d)) continue;
    let next = addDays(d, 1);
    while (isWeekend(next) || table[next]) next = addDays(next, 1);
    table[next] = `Nghỉ bù ${name}`;
  }
  return table;
}

const cache = new Map<number, Record<string, string>>();

function defaultHolidays(year: number): Record<string, string> {
  let t = cache.get(year);
  if (!t) {
    t = holidaysForYear(year);
    cache.set(year, t);
  }
  return t;
}

export function isWorkingDay(date: string, holidays?: Record<string, string>): boolean {
  if (isWeekend(date)) return false;
  const table = holidays ?? defaultHolidays(Number(date.slice(0, 4)));
  return !(date in table);
}

/**
 * Working days after `from` up to and including `to` (YYYY-MM-DD): posting on the signing
 * day is 0, the next working day is 1. Negative when `to` is before `from`.
 */
export function workingDaysBetween(from: string, to: string, holidays?: Record<string, string>): number {
  if (to < from) return -workingDaysBetween(to, from, holidays);
  let n = 0;
  let d = from;
  let guard = 0;
  while (d < to && guard++ < 4000) {
    d = addDays(d, 1);
    if (isWorkingDay(d, holidays)) n++;
  }
  return n;
}
