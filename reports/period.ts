// Period codes (parsed by scoring's period-codes) as reports name them: "2026-11" (month), "2026-Q3" (quarter), "2026-H2" (half), "2026" (year).
import { parsePeriodCode } from "../db/scoring/period-codes.ts";

export { parsePeriodCode, PeriodCodeError, type PeriodSpec } from "../db/scoring/period-codes.ts";

const ROMAN = ["I", "II", "III", "IV"];

function pad(n: number): string {
  return String(n).padStart(2, "0");
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
