// "Chưa xác minh được" (docs/decisions/0013-unverified.md): an inspector's decision to count an
// unverified item of an audit against the unit. One decision per audit and item; the audit's
// summary is rewritten in the same transaction so that scoring reads it.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table unverified_decisions (
      id bigserial primary key,
      site_audit_id bigint not null references site_audits(id) on delete cascade,
      item_key text not null check (length(item_key) between 1 and 200),
      decision text not null check (decision in ('count-missing')),
      reason text check (reason is null or length(reason) <= 2000),
      decided_by integer not null references users(id),
      decided_at timestamptz not null default now(),
      unique (site_audit_id, item_key)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop table if exists unverified_decisions`);
}
