// The one read side of scores: every screen and file that shows a score reads it here — the
// ranking page, a unit's page, the JSON API and the report model (live draft and frozen). One
// base query and one order: criterion group of units (unit_groups.sort), rank (not audited last),
// unit name in Vietnamese collation, unit id. A frozen period shows the names, groups and
// websites captured when it was closed (period_scores.unit_snapshot).
import type { Knex } from "knex";
import { ScoringError } from "../scoring/errors.ts";
import type { FindingEvidence } from "../scoring/evidence.ts";
import type { FrozenSettings } from "../scoring/freeze.ts";
import { compareFindings } from "../scoring/finding-order.ts";
import { foldedLikePattern } from "../search.ts";
import { formatPeriodLabel, parsePeriodCode, type PeriodKind } from "../time.ts";

/** Points of one criterion group and the maximum that applies to the unit. */
export interface GroupPoints {
  points: number;
  max: number | null;
}

export type ScoreStatus = "scored" | "not_audited";

/** One unit's score in one period, as every reader gets it. */
export interface ScoreRow {
  periodId: number;
  unitId: number;
  unitCode: string;
  unitName: string;
  groupCode: string;
  groupName: string;
  /** Active websites, primary first (frozen: as at closing). */
  websites: string[];
  website: string | null;
  status: ScoreStatus;
  auditsCount: number;
  /** Per criterion group: points and the applicable maximum ({} when not audited). */
  groupPoints: Record<string, GroupPoints>;
  total: number | null;
  maxTotal: number | null;
  tier: string | null;
  rank: number | null;
  previousTotal: number | null;
  previousRank: number | null;
  /** total − previousTotal (null when either is missing). */
  change: number | null;
  /** previousRank − rank: positive = moved up. */
  rankChange: number | null;
  /** The row is frozen (its period was closed: "Đã chốt"). */
  frozen: boolean;
  rubricVersionId: number | null;
  computedAt: Date | null;
}

export interface ScoreFilter {
  group?: string | null;
  tier?: string | null;
  /** Name, code, short name or website contains (case-insensitive). */
  search?: string | null;
  unitId?: number;
  /** Only rows written by closing the period (the frozen report model). */
  frozenOnly?: boolean;
  /** A sorted view (within each group); default: rank. */
  sort?: RankingSort | null;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function num(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

/** group_points as stored ({points, max} per group); a bare number (older rows) has no maximum. */
export function toGroupPoints(raw: unknown): Record<string, GroupPoints> {
  const out: Record<string, GroupPoints> = {};
  if (!raw || typeof raw !== "object") return out;
  for (const [code, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v === "number") out[code] = { points: v, max: null };
    else if (v && typeof v === "object" && (v as { points?: unknown }).points != null) {
      const o = v as { points: unknown; max?: unknown };
      out[code] = { points: Number(o.points), max: o.max == null ? null : Number(o.max) };
    }
  }
  return out;
}

// Vietnamese collation when the server has ICU (the embedded server has); else the default.
const collations = new WeakMap<Knex, Promise<string>>();
function nameCollation(knex: Knex): Promise<string> {
  let c = collations.get(knex);
  if (!c) {
    c = knex
      .raw(`select collname from pg_collation where collname in ('vi-x-icu', 'vi-VN-x-icu') order by collname limit 1`)
      .then((r: { rows: { collname: string }[] }) => (r.rows[0] ? ` collate "${r.rows[0].collname}"` : ""))
      .catch(() => "");
    collations.set(knex, c);
  }
  return c;
}

const UNIT_NAME = "coalesce(ps.unit_snapshot->>'name', u.name)";
const GROUP_SORT = "coalesce((ps.unit_snapshot->>'groupSort')::int, g.sort)";

// Ranks: competition ranking (1, 1, 3) of the scored units within each unit group, by total.
// An open period's ranks are computed here, at read time, so that rescoring one unit writes
// that unit's rows only (decision 0009); a closed period reads the ranks stored when it was
// closed (freeze.ts stores them from this same expression).
// perPeriod: rows of several periods ranked at once (each period on its own).
const LIVE_RANK = (a: string, perPeriod = false) =>
  `case when ${a}.frozen then ${a}.rank when ${a}.total is not null
        then rank() over (partition by ${perPeriod ? `${a}.period_id, ` : ""}${a}.group_code, ${a}.total is null order by ${a}.total desc) end`;

/**
 * A period's score rows with their ranks (`rank`, and `previous_rank` from the previous period
 * of the same kind), usable as `from ${rankedScoresSql()} ps`. Bindings: [periodId, periodId].
 */
export function rankedScoresSql(): string {
  return `(select x.period_id, x.unit_id, x.unit_snapshot, x.group_code, x.status, x.audits_count, x.total, x.max_total,
                  x.group_points, x.tier, x.previous_total, x.frozen, x.rubric_version_id, x.computed_at,
                  ${LIVE_RANK("x")} as rank,
                  case when x.frozen then x.previous_rank else pr.rank end as previous_rank
             from period_scores x
             left join (select y.unit_id, ${LIVE_RANK("y")} as rank
                          from period_scores y
                         where y.period_id = (select p2.id from periods p join periods p2 on p2.kind = p.kind and p2.ends_on = p.starts_on - 1
                                               where p.id = ?)) pr on pr.unit_id = x.unit_id
            where x.period_id = ?)`;
}

/** The rank of one period_scores row `a` (any period; a row at a time, e.g. a unit's history). */
export function rowRankSql(a: string): string {
  return `case when ${a}.frozen then ${a}.rank when ${a}.total is not null
        then 1 + (select count(*)::int from period_scores o
                   where o.period_id = ${a}.period_id and o.group_code = ${a}.group_code and o.total > ${a}.total) end`;
}

/** Ranks of every row of the given periods: key `${periodId}|${unitId}`. */
export async function readRanks(knex: Knex | Knex.Transaction, periodIds: number[]): Promise<Map<string, number | null>> {
  const { rows } = await knex.raw(
    `select ps.period_id, ps.unit_id, ${LIVE_RANK("ps", true)} as rank
       from period_scores ps where ps.period_id = any(?::int[])`,
    [periodIds],
  );
  return new Map(rows.map((r: { period_id: number; unit_id: number; rank: string | null }) => [`${r.period_id}|${r.unit_id}`, num(r.rank)]));
}

/** The one order of score rows within a group (after the group order). */
function rankOrder(collation: string): string {
  return `ps.rank nulls last, ${UNIT_NAME}${collation}, ps.unit_id`;
}

/** Columns the ranking can be sorted by (the page's column headers); default: rank. */
export const RANKING_SORT_KEYS = ["hang", "ten", "tong", "thay-doi", "noi-dung", "cap-nhat", "unicode", "dinh-danh", "ky-thuat"] as const;
export type RankingSortKey = (typeof RANKING_SORT_KEYS)[number];
export interface RankingSort {
  key: RankingSortKey;
  desc: boolean;
}

export function parseRankingSort(key: string | null, dir: string | null): RankingSort | null {
  if (!key || !(RANKING_SORT_KEYS as readonly string[]).includes(key)) return null;
  return { key: key as RankingSortKey, desc: dir === "giam" };
}

/** The order of a sorted view: the chosen column (missing values last), then the one order. */
function sortOrder(collation: string, sort: RankingSort | null | undefined): string {
  if (!sort || (sort.key === "hang" && !sort.desc)) return rankOrder(collation);
  const dir = sort.desc ? "desc" : "asc";
  const expr =
    sort.key === "hang"
      ? "ps.rank"
      : sort.key === "ten"
        ? `${UNIT_NAME}${collation}`
        : sort.key === "tong"
          ? "ps.total"
          : sort.key === "thay-doi"
            ? "(ps.total - ps.previous_total)"
            : `(case when ps.status = 'scored' then (ps.group_points->'${sort.key}'->>'points')::numeric end)`;
  return `${expr} ${dir} nulls last, ${rankOrder(collation)}`;
}

function whereOf(f: ScoreFilter): { sql: string; params: (string | number)[] } {
  let sql = "";
  const params: (string | number)[] = [];
  if (f.group) {
    sql += " and ps.group_code = ?";
    params.push(f.group);
  }
  if (f.tier) {
    sql += " and ps.tier = ?";
    params.push(f.tier);
  }
  if (f.unitId !== undefined) {
    sql += " and ps.unit_id = ?";
    params.push(f.unitId);
  }
  if (f.frozenOnly) sql += " and ps.frozen";
  const search = f.search?.trim();
  if (search) {
    // Accent- and case-insensitive: "phuoc" finds "Phước" (db/search.ts).
    const p = foldedLikePattern(search);
    sql += ` and (tt_fold(${UNIT_NAME}) like ? or tt_fold(u.code) like ? or tt_fold(coalesce(u.short_name, '')) like ?
                  or exists (select 1 from sites si where si.unit_id = u.id and tt_fold(si.base_url) like ?))`;
    params.push(p, p, p, p);
  }
  return { sql, params };
}

const COLUMNS = `ps.period_id, ps.unit_id, coalesce(ps.unit_snapshot->>'code', u.code) as unit_code, ${UNIT_NAME} as unit_name,
       ps.group_code, coalesce(ps.unit_snapshot->>'groupName', g.name, ps.group_code) as group_name,
       ps.status, ps.audits_count, ps.total, ps.max_total, ps.group_points, ps.tier, ps.rank,
       ps.previous_total, ps.previous_rank, ps.frozen, ps.rubric_version_id, ps.computed_at,
       case when ps.unit_snapshot->'websites' is not null
            then array(select jsonb_array_elements_text(ps.unit_snapshot->'websites'))
            else array(select s.base_url from sites s where s.unit_id = u.id and s.active order by s.is_primary desc, s.id) end as websites`;

function toScoreRow(r: Record<string, any>): ScoreRow {
  const total = num(r.total);
  const prev = num(r.previous_total);
  const rank = num(r.rank);
  const previousRank = num(r.previous_rank);
  const websites: string[] = r.websites ?? [];
  return {
    periodId: r.period_id,
    unitId: r.unit_id,
    unitCode: r.unit_code,
    unitName: r.unit_name,
    groupCode: r.group_code,
    groupName: r.group_name,
    websites,
    website: websites[0] ?? null,
    status: r.status,
    auditsCount: r.audits_count,
    groupPoints: r.status === "scored" ? toGroupPoints(r.group_points) : {},
    total,
    maxTotal: num(r.max_total),
    tier: r.tier,
    rank,
    previousTotal: prev,
    previousRank,
    change: total !== null && prev !== null ? round2(total - prev) : null,
    rankChange: rank !== null && previousRank !== null ? previousRank - rank : null,
    frozen: Boolean(r.frozen),
    rubricVersionId: r.rubric_version_id ?? null,
    computedAt: r.computed_at ?? null,
  };
}

/** The score rows of a period, in the one order. */
export async function readScores(knex: Knex, periodId: number, f: ScoreFilter = {}): Promise<ScoreRow[]> {
  const collation = await nameCollation(knex);
  const w = whereOf(f);
  const { rows } = await knex.raw(
    `select ${COLUMNS}
       from ${rankedScoresSql()} ps join units u on u.id = ps.unit_id left join unit_groups g on g.code = ps.group_code
      where true${w.sql}
      order by ${GROUP_SORT} nulls last, ps.group_code, ${sortOrder(collation, f.sort)}`,
    [periodId, periodId, ...w.params],
  );
  return rows.map(toScoreRow);
}

export interface ScorePeriod {
  id: number;
  code: string;
  kind: PeriodKind;
  label: string;
  startsOn: string;
  endsOn: string;
  frozenAt: Date | null;
  /** Closed ("Đã chốt"): its scores no longer change. */
  frozen: boolean;
}

function toScorePeriod(p: Record<string, any>): ScorePeriod {
  const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));
  return {
    id: p.id,
    code: p.code,
    kind: p.kind,
    label: formatPeriodLabel(p.code),
    startsOn: day(p.starts_on),
    endsOn: day(p.ends_on),
    frozenAt: p.frozen_at ?? null,
    frozen: p.frozen_at != null,
  };
}

/** A period by code (null for a bad or unknown code). */
export async function getScorePeriod(knex: Knex, code: string): Promise<ScorePeriod | null> {
  let spec;
  try {
    spec = parsePeriodCode(code);
  } catch {
    return null;
  }
  const p = await knex("periods").where({ code: spec.code }).first("id", "code", "kind", "starts_on", "ends_on", "frozen_at");
  return p ? toScorePeriod(p) : null;
}

/** The ranking of a period by code: by group (group order), rank (not audited last), name. */
export async function getRanking(knex: Knex, periodCode: string, opts: { group?: string; tier?: string; search?: string } = {}): Promise<ScoreRow[]> {
  const period = await getScorePeriod(knex, periodCode);
  if (!period) return [];
  return readScores(knex, period.id, opts);
}

export interface RankingGroup {
  code: string;
  name: string;
  /** Rows of the group that match the filter (all pages). */
  total: number;
  rows: ScoreRow[];
}

/**
 * The ranking page: per group, rows `offset+1 … offset+limit` of the one order. The window runs
 * over narrow rows; the wide columns are read only for the rows shown.
 */
export async function getRankingPage(
  knex: Knex,
  periodId: number,
  f: ScoreFilter & { limit: number; offset?: number },
): Promise<RankingGroup[]> {
  const collation = await nameCollation(knex);
  const w = whereOf(f);
  const offset = f.offset ?? 0;
  const { rows } = await knex.raw(
    `with ranked as (
       select ps.unit_id, ps.group_code, ps.rank, ps.previous_rank,
              row_number() over (partition by ps.group_code order by ${sortOrder(collation, f.sort)}) as rn,
              count(*) over (partition by ps.group_code) as group_total
         from ${rankedScoresSql()} ps join units u on u.id = ps.unit_id
        where true${w.sql}
     )
     select ${COLUMNS.replace("ps.rank,", "r.rank,").replace("ps.previous_rank,", "r.previous_rank,")}, r.group_total
       from ranked r
       join period_scores ps on ps.period_id = ? and ps.unit_id = r.unit_id
       join units u on u.id = ps.unit_id
       left join unit_groups g on g.code = ps.group_code
      where r.rn > ? and r.rn <= ?
      order by ${GROUP_SORT} nulls last, ps.group_code, r.rn`,
    [periodId, periodId, ...w.params, periodId, offset, offset + f.limit],
  );
  const groups = new Map<string, RankingGroup>();
  for (const r of rows) {
    let g = groups.get(r.group_code);
    if (!g) groups.set(r.group_code, (g = { code: r.group_code, name: r.group_name, total: Number(r.group_total), rows: [] }));
    g.rows.push(toScoreRow(r));
  }
  return [...groups.values()];
}

/** The tiers given in a period, best first. */
export async function listScoreTiers(knex: Knex, periodId: number): Promise<string[]> {
  const rows = await knex("period_scores").where({ period_id: periodId }).whereNotNull("tier").distinct("tier");
  const order = ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"];
  const pos = (t: string) => (order.includes(t) ? order.indexOf(t) : 99);
  return rows.map((r) => r.tier as string).sort((a, b) => pos(a) - pos(b) || a.localeCompare(b, "vi"));
}

// ---------------------------------------------------------------------------------------
// One unit: its score row, the size of its group and its criteria.

export interface UnitCriterionScore {
  code: string;
  name: string;
  groupCode: string;
  points: number | null;
  maxPoints: number;
  share: number | null;
  detail: Record<string, unknown>;
  findingIds: number[];
  /** The rubric's measure of the criterion (null when the rubric no longer has it). */
  measure: Record<string, unknown> | null;
}

export interface UnitScore {
  period: ScorePeriod;
  score: ScoreRow;
  /** Units scored in the same group (for "x/N"). */
  groupSize: number;
  criteria: UnitCriterionScore[];
}

export async function getUnitScoreInPeriod(knex: Knex, period: ScorePeriod, unitId: number): Promise<UnitScore | null> {
  const [row] = await readScores(knex, period.id, { unitId });
  if (!row) return null;
  const [{ n }] = await knex("period_scores").where({ period_id: period.id, group_code: row.groupCode, status: "scored" }).count({ n: "*" });
  const criteria = await knex("criterion_scores as cs")
    .leftJoin("rubric_criteria as rc", function () {
      this.on("rc.code", "cs.criterion_code").andOn("rc.rubric_version_id", knex.raw("?", [row.rubricVersionId]));
    })
    .where({ "cs.period_id": period.id, "cs.unit_id": unitId })
    .orderByRaw("rc.sort nulls last, cs.criterion_code")
    .select("cs.*", "rc.name as rc_name", "rc.measure as rc_measure");
  return {
    period,
    score: row,
    groupSize: Number(n),
    criteria: criteria.map((c: Record<string, any>) => {
      const { findings: _snapshot, ...detail } = c.detail ?? {};
      return {
        code: c.criterion_code,
        name: c.detail?.name ?? c.rc_name ?? c.criterion_code,
        groupCode: c.group_code,
        points: num(c.points),
        maxPoints: Number(c.max_points),
        share: c.detail?.share ?? null,
        detail,
        findingIds: (c.finding_ids ?? []).map(Number),
        measure: c.rc_measure ?? null,
      };
    }),
  };
}

/** A unit's score in a period by code (null when the period or the unit's score is missing). */
export async function getUnitScore(knex: Knex, unitId: number, periodCode: string): Promise<UnitScore | null> {
  const period = await getScorePeriod(knex, periodCode);
  return period ? getUnitScoreInPeriod(knex, period, unitId) : null;
}

// ---------------------------------------------------------------------------------------
// The JSON API's view of the same rows (docs/api.md).

export interface ApiScore {
  unitId: number;
  unitCode: string;
  unitName: string;
  group: string;
  status: ScoreStatus;
  total: number | null;
  maxTotal: number | null;
  groupPoints: Record<string, GroupPoints>;
  tier: string | null;
  rank: number | null;
  previousTotal: number | null;
  previousRank: number | null;
  computedAt: Date | null;
}

function toApiScore(r: ScoreRow): ApiScore {
  return {
    unitId: r.unitId,
    unitCode: r.unitCode,
    unitName: r.unitName,
    group: r.groupCode,
    status: r.status,
    total: r.total,
    maxTotal: r.maxTotal,
    groupPoints: r.groupPoints,
    tier: r.tier,
    rank: r.rank,
    previousTotal: r.previousTotal,
    previousRank: r.previousRank,
    computedAt: r.computedAt,
  };
}

export async function apiScores(knex: Knex, periodId: number, group?: string | null): Promise<ApiScore[]> {
  return (await readScores(knex, periodId, { group })).map(toApiScore);
}

// ---------------------------------------------------------------------------------------
// History and trends.

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
    `select p.code, p.kind, p.starts_on, p.ends_on, ps.status, ps.audits_count, ps.total, ps.tier, ${rowRankSql("ps")} as rank, ps.previous_total, ps.frozen,
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

  const units: FrozenUnitRow[] = (await readScores(knex, period.id, { frozenOnly: true })).map((r) => {
    const scored = r.status === "scored";
    return {
      unitId: r.unitId,
      code: r.unitCode,
      name: r.unitName,
      groupCode: r.groupCode,
      groupName: r.groupName,
      websites: r.websites,
      status: r.status,
      auditsCount: r.auditsCount,
      groupPoints: Object.fromEntries(settings.criterionGroups.map((g) => [g.code, scored ? (r.groupPoints[g.code]?.points ?? null) : null])),
      groupMax: Object.fromEntries(settings.criterionGroups.map((g) => [g.code, r.groupPoints[g.code]?.max ?? null])),
      total: r.total,
      maxTotal: r.maxTotal,
      tier: r.tier,
      rank: r.rank,
      previousTotal: r.previousTotal,
      previousRank: r.previousRank,
      change: r.change,
    };
  });

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
