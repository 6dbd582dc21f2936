// The letterhead (issuer, abbreviation, signer, recipients) and the written assessment of a period's
// report, edited by inspectors before closing and kept with the period: once it is closed they are
// what its official report prints, whatever the settings say later.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table period_report_texts (
      period_id integer primary key references periods(id) on delete cascade,
      letterhead jsonb not null,
      assessment jsonb,
      updated_by integer references users(id) on delete set null,
      updated_at timestamptz not null default now()
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop table if exists period_report_texts`);
}
