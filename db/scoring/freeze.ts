// Freezing a period: its scores are recomputed one last time, then everything a report
// needs is copied into the score rows (unit names and websites, finding evidence and appeal
// outcomes, tier thresholds, the rubric) and the rows are marked frozen. Recompute never
// touches a frozen period again.
import type { Knex } from "knex";
import { getRubric } from "../queries/rubric.ts";
import { rankedScoresSql } from "../queries/scores.ts";
import { ensurePeriod } from "../queries/periods.ts";
import { recomputePeriods } from "./compute.ts";
import { ScoringError } from "./errors.ts";
import { findingEvidenceSql } from "./evidence.ts";
import { GROUP_LABELS, CRITERION_GROUPS } from "./measure.ts";
import { getTierThresholds } from "./tiers.ts";
import { parsePeriodCode } from "./period-codes.ts";

export interface FrozenSettings {
  frozenAt: string;
  tierThresholds: { tier: string; min: number }[];
  rubric: { id: number; name: string; version: number; effectiveFrom: string | null; legalBasis: string | null; totalPoints: number };
  criteria: { code: string; group: string; name: string; maxPoints: number; appliesTo: string[]; legalBasis: string | null; sort: number }[];
  criterionGroups: { code: string; name: string; maxPoints: number }[];
  unitGroups: { code: string; name: string; sort: number }[];
}

/**
 * `at`: the freeze time recorded (periods.frozen_at, the report's issue date); default the
 * database's clock. Tests and the season test inject it.
 */
export async function freezePeriod(knex: Knex, periodCode: string, userId: number | null, at?: Date): Promise<FrozenSettings> {
  const spec = parsePeriodCode(periodCode);
  await ensurePeriod(knex, spec.code);
  return knex.transaction(async (trx) => {
    const period = await trx("periods").where({ code: spec.code }).forUpdate().first();
    if (period.frozen_at) throw new ScoringError("frozen", `Kỳ ${spec.code} đã được chốt điểm.`);
    const res = await recomputePeriods(trx, [spec.code]);
    if (res.skippedNoRubric.length) throw new ScoringError("no_rubric", `Chưa có bộ tiêu chí ban hành áp dụng cho kỳ ${spec.code}.`);
    const { rubric_version_id: rubricVersionId } = await trx("periods").where({ id: period.id }).first("rubric_version_id");
    const rubric = await getRubric(trx, rubricVersionId);
    const thresholds = await getTierThresholds(trx);
    const frozenAt: string = (
      await trx.raw(`select to_char(coalesce(?::timestamptz, now()) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as t`, [at ? at.toISOString() : null])
    ).rows[0].t;

    // The criterion names and the evidence of every linked finding are copied into the score
    // rows (criterion_score_sets.details, merged into criterion_scores.detail by the view).
    await trx.raw(
      `
      update criterion_score_sets s
         set details = x.details
        from (select cs.unit_id,
                     jsonb_object_agg(cs.criterion_code, jsonb_build_object(
                       'name', rc.name,
                       'findings', coalesce((
                         select jsonb_agg(${findingEvidenceSql("f.id = any(cs.finding_ids)")} order by f.id)
                           from findings f join site_audits sa on sa.id = f.site_audit_id
                          where f.id = any(cs.finding_ids || coalesce(array(select jsonb_array_elements_text(cs.detail->'acceptedFindingIds')::bigint), '{}'))
                       ), '[]'::jsonb))) as details
                from criterion_scores cs
                join rubric_criteria rc on rc.rubric_version_id = ? and rc.code = cs.criterion_code
               where cs.period_id = ?
               group by cs.unit_id) x
       where s.period_id = ? and s.unit_id = x.unit_id`,
      [rubricVersionId, period.id, period.id],
    );
    // The ranks, computed at read time while the period was open, are stored with it.
    await trx.raw(
      `
      update period_scores ps
         set rank = r.rank, previous_rank = r.previous_rank
        from ${rankedScoresSql()} r
       where ps.period_id = ? and ps.unit_id = r.unit_id
         and (ps.rank, ps.previous_rank) is distinct from (r.rank, r.previous_rank)`,
      [period.id, period.id, period.id],
    );
    await trx.raw(
      `
      update period_scores ps
         set frozen = true,
             unit_snapshot = jsonb_build_object(
               'code', u.code, 'name', u.name, 'shortName', u.short_name, 'unitType', u.unit_type,
               'groupName', g.name, 'groupSort', g.sort,
               'websites', (select coalesce(jsonb_agg(s.base_url order by s.is_primary desc, s.id), '[]'::jsonb)
                              from sites s where s.unit_id = u.id and s.active))
        from units u, unit_groups g
       where ps.period_id = ? and u.id = ps.unit_id and g.code = ps.group_code`,
      [period.id],
    );
    const unitGroups = await trx("unit_groups").orderBy([{ column: "sort" }, { column: "code" }]).select("code", "name", "sort");
    const criteria = rubric.criteria.map((c) => ({
      code: c.code,
      group: c.group_code,
      name: c.name,
      maxPoints: Number(c.max_points),
      appliesTo: c.applies_to,
      legalBasis: c.legal_basis,
      sort: c.sort,
    }));
    const settings: FrozenSettings = {
      frozenAt,
      tierThresholds: thresholds,
      rubric: {
        id: rubric.version.id,
        name: rubric.version.name,
        version: rubric.version.version,
        effectiveFrom: rubric.version.effective_from,
        legalBasis: rubric.version.legal_basis,
        totalPoints: rubric.totalPoints,
      },
      criteria,
      criterionGroups: CRITERION_GROUPS.map((code) => ({
        code,
        name: GROUP_LABELS[code],
        maxPoints: Math.round(criteria.filter((c) => c.group === code).reduce((s, c) => s + c.maxPoints, 0) * 100) / 100,
      })),
      unitGroups,
    };
    await trx("periods")
      .where({ id: period.id })
      .update({ frozen_at: trx.raw("?::timestamptz", [frozenAt]), frozen_by: userId, rubric_version_id: rubricVersionId, frozen_settings: JSON.stringify(settings) });
    await trx("audit_log").insert({
      ...(at ? { at } : {}),
      user_id: userId,
      action: "period.freeze",
      entity: "period",
      entity_id: spec.code,
      details: JSON.stringify({ rubricVersionId, unitsScored: res.unitsScored, unitsNotAudited: res.unitsNotAudited }),
    });
    return settings;
  });
}
