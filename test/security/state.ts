// A fingerprint of the tables a request could change: row count and an md5 of every row per
// table. Equal fingerprints before and after an attack mean no data changed.
import type { Knex } from "knex";

export const WATCHED_TABLES = [
  "users",
  "units",
  "sites",
  "sessions",
  "audit_log",
  "login_attempts",
  "api_tokens",
  "settings",
  "holidays",
  "rubric_versions",
  "rubric_criteria",
  "appeals",
  "reports",
  "periods",
  "unit_groups",
];

export async function fingerprint(knex: Knex): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of WATCHED_TABLES) {
    const { rows } = await knex.raw(`select count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from ?? x`, [t]);
    out[t] = `${rows[0].n}:${rows[0].h}`;
  }
  return out;
}
