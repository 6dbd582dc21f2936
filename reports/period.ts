// Period codes as reports see them: "2026-11" (month), "2026-Q3" (quarter), "2026-H2" (half), "2026" (year).
import type { PeriodKind } from "./model.ts";

export interface ParsedPeriod {
  code: string;
  kind: PeriodKind;
  year: number;
  /** Month 1–12, quarter 1–4, half 1–2; 1 for a year. */
  index: number;
  startsOn: string;
  endsOn: string;
}

export class PeriodCodeError extends Error {}

const ROMAN = ["I", "II", "III", "IV"];

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function lastDay(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function span(year: number, firstMonth: number, lastMonth: number): { startsOn: string; endsOn: string } {
  return {
    startsOn: `${year}-${pad(firstMonth)}-01`,
    endsOn: `${year}-${pad(lastMonth)}-${pad(lastDay(year, lastMonth))}`,
  };
}

export function parsePeriodCode(input: string): ParsedPeriod {
  const code = input.trim().toUpperCase();
  let m: RegExpMatchArray | null;
  if ((m = code.match(/^(\d{4})-(\d{2})$/))) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    if (month >= 1 && month <= 12) return { code, kind: "month", year, index: month, ...span(year, month, month) };
  } else if ((m = code.match(/^(\d{4})-Q([1-4])$/))) {
    const year = Number(m[1]);
    const q = Number(m[2]);
    return { code, kind: "quarter", year, index: q, ...span(year, q * 3 - 2, q * 3) };
  } else if ((m = code.match(/^(\d{4})-H([12])$/))) {
    const year = Number(m[1]);
    const h = Number(m[2]);
    return { code, kind: "half", year, index: h, ...span(year, h * 6 - 5, h * 6) };
  } else if ((m = code.match(/^(\d{4})$/))) {
    const year = Number(m[1]);
    return { code, kind: "year", year, index: 1, ...span(year, 1, 12) };
  }
  throw new PeriodCodeError(
    `Mã kỳ không hợp lệ: "${input}" (dùng 2026-11 cho tháng, 2026-Q3 cho quý, 2026-H2 cho 6 tháng, 2026 cho năm)`,
  );
}

/** The period phrase of a report title, upper case: "QUÝ III NĂM 2026". */
export function periodTitle(code: string): string {
  const p = parsePeriodCode(code);
  switch (p.kind) {
    case "month":
      return `THÁNG ${p.index} NĂM ${p.year}`;
    case "quarter":
      return `QUÝ ${ROMAN[p.index - 1]} NĂM ${p.year}`;
    case "half":
      return p.index === 1 ? `6 THÁNG ĐẦU NĂM ${p.year}` : `6 THÁNG CUỐI NĂM ${p.year}`;
    case "year":
      return `NĂM ${p.year}`;
  }
}

/** The same phrase in sentence case, for file names and sheet text: "Quý III năm 2026". */
export function periodLabel(code: string): string {
  const t = periodTitle(code).toLowerCase();
  return t.charAt(0).toUpperCase() + t.slice(1).replace(/\b(i{1,3}|iv)\b/g, (r) => r.toUpperCase());
}

/**
 * The periods whose last day is the day before `day` ('YYYY-MM-DD', a local calendar day):
 * on 1 January that is December, Q4, H2 and the year.
 */
export function periodsEndingBefore(day: string): string[] {
  const [y, mo, d] = day.split("-").map(Number);
  if (d !== 1) return [];
  const year = mo === 1 ? y - 1 : y;
  const month = mo === 1 ? 12 : mo - 1;
  const codes = [`${year}-${pad(month)}`];
  if (month % 3 === 0) codes.push(`${year}-Q${month / 3}`);
  if (month % 6 === 0) codes.push(`${year}-H${month / 6}`);
  if (month === 12) codes.push(String(year));
  return codes;
}

/** Calendar day in Asia/Ho_Chi_Minh (UTC+7, no daylight saving) as 'YYYY-MM-DD'. */
export function vietnamDay(at: Date): string {
  const local = new Date(at.getTime() + 7 * 3600_000);
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
}
