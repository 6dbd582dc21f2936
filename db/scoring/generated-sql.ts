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

/** float8[] of the metric paths (index order): a number as is, a boolean as 1/0, else null. */
export function valsArraySql(paths: { key: string; idx: number }[]): string {
  if (paths.length === 0) return "'{}'::float8[]";
  const items = [...paths]
    .sort((x, y) => x.idx - y.idx)
    .map((p) => {
      const j = `j.j${p.idx}`;
      return `case jsonb_typeof(${j}) when 'number' then (${j})::float8 when 'boolean' then case when (${j})::boolean then 1.0 else 0.0 end end`;
    });
  return `array[${items.join(", ")}]::float8[]`;
}

/** int2[] of category statuses (3 present, 2 empty, 1 missing/unreachable, null absent). */
export function catsArraySql(cats: { category: string; idx: number }[]): string {
  if (cats.length === 0) return "'{}'::int2[]";
  const items = [...cats]
    .sort((x, y) => x.idx - y.idx)
    .map((c) => `max(case when e.id = ${sqlText(c.category)} then e.code end)`);
  return `(select array[${items.join(", ")}]::int2[]
             from (select r.id, case r.status when 'present' then 3 when 'empty' then 2 when 'missing' then 1 when 'unreachable' then 1 end as code
                     from jsonb_to_recordset(case when jsonb_typeof(a.m->'categories') = 'array'
                                                   and not jsonb_path_exists(a.m, '$.categories[*] \\? (@.type() != "object")')
                                              then a.m->'categories' else '[]'::jsonb end)
                          as r(id text, status text)) e)`;
}

/**
 * INSERT INTO _roll for one rubric version: audits grouped by unit and by month, quarter, half
 * and year at once (hashed grouping sets over one row per audit, `_mmap` giving each month its
 * quarter, half and year), one set of sums per criterion; only the periods that are targets
 * for this rubric version are kept, then unpivoted to (criterion, sums) rows for the criteria
 * that apply to the unit's type. `aw` carries accepted appeals: cleared criterion codes and, per code,
 * the number of distinct accepted URLs (added to a ratio's numerator).
 */
export function rollInsertSql(rubricVersionId: number, crits: CritForSql[]): string {
  const cols: string[] = [];
  const rows: string[] = [];
  crits.forEach((c, i) => {
    const code = sqlText(c.code);
    const cleared = `${code} = any(aw.cleared)`;
    const v = (idx: number | null) => `a.vals[${sqlInt(idx)}]`;
    let share = "null::float8";
    let val = "null::float8";
    let num = "null::float8";
    let den = "null::float8";
    if (c.kind === "category") {
      share = `case when ${cleared} then 1.0 else case a.cats[${sqlInt(c.cat_idx)}] when 3 then 1.0 when 2 then ${sqlNum(c.empty_share, 0.5)} else 0.0 end end`;
    } else if (c.kind === "boolean") {
      // GREATEST ignores nulls: an unknown value is tested first so that nullShare applies.
      share = `case when ${cleared} then 1.0 when ${v(c.metric_idx)} is null then ${sqlNum(c.null_share)}
                    else least(1.0, greatest(0.0, ${v(c.metric_idx)})) end`;
    } else if (c.kind === "threshold") {
      const span = Number(c.full_v) - Number(c.zero_v);
      share = `case when ${cleared} then 1.0 when ${v(c.metric_idx)} is null then ${sqlNum(c.null_share)}
                    else least(1.0, greatest(0.0, (${v(c.metric_idx)} - ${sqlNum(c.zero_v)}) / ${sqlNum(span, 1)})) end`;
      val = v(c.metric_idx);
    } else if (c.kind === "ratio") {
      den = `case when ${v(c.den_idx)} is not null then greatest(${v(c.den_idx)}, 0.0) end`;
      num = `case when ${v(c.den_idx)} is not null then least(greatest(${v(c.den_idx)}, 0.0), greatest(coalesce(${v(c.num_idx)}, 0.0), 0.0) + coalesce((aw.acc->>${code})::float8, 0.0)) end`;
    }
    cols.push(
      `sum(${share}) as s${i}`,
      c.kind === "threshold" ? `sum(${val}) as v${i}, count(${val})::int as vn${i}` : `null::float8 as v${i}, 0 as vn${i}`,
      c.kind === "ratio" ? `sum(${num}) as nu${i}, sum(${den}) as d${i}` : `null::float8 as nu${i}, null::float8 as d${i}`,
    );
    const applies = c.applies_to.length === 0 ? "true" : `w.unit_type in (${c.applies_to.map(sqlText).join(", ")})`;
    rows.push(`(${code}, w.s${i}, w.v${i}, w.vn${i}, w.nu${i}, w.d${i}, ${applies})`);
  });
  const rv = sqlInt(rubricVersionId);
  return `
    insert into _roll (rubric_version_id, unit_id, kind, starts_on, code, n, share_sum, val_sum, val_n, num_sum, den_sum)
    select ${rv}, w.unit_id, w.kind, w.starts_on, x.code, w.n, x.share_sum, x.val_sum, x.val_n, x.num_sum, x.den_sum
      from (select a.unit_id, u.unit_type,
                   case grouping(mm.month, mm.quarter, mm.half, mm.year)
                     when 7 then 'month' when 11 then 'quarter' when 13 then 'half' else 'year' end as kind,
                   coalesce(mm.month, mm.quarter, mm.half, mm.year) as starts_on,
                   count(*)::int as n,
                   ${cols.join(",\n                   ")}
              from _audits a
              join _mmap mm on mm.month = a.month
              join units u on u.id = a.unit_id
              left join _aw aw on aw.audit_id = a.audit_id and aw.rubric_version_id = ${rv}
             where a.month in (select month from _rubric_months where rubric_version_id = ${rv})
             group by a.unit_id, u.unit_type, grouping sets ((mm.month), (mm.quarter), (mm.half), (mm.year))) w
      join _target t on t.rubric_version_id = ${rv} and t.kind = w.kind and t.starts_on = w.starts_on
      cross join lateral (values ${rows.join(",\n                                 ")}) as x(code, share_sum, val_sum, val_n, num_sum, den_sum, applies)
     where x.applies`;
}
