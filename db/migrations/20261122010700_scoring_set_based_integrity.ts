// Criterion scores keep their parent period score, checked once per statement instead of once
// per row. A row-level foreign key costs a lookup and a row lock per inserted row: scoring a
// year for 2,000 units inserts 1.29 million criterion rows, and the per-row checks took more
// time than the inserts themselves. Statement-level triggers with transition tables give the
// same guarantees set-based: no criterion row without its period score (insert/update), and
// deleting period scores (directly or by deleting a period) deletes their criterion rows.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table criterion_scores drop constraint if exists criterion_scores_period_score_fkey;

    create function criterion_scores_parent_check() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from new_rows n
                  where not exists (select 1 from period_scores p where p.period_id = n.period_id and p.unit_id = n.unit_id)) then
        raise exception 'criterion score without its period score' using errcode = '23503';
      end if;
      return null;
    end $$;
    create trigger criterion_scores_parent_insert after insert on criterion_scores
      referencing new table as new_rows for each statement execute function criterion_scores_parent_check();
    create trigger criterion_scores_parent_update after update on criterion_scores
      referencing new table as new_rows for each statement execute function criterion_scores_parent_check();

    create function period_scores_delete_children() returns trigger language plpgsql as $$
    begin
      delete from criterion_scores c using old_rows o where c.period_id = o.period_id and c.unit_id = o.unit_id;
      return null;
    end $$;
    create trigger period_scores_delete_children after delete on period_scores
      referencing old table as old_rows for each statement execute function period_scores_delete_children();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop trigger if exists criterion_scores_parent_insert on criterion_scores;
    drop trigger if exists criterion_scores_parent_update on criterion_scores;
    drop trigger if exists period_scores_delete_children on period_scores;
    drop function if exists criterion_scores_parent_check();
    drop function if exists period_scores_delete_children();
    alter table criterion_scores
      add constraint criterion_scores_period_score_fkey foreign key (period_id, unit_id)
        references period_scores(period_id, unit_id) on delete cascade;
  `);
}
