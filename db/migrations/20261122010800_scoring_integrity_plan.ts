// The set-based integrity checks of 20261122010700 run over transition tables, which have no
// statistics: the planner may pick a nested loop that rescans period_scores for every new row
// (minutes for a year of scores). Hash joins are forced inside the two functions only.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create or replace function criterion_scores_parent_check() returns trigger language plpgsql
      set enable_nestloop = off as $$
    begin
      if exists (select 1 from new_rows n
                  where not exists (select 1 from period_scores p where p.period_id = n.period_id and p.unit_id = n.unit_id)) then
        raise exception 'criterion score without its period score' using errcode = '23503';
      end if;
      return null;
    end $$;
    create or replace function period_scores_delete_children() returns trigger language plpgsql
      set enable_nestloop = off as $$
    begin
      delete from criterion_scores c using old_rows o where c.period_id = o.period_id and c.unit_id = o.unit_id;
      return null;
    end $$;
  `);
}

export async function down(): Promise<void> {
  // The functions of 20261122010700 are behaviourally the same; nothing to undo.
}
