// History and comparison (issue 15 §3): two periods side by side (the ranking, one unit's
// criteria), one criterion across units, and what changed between two audits of a site.
// Ranks come from rankedScoresSql (read time for open periods, stored for closed ones).
import type { Knex } from "knex";
import { foldedLikePattern } from "../search.ts";
import { rankedScoresSql } from "./scores.ts";

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export interface CompareRow {
  unitId: number;
  name: string;
  groupCode: string;
  groupName: string | null;
  totalA: number | null;
  totalB: number | null;
  rankA: number | null;
  rankB: number | null;
  tierA: string | null;
  tierB: string | null;
  /** totalB − totalA; null when either is missing. */
  delta: number | null;
}

export type CompareSort = "delta-asc" | "delta-desc" | "b-desc" | "name";
export const COMPARE_SORTS: CompareSort[] = ["delta-asc", "delta-desc", "b-desc", "name"];

export function parseCompareSort(v: string | null): CompareSort {
  return COMPARE_SORTS.includes(v as CompareSort) ? (v as CompareSort) : "b-desc";
}

const ORDER: Record<CompareSort, string> = {
  "delta-asc": "delta asc nulls last, name",
  "delta-desc": "delta desc nulls last, name",
  "b-desc": "total_b desc nulls last, total_a desc nulls last, name",
  name: "name",
};

/** Every unit scored in either period, with both totals, ranks and tiers; one page of them. */
export async function comparePeriods(
  knex: Knex,
  periodA: number,
  periodB: number,
  f: { group?: string | null; search?: string | null; sort: CompareSort; limit: number; offset: number },
): Promise<{ rows: CompareRow[]; total: number }> {
  const params: (string | number)[] = [periodA, periodA, periodB, periodB];
  let where = "";
  if (f.group) {
    where += " and coalesce(b.group_code, a.group_code) = ?";
    params.push(f.group);
  }
  if (f.search?.trim()) {
    const p = foldedLikePattern(f.search);
    where += " and (tt_fold(coalesce(b.unit_snapshot->>'name', a.unit_snapshot->>'name', u.name)) like ? or tt_fold(u.code) like ?)";
    params.push(p, p);
  }
  params.push(f.limit, f.offset);
  const { rows } = await knex.raw(
    `select u.id as unit_id, coalesce(b.unit_snapshot->>'name', a.unit_snapshot->>'name', u.name) as name,
            coalesce(b.group_code, a.group_code) as group_code, g.name as group_name,
            a.total as total_a, b.total as total_b, a.rank as rank_a, b.rank as rank_b, a.tier as tier_a, b.tier as tier_b,
            b.total - a.total as delta, count(*) over () as n
       from ${rankedScoresSql()} a
       full join ${rankedScoresSql()} b on b.unit_id = a.unit_id
       join units u on u.id = coalesce(b.unit_id, a.unit_id)
       left join unit_groups g on g.code = coalesce(b.group_code, a.group_code)
      where true${where}
      order by ${ORDER[f.sort]}, u.id
      limit ? offset ?`,
    params,
  );
  return {
    total: rows.length ? Number(rows[0].n) : 0,
    rows: rows.map((r: Record<string, unknown>) => ({
      unitId: Number(r.unit_id),
      name: String(r.name),
      groupCode: String(r.group_code),
      groupName: (r.group_name as string | null) ?? null,
      totalA: num(r.total_a),
      totalB: num(r.total_b),
      rankA: num(r.rank_a),
      rankB: num(r.rank_b),
      tierA: (r.tier_a as string | null) ?? null,
      tierB: (r.tier_b as string | null) ?? null,
      delta: num(r.delta),
    })),
  };
}

export interface CriterionCompareRow {
  code: string;
  name: string;
  groupCode: string;
  pointsA: number | null;
  maxA: number | null;
  pointsB: number | null;
  maxB: number | null;
}

/** One unit's criteria in two periods, side by side (criteria of either period's rubric). */
export async function compareUnitCriteria(knex: Knex, unitId: number, periodA: number, periodB: number): Promise<CriterionCompareRow[]> {
  const { rows } = await knex.raw(
    `with sets as (
       select s.period_id, x.code, x.group_code, x.points, x.max_points, x.ord, ps.rubric_version_id
         from criterion_score_sets s
         join period_scores ps on ps.period_id = s.period_id and ps.unit_id = s.unit_id
         cross join lateral unnest(s.codes, s.group_codes, s.points, s.max_points) with ordinality as x(code, group_code, points, max_points, ord)
        where s.unit_id = ? and s.period_id in (?, ?))
     select coalesce(b.code, a.code) as code, coalesce(b.group_code, a.group_code) as group_code,
            coalesce(cb.name, ca.name, coalesce(b.code, a.code)) as name,
            a.points as points_a, a.max_points as max_a, b.points as points_b, b.max_points as max_b
       from (select * from sets where period_id = ?) a
       full join (select * from sets where period_id = ?) b on b.code = a.code
       left join rubric_criteria ca on ca.rubric_version_id = a.rubric_version_id and ca.code = a.code
       left join rubric_criteria cb on cb.rubric_version_id = b.rubric_version_id and cb.code = b.code
      order by coalesce(b.ord, a.ord + 1000), coalesce(b.code, a.code)`,
    [unitId, periodA, periodB, periodA, periodB],
  );
  return rows.map((r: Record<string, unknown>) => ({
    code: String(r.code),
    name: String(r.name),
    groupCode: String(r.group_code),
    pointsA: num(r.points_a),
    maxA: num(r.max_a),
    pointsB: num(r.points_b),
    maxB: num(r.max_b),
  }));
}

export interface CriterionOption {
  code: string;
  name: string;
  groupCode: string;
}

/** The criteria of the rubric a period is scored with, in rubric order. */
export async function listPeriodCriteria(knex: Knex, periodId: number): Promise<CriterionOption[]> {
  const { rows } = await knex.raw(
    `select c.code, c.name, c.group_code
       from rubric_criteria c
      where c.rubric_version_id = (select coalesce(p.rubric_version_id,
                                                   (select ps.rubric_version_id from period_scores ps where ps.period_id = p.id limit 1))
                                     from periods p where p.id = ?)
      order by c.sort, c.code`,
    [periodId],
  );
  return rows.map((r: Record<string, string>) => ({ code: r.code, name: r.name, groupCode: r.group_code }));
}

export interface CriterionUnitRow {
  unitId: number;
  name: string;
  groupName: string | null;
  points: number;
  maxPoints: number;
  share: number | null;
}

/** One criterion across the units of a period: lowest points first; optionally only units that lost points on it. */
export async function criterionAcrossUnits(
  knex: Knex,
  periodId: number,
  code: string,
  f: { losingOnly: boolean; group?: string | null; search?: string | null; limit: number; offset: number },
): Promise<{ rows: CriterionUnitRow[]; total: number }> {
  const params: (string | number)[] = [code, periodId];
  let where = "";
  if (f.losingOnly) where += " and s.points[x.i] < s.max_points[x.i]";
  if (f.group) {
    where += " and ps.group_code = ?";
    params.push(f.group);
  }
  if (f.search?.trim()) {
    const p = foldedLikePattern(f.search);
    where += " and (tt_fold(coalesce(ps.unit_snapshot->>'name', u.name)) like ? or tt_fold(u.code) like ?)";
    params.push(p, p);
  }
  params.push(f.limit, f.offset);
  const { rows } = await knex.raw(
    `select ps.unit_id, coalesce(ps.unit_snapshot->>'name', u.name) as name, g.name as group_name,
            s.points[x.i] as points, s.max_points[x.i] as max_points, s.shares[x.i] as share, count(*) over () as n
       from criterion_score_sets s
       cross join lateral (select array_position(s.codes, ?::text) as i) x
       join period_scores ps on ps.period_id = s.period_id and ps.unit_id = s.unit_id
       join units u on u.id = s.unit_id
       left join unit_groups g on g.code = ps.group_code
      where s.period_id = ? and x.i is not null${where}
      order by s.points[x.i] / nullif(s.max_points[x.i], 0) nulls first, name, ps.unit_id
      limit ? offset ?`,
    params,
  );
  return {
    total: rows.length ? Number(rows[0].n) : 0,
    rows: rows.map((r: Record<string, unknown>) => ({
      unitId: Number(r.unit_id),
      name: String(r.name),
      groupName: (r.group_name as string | null) ?? null,
      points: Number(r.points),
      maxPoints: Number(r.max_points),
      share: num(r.share),
    })),
  };
}

export interface SiteAuditOption {
  id: number;
  siteId: number;
  baseUrl: string;
  referenceTime: Date;
  status: string;
}

/** A unit's completed audits, newest first (the choices for a comparison of two audits). */
export async function listUnitDoneAudits(knex: Knex, unitId: number, limit = 60): Promise<SiteAuditOption[]> {
  const rows = await knex("site_audits as a")
    .join("sites as s", "s.id", "a.site_id")
    .where({ "a.unit_id": unitId, "a.status": "done" })
    .orderBy([{ column: "a.reference_time", order: "desc" }, { column: "a.id", order: "desc" }])
    .limit(limit)
    .select("a.id", "a.site_id", "s.base_url", "a.reference_time", "a.status");
  return rows.map((r) => ({ id: Number(r.id), siteId: r.site_id, baseUrl: r.base_url, referenceTime: r.reference_time, status: r.status }));
}

export interface AuditDiff {
  newFindings: { code: string; categoryId: string | null; url: string | null; message: string }[];
  fixedFindings: { code: string; categoryId: string | null; url: string | null; message: string }[];
  pagesAdded: { url: string; kind: string | null; title: string | null }[];
  pagesRemoved: { url: string; kind: string | null; title: string | null }[];
  /** Article pages only (posts). */
  postsAdded: number;
  postsRemoved: number;
}

/**
 * What changed from audit `before` to audit `after` of one unit: findings keyed by code,
 * category and URL (new, fixed), pages by URL (added, removed). Lists are capped at `cap`.
 */
export async function diffAudits(knex: Knex, unitId: number, before: number, after: number, cap = 500): Promise<AuditDiff> {
  const findings = (mine: number, other: number) =>
    knex.raw(
      `select f.code, f.category_id, f.url, min(f.message) as message
         from findings f
        where f.site_audit_id = ? and f.unit_id = ?
          and not exists (select 1 from findings o where o.site_audit_id = ? and o.code = f.code
                           and o.category_id is not distinct from f.category_id and o.url is not distinct from f.url)
        group by 1, 2, 3 order by 1, 2, 3 limit ?`,
      [mine, unitId, other, cap],
    );
  const pages = (mine: number, other: number) =>
    knex.raw(
      `select p.url, p.kind, p.title
         from pages p join site_audits a on a.id = p.site_audit_id and a.unit_id = ?
        where p.site_audit_id = ? and p.status between 200 and 299
          and not exists (select 1 from pages o where o.site_audit_id = ? and o.url = p.url and o.status between 200 and 299)
        order by p.kind nulls last, p.url`,
      [unitId, mine, other],
    );
  const [nf, ff, pa, pr] = await Promise.all([findings(after, before), findings(before, after), pages(after, before), pages(before, after)]);
  const toFinding = (r: Record<string, string | null>) => ({ code: String(r.code), categoryId: r.category_id, url: r.url, message: String(r.message) });
  const toPage = (r: Record<string, string | null>) => ({ url: String(r.url), kind: r.kind, title: r.title });
  const added = pa.rows.map(toPage);
  const removed = pr.rows.map(toPage);
  return {
    newFindings: nf.rows.map(toFinding),
    fixedFindings: ff.rows.map(toFinding),
    pagesAdded: added.slice(0, cap),
    pagesRemoved: removed.slice(0, cap),
    postsAdded: added.filter((p: { kind: string | null }) => p.kind === "article").length,
    postsRemoved: removed.filter((p: { kind: string | null }) => p.kind === "article").length,
  };
}
