// The read-only JSON API for the province's other systems, and its tokens (sha256 stored).
// Scores are read in ./scores.ts (the one read side); audits belong to a period by Vietnam day.
import type { Knex } from "knex";
import { formatPeriodLabel, periodRange } from "../time.ts";

export async function findActiveToken(knex: Knex, tokenHash: string): Promise<{ id: number; name: string } | undefined> {
  // A token stops working while the account that created it is deactivated (tokens made
  // outside the dashboard, without a creator, are the operator's).
  const row = await knex("api_tokens as t")
    .leftJoin("users as u", "u.id", "t.created_by")
    .where({ "t.token_hash": tokenHash })
    .whereNull("t.revoked_at")
    .andWhere((q) => q.whereNull("t.created_by").orWhere("u.active", true))
    .first("t.id", "t.name", "t.last_used_at");
  if (row && (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000)) {
    await knex("api_tokens").where({ id: row.id }).update({ last_used_at: knex.fn.now() });
  }
  return row ? { id: row.id, name: row.name } : undefined;
}

export async function listApiTokens(knex: Knex) {
  return knex("api_tokens as t")
    .leftJoin("users as u", "u.id", "t.created_by")
    .select("t.id", "t.name", "t.created_at", "t.last_used_at", "t.revoked_at", "u.username as created_by")
    .orderBy("t.id", "desc");
}

export async function createApiToken(knex: Knex, name: string, tokenHash: string, userId: number): Promise<number> {
  const [row] = await knex("api_tokens").insert({ name, token_hash: tokenHash, created_by: userId }).returning("id");
  return row.id;
}

export async function revokeApiToken(knex: Knex, id: number): Promise<boolean> {
  return (await knex("api_tokens").where({ id }).whereNull("revoked_at").update({ revoked_at: knex.fn.now() })) > 0;
}

export async function apiUnits(knex: Knex) {
  const { rows } = await knex.raw(
    `select u.id, u.code, u.name, u.short_name as "shortName", u.unit_type as "unitType", u.group_code as "group", u.active,
            coalesce((select json_agg(json_build_object('id', s.id, 'url', s.base_url, 'primary', s.is_primary, 'active', s.active) order by s.is_primary desc, s.id)
                        from sites s where s.unit_id = u.id), '[]'::json) as sites
       from units u order by u.group_code, u.name`,
  );
  return rows;
}

export async function apiPeriods(knex: Knex) {
  const { rows } = await knex.raw(
    `select p.code, p.kind, to_char(p.starts_on, 'YYYY-MM-DD') as "startsOn", to_char(p.ends_on, 'YYYY-MM-DD') as "endsOn",
            p.frozen_at as "frozenAt", (select count(*)::int from period_scores s where s.period_id = p.id) as units
       from periods p order by p.starts_on desc, p.kind`,
  );
  return rows.map((r: { code: string; frozenAt: Date | null }) => ({ ...r, label: formatPeriodLabel(r.code), frozen: r.frozenAt != null }));
}

export async function apiFindings(
  knex: Knex,
  unitId: number,
  period: { startsOn: string; endsOn: string },
  limit: number,
  offset: number,
) {
  // The period's Vietnam days as instants: the 02:00 (Vietnam) audit of the 1st is in the new month.
  const range = periodRange(period);
  const { rows } = await knex.raw(
    `select f.id, f.site_audit_id as "auditId", f.check_id as "check", f.code, f.category_id as "categoryId", f.severity,
            f.message, f.url, f.snippet, f.details, f.page_id as "pageId", a.reference_time as "auditedAt",
            (select ap.status from appeals ap where ap.finding_id = f.id order by ap.filed_at desc limit 1) as "appealStatus"
       from findings f join site_audits a on a.id = f.site_audit_id
      where f.unit_id = ? and a.status = 'done'
        and a.reference_time >= ? and a.reference_time < ?
      order by a.reference_time desc, f.id
      limit ? offset ?`,
    [unitId, range.from, range.until, limit, offset],
  );
  return rows;
}
