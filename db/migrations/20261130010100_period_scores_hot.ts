// A rescore after one audit re-ranks the unit's whole group: every unit it passes changes rank,
// and so does its row in the next period (previous_rank). With `rank` in an index each of those
// updates rewrote every index of period_scores; without it, and with free space left in each
// page, they are heap-only (HOT) updates. The ranking reads a period's group and sorts it by
// rank and name anyway, so (period_id, group_code) serves it as well.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index if exists period_scores_rank_idx;
    create index period_scores_group_idx on period_scores(period_id, group_code);
    alter table period_scores set (fillfactor = 80);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table period_scores reset (fillfactor);
    drop index if exists period_scores_group_idx;
    create index period_scores_rank_idx on period_scores(period_id, group_code, rank);
  `);
}
