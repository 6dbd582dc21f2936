// Ids from URLs and forms: decimal digits only, within PostgreSQL's integer range; NaN otherwise,
// so the callers' `Number.isInteger(id) && id > 0` checks refuse "1e300", "0x10" or
// "2147483648" before a query fails on them with a 500 (test/security/attacks.test.ts).
export const MAX_ID = 2147483647;

export function toId(v: unknown): number {
  if (typeof v !== "string" || !/^\d{1,10}$/.test(v)) return NaN;
  const n = Number(v);
  return n <= MAX_ID ? n : NaN;
}
