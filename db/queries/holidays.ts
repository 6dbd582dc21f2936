// The per-year holiday calendar (working-day counting for deadlines), editable by inspectors.
import type { Knex } from "knex";

export interface HolidayRow {
  day: string;
  name: string;
  kind: "holiday" | "compensatory" | "working_day";
  source: "rule" | "inspector";
  updated_at: Date;
}

export async function listHolidays(knex: Knex, year: number): Promise<HolidayRow[]> {
  return knex("holidays")
    .whereBetween("day", [`${year}-01-01`, `${year}-12-31`])
    .select("day", "name", "kind", "source", "updated_at")
    .orderBy("day");
}

export async function listHolidayYears(knex: Knex): Promise<number[]> {
  const rows = await knex("holidays").distinct(knex.raw("extract(year from day)::int as y")).orderBy("y");
  return rows.map((r: { y: number }) => r.y);
}

export async function upsertHoliday(
  knex: Knex,
  h: { day: string; name: string; kind: HolidayRow["kind"]; userId: number },
): Promise<void> {
  await knex("holidays")
    .insert({ day: h.day, name: h.name, kind: h.kind, source: "inspector", updated_by: h.userId, updated_at: knex.fn.now() })
    .onConflict("day")
    .merge(["name", "kind", "source", "updated_by", "updated_at"]);
}

export async function deleteHoliday(knex: Knex, day: string): Promise<boolean> {
  return (await knex("holidays").where({ day }).del()) > 0;
}
