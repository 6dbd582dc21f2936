// Period codes (parsed by scoring's period-codes) as reports name them: "2026-11" (month), "2026-Q3" (quarter), "2026-H2" (half), "2026" (year).
// Labels, titles and Vietnam days come from db/time.ts (the one home for time).
export { parsePeriodCode, PeriodCodeError, type PeriodSpec } from "../db/scoring/period-codes.ts";
export { vietnamDay } from "../db/time.ts";

function pad(n: number): string {
  return String(n).padStart(2, "0");
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
