// Scoring for the dashboard and the reports: recompute, freeze, explain, and the read API.
import type { Knex } from "knex";
import { ScoringError } from "../scoring/errors.ts";
import type { FindingEvidence } from "../scoring/evidence.ts";
import type { FrozenSettings } from "../scoring/freeze.ts";
import { formatPeriodLabel, parsePeriodCode, type PeriodKind } from "../scoring/period-codes.ts";
import { compareFindings } from "../scoring/finding-order.ts";

export { recomputeAll, recomputePeriod, recomputePeriods, type RecomputeResult } from "../scoring/compute.ts";
export { freezePeriod, type FrozenSettings } from "../scoring/freeze.ts";
export { explainScore, type LostPoints, type ScoreExplanation } from "../scoring/explain.ts";
export type { FindingEvidence } from "../scoring/evidence.ts";
export { ScoringError } from "../scoring/errors.ts";
export { getTierThresholds, setTierThresholds, DEFAULT_TIER_THRESHOLDS, type TierThreshold } from "../scoring/tiers.ts";
export { GROUP_LABELS, CRITERION_GROUPS } from "../scoring/measure.ts";

export interface GroupPoints {
  points: number;
  max: number;
}

export interface RankingRow {
  rank: number | null;
  unitId: number;
  unitCode: string;
  unitName: string;
  groupCode: string;
  groupName: string;
  website: string | null;
  status: "scored" | "not_audited";
  auditsCount: number;
  /** Per criterion group: points and the applicable maximum ('{}' when not audited). */
  groupPoints: Record<string, GroupPoints>;
  total: number | null;
  maxTotal: number | null;
  tier: string | null;
  previousTotal: number | null;
  previousRank: number | null;
  /** total − previousTotal (null when either is missing). */
  change: number | null;
  /** previousRank − rank: positive = moved up. */
  rankChange: number | null;
  frozen: boolean;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function toRankingRow(r: Record<string, any>): RankingRow {
  const total = r.total === null ? null : Number(r.total);
  const prev = r.previous_total === null ? null : Number(r.previous_total);
  return {
    rank: r.rank,
    unitId: r.unit_id,
    unitCode: r.unit_code,
    unitName: r.unit_name,
    groupCode: r.group_code,
    groupName: r.group_name,
    website: r.website ?? null,
    status: r.status,
    auditsCount: r.audits_count,
    groupPoints: r.group_points ?? {},
    total,
    maxTotal: r.max_total === null ? null : Number(r.max_total),
    tier: r.tier,
    previousTotal: prev,
    previousRank: r.previous_rank,
    change: total !== null && prev !== null ? round2(total - prev) : null,
    rankChange: r.rank !== null && r.previous_rank !== null ? r.previous_rank - r.rank : null,
    frozen: r.frozen,
  };
}

function rankingQuery(knex: Knex) {
  return knex("period_scores as ps")
    .join("units as u", "u.id", "ps.unit_id")
    .leftJoin("unit_groups as g", "g.code", "ps.group_code")
    .select(
      "ps.*",
      knex.raw("coalesce(ps.unit_snapshot->>'code', u.code) as unit_code"),
      knex.raw("coalesce(ps.unit_snapshot->>'name', u.name) as unit_name"),
      knex.raw("coalesce(ps.unit_snapshot->>'groupName', g.name, ps.group_code) as group_name"),
      knex.raw(`coalesce(ps.unit_snapshot->'websites'->>0,
                 (select s.base_url from sites s where s.unit_id = u.id and s.active order by s.is_primary desc, s.id limit 1)) as website`),
    );
}

/** The ranking of a period: by group (group order), rank (not audited last), name. */
export async function getRanking(knex: Knex, periodCode: string, opts: { group?: string; search?: string } = {}): Promise<RankingRow[]> {
  const spec = parsePeriodCode(periodCode);
  const q = rankingQuery(knex)
    .join("periods as p", "p.id", "ps.period_id")
    .where("p.code", spec.code)
    .orderByRaw("coalesce(g.sort, 0), ps.group_code, ps.rank nulls last, unit_name, ps.unit_id");
  if (opts.group) q.where("ps.group_code", opts.group);
  const search = opts.search?.trim();
  if (search) {
    const pattern = likePattern(search);
    q.where((w) =>
      w
        .whereRaw("coalesce(ps.unit_snapshot->>'name', u.name) ilike ?", [pattern])
        .orWhereRaw("u.code ilike ?", [pattern])
        .orWhereRaw("coalesce(u.short_name, '') ilike ?", [pattern])
        .orWhereExists(knex("sites as s").whereRaw("s.unit_id = u.id and s.base_url ilike ?", [pattern]).select(knex.raw("1"))),
    );
  }
  return (await q).map(toRankingRow);
}

export interface UnitCriterionScore {
  code: string;
  name: string;
  groupCode: string;
  points: number | null;
  maxPoints: number;
  share: number | null;
  detail: Record<string, unknown>;
  findingIds: number[];
}

export interface UnitScore {
  period: { code: string; label: string; kind: PeriodKind; startsOn: string; endsOn: string; frozen: boolean };
  score: RankingRow;
  /** Units ranked in the same group (for "x/N"). */
  groupSize: number;
  criteria: UnitCriterionScore[];
}

export async function getUnitScore(knex: Knex, unitId: number, periodCode: string): Promise<UnitScore | null> {
  const spec = parsePeriodCode(periodCode);
  const period = await knex("periods").where({ code: spec.code }).first();
  if (!period) return null;
  const row = await rankingQuery(knex).where({ "ps.period_id": period.id, "ps.unit_id": unitId }).first();
  if (!row) return null;
  const [{ n }] = await knex("period_scores").where({ period_id: period.id, group_code: row.group_code, status: "scored" }).count({ n: "*" });
  const criteria = await knex("criterion_scores as cs")
    .leftJoin("rubric_criteria as rc", function () {
      this.on("rc.code", "cs.criterion_code").andOn("rc.rubric_version_id", knex.raw("?", [row.rubric_version_id]));
    })
    .where({ "cs.period_id": period.id, "cs.unit_id": unitId })
    .orderByRaw("rc.sort nulls last, cs.criterion_code")
    .select("cs.*", "rc.name as rc_name");
  return {
    period: { code: spec.code, label: formatPeriodLabel(spec), kind: spec.kind, startsOn: period.starts_on, endsOn: period.ends_on, frozen: Boolean(period.frozen_at) },
    score: toRankingRow(row),
    groupSize: Number(n),
    criteria: criteria.map((c: Record<string, any>) => {
      const { findings: _snapshot, ...detail } = c.detail ?? {};
      return {
        code: c.criterion_code,
        name: c.detail?.name ?? c.rc_name ?? c.criterion_code,
        groupCode: c.group_code,
        points: c.points === null ? null : Number(c.points),
        maxPoints: Number(c.max_points),
        share: c.detail?.share ?? null,
        detail,
        findingIds: (c.finding_ids ?? []).map(Number),
      };
    }),
  };
}

export interface UnitHistoryRow {
  periodCode: string;
  kind: PeriodKind;
  label: string;
  startsOn: string;
  endsOn: string;
  status: "scored" | "not_audited";
  auditsCount: number;
  total: number | null;
  tier: string | null;
  rank: number | null;
  groupSize: number;
  previousTotal: number | null;
  frozen: boolean;
}

export async function getUnitHistory(knex: Knex, unitId: number): Promise<UnitHistoryRow[]> {
  const { rows } = await knex.raw(
    `select p.code, p.kind, p.starts_on, p.ends_on, ps.status, ps.audits_count, ps.total, ps.tier, ps.rank, ps.previous_total, ps.frozen,
            (select count(*)::int from period_scores o where o.period_id = ps.period_id and o.group_code = ps.group_code and o.status = 'scored') as group_size
       from period_scores ps join periods p on p.id = ps.period_id
      where ps.unit_id = ?
      order by p.starts_on, array_position(array['month','quarter','half','year'], p.kind)`,
    [unitId],
  );
  return rows.map((r: Record<string, any>) => ({
    periodCode: r.code,
    kind: r.kind,
    label: formatPeriodLabel(r.code),
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    status: r.status,
    auditsCount: r.audits_count,
    total: r.total === null ? null : Number(r.total),
    tier: r.tier,
    rank: r.rank,
    groupSize: r.group_size,
    previousTotal: r.previous_total === null ? null : Number(r.previous_total),
    frozen: r.frozen,
  }));
}

export interface ProvinceTrendRow {
  periodCode: string;
  label: string;
  startsOn: string;
  average: number | null;
  scored: number;
  notAudited: number;
  tiers: Record<string, number>;
  groups: { groupCode: string; average: number | null; scored: number; notAudited: number }[];
}

/** Province-wide averages per period of one kind, oldest first. */
export async function getProvinceTrend(knex: Knex, kind: PeriodKind): Promise<ProvinceTrendRow[]> {
  const { rows } = await knex.raw(
    `with g as (
       select ps.period_id, ps.group_code,
              round(avg(ps.total) filter (where ps.status = 'scored'), 2)::float8 as average,
              count(*) filter (where ps.status = 'scored')::int as scored,
              count(*) filter (where ps.status = 'not_audited')::int as not_audited
         from period_scores ps join periods p on p.id = ps.period_id
        where p.kind = ? group by 1, 2),
     t as (
       select ps.period_id, jsonb_object_agg(ps.tier, ps.n) as tiers
         from (select period_id, tier, count(*)::int as n from period_scores where tier is not null group by 1, 2) ps
        group by 1)
     select p.code, p.starts_on,
            (select round(avg(total), 2)::float8 from period_scores x where x.period_id = p.id and x.status = 'scored') as average,
            coalesce(sum(g.scored), 0)::int as scored, coalesce(sum(g.not_audited), 0)::int as not_audited,
            coalesce(t.tiers, '{}'::jsonb) as tiers,
            coalesce(jsonb_agg(jsonb_build_object('groupCode', g.group_code, 'average', g.average, 'scored', g.scored, 'notAudited', g.not_audited)
                               order by gr.sort, g.group_code) filter (where g.group_code is not null), '[]'::jsonb) as groups
       from periods p
       join g on g.period_id = p.id
       left join unit_groups gr on gr.code = g.group_code
       left join t on t.period_id = p.id
      where p.kind = ?
      group by p.id, p.code, p.starts_on, t.tiers
      order by p.starts_on`,
    [kind, kind],
  );
  return rows.map((r: Record<string, any>) => ({
    periodCode: r.code,
    label: formatPeriodLabel(r.code),
    startsOn: r.starts_on,
    average: r.average,
    scored: r.scored,
    notAudited: r.not_audited,
    tiers: r.tiers,
    groups: r.groups,
  }));
}

export interface PeriodListItem {
  id: number;
  code: string;
  kind: PeriodKind;
  label: string;
  startsOn: string;
  endsOn: string;
  frozenAt: Date | null;
  frozenBy: number | null;
  rubricVersionId: number | null;
  scored: number;
  notAudited: number;
  computedAt: Date | null;
}

/** Periods that exist, newest first (within a start date: year, half, quarter, month). */
export async function listPeriods(knex: Knex): Promise<PeriodListItem[]> {
  const { rows } = await knex.raw(
    `select p.*, coalesce(s.scored, 0)::int as scored, coalesce(s.not_audited, 0)::int as not_audited, s.computed_at
       from periods p
       left join (select period_id, count(*) filter (where status = 'scored') as scored,
                         count(*) filter (where status = 'not_audited') as not_audited, max(computed_at) as computed_at
                    from period_scores group by 1) s on s.period_id = p.id
      order by p.ends_on desc, array_position(array['year','half','quarter','month'], p.kind)`,
  );
  return rows.map((r: Record<string, any>) => ({
    id: r.id,
    code: r.code,
    kind: r.kind,
    label: formatPeriodLabel(r.code),
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    frozenAt: r.frozen_at,
    frozenBy: r.frozen_by,
    rubricVersionId: r.rubric_version_id,
    scored: r.scored,
    notAudited: r.not_audited,
    computedAt: r.computed_at,
  }));
}

// ---------------------------------------------------------------------------------------
// The frozen report model: read only from frozen rows and snapshots, never from mutable data.

export interface FrozenUnitRow {
  unitId: number;
  code: string;
  name: string;
  groupCode: string;
  groupName: string;
  websites: string[];
  status: "scored" | "not_audited";
  auditsCount: number;
  /** Points per criterion group (null when not audited). */
  groupPoints: Record<string, number | null>;
  /** Applicable maximum per criterion group for this unit. */
  groupMax: Record<string, number | null>;
  total: number | null;
  maxTotal: number | null;
  tier: string | null;
  rank: number | null;
  previousTotal: number | null;
  previousRank: number | null;
  change: number | null;
}

export interface FrozenFinding {
  /** Id of the latest occurrence in the period. */
  id: number;
  criterionCodes: string[];
  checkId: string;
  code: string;
  categoryId: string | null;
  severity: "error" | "warning" | "info";
  message: string;
  url: string | null;
  snippet: string | null;
  pageTitle: string | null;
  /** ISO times (UTC) of the first and last audits that recorded it. */
  firstSeen: string;
  lastSeen: string;
  occurrences: number;
  /** False when an accepted appeal took it out of the count. */
  counted: boolean;
  evidence: { auditId: number; pageId: number | null; pageUrl: string | null; httpStatus: number | null; fetchedAt: string | null; contentHash: string | null; snapshotStored: boolean };
  appeal: FindingEvidence["appeal"];
}

export interface FrozenUnitDetail {
  unitId: number;
  criteria: { code: string; groupCode: string; name: string; points: number | null; maxPoints: number; share: number | null }[];
  findings: FrozenFinding[];
}

export interface FrozenReportModel {
  period: { code: string; kind: PeriodKind; label: string; startsOn: string; endsOn: string; frozenAt: string };
  rubric: FrozenSettings["rubric"];
  tierThresholds: FrozenSettings["tierThresholds"];
  criterionGroups: FrozenSettings["criterionGroups"];
  unitGroups: FrozenSettings["unitGroups"];
  units: FrozenUnitRow[];
  details: FrozenUnitDetail[];
  statistics: {
    byTier: { tier: string; count: number }[];
    notAudited: number;
    byGroup: { groupCode: string; groupName: string; scored: number; notAudited: number; average: number | null; byTier: Record<string, number> }[];
    /** Most common counted findings: by number of units affected. */
    commonFailures: { code: string; units: number; occurrences: number; example: string }[];
  };
  unitId: number | null;
}

/** Everything a report needs, from frozen data only; throws when the period is not frozen. */
export async function getFrozenReportModel(knex: Knex, periodCode: string, unitId?: number): Promise<FrozenReportModel> {
  const spec = parsePeriodCode(periodCode);
  const period = await knex("periods").where({ code: spec.code }).first();
  if (!period) throw new ScoringError("not_found", `Kỳ ${spec.code} chưa được tính điểm.`);
  if (!period.frozen_at || !period.frozen_settings) throw new ScoringError("invalid", `Kỳ ${spec.code} chưa được chốt điểm.`);
  const settings = period.frozen_settings as FrozenSettings;
  const groupSort = new Map(settings.unitGroups.map((g) => [g.code, g.sort]));

  const scoreRows: Record<string, any>[] = await knex("period_scores")
    .where({ period_id: period.id, frozen: true })
    .select("unit_id", "group_code", "status", "audits_count", "total", "max_total", "group_points", "tier", "rank", "previous_total", "previous_rank", "unit_snapshot");
  const units: FrozenUnitRow[] = scoreRows.map((r) => {
    const snap = r.unit_snapshot ?? {};
    const gp = (r.group_points ?? {}) as Record<string, GroupPoints>;
    const scored = r.status === "scored";
    const total = r.total === null ? null : Number(r.total);
    const prev = r.previous_total === null ? null : Number(r.previous_total);
    return {
      unitId: r.unit_id,
      code: snap.code ?? "",
      name: snap.name ?? "",
      groupCode: r.group_code,
      groupName: snap.groupName ?? r.group_code,
      websites: snap.websites ?? [],
      status: r.status,
      auditsCount: r.audits_count,
      groupPoints: Object.fromEntries(settings.criterionGroups.map((g) => [g.code, scored ? (gp[g.code]?.points ?? null) : null])),
      groupMax: Object.fromEntries(settings.criterionGroups.map((g) => [g.code, gp[g.code]?.max ?? null])),
      total,
      maxTotal: r.max_total === null ? null : Number(r.max_total),
      tier: r.tier,
      rank: r.rank,
      previousTotal: prev,
      previousRank: r.previous_rank,
      change: total !== null && prev !== null ? round2(total - prev) : null,
    };
  });
  units.sort(
    (a, b) =>
      (groupSort.get(a.groupCode) ?? 0) - (groupSort.get(b.groupCode) ?? 0) ||
      a.groupCode.localeCompare(b.groupCode) ||
      (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
      a.name.localeCompare(b.name, "vi") ||
      a.unitId - b.unitId,
  );

  const criterionOrder = new Map(settings.criteria.map((c, i) => [c.code, i]));
  const critRows: Record<string, any>[] = await knex("criterion_scores")
    .where({ period_id: period.id })
    .modify((q) => {
      if (unitId !== undefined) q.where({ unit_id: unitId });
    })
    .select("unit_id", "criterion_code", "group_code", "points", "max_points", "detail");
  const byUnit = new Map<number, Record<string, any>[]>();
  for (const r of critRows) {
    const list = byUnit.get(r.unit_id) ?? [];
    list.push(r);
    byUnit.set(r.unit_id, list);
  }
  const detailUnits = unitId !== undefined ? units.filter((u) => u.unitId === unitId) : units;
  const details: FrozenUnitDetail[] = detailUnits.map((u) => {
    const rows = (byUnit.get(u.unitId) ?? []).sort(
      (a, b) => (criterionOrder.get(a.criterion_code) ?? 1e9) - (criterionOrder.get(b.criterion_code) ?? 1e9) || a.criterion_code.localeCompare(b.criterion_code),
    );
    return {
      unitId: u.unitId,
      criteria: rows.map((r) => ({
        code: r.criterion_code,
        groupCode: r.group_code,
        name: r.detail?.name ?? r.criterion_code,
        points: r.points === null ? null : Number(r.points),
        maxPoints: Number(r.max_points),
        share: r.detail?.share ?? null,
      })),
      findings: dedupeFindings(rows),
    };
  });

  return {
    period: { code: spec.code, kind: spec.kind, label: formatPeriodLabel(spec), startsOn: period.starts_on, endsOn: period.ends_on, frozenAt: settings.frozenAt },
    rubric: settings.rubric,
    tierThresholds: settings.tierThresholds,
    criterionGroups: settings.criterionGroups,
    unitGroups: settings.unitGroups,
    units,
    details,
    statistics: await frozenStatistics(knex, period.id, settings, units),
    unitId: unitId ?? null,
  };
}

/** One row per (code, category, url): occurrences over the period's audits. */
function dedupeFindings(criterionRows: Record<string, any>[]): FrozenFinding[] {
  const byId = new Map<number, { e: FindingEvidence; criteria: string[] }>();
  for (const r of criterionRows) {
    for (const e of (r.detail?.findings ?? []) as FindingEvidence[]) {
      const seen = byId.get(e.id);
      if (seen) {
        if (!seen.criteria.includes(r.criterion_code)) seen.criteria.push(r.criterion_code);
      } else byId.set(e.id, { e, criteria: [r.criterion_code] });
    }
  }
  const groups = new Map<string, { e: FindingEvidence; criteria: string[] }[]>();
  for (const item of byId.values()) {
    const key = JSON.stringify([item.e.code, item.e.categoryId, item.e.url]);
    const list = groups.get(key) ?? [];
    list.push(item);
    groups.set(key, list);
  }
  const out: FrozenFinding[] = [];
  for (const list of groups.values()) {
    list.sort((a, b) => a.e.auditTime.localeCompare(b.e.auditTime) || a.e.id - b.e.id);
    const latest = list[list.length - 1].e;
    const withAppeal = [...list].reverse().find((x) => x.e.appeal)?.e.appeal ?? null;
    out.push({
      id: latest.id,
      criterionCodes: [...new Set(list.flatMap((x) => x.criteria))].sort(),
      checkId: latest.checkId,
      code: latest.code,
      categoryId: latest.categoryId,
      severity: latest.severity,
      message: latest.message,
      url: latest.url,
      snippet: latest.snippet,
      pageTitle: latest.page?.title ?? null,
      firstSeen: list[0].e.auditTime,
      lastSeen: latest.auditTime,
      occurrences: list.length,
      counted: list.some((x) => x.e.counted),
      evidence: {
        auditId: latest.auditId,
        pageId: latest.page?.id ?? null,
        pageUrl: latest.page?.finalUrl ?? latest.page?.url ?? latest.url,
        httpStatus: latest.page?.status ?? null,
        fetchedAt: latest.page?.fetchedAt ?? null,
        contentHash: latest.page?.contentHash ?? null,
        snapshotStored: latest.page?.snapshotStored ?? false,
      },
      appeal: withAppeal,
    });
  }
  return out.sort(compareFindings);
}

async function frozenStatistics(
  knex: Knex,
  periodId: number,
  settings: FrozenSettings,
  units: FrozenUnitRow[],
): Promise<FrozenReportModel["statistics"]> {
  const tierOrder = settings.tierThresholds.map((t) => t.tier);
  const count = (list: FrozenUnitRow[]) => {
    const c: Record<string, number> = Object.fromEntries(tierOrder.map((t) => [t, 0]));
    for (const u of list) if (u.tier) c[u.tier] = (c[u.tier] ?? 0) + 1;
    return c;
  };
  const all = count(units);
  const groupCodes = [...new Set([...settings.unitGroups.map((g) => g.code), ...units.map((u) => u.groupCode)])].filter((g) =>
    units.some((u) => u.groupCode === g),
  );
  const byGroup = groupCodes.map((code) => {
    const list = units.filter((u) => u.groupCode === code);
    const scored = list.filter((u) => u.status === "scored");
    return {
      groupCode: code,
      groupName: settings.unitGroups.find((g) => g.code === code)?.name ?? list[0]?.groupName ?? code,
      scored: scored.length,
      notAudited: list.length - scored.length,
      average: scored.length ? round2(scored.reduce((s, u) => s + (u.total ?? 0), 0) / scored.length) : null,
      byTier: count(list),
    };
  });
  const { rows } = await knex.raw(
    `select e->>'code' as code, count(distinct cs.unit_id)::int as units, count(distinct (e->>'id'))::int as occurrences,
            min(e->>'message') as example
       from criterion_scores cs cross join lateral jsonb_array_elements(coalesce(cs.detail->'findings', '[]'::jsonb)) e
      where cs.period_id = ? and (e->>'counted')::boolean
      group by 1 order by 2 desc, 3 desc, 1 limit 10`,
    [periodId],
  );
  return {
    byTier: tierOrder.map((tier) => ({ tier, count: all[tier] ?? 0 })),
    notAudited: units.filter((u) => u.status === "not_audited").length,
    byGroup,
    commonFailures: rows,
  };
}
