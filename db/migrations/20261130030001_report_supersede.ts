// Closing a period (chốt kỳ): the report archived by the closing is marked official; when the
// period is reopened its reports stay in the archive, marked as superseded (when, why).
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table reports add column official boolean not null default false;
    alter table reports add column superseded_at timestamptz;
    alter table reports add column superseded_reason text;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table reports drop column if exists official;
    alter table reports drop column if exists superseded_at;
    alter table reports drop column if exists superseded_reason;
  `);
}
