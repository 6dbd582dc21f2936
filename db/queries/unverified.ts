// "Chưa xác minh được" items of a unit's audits (site_audits.summary.unverified, written by
// crawler/audit/verdicts.ts) and the inspector's decision to count one against the unit
// (docs/decisions/0013-unverified.md). The decision is stored in unverified_decisions, logged in
// audit_log, and rewrites the audit's summary so that scoring reads the item as missing
// (a category's status becomes "missing"; a metric's paths move to countedMetrics).
import type { Knex } from "knex";
import { SCORING_TIME_ZONE } from "../scoring/compute.ts";
import { periodsContaining } from "../scoring/period-codes.ts";
import { drainRescoreRequests, requestRescore } from "../scoring/rescore.ts";
import { ScoringError } from "../scoring/errors.ts";

export interface UnverifiedRow {
  siteAuditId: number;
  siteId: number;
  baseUrl: string;
  /** Vietnam day of the audit (YYYY-MM-DD). */
  day: string;
  key: string;
  label: string;
  reason: string;
  detail: string;
  url: string | null;
  categoryId: string | null;
  /** null while undecided; "count-missing" once an inspector counted it against the unit. */
  decision: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
}

/** Unverified items of the unit's audits whose Vietnam day is in [startsOn, endsOn] (all done audits when null). */
export async function listUnverified(knex: Knex, unitId: number, startsOn: string | null, endsOn: string | null, auditIds?: number[]): Promise<UnverifiedRow[]> {
  const { rows } = await knex.raw(
    `select sa.id as site_audit_id, sa.site_id, s.base_url,
            to_char((sa.reference_time at time zone ?)::date, 'YYYY-MM-DD') as day,
            it->>'key' as key, it->>'label' as label, it->>'reason' as reason, it->>'detail' as detail,
            it->>'url' as url, it->>'categoryId' as category_id,
            d.decision, u.username as decided_by, d.decided_at
       from site_audits sa
       join sites s on s.id = sa.site_id
       cross join lateral jsonb_array_elements(case when jsonb_typeof(sa.summary->'unverified') = 'array' then sa.summary->'unverified' else '[]'::jsonb end) it
       left join unverified_decisions d on d.site_audit_id = sa.id and d.item_key = it->>'key'
       left join users u on u.id = d.decided_by
      where sa.unit_id = ? and sa.status in ('done', 'failed')
        and jsonb_typeof(it) = 'object'
        ${startsOn && endsOn ? `and (sa.reference_time at time zone ?)::date between ?::date and ?::date` : ""}
        ${auditIds ? `and sa.id = any(?::bigint[])` : ""}
      order by sa.reference_time desc, sa.id desc, it->>'key'`,
    [SCORING_TIME_ZONE, unitId, ...(startsOn && endsOn ? [SCORING_TIME_ZONE, startsOn, endsOn] : []), ...(auditIds ? [auditIds] : [])],
  );
  return rows.map((r: Record<string, any>) => ({
    siteAuditId: Number(r.site_audit_id),
    siteId: r.site_id,
    baseUrl: r.base_url,
    day: r.day,
    key: r.key,
    label: r.label ?? r.key,
    reason: r.reason,
    detail: r.detail ?? "",
    url: r.url ?? null,
    categoryId: r.category_id ?? null,
    decision: r.decision ?? null,
    decidedBy: r.decided_by ?? null,
    decidedAt: r.decided_at ?? null,
  }));
}

export interface CountAgainstResult {
  /** Periods whose scores were recomputed. */
  recomputed: string[];
}

type Json = Record<string, any>;

/** Rewrites a summary so that scoring reads the item as counted against the unit. */
export function countItemInSummary(summary: Json, key: string): Json {
  const items: Json[] = Array.isArray(summary.unverified) ? summary.unverified : [];
  const item = items.find((i) => i && i.key === key);
  if (!item) throw new ScoringError("not_found", "Không tìm thấy mục chưa xác minh được trong lượt kiểm tra này.");
  const out: Json = { ...summary };
  if (typeof item.categoryId === "string") {
    const setMissing = (list: unknown) =>
      Array.isArray(list) ? list.map((c: Json) => (c && c.id === item.categoryId && c.status === "unverified" ? { ...c, status: "missing" } : c)) : list;
    out.categories = setMissing(summary.categories);
    if (summary.result && typeof summary.result === "object") out.result = { ...summary.result, categories: setMissing(summary.result.categories) };
  }
  if (Array.isArray(item.metrics) && item.metrics.length) {
    const paths = item.metrics.filter((p: unknown): p is string => typeof p === "string");
    out.unverifiedMetrics = (Array.isArray(summary.unverifiedMetrics) ? summary.unverifiedMetrics : []).filter((p: string) => !paths.includes(p));
    out.countedMetrics = [...new Set([...(Array.isArray(summary.countedMetrics) ? summary.countedMetrics : []), ...paths])].sort();
  }
  return out;
}

/**
 * "Tính là không đạt": the inspector counts one unverified item of an audit against the unit.
 * Refused when the user is not an active inspector, the audit is not the unit's, the item does
 * not exist or is already decided. Open periods holding the audit are rescored.
 */
export async function countUnverifiedAgainstUnit(
  knex: Knex,
  input: { unitId: number; siteAuditId: number; itemKey: string; userId: number; reason?: string | null },
): Promise<CountAgainstResult> {
  const codes = await knex.transaction(async (trx) => {
    const user = await trx("users").where({ id: input.userId, active: true }).first("id", "role");
    if (!user || user.role !== "inspector") throw new ScoringError("forbidden", "Chỉ cán bộ kiểm tra mới được quyết định mục chưa xác minh được.");
    const audit = await trx("site_audits").where({ id: input.siteAuditId }).forUpdate().first("id", "unit_id", "summary", "reference_time");
    if (!audit || audit.unit_id !== input.unitId) throw new ScoringError("not_found", "Không tìm thấy lượt kiểm tra của đơn vị.");
    const done = await trx("unverified_decisions").where({ site_audit_id: audit.id, item_key: input.itemKey }).first("id");
    if (done) throw new ScoringError("conflict", "Mục này đã được quyết định.");
    const summary = countItemInSummary((audit.summary ?? {}) as Json, input.itemKey);
    await trx("site_audits").where({ id: audit.id }).update({ summary: JSON.stringify(summary) });
    const [decision] = await trx("unverified_decisions")
      .insert({ site_audit_id: audit.id, item_key: input.itemKey, decision: "count-missing", reason: input.reason ?? null, decided_by: user.id })
      .returning("id");
    await trx("audit_log").insert({
      user_id: user.id,
      action: "unverified.count-missing",
      entity: "site_audit",
      entity_id: String(audit.id),
      details: JSON.stringify({ unitId: input.unitId, itemKey: input.itemKey, decisionId: Number(decision.id ?? decision), reason: input.reason ?? null }),
    });
    const { rows } = await trx.raw(`select to_char((?::timestamptz at time zone ?)::date, 'YYYY-MM-DD') as day`, [audit.reference_time, SCORING_TIME_ZONE]);
    const periodCodes = periodsContaining(rows[0].day).map((p) => p.code);
    await requestRescore(trx, { unitIds: [input.unitId], periodCodes, reason: `unverified:${audit.id}` });
    return periodCodes;
  });
  await drainRescoreRequests(knex);
  const frozen: string[] = await knex("periods").whereIn("code", codes).whereNotNull("frozen_at").pluck("code");
  return { recomputed: codes.filter((c) => !frozen.includes(c)) };
}
