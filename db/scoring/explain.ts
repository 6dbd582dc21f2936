// Why a unit has the score it has: every criterion that lost points, with the findings
// behind it and their evidence. Frozen periods answer from the stored snapshot.
import type { Knex } from "knex";
import { rowRankSql } from "../queries/scores.ts";
import { ScoringError } from "./errors.ts";
import { findingEvidenceSql, type FindingEvidence } from "./evidence.ts";
import { formatPeriodLabel, parsePeriodCode } from "./period-codes.ts";

export interface LostPoints {
  criterionCode: string;
  name: string;
  groupCode: string;
  maxPoints: number;
  points: number;
  lostPoints: number;
  legalBasis: string | null;
  /** Measured values: share (0–1), audits, value (threshold mean), numerator/denominator (ratio). */
  measured: { share: number | null; audits: number; value: number | null; numerator: number | null; denominator: number | null };
  /** Findings that count against this criterion, then those taken out by an accepted appeal. */
  findings: FindingEvidence[];
}

export interface ScoreExplanation {
  period: { code: string; label: string; frozen: boolean };
  unit: { id: number; code: string; name: string; groupCode: string };
  status: "scored" | "not_audited";
  auditsCount: number;
  total: number | null;
  maxTotal: number | null;
  tier: string | null;
  rank: number | null;
  /** Sorted by points lost, largest first. */
  lost: LostPoints[];
  totalLost: number;
}

export async function explainScore(knex: Knex, unitId: number, periodCode: string): Promise<ScoreExplanation> {
  const spec = parsePeriodCode(periodCode);
  const period = await knex("periods").where({ code: spec.code }).first("id", "frozen_at");
  if (!period) throw new ScoringError("not_found", `Kỳ ${spec.code} chưa được tính điểm.`);
  const ps = await knex("period_scores as ps")
    .join("units as u", "u.id", "ps.unit_id")
    .where({ "ps.period_id": period.id, "ps.unit_id": unitId })
    .first("ps.*", knex.raw(`${rowRankSql("ps")} as rank`), "u.code as unit_code", "u.name as unit_name");
  if (!ps) throw new ScoringError("not_found", `Đơn vị #${unitId} chưa có điểm kỳ ${spec.code}.`);
  const frozen = Boolean(ps.frozen);

  const { rows } = await knex.raw(
    `
    select cs.criterion_code, cs.group_code, cs.points, cs.max_points, cs.detail, rc.name, rc.legal_basis, rc.sort,
           ${frozen ? `coalesce(cs.detail->'findings', '[]'::jsonb)` : `coalesce((
             select jsonb_agg(${findingEvidenceSql("f.id = any(cs.finding_ids)")} order by f.id)
               from findings f join site_audits sa on sa.id = f.site_audit_id
              where f.id = any(cs.finding_ids || coalesce(array(select jsonb_array_elements_text(cs.detail->'acceptedFindingIds')::bigint), '{}'))
           ), '[]'::jsonb)`} as findings
      from criterion_scores cs
      left join rubric_criteria rc on rc.rubric_version_id = ? and rc.code = cs.criterion_code
     where cs.period_id = ? and cs.unit_id = ? and cs.points < cs.max_points
     order by cs.max_points - cs.points desc, rc.sort, cs.criterion_code`,
    [ps.rubric_version_id, period.id, unitId],
  );
  const lost: LostPoints[] = rows.map((r: Record<string, any>) => {
    const findings = (r.findings as FindingEvidence[]).slice().sort((a, b) => Number(b.counted) - Number(a.counted) || a.id - b.id);
    return {
      criterionCode: r.criterion_code,
      name: r.detail?.name ?? r.name ?? r.criterion_code,
      groupCode: r.group_code,
      maxPoints: Number(r.max_points),
      points: Number(r.points),
      lostPoints: Math.round((Number(r.max_points) - Number(r.points)) * 100) / 100,
      legalBasis: r.legal_basis ?? null,
      measured: {
        share: r.detail?.share ?? null,
        audits: r.detail?.audits ?? 0,
        value: r.detail?.value ?? null,
        numerator: r.detail?.numerator ?? null,
        denominator: r.detail?.denominator ?? null,
      },
      findings,
    };
  });
  return {
    period: { code: spec.code, label: formatPeriodLabel(spec), frozen },
    unit: { id: unitId, code: ps.unit_snapshot?.code ?? ps.unit_code, name: ps.unit_snapshot?.name ?? ps.unit_name, groupCode: ps.group_code },
    status: ps.status,
    auditsCount: ps.audits_count,
    total: ps.total,
    maxTotal: ps.max_total,
    tier: ps.tier,
    rank: ps.rank,
    lost,
    totalLost: Math.round(lost.reduce((s, l) => s + l.lostPoints, 0) * 100) / 100,
  };
}
