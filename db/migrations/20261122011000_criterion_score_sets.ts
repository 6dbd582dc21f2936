// Criterion scores are stored as one row per unit and period (criterion_score_sets: one
// array element per criterion) instead of one row per unit, period and criterion. Scoring a
// year for 2,000 units wrote 1.29 million criterion rows, and building and inserting them
// took more than half of the recompute (docs/decisions/0007-criterion-score-sets.md).
//
// `criterion_scores` stays, as a view with the same columns, so every reader is unchanged:
//   detail      = the measurement (share, audits, value, numerator, denominator) made from
//                 the arrays, plus acceptedFindingIds, plus what was stored for that
//                 criterion in `details` (a frozen period's name and finding evidence);
//   finding_ids = the counted findings linked to the criterion (finding_ords = its position
//                 in the arrays; a negative position marks a finding whose appeal was accepted).
// INSTEAD OF triggers keep the view writable row by row (fixtures, tools, the old API):
// inserting a criterion for a unit without a period score fails as the old table did.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- Concatenates arrays in aggregate order (scoring joins the finding links of months).
    create aggregate tt_array_cat_agg(anycompatiblearray) (sfunc = array_cat, stype = anycompatiblearray, initcond = '{}');

    create table criterion_score_sets (
      period_id integer not null,
      unit_id integer not null,
      audits integer,
      codes text[] not null default '{}',
      group_codes text[] not null default '{}',
      points numeric[] not null default '{}',
      max_points numeric[] not null default '{}',
      shares float8[] not null default '{}',
      vals float8[] not null default '{}',
      nums float8[] not null default '{}',
      dens float8[] not null default '{}',
      finding_ids bigint[] not null default '{}',
      finding_ords int2[] not null default '{}',
      details jsonb not null default '{}',
      primary key (period_id, unit_id),
      foreign key (period_id, unit_id) references period_scores(period_id, unit_id) on delete cascade
    )
    -- A row (about 3 KB for 34 criteria) stays uncompressed in the table unless it is larger
    -- than a page: compressing 38,000 rows cost half of the time of writing them.
    with (toast_tuple_target = 8160);

    -- Existing rows move over as they are: their whole detail is kept in details.
    with numbered as (
      select c.*, (row_number() over (partition by c.period_id, c.unit_id order by c.criterion_code))::int2 as ord
        from criterion_scores c),
    links as (
      select n.period_id, n.unit_id, array_agg(f.fid order by n.ord, f.fid) as ids, array_agg(n.ord order by n.ord, f.fid) as ords
        from numbered n cross join unnest(n.finding_ids) f(fid)
       group by 1, 2)
    insert into criterion_score_sets (period_id, unit_id, codes, group_codes, points, max_points, finding_ids, finding_ords, details)
    select n.period_id, n.unit_id,
           array_agg(n.criterion_code order by n.ord), array_agg(n.group_code order by n.ord),
           array_agg(n.points order by n.ord), array_agg(n.max_points order by n.ord),
           coalesce(l.ids, '{}'), coalesce(l.ords, '{}'),
           jsonb_object_agg(n.criterion_code, n.detail)
      from numbered n
      left join links l on l.period_id = n.period_id and l.unit_id = n.unit_id
     group by n.period_id, n.unit_id, l.ids, l.ords;

    drop table criterion_scores;
    drop function if exists criterion_scores_parent_check();
    drop trigger if exists period_scores_delete_children on period_scores;
    drop function if exists period_scores_delete_children();

    create view criterion_scores as
    select s.period_id, s.unit_id, c.code as criterion_code, c.group_code,
           c.points::numeric(7,2) as points, c.max_points::numeric(7,2) as max_points,
           jsonb_strip_nulls(jsonb_build_object(
               'share', round(c.share::numeric, 4),
               'audits', case when c.share is not null then s.audits end,
               'value', round(c.val::numeric, 2),
               'numerator', c.num,
               'denominator', c.den))
             || coalesce((select jsonb_build_object('acceptedFindingIds', jsonb_agg(x.fid order by x.fid))
                            from unnest(s.finding_ids, s.finding_ords) x(fid, o)
                           where x.o = -c.ord
                          having count(*) > 0), '{}'::jsonb)
             || coalesce(s.details -> c.code, '{}'::jsonb) as detail,
           array(select x.fid from unnest(s.finding_ids, s.finding_ords) x(fid, o) where x.o = c.ord order by x.fid) as finding_ids
      from criterion_score_sets s
      cross join lateral unnest(s.codes, s.group_codes, s.points, s.max_points, s.shares, s.vals, s.nums, s.dens)
           with ordinality as c(code, group_code, points, max_points, share, val, num, den, ord)
     where c.code is not null;

    -- Row-by-row writes through the view. The set is found (or created) by its period score.
    create function criterion_scores_view_write() returns trigger language plpgsql as $$
    declare
      s criterion_score_sets%rowtype;
      pos int;
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        select * into s from criterion_score_sets where period_id = old.period_id and unit_id = old.unit_id for update;
        pos := array_position(s.codes, old.criterion_code);
        if tg_op = 'DELETE' then
          update criterion_score_sets
             set codes[pos] = null, details = details - old.criterion_code,
                 finding_ords = array(select case when abs(o) = pos then 0 else o end from unnest(finding_ords) o)
           where period_id = old.period_id and unit_id = old.unit_id;
          return old;
        end if;
        if (new.period_id, new.unit_id, new.criterion_code) is distinct from (old.period_id, old.unit_id, old.criterion_code) then
          raise exception 'a criterion score cannot change its period, unit or criterion' using errcode = '0A000';
        end if;
        update criterion_score_sets x
           set group_codes[pos] = new.group_code, points[pos] = new.points, max_points[pos] = new.max_points,
               details = case when new.detail is distinct from old.detail
                              then x.details || jsonb_build_object(new.criterion_code, new.detail) else x.details end,
               finding_ids = array(select f from unnest(x.finding_ids, x.finding_ords) y(f, o) where o <> pos)
                             || coalesce(new.finding_ids, '{}'),
               finding_ords = array(select o from unnest(x.finding_ids, x.finding_ords) y(f, o) where o <> pos)
                             || array_fill(pos::int2, array[cardinality(coalesce(new.finding_ids, '{}'))])
         where period_id = old.period_id and unit_id = old.unit_id;
        return new;
      end if;
      if not exists (select 1 from period_scores p where p.period_id = new.period_id and p.unit_id = new.unit_id) then
        raise exception 'criterion score without its period score' using errcode = '23503';
      end if;
      insert into criterion_score_sets (period_id, unit_id) values (new.period_id, new.unit_id) on conflict do nothing;
      select * into s from criterion_score_sets where period_id = new.period_id and unit_id = new.unit_id for update;
      if new.criterion_code = any(s.codes) then
        raise exception 'criterion score (%, %, %) already exists', new.period_id, new.unit_id, new.criterion_code using errcode = '23505';
      end if;
      pos := coalesce(cardinality(s.codes), 0) + 1;
      update criterion_score_sets x
         set codes = x.codes || new.criterion_code, group_codes = x.group_codes || new.group_code,
             points = x.points || new.points::numeric, max_points = x.max_points || new.max_points::numeric,
             shares = x.shares || null::float8, vals = x.vals || null::float8, nums = x.nums || null::float8, dens = x.dens || null::float8,
             details = x.details || jsonb_build_object(new.criterion_code, coalesce(new.detail, '{}'::jsonb)),
             finding_ids = x.finding_ids || coalesce(new.finding_ids, '{}'),
             finding_ords = x.finding_ords || array_fill(pos::int2, array[cardinality(coalesce(new.finding_ids, '{}'))])
       where period_id = new.period_id and unit_id = new.unit_id;
      return new;
    end $$;
    create trigger criterion_scores_write instead of insert or update or delete on criterion_scores
      for each row execute function criterion_scores_view_write();
  `);
}

export async function down(): Promise<void> {
  throw new Error("20261122011000_criterion_score_sets cannot be undone: restore a backup taken before it");
}
