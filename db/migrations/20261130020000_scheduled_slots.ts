// One row per schedule slot that a scheduler claimed: with several processes running a scheduler
// (the dashboard, `npm run scheduler`, the demo), the one whose insert wins enqueues the round of
// that slot; the others see the conflict and do nothing (docs/decisions/0008-scheduler.md).
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table scheduled_slots (
      slot timestamptz primary key,
      expression text not null,
      round_id integer references audit_rounds(id) on delete set null,
      claimed_by text not null,
      claimed_at timestamptz not null default now()
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop table if exists scheduled_slots`);
}
