// Run through knex.raw: a literal question mark must be written "\\?" (knex binding syntax).
// SQL generated from the rubric in use, so that the per-audit work is one row per audit with
// one column per criterion (instead of one row per audit and criterion). Only literals that
// come from the rubric are spliced in: numbers are checked finite, texts are quoted.

export interface CritForSql {
  code: string;
  kind: "category" | "boolean" | "threshold" | "ratio";
  metric_idx: number | null;
  num_idx: number | null;
  den_idx: number | null;
  cat_idx: number | null;
  empty_share: number;
  null_share: number;
  full_v: number | null;
  zero_v: number | null;
  applies_to: string[];
  group_code: string;
  max_points: number;
  none_share: number;
  /** Position in a score row's arrays, 1..n in (sort, code) order. */
  ord: number;
}

/** A quoted identifier-like text (criterion codes, categories, unit types, path keys). */
export function sqlText(s: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(s)) throw new Error(`rubric value not usable in scoring SQL: ${JSON.stringify(s)}`);
  return `'${s}'`;
}

export function sqlNum(n: number | null | undefined, fallback = 0): string {
  const v = n === null || n === undefined || !Number.isFinite(Number(n)) ? fallback : Number(n);
  return `${v}::float8`;
}

function sqlInt(n: number | null): string {
  if (n === null || !Number.isInteger(Number(n))) return "0";
  return String(Number(n));
}

function pathLiteral(key: string): string {
  return `'{${key.split(".").map((k) => `"${k.replace(/[^A-Za-z0-9_]/g, "")}"`).join(",")}}'::text[]`;
}

/**
 * A lateral subquery reading every metric path once from `a.m` (OFFSET 0 keeps it from being
 * inlined, which would read each path again for every use), as columns j1, j2, ….
 */
export function metricsLateralSql(paths: { key: string; idx: number }[]): string {
  if (paths.length === 0) return "cross join lateral (select 1 as j0) j";
  const cols = [...paths].sort((x, y) => x.idx - y.idx).map((p) => `a.m #> ${pathLiteral(p.key)} as j${p.idx}`);
  return `cross join lateral (select ${cols.join(", ")} offset 0) j`;
}

/**
 * Markers in a score row's value array for a metric the audit could not verify (see
 * docs/decisions/0013-unverified.md): NaN = "chưa xác minh được", scored as met; Infinity =
 * an inspector counted it against the unit, scored 0. Real metric values are finite.
 */
export const UNVERIFIED_VALUE = "'NaN'::float8";
export const COUNTED_VALUE = "'Infinity'::float8";

/** The metric path as a one-element jsonb array literal, for a containment test. */
function pathElement(key: string): string {
  return `'${JSON.stringify([sqlText(key).slice(1, -1)])}'::jsonb`;
}

/**
 * float8[] of the metric paths (index order): a number as is, a boolean as 1/0, else null;
 * a path listed in the metrics' `countedMetrics` (an inspector's decision) is Infinity, one in
 * `unverifiedMetrics` NaN. Reads `a.m` (the audit's metrics) and the lateral columns `j`.
 */
export function valsArraySql(paths: { key: string; idx: number }[]): string {
  if (paths.length === 0) return "'{}'::float8[]";
  const items = [...paths]
    .sort((x, y) => x.idx - y.idx)
    .map((p) => {
      const j = `j.j${p.idx}`;
      const el = pathElement(p.key);
      return `case when jsonb_typeof(a.m->'countedMetrics') = 'array' and a.m->'countedMetrics' @> ${el} then ${COUNTED_VALUE}
                   when jsonb_typeof(a.m->'unverifiedMetrics') = 'array' and a.m->'unverifiedMetrics' @> ${el} then ${UNVERIFIED_VALUE}
                   else case jsonb_typeof(${j}) when 'number' then (${j})::float8 when 'boolean' then case when (${j})::boolean then 1.0 else 0.0 end end end`;
    });
  return `array[${items.join(", ")}]::float8[]`;
}

/**
 * A category status as its code: 3 present, 2 empty, 1 missing or unreachable. "unverified"
 * (chưa xác minh được: our failure, not the unit's) scores as present until an inspector
 * counts it against the unit, which rewrites it to "missing" (docs/decisions/0013-unverified.md).
 */
const STATUS_CODE = `when 'present' then 3 when 'empty' then 2 when 'missing' then 1 when 'unreachable' then 1 when 'unverified' then 3`;

/** int2[] of category statuses (3 present or unverified, 2 empty, 1 missing/unreachable, null absent). */
export function catsArraySql(cats: { category: string; idx: number }[]): string {
  if (cats.length === 0) return "'{}'::int2[]";
  const items = [...cats]
    .sort((x, y) => x.idx - y.idx)
    .map((c) => `max(case when e.id = ${sqlText(c.category)} then e.code end)`);
  return `(select array[${items.join(", ")}]::int2[]
             from (select r.id, case r.status ${STATUS_CODE} end as code
                     from jsonb_to_recordset(case when jsonb_typeof(a.m->'categories') = 'array'
                                                   and not jsonb_path_exists(a.m, '$.categories[*] \\? (@.type() != "object")')
                                              then a.m->'categories' else '[]'::jsonb end)
                          as r(id text, status text)) e)`;
}

/** A list of category ids usable as a literal order: distinct ids of the usual shape. */
export function isCategoryOrder(x: unknown): x is string[] {
  return (
    Array.isArray(x) &&
    x.every((id) => typeof id === "string" && /^[A-Za-z0-9_.-]+$/.test(id)) &&
    new Set(x).size === x.length
  );
}

/**
 * The int2[] of catsArraySql, read by position for audits whose category ids (\`a.cids\`, in
 * list order, statuses in \`a.cst\`) are one of \`orders\` and \`wellFormed\` holds (every
 * list entry gave an id and a status); the general expression for any other audit.
 */
export function catsByOrderSql(cats: { category: string; idx: number }[], orders: string[][], wellFormed: string): string {
  if (cats.length === 0) return "'{}'::int2[]";
  const sorted = [...cats].sort((x, y) => x.idx - y.idx);
  const branches = orders.map((order) => {
    const items = sorted.map((c) => {
      const pos = order.indexOf(c.category);
      return pos < 0 ? "null" : `case a.cst->>${pos} ${STATUS_CODE} end`;
    });
    return `when a.cids = '${JSON.stringify(order)}'::jsonb and ${wellFormed} then array[${items.join(", ")}]::int2[]`;
  });
  if (branches.length === 0) return catsArraySql(cats);
  return `case ${branches.join(" ")} else ${catsArraySql(cats)} end`;
}

/**
 * INSERT INTO _wide for one rubric version: audits grouped by unit and by month, quarter, half
 * and year at once (hashed grouping sets over one row per audit, `_mmap` giving each month its
 * quarter, half and year), one set of sums per criterion; only the periods that are targets
 * for this rubric version are kept. Each output row is one unit and period with every
 * criterion in arrays (position = the criterion's `ord`; null where the criterion does not
 * apply to the unit's type), its points total, applicable maximum and points per group.
 * `aw` carries accepted appeals: cleared criterion codes and, per code, the number of
 * distinct accepted URLs (added to a ratio's numerator).
 */
export function wideInsertSql(rubricVersionId: number, crits: CritForSql[]): string {
  const sums: string[] = [];
  const shares: string[] = [];
  const pts: string[] = [];
  const ordered = [...crits].sort((x, y) => x.ord - y.ord);
  ordered.forEach((c, i) => {
    if (c.ord !== i + 1) throw new Error(`criterion positions must be 1..n (got ${c.ord} at ${i + 1})`);
  });
  const applies = (c: CritForSql) => (c.applies_to.length === 0 ? "true" : `w.unit_type in (${c.applies_to.map(sqlText).join(", ")})`);
  ordered.forEach((c, i) => {
    const code = sqlText(c.code);
    const cleared = `${code} = any(aw.cleared)`;
    const v = (idx: number | null) => `a.vals[${sqlInt(idx)}]`;
    // Unverified (NaN) scores as met, counted against the unit (Infinity) as 0; both are
    // tested before any arithmetic.
    const marked = (idx: number | null) =>
      `when ${v(idx)} = ${UNVERIFIED_VALUE} then 1.0 when ${v(idx)} = ${COUNTED_VALUE} then 0.0`;
    const finite = (idx: number | null) => `nullif(nullif(${v(idx)}, ${UNVERIFIED_VALUE}), ${COUNTED_VALUE})`;
    let share = "null::float8";
    let val: string | null = null;
    if (c.kind === "category") {
      share = `case when ${cleared} then 1.0 else case a.cats[${sqlInt(c.cat_idx)}] when 3 then 1.0 when 2 then ${sqlNum(c.empty_share, 0.5)} else 0.0 end end`;
    } else if (c.kind === "boolean") {
      // GREATEST ignores nulls: an unknown value is tested first so that nullShare applies.
      share = `case when ${cleared} then 1.0 ${marked(c.metric_idx)} when ${v(c.metric_idx)} is null then ${sqlNum(c.null_share)}
                    else least(1.0, greatest(0.0, ${v(c.metric_idx)})) end`;
    } else if (c.kind === "threshold") {
      const span = Number(c.full_v) - Number(c.zero_v);
      share = `case when ${cleared} then 1.0 ${marked(c.metric_idx)} when ${v(c.metric_idx)} is null then ${sqlNum(c.null_share)}
                    else least(1.0, greatest(0.0, (${v(c.metric_idx)} - ${sqlNum(c.zero_v)}) / ${sqlNum(span, 1)})) end`;
      val = finite(c.metric_idx);
    }
    if (c.kind === "ratio") {
      // An unverified audit (either path NaN) is left out of the pooled ratio; one counted
      // against the unit (either path Infinity) adds 0 of 1.
      const dv = v(c.den_idx);
      const nv = v(c.num_idx);
      const counted = `(${dv} = ${COUNTED_VALUE} or ${nv} = ${COUNTED_VALUE})`;
      const unverified = `(${dv} = ${UNVERIFIED_VALUE} or ${nv} = ${UNVERIFIED_VALUE})`;
      const den = `case when ${counted} then 1.0 when ${unverified} then null when ${dv} is not null then greatest(${dv}, 0.0) end`;
      const num = `case when ${counted} then 0.0 when ${unverified} then null when ${dv} is not null then least(greatest(${dv}, 0.0), greatest(coalesce(${nv}, 0.0), 0.0) + coalesce((aw.acc->>${code})::float8, 0.0)) end`;
      sums.push(`sum(${num}) as nu${i}`, `sum(${den}) as d${i}`);
      shares.push(`case when w.d${i} > 0 then w.nu${i} / w.d${i} else ${sqlNum(c.none_share, 1)} end as sh${i}`);
    } else {
      sums.push(`sum(${share}) as s${i}`);
      if (val) sums.push(`sum(${val}) as v${i}`, `count(${val})::int as vn${i}`);
      shares.push(`w.s${i} / nullif(w.n, 0) as sh${i}`);
    }
    pts.push(`case when ${applies(c)} then round((${sqlNum(c.max_points)} * sh.sh${i})::numeric, 2) end as p${i}`);
  });
  const arr = (items: string[], type: string) => (items.length ? `array[${items.join(", ")}]::${type}[]` : `'{}'::${type}[]`);
  const when = (c: CritForSql, expr: string) => `case when ${applies(c)} then ${expr} end`;
  const codes = arr(ordered.map((c) => when(c, sqlText(c.code))), "text");
  const groups = arr(ordered.map((c) => when(c, sqlText(c.group_code))), "text");
  const points = arr(ordered.map((_, i) => `p.p${i}`), "numeric");
  const maxes = arr(ordered.map((c) => when(c, `${sqlNum(c.max_points)}::numeric`)), "numeric");
  const shareArr = arr(ordered.map((c, i) => when(c, `sh.sh${i}`)), "float8");
  const vals = arr(ordered.map((c, i) => (c.kind === "threshold" ? when(c, `w.v${i} / nullif(w.vn${i}, 0)`) : "null")), "float8");
  const nums = arr(ordered.map((c, i) => (c.kind === "ratio" ? when(c, `w.nu${i}`) : "null")), "float8");
  const dens = arr(ordered.map((c, i) => (c.kind === "ratio" ? when(c, `w.d${i}`) : "null")), "float8");
  const pointsSum = ordered.length ? ordered.map((_, i) => `coalesce(p.p${i}, 0)`).join(" + ") : "0";
  const maxSum = ordered.length ? ordered.map((c) => `(case when ${applies(c)} then ${sqlNum(c.max_points)} else 0.0 end)`).join(" + ") : "0.0";
  const groupCodes = [...new Set(ordered.map((c) => c.group_code))].sort();
  const groupPoints = groupCodes.length
    ? `jsonb_strip_nulls(jsonb_build_object(${groupCodes
        .map((g) => {
          const members = ordered.map((c, i) => ({ c, i })).filter((x) => x.c.group_code === g);
          const any = members.map((x) => `(${applies(x.c)})`).join(" or ");
          const sum = members.map((x) => `coalesce(p.p${x.i}, 0)`).join(" + ");
          const max = members.map((x) => `(case when ${applies(x.c)} then ${sqlNum(x.c.max_points)} else 0.0 end)`).join(" + ");
          return `${sqlText(g)}, case when ${any} then jsonb_build_object('points', ${sum}, 'max', ${max}) end`;
        })
        .join(", ")}))`
    : "'{}'::jsonb";
  const rv = sqlInt(rubricVersionId);
  return `
    insert into _wide (period_id, unit_id, n, codes, group_codes, points, max_points, shares, vals, nums, dens,
                       points_sum, applicable_max, group_points)
    select t.period_id, w.unit_id, w.n, ${codes}, ${groups}, ${points}, ${maxes}, ${shareArr}, ${vals}, ${nums}, ${dens},
           ${pointsSum}, ${maxSum}, ${groupPoints}
      from (select a.unit_id, u.unit_type,
                   case grouping(mm.month, mm.quarter, mm.half, mm.year)
                     when 7 then 'month' when 11 then 'quarter' when 13 then 'half' else 'year' end as kind,
                   coalesce(mm.month, mm.quarter, mm.half, mm.year) as starts_on,
                   count(*)::int as n${sums.length ? ",\n                   " + sums.join(",\n                   ") : ""}
              from _audits a
              join _mmap mm on mm.month = a.month
              join units u on u.id = a.unit_id
              left join _aw aw on aw.audit_id = a.audit_id and aw.rubric_version_id = ${rv}
             where a.month in (select month from _rubric_months where rubric_version_id = ${rv})
             group by a.unit_id, u.unit_type, grouping sets ((mm.month), (mm.quarter), (mm.half), (mm.year))) w
      join _target t on t.rubric_version_id = ${rv} and t.kind = w.kind and t.starts_on = w.starts_on
      cross join lateral (select ${shares.length ? shares.join(", ") : "1 as sh_none"} offset 0) sh
      cross join lateral (select ${pts.length ? pts.join(", ") : "1 as p_none"} offset 0) p`;
}
