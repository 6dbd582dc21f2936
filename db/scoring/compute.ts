// Set-based scoring: one transaction, a handful of statements, no query per unit.
//
// Method (docs/decisions/0004-scoring.md):
//  1. every 'done' audit of a unit's sites whose reference_time (Vietnam calendar day) lies in
//     the period counts once; a unit with several sites therefore averages its sites;
//  2. per audit and criterion a share in [0, 1] is measured from site_audits.summary
//     (category / boolean / threshold), or a numerator and denominator (ratio);
//  3. audits are summed per unit, criterion and target period (month, quarter, half, year;
//     grouping sets, one pass): the share of a period is the mean over its audits, a ratio
//     is pooled (sum of numerators / sum of denominators);
//  4. points = max_points × share (2 decimals); the total is scaled to the rubric's full
//     points when some criteria do not apply to the unit type;
//  5. tiers from the `tier_thresholds` setting and the previous period's total. Ranks
//     (competition ranking: 1, 1, 3, within each unit group) are not stored for open periods:
//     readers rank at read time (db/queries/scores.ts), and closing a period stores them.
// A finding whose appeal was accepted stops counting: in its audit the measurement it
// caused counts as compliant (share 1, or +1 to a ratio's numerator per distinct URL).
// Frozen periods are never touched.
import { createHash } from "node:crypto";
import type { Knex } from "knex";
import { ensurePeriods, type PeriodRow } from "../queries/periods.ts";
import { nextPeriod, parsePeriodCode, periodsContaining, previousPeriod } from "./period-codes.ts";
import { catsByOrderSql, isCategoryOrder, metricsLateralSql, valsArraySql, wideInsertSql, type CritForSql } from "./generated-sql.ts";
import { getTierThresholds } from "./tiers.ts";
import { VIETNAM_TIME_ZONE } from "../time.ts";

export interface RecomputeResult {
  recomputed: string[];
  skippedFrozen: string[];
  skippedNoRubric: string[];
  unitsScored: number;
  unitsNotAudited: number;
  ms: number;
}

/** Vietnam time: calendar days of periods are local days. */
export const SCORING_TIME_ZONE = VIETNAM_TIME_ZONE;
const LOCK_KEY = "tuan-thu:scoring";
const TEMP_TABLES = [
  "_target", "_prevmap", "_crit0", "_paths", "_cats", "_crit", "_target_months", "_rubric_months",
  "_arange", "_miss", "_amiss", "_audits", "_fcode", "_af", "_aa", "_aw", "_links", "_mmap", "_wide", "_ranked",
];

async function rubricIdsFor(knex: Knex, periods: PeriodRow[]): Promise<Map<number, number>> {
  // The version in force on the period's first day, else the one that took effect during it.
  const published: { id: number; effective_from: string }[] = await knex("rubric_versions")
    .where({ status: "published" })
    .whereNotNull("effective_from")
    .orderBy([{ column: "effective_from", order: "desc" }, { column: "published_at", order: "desc" }, { column: "id", order: "desc" }])
    .select("id", "effective_from");
  const inForce = (day: string) => published.find((r) => r.effective_from <= day)?.id;
  const out = new Map<number, number>();
  for (const p of periods) {
    const id = inForce(p.starts_on) ?? inForce(p.ends_on);
    if (id !== undefined) out.set(p.id, id);
  }
  return out;
}

export interface RecomputeOptions {
  /**
   * Rescore only these units (their audits are read again and only their rows are written;
   * other units keep theirs, ranks being computed at read time). Omitted: every unit.
   */
  unitIds?: number[];
}

/** Recompute the given periods (codes), skipping frozen ones. Idempotent. */
export async function recomputePeriods(knex: Knex, codes: string[], opts: RecomputeOptions = {}): Promise<RecomputeResult> {
  const started = Date.now();
  const specs = [...new Map(codes.map((c) => parsePeriodCode(c)).map((s) => [s.code, s])).values()];
  const result: RecomputeResult = { recomputed: [], skippedFrozen: [], skippedNoRubric: [], unitsScored: 0, unitsNotAudited: 0, ms: 0 };
  if (specs.length === 0) return result;
  await ensurePeriods(knex, specs);

  await knex.transaction(async (trx) => {
    // Server-side memory for the hash aggregates (the Node process holds no rows).
    await trx.raw(`select pg_advisory_xact_lock(hashtext('${LOCK_KEY}')); set local work_mem = '256MB'`);
    // Statements without bindings whose results are not read are sent together, one round trip
    // per batch (a rescore runs ~60 statements; most of its time was round trips).
    const pending: string[] = [];
    const later = (sql: string): void => {
      pending.push(sql);
    };
    /** Bindings are inlined by knex's own quoting (ids, dates, time zone, hashes, tier names). */
    const laterBound = (sql: string, bindings: readonly unknown[]): void => {
      pending.push(trx.raw(sql, bindings as Knex.RawBinding[]).toQuery());
    };
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const sql = pending.join(";\n");
      pending.length = 0;
      await trx.raw(sql);
    };
    const rows: PeriodRow[] = await trx("periods").whereIn("code", specs.map((s) => s.code)).forUpdate().select("*");
    const open = rows.filter((p) => {
      if (p.frozen_at) result.skippedFrozen.push(p.code);
      return !p.frozen_at;
    });
    const rubricOf = await rubricIdsFor(trx, open);
    const targets = open.filter((p) => {
      if (!rubricOf.has(p.id)) result.skippedNoRubric.push(p.code);
      return rubricOf.has(p.id);
    });
    if (targets.length === 0) return;
    const scoped = opts.unitIds !== undefined;
    // The scoped units as an array literal (integers only), so that every statement can use the
    // (…, unit_id) indexes with a known number of values.
    const scope = `'{${[...new Set((opts.unitIds ?? []).filter((n) => Number.isInteger(n)))].join(",")}}'::int[]`;

    // Previous periods (for the change columns), and the next periods whose change columns
    // depend on the targets.
    const neighbourCodes = targets.flatMap((t) => [previousPeriod(t.code).code, nextPeriod(t.code).code]);
    const neighbours: { id: number; code: string; frozen_at: Date | null }[] = await trx("periods")
      .whereIn("code", neighbourCodes)
      .select("id", "code", "frozen_at");
    const idOf = new Map(neighbours.map((n) => [n.code, n]));
    const prevMap: [number, number | null][] = targets.map((t) => [t.id, idOf.get(previousPeriod(t.code).code)?.id ?? null]);
    for (const t of targets) {
      const next = idOf.get(nextPeriod(t.code).code);
      if (next && !next.frozen_at && !targets.some((x) => x.id === next.id)) prevMap.push([next.id, t.id]);
    }
    const thresholds = await getTierThresholds(trx);

    later(`create temp table _target (period_id int primary key, kind text, starts_on date, ends_on date, rubric_version_id int) on commit drop`);
    laterBound(
      `insert into _target select * from jsonb_to_recordset(?::jsonb) as x(period_id int, kind text, starts_on date, ends_on date, rubric_version_id int)`,
      [JSON.stringify(targets.map((t) => ({ period_id: t.id, kind: t.kind, starts_on: t.starts_on, ends_on: t.ends_on, rubric_version_id: rubricOf.get(t.id) })))],
    );
    // prev_is_target: the previous period's scores come from this batch, not from period_scores.
    const targetIds = new Set(targets.map((t) => t.id));
    later(`create temp table _prevmap (period_id int primary key, prev_period_id int, prev_is_target boolean) on commit drop`);
    laterBound(`insert into _prevmap select * from jsonb_to_recordset(?::jsonb) as x(period_id int, prev_period_id int, prev_is_target boolean)`, [
      JSON.stringify(prevMap.map(([period_id, prev_period_id]) => ({ period_id, prev_period_id, prev_is_target: prev_period_id !== null && targetIds.has(prev_period_id) }))),
    ]);

    // Criteria of the rubric versions in use, measure fields unpacked into typed columns; each
    // metric path and category gets an index into the per-audit value arrays below.
    later(`
      create temp table _crit0 on commit drop as
      select c.rubric_version_id, c.code, c.group_code, c.name, c.max_points::float8 as max_points, c.applies_to, c.sort,
             c.measure->>'kind' as kind,
             c.measure->>'category' as category,
             c.measure->>'metric' as metric_key,
             c.measure->>'numerator' as num_key,
             c.measure->>'denominator' as den_key,
             coalesce((c.measure->>'emptyShare')::float8, 0.5) as empty_share,
             coalesce((c.measure->>'nullShare')::float8, 0) as null_share,
             coalesce((c.measure->>'noneShare')::float8, 1) as none_share,
             (c.measure->>'full')::float8 as full_v,
             (c.measure->>'zero')::float8 as zero_v,
             coalesce(array(select jsonb_array_elements_text(c.measure->'findingCodes')), '{}') as finding_codes,
             sum(c.max_points::float8) over (partition by c.rubric_version_id) as rubric_total
        from rubric_criteria c
       where c.rubric_version_id in (select distinct rubric_version_id from _target)`);
    later(`
      create temp table _paths on commit drop as
      select key, string_to_array(key, '.') as path, (row_number() over (order by key))::int as idx
        from (select metric_key as key from _crit0 union select num_key from _crit0 union select den_key from _crit0) k
       where key is not null`);
    later(`
      create temp table _cats on commit drop as
      select category, (row_number() over (order by category))::int as idx
        from (select distinct category from _crit0 where category is not null) k`);
    later(`
      create temp table _crit on commit drop as
      select c.*, pm.idx as metric_idx, pn.idx as num_idx, pd.idx as den_idx, ct.idx as cat_idx,
             -- The criterion's position in a score row's arrays (criterion_score_sets).
             (row_number() over (partition by c.rubric_version_id order by c.sort, c.code))::int as ord
        from _crit0 c
        left join _paths pm on pm.key = c.metric_key
        left join _paths pn on pn.key = c.num_key
        left join _paths pd on pd.key = c.den_key
        left join _cats ct on ct.category = c.category`);
    later(`create unique index on _crit (rubric_version_id, code)`);
    later(`analyze _crit`);

    // The months of each target period, and the months each rubric version is needed for.
    later(`
      create temp table _target_months on commit drop as
      select t.period_id, t.rubric_version_id, m::date as month
        from _target t, generate_series(t.starts_on, t.ends_on, interval '1 month') m`);
    later(`
      create temp table _rubric_months on commit drop as
      select distinct rubric_version_id, month from _target_months`);
    later(`analyze _target, _prevmap, _target_months, _rubric_months`);

    await flush();
    const layoutRows: { kind: "path" | "cat"; key: string; idx: number }[] = (
      await trx.raw(`select 'path' as kind, key, idx from _paths union all select 'cat', category, idx from _cats order by kind desc, idx`)
    ).rows;
    const paths = layoutRows.filter((r) => r.kind === "path").map(({ key, idx }) => ({ key, idx }));
    const cats = layoutRows.filter((r) => r.kind === "cat").map(({ key, idx }) => ({ category: key, idx }));

    // Audits in range, each summary read once into two typed arrays: vals[i] = the number at
    // metric path i (a boolean as 1/0, anything else null), cats[j] = category j's status
    // (3 present, 2 empty, 1 missing or unreachable, null not reported). Summaries can be large
    // and compressed; evaluating criteria on arrays instead of jsonb keeps scoring cheap.
    // The arrays are cached per audit (scoring_audit_values) for this layout of paths and
    // categories (its hash) and this version of the audit row (xmin): only new or changed
    // audits are read.
    const layout = createHash("sha256").update(JSON.stringify({ paths: paths.map((p) => p.key), cats: cats.map((c) => c.category) })).digest("hex");
    laterBound(
      `
      create temp table _arange on commit drop as
      select sa.id as audit_id, sa.unit_id, sa.xmin as src_xmin,
             (sa.reference_time at time zone ?)::date as day
        from site_audits sa
       where sa.status = 'done'
         and sa.reference_time >= ((select min(starts_on) from _target)::timestamp at time zone ?)
         and sa.reference_time < (((select max(ends_on) from _target) + 1)::timestamp at time zone ?)
         and date_trunc('month', sa.reference_time at time zone ?)::date in (select month from _rubric_months)
         ${scoped ? `and sa.unit_id = any(${scope})` : ""}`,
      [SCORING_TIME_ZONE, SCORING_TIME_ZONE, SCORING_TIME_ZONE, SCORING_TIME_ZONE],
    );
    // A scoped rescore reads a few units' audits: statistics make the planner use the indexes
    // (a full recompute reads most rows and gains nothing from them).
    if (scoped) later(`analyze _arange`);
    // Audits not in the cache (decided before any summary is read).
    laterBound(
      `
      create temp table _miss on commit drop as
      select r.audit_id, r.src_xmin from _arange r
       where not exists (select 1 from scoring_audit_values v
                          where v.site_audit_id = r.audit_id and v.src_xmin = r.src_xmin and v.layout = ?)`,
      [layout],
    );
    if (scoped) later(`analyze _miss`);
    // Crawlers list categories in a few fixed orders. The commonest orders in a sample are
    // mapped here to the position of every rubric category, so that an audit listing its
    // categories in one of them is read by position; any other list (another order, an id
    // listed twice, a malformed entry) takes the general path. Same result either way.
    const metricsOf = `(case when jsonb_typeof(sa.summary->'metrics') = 'object' then sa.summary->'metrics' else sa.summary end)`;
    await flush();
    const { rows: orderRows } = await trx.raw(`
      select jsonb_path_query_array(${metricsOf}, 'strict $.categories[*].id', '{}', true) as cids, count(*)::int as n
        from (select audit_id from _miss limit 500) r
        join site_audits sa on sa.id = r.audit_id
       where jsonb_typeof(sa.summary) = 'object'
       group by 1 order by 2 desc limit 4`);
    const orders = (orderRows as { cids: unknown }[]).map((r) => r.cids).filter(isCategoryOrder);
    // Each summary is read once: "|| '{}'" makes one decompressed copy that every path reads;
    // the category ids and statuses come out as two arrays in list order (strict paths: a
    // malformed list comes out shorter than the list itself).
    later(`
      create temp table _amiss on commit drop as
      select a.audit_id, a.src_xmin,
             ${valsArraySql(paths)} as vals,
             ${catsByOrderSql(cats, orders, `(jsonb_array_length(a.cst) = a.clen and jsonb_array_length(a.cids) = a.clen)`)} as cats
        from (select r.audit_id, r.src_xmin, m.m,
                     jsonb_path_query_array(m.m, 'strict $.categories[*].id', '{}', true) as cids,
                     jsonb_path_query_array(m.m, 'strict $.categories[*].status', '{}', true) as cst,
                     case when jsonb_typeof(m.m->'categories') = 'array' then jsonb_array_length(m.m->'categories') end as clen
                from _miss r
                join site_audits sa on sa.id = r.audit_id
                cross join lateral (select ${metricsOf} || '{}'::jsonb as m offset 0) m
               where jsonb_typeof(sa.summary) = 'object' and jsonb_typeof(m.m) = 'object'
              offset 0) a
        ${metricsLateralSql(paths)}`);
    laterBound(
      `
      insert into scoring_audit_values as v (site_audit_id, src_xmin, layout, vals, cats)
      select audit_id, src_xmin, ?, vals, cats from _amiss
      on conflict (site_audit_id) do update
        set src_xmin = excluded.src_xmin, layout = excluded.layout, vals = excluded.vals, cats = excluded.cats`,
      [layout],
    );
    laterBound(
      `
      create temp table _audits on commit drop as
      select r.audit_id, r.unit_id, r.day, date_trunc('month', r.day)::date as month, v.vals, v.cats
        from _arange r
        join scoring_audit_values v on v.site_audit_id = r.audit_id and v.src_xmin = r.src_xmin and v.layout = ?`,
      [layout],
    );
    if (scoped) later(`analyze _audits`);

    // Findings linked to criteria, with whether an accepted appeal took them out of the count;
    // _aa keeps only the (audit, criterion) pairs touched by an accepted appeal (usually few).
    later(`
      create temp table _fcode on commit drop as
      select distinct c.rubric_version_id, c.code, c.ord, c.kind, c.category, fc as finding_code
        from _crit c cross join unnest(c.finding_codes) fc`);
    later(`analyze _fcode`);
    // Equality joins throughout (a finding code to its criteria, accepted appeals as a set).
    later(`
      create temp table _af on commit drop as
      select f.id as finding_id, a.audit_id, a.unit_id, a.day, a.month, c.rubric_version_id, c.code, c.ord,
             coalesce(f.url, f.id::text) as url_key,
             acc.finding_id is not null as accepted
        from _audits a
        join findings f on f.site_audit_id = a.audit_id
        join _fcode c on c.finding_code = f.code and (c.kind <> 'category' or f.category_id = c.category)
        left join (select distinct finding_id from accepted_findings) acc on acc.finding_id = f.id`);
    later(`
      create temp table _aa on commit drop as
      select audit_id, rubric_version_id, code,
             count(*) filter (where accepted) as accepted_n,
             count(*) filter (where not accepted) as active_n,
             count(distinct url_key) filter (where accepted) as accepted_urls
        from _af group by 1, 2, 3
      having count(*) filter (where accepted) > 0`);
    later(`analyze _aa`);

    // Accepted appeals per audit: criteria whose findings there were all accepted, and per
    // criterion the number of distinct accepted URLs.
    later(`
      create temp table _aw on commit drop as
      select audit_id, rubric_version_id,
             coalesce(array_agg(code) filter (where active_n = 0), '{}') as cleared,
             jsonb_object_agg(code, accepted_urls) as acc
        from _aa group by 1, 2`);

    // Findings linked to each unit's period, as two parallel arrays (finding id, criterion
    // position in the period's arrays; negative when an accepted appeal took it out): sorted
    // once per unit and month, then months concatenated in order into every target period.
    later(`
      create temp table _links on commit drop as
      with m as (
        select af.rubric_version_id, af.unit_id, af.month,
               array_agg(af.finding_id order by af.ord, af.finding_id) as ids,
               array_agg((case when af.accepted then -af.ord else af.ord end)::int2 order by af.ord, af.finding_id) as ords
          from _af af
         group by 1, 2, 3)
      select t.period_id, m.unit_id,
             tt_array_cat_agg(m.ids order by m.month) as finding_ids,
             tt_array_cat_agg(m.ords order by m.month) as finding_ords
        from _target_months t
        join m on m.rubric_version_id = t.rubric_version_id and m.month = t.month
       group by 1, 2`);

    // Per unit and target period, one row holding every criterion (one generated statement per
    // rubric version: audits summed into all period kinds at once, then shares, points, totals
    // and group points computed across the row's columns).
    later(`
      create temp table _mmap on commit drop as
      select month, make_date(y, (q - 1) * 3 + 1, 1) as quarter, make_date(y, case when q > 2 then 7 else 1 end, 1) as half,
             make_date(y, 1, 1) as year
        from (select distinct month, extract(year from month)::int as y, extract(quarter from month)::int as q
                from _target_months) d`);
    later(`analyze _mmap`);
    later(`
      create temp table _wide (period_id int, unit_id int, n int, codes text[], group_codes text[],
                               points numeric[], max_points numeric[], shares float8[], vals float8[], nums float8[], dens float8[],
                               points_sum numeric, applicable_max float8, group_points jsonb)
        with (toast_tuple_target = 8160) on commit drop`);
    await flush();
    const critRows: (CritForSql & { rubric_version_id: number })[] = (
      await trx.raw(`select * from _crit order by rubric_version_id, ord`)
    ).rows;
    for (const rubricVersionId of [...new Set(critRows.map((c) => c.rubric_version_id))]) {
      later(wideInsertSql(rubricVersionId, critRows.filter((c) => c.rubric_version_id === rubricVersionId)));
    }
    later(`create unique index on _wide (period_id, unit_id)`);
    later(`analyze _wide (period_id, unit_id)`);

    // Unit totals and tiers. Units counted: active units, plus any unit audited in the period.
    // The tier: the highest threshold the total reaches (thresholds as bound values).
    const byMin = [...thresholds].sort((x, y) => y.min - x.min);
    const tierCase = byMin.length
      ? `case ${byMin.map(() => "when tt.total >= ?::numeric then ?::text").join(" ")} end`
      : "null::text";
    const tierBindings = byMin.flatMap((t) => [String(t.min), t.tier]);
    // Ranks are not stored for open periods: readers rank at read time (db/queries/scores.ts,
    // decision 0009), so a unit's rescore writes that unit's rows only. Closing a period stores
    // its ranks (freeze.ts).
    const scopeFilter = scoped ? `and u.id = any(${scope})` : "";
    laterBound(
      `
      create temp table _ranked on commit drop as
      with universe as (
        select t.period_id, t.rubric_version_id, u.id as unit_id, u.group_code
          from _target t cross join units u
         where u.active ${scopeFilter}
        union
        select t.period_id, t.rubric_version_id, u.id, u.group_code
          from _wide w join _target t on t.period_id = w.period_id join units u on u.id = w.unit_id${
            scoped
              ? `
        union
        -- A period scored for the first time: every active unit, not audited until audited. (Once
        -- a period has rows, every unit added or reactivated later asks for its own rescore.)
        select t.period_id, t.rubric_version_id, u.id, u.group_code
          from _target t join units u on u.active
         where not exists (select 1 from period_scores ps where ps.period_id = t.period_id)`
              : ""
          }),
      totals as (
        select un.period_id, un.unit_id, un.rubric_version_id, un.group_code,
               case when w.unit_id is null then 'not_audited' else 'scored' end as status,
               coalesce(w.n, 0) as audits,
               case when w.applicable_max > 0
                    then round(w.points_sum * rt.rubric_total::numeric / w.applicable_max::numeric, 2) end as total,
               rt.rubric_total::numeric as max_total,
               coalesce(w.group_points, '{}'::jsonb) as group_points
          from universe un
          join (select distinct rubric_version_id, rubric_total from _crit) rt on rt.rubric_version_id = un.rubric_version_id
          left join _wide w on w.period_id = un.period_id and w.unit_id = un.unit_id)
      select tt.*, ${tierCase} as tier
        from totals tt`,
      tierBindings,
    );
    later(`create unique index on _ranked (period_id, unit_id)`);
    later(`analyze _ranked (period_id, unit_id)`);
    await flush();
    const { rows: counts } = await trx.raw(
      `select count(*) filter (where status = 'scored')::int as scored, count(*) filter (where status = 'not_audited')::int as not_audited
         from _ranked`,
    );
    result.unitsScored = counts[0].scored;
    result.unitsNotAudited = counts[0].not_audited;

    // Write only what changed (a re-score of unchanged data rewrites nothing). A scoped rescore
    // keeps the rows it changed or deleted, so that only their next periods' change columns are
    // updated below.
    if (scoped) later(`create temp table _changed (period_id int, unit_id int) on commit drop`);
    later(`
      ${scoped ? "with up as (" : ""}
      insert into period_scores (period_id, unit_id, rubric_version_id, group_code, status, audits_count, total, max_total,
                                 group_points, tier, rank, previous_total, previous_rank, computed_at, frozen)
      select r.period_id, r.unit_id, r.rubric_version_id, r.group_code, r.status, r.audits, r.total, r.max_total, r.group_points,
             r.tier, null::int,
             case when pm.prev_is_target then xr.total else xp.total end,
             null::int,
             now(), false
        from _ranked r
        left join _prevmap pm on pm.period_id = r.period_id
        left join _ranked xr on pm.prev_is_target and xr.period_id = pm.prev_period_id and xr.unit_id = r.unit_id
        left join period_scores xp on not pm.prev_is_target and xp.period_id = pm.prev_period_id and xp.unit_id = r.unit_id
      on conflict (period_id, unit_id) do update
        set rubric_version_id = excluded.rubric_version_id, group_code = excluded.group_code, status = excluded.status,
            audits_count = excluded.audits_count, total = excluded.total, max_total = excluded.max_total,
            group_points = excluded.group_points, tier = excluded.tier, rank = excluded.rank,
            previous_total = excluded.previous_total, previous_rank = excluded.previous_rank, computed_at = excluded.computed_at
        where (period_scores.rubric_version_id, period_scores.group_code, period_scores.status, period_scores.audits_count,
               period_scores.total, period_scores.max_total, period_scores.group_points, period_scores.tier, period_scores.rank,
               period_scores.previous_total, period_scores.previous_rank)
              is distinct from (excluded.rubric_version_id, excluded.group_code, excluded.status, excluded.audits_count,
               excluded.total, excluded.max_total, excluded.group_points, excluded.tier, excluded.rank,
               excluded.previous_total, excluded.previous_rank)
      ${scoped ? "returning period_id, unit_id) insert into _changed select period_id, unit_id from up" : ""}`);
    // Units no longer counted lose their row (and, by the foreign key, their criteria).
    later(`
      ${scoped ? "with del as (" : ""}
      delete from period_scores ps using _target t
       where ps.period_id = t.period_id ${scoped ? `and ps.unit_id = any(${scope})` : ""}
         and not exists (select 1 from _ranked r where r.period_id = ps.period_id and r.unit_id = ps.unit_id)
      ${scoped ? "returning ps.period_id, ps.unit_id) insert into _changed select period_id, unit_id from del" : ""}`);
    if (scoped) later(`analyze _changed`);
    // Open next periods (not in this batch) whose change columns depend on the targets.
    later(
      scoped
        ? `
      update period_scores ps
         set previous_total = p.total
        from _changed c
        join _prevmap pm on pm.prev_period_id = c.period_id
        left join period_scores p on p.period_id = c.period_id and p.unit_id = c.unit_id
       where ps.period_id = pm.period_id and ps.unit_id = c.unit_id and not ps.frozen
         and not exists (select 1 from _target t where t.period_id = pm.period_id)
         and ps.previous_total is distinct from p.total`
        : `
      update period_scores ps
         set previous_total = x.total
        from (select pm.period_id, cur.unit_id, p.total
                from _prevmap pm
                join period_scores cur on cur.period_id = pm.period_id
                left join period_scores p on p.period_id = pm.prev_period_id and p.unit_id = cur.unit_id
               where not exists (select 1 from _target t where t.period_id = pm.period_id)) x
       where ps.period_id = x.period_id and ps.unit_id = x.unit_id and not ps.frozen
         and ps.previous_total is distinct from x.total`,
    );

    // Criterion scores: one row per unit and period; units not audited have none.
    later(`
      delete from criterion_score_sets s using _target t
       where s.period_id = t.period_id ${scoped ? `and s.unit_id = any(${scope})` : ""}
         and not exists (select 1 from _wide w where w.period_id = s.period_id and w.unit_id = s.unit_id)`);
    later(`
      insert into criterion_score_sets as s (period_id, unit_id, audits, codes, group_codes, points, max_points, shares, vals, nums, dens,
                                             finding_ids, finding_ords, details)
      select w.period_id, w.unit_id, w.n, w.codes, w.group_codes, w.points, w.max_points, w.shares, w.vals, w.nums, w.dens,
             coalesce(l.finding_ids, '{}'), coalesce(l.finding_ords, '{}'), '{}'::jsonb
        from _wide w
        left join _links l on l.period_id = w.period_id and l.unit_id = w.unit_id
       order by w.period_id, w.unit_id
      on conflict (period_id, unit_id) do update
        set audits = excluded.audits, codes = excluded.codes, group_codes = excluded.group_codes, points = excluded.points,
            max_points = excluded.max_points, shares = excluded.shares, vals = excluded.vals, nums = excluded.nums,
            dens = excluded.dens, finding_ids = excluded.finding_ids, finding_ords = excluded.finding_ords, details = excluded.details
        where (s.audits, s.codes, s.group_codes, s.points, s.max_points, s.shares, s.vals, s.nums, s.dens, s.finding_ids,
               s.finding_ords, s.details)
              is distinct from (excluded.audits, excluded.codes, excluded.group_codes, excluded.points, excluded.max_points,
               excluded.shares, excluded.vals, excluded.nums, excluded.dens, excluded.finding_ids, excluded.finding_ords,
               excluded.details)`);

    later(`update periods p set rubric_version_id = t.rubric_version_id from _target t where p.id = t.period_id and p.frozen_at is null`);
    // Dropped now rather than at commit, so that a caller's transaction may recompute again.
    later(`drop table ${[...TEMP_TABLES, ...(scoped ? ["_changed"] : [])].join(", ")}`);
    await flush();
    result.recomputed = targets.map((t) => t.code);
  });
  result.ms = Date.now() - started;
  return result;
}

/** Every open period holding data: the periods of months with done audits (of the units, if given), plus the open periods that exist. */
export async function openPeriodCodes(knex: Knex | Knex.Transaction, unitIds: number[] | null = null): Promise<string[]> {
  const { rows } = await knex.raw(
    `select distinct to_char(date_trunc('month', reference_time at time zone ?), 'YYYY-MM-DD') as day
       from site_audits where status = 'done' ${unitIds ? "and unit_id = any(?::int[])" : ""}`,
    unitIds ? [SCORING_TIME_ZONE, unitIds] : [SCORING_TIME_ZONE],
  );
  const codes = new Set<string>();
  for (const r of rows as { day: string }[]) for (const p of periodsContaining(r.day)) codes.add(p.code);
  const existing: { code: string }[] = await knex("periods").whereNull("frozen_at").select("code");
  for (const e of existing) codes.add(e.code);
  return [...codes];
}

/** Every open period holding data, in one batch (the months are measured once); frozen ones are skipped. */
export async function recomputeAll(knex: Knex, opts: RecomputeOptions = {}): Promise<RecomputeResult> {
  return recomputePeriods(knex, await openPeriodCodes(knex, opts.unitIds ?? null), opts);
}
