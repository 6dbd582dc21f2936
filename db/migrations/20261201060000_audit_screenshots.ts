// Chromium's screenshot of a unit's home page, taken by each audit where rendering is on
// (issue 13 §4): the PNG is stored once by hash in snapshots (compression 'none'), this row
// ties it to the audit.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table audit_screenshots (
      site_audit_id integer primary key references site_audits(id) on delete cascade,
      url text not null,
      content_hash text not null,
      size_bytes integer not null,
      taken_at timestamptz not null
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop table if exists audit_screenshots`);
}
