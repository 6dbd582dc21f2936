// Unit lineage (two-level local government, 01/07/2025): merges and renames, with their effective
// date, so that a unit's history follows it. A merge row links a predecessor (made inactive) to
// its successor; a rename row links a unit to itself with the old and new names. Closed periods
// keep the names frozen in period_scores.unit_snapshot; nothing here changes them.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table unit_lineage (
      id serial primary key,
      kind text not null check (kind in ('merge', 'rename')),
      predecessor_id integer not null references units(id),
      successor_id integer not null references units(id),
      effective_on date not null,
      old_name text,
      new_name text,
      note text check (note is null or length(note) <= 1000),
      created_by integer references users(id) on delete set null,
      created_at timestamptz not null default now(),
      check ((kind = 'merge' and predecessor_id <> successor_id) or (kind = 'rename' and predecessor_id = successor_id
             and old_name is not null and new_name is not null))
    );
    -- A unit is merged into one successor at most (a split is not modelled).
    create unique index unit_lineage_one_merge_idx on unit_lineage(predecessor_id) where kind = 'merge';
    create index unit_lineage_successor_idx on unit_lineage(successor_id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop table if exists unit_lineage`);
}
