// Period codes: month "2026-11", quarter "2026-Q3", half "2026-H2", year "2026".
// Pure helpers (no I/O). Calendar days are 'YYYY-MM-DD' strings in Vietnam time.

export type PeriodKind = "month" | "quarter" | "half" | "year";

export interface PeriodSpec {
  kind: PeriodKind;
  code: string;
  year: number;
  /** 1-based index within the year (month 1–12, quarter 1–4, half 1–2, year 1). */
  index: number;
  startsOn: string;
  endsOn: string;
}

export class PeriodCodeError extends Error {
  constructor(code: string) {
    super(`Mã kỳ không hợp lệ: "${code}" (dạng 2026-11, 2026-Q3, 2026-H2 hoặc 2026)`);
    this.name = "PeriodCodeError";
  }
}

const MONTHS_PER: Record<PeriodKind, number> = { month: 1, quarter: 3, half: 6, year: 12 };
const COUNT_PER_YEAR: Record<PeriodKind, number> = { month: 12, quarter: 4, half: 2, year: 1 };

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function makePeriod(kind: PeriodKind, year: number, index: number): PeriodSpec {
  if (!Number.isInteger(year) || year < 1990 || year > 2200) throw new PeriodCodeError(`${year}`);
  if (!Number.isInteger(index) || index < 1 || index > COUNT_PER_YEAR[kind]) throw new PeriodCodeError(`${year}/${kind}${index}`);
  const span = MONTHS_PER[kind];
  const firstMonth = (index - 1) * span + 1;
  const lastMonth = firstMonth + span - 1;
  const code =
    kind === "month" ? `${year}-${pad2(index)}` : kind === "quarter" ? `${year}-Q${index}` : kind === "half" ? `${year}-H${index}` : `${year}`;
  return {
    kind,
    code,
    year,
    index,
    startsOn: `${year}-${pad2(firstMonth)}-01`,
    endsOn: `${year}-${pad2(lastMonth)}-${pad2(lastDayOfMonth(year, lastMonth))}`,
  };
}

export function parsePeriodCode(input: string): PeriodSpec {
  const code = String(input ?? "").trim().toUpperCase();
  let m: RegExpMatchArray | null;
  if ((m = code.match(/^(\d{4})-(\d{2})$/))) return makePeriod("month", Number(m[1]), Number(m[2]));
  if ((m = code.match(/^(\d{4})-Q([1-4])$/))) return makePeriod("quarter", Number(m[1]), Number(m[2]));
  if ((m = code.match(/^(\d{4})-H([12])$/))) return makePeriod("half", Number(m[1]), Number(m[2]));
  if ((m = code.match(/^(\d{4})$/))) return makePeriod("year", Number(m[1]), 1);
  throw new PeriodCodeError(input);
}

export function isPeriodCode(input: string): boolean {
  try {
    parsePeriodCode(input);
    return true;
  } catch {
    return false;
  }
}

/** The period of the same kind just before (2026-01 → 2025-12, 2026-Q1 → 2025-Q4). */
export function previousPeriod(p: PeriodSpec | string): PeriodSpec {
  const spec = typeof p === "string" ? parsePeriodCode(p) : p;
  if (spec.index > 1) return makePeriod(spec.kind, spec.year, spec.index - 1);
  return makePeriod(spec.kind, spec.year - 1, COUNT_PER_YEAR[spec.kind]);
}

export function nextPeriod(p: PeriodSpec | string): PeriodSpec {
  const spec = typeof p === "string" ? parsePeriodCode(p) : p;
  if (spec.index < COUNT_PER_YEAR[spec.kind]) return makePeriod(spec.kind, spec.year, spec.index + 1);
  return makePeriod(spec.kind, spec.year + 1, 1);
}

/** Every period (month, quarter, half, year) that contains the calendar day 'YYYY-MM-DD'. */
export function periodsContaining(day: string): PeriodSpec[] {
  const m = day.match(/^(\d{4})-(\d{2})-\d{2}/);
  if (!m) throw new PeriodCodeError(day);
  const year = Number(m[1]);
  const month = Number(m[2]);
  return [
    makePeriod("month", year, month),
    makePeriod("quarter", year, Math.ceil(month / 3)),
    makePeriod("half", year, month <= 6 ? 1 : 2),
    makePeriod("year", year, 1),
  ];
}

/** All 19 periods of a year, months first, in chronological order within each kind. */
export function periodsOfYear(year: number): PeriodSpec[] {
  const out: PeriodSpec[] = [];
  for (const kind of ["month", "quarter", "half", "year"] as PeriodKind[]) {
    for (let i = 1; i <= COUNT_PER_YEAR[kind]; i++) out.push(makePeriod(kind, year, i));
  }
  return out;
}

const ROMAN = ["", "I", "II", "III", "IV"];

/**
 * The one Vietnamese label of a period, used by the dashboard, the API and the reports' text:
 * "Tháng 11/2026", "Quý IV/2026", "6 tháng đầu năm 2026", "Năm 2026".
 */
export function formatPeriodLabel(p: PeriodSpec | string): string {
  const spec = typeof p === "string" ? parsePeriodCode(p) : p;
  switch (spec.kind) {
    case "month":
      return `Tháng ${spec.index}/${spec.year}`;
    case "quarter":
      return `Quý ${ROMAN[spec.index]}/${spec.year}`;
    case "half":
      return spec.index === 1 ? `6 tháng đầu năm ${spec.year}` : `6 tháng cuối năm ${spec.year}`;
    case "year":
      return `Năm ${spec.year}`;
  }
}

/**
 * The period phrase of a report title: "QUÝ III NĂM 2026", "THÁNG 11 NĂM 2026", "6 THÁNG CUỐI
 * NĂM 2026", "NĂM 2026"; with case "sentence", for file names and sheet text: "Quý III năm 2026".
 */
export function formatPeriodTitle(p: PeriodSpec | string, letterCase: "upper" | "sentence" = "upper"): string {
  const spec = typeof p === "string" ? parsePeriodCode(p) : p;
  const sentence =
    spec.kind === "month"
      ? `Tháng ${spec.index} năm ${spec.year}`
      : spec.kind === "quarter"
        ? `Quý ${ROMAN[spec.index]} năm ${spec.year}`
        : spec.kind === "half"
          ? `6 tháng ${spec.index === 1 ? "đầu" : "cuối"} năm ${spec.year}`
          : `Năm ${spec.year}`;
  return letterCase === "upper" ? sentence.toUpperCase() : sentence;
}
