// Periods in the database: created on demand from their code.
import type { Knex } from "knex";
import { parsePeriodCode, previousPeriod, type PeriodKind, type PeriodSpec } from "../scoring/period-codes.ts";

export * from "../scoring/period-codes.ts";

export interface PeriodRow {
  id: number;
  kind: PeriodKind;
  code: string;
  starts_on: string;
  ends_on: string;
  frozen_at: Date | null;
  frozen_by: number | null;
  rubric_version_id: number | null;
  frozen_settings: unknown;
}

/** The period row for a code, created if missing. Idempotent and safe under concurrency. */
export async function ensurePeriod(knex: Knex, code: string): Promise<PeriodRow> {
  const spec = parsePeriodCode(code);
  const rows = await ensurePeriods(knex, [spec]);
  return rows[0];
}

export async function ensurePeriods(knex: Knex, specs: PeriodSpec[]): Promise<PeriodRow[]> {
  if (specs.length === 0) return [];
  const values = specs.map((s) => ({ kind: s.kind, code: s.code, starts_on: s.startsOn, ends_on: s.endsOn }));
  await knex("periods").insert(values).onConflict("code").ignore();
  const rows: PeriodRow[] = await knex("periods").whereIn("code", specs.map((s) => s.code)).select("*");
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return specs.map((s) => byCode.get(s.code)!);
}

export async function getPeriod(knex: Knex, code: string): Promise<PeriodRow | undefined> {
  const spec = parsePeriodCode(code);
  return knex("periods").where({ code: spec.code }).first();
}

export async function getPreviousPeriod(knex: Knex, code: string): Promise<PeriodRow | undefined> {
  return knex("periods").where({ code: previousPeriod(code).code }).first();
}
