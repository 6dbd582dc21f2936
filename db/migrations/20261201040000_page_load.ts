// Page-load measurements (issue 14 §2, docs/decisions/0019-page-load.md): every Lighthouse run of a
// site's page is kept as evidence; a site's figure for a month is the median of its runs there.
// page_load_slots: the page-load schedule's claimed slots (one enqueuer per slot), apart from the
// audit schedule's scheduled_slots so that neither schedule's "no later slot" rule sees the other.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table page_load_runs (
      id bigserial primary key,
      site_id integer not null references sites(id),
      url text not null,
      page_kind text not null check (page_kind in ('home', 'key')),
      measured_at timestamptz not null,
      fcp_ms integer check (fcp_ms >= 0),
      lcp_ms integer check (lcp_ms >= 0),
      speed_index_ms integer check (speed_index_ms >= 0),
      tbt_ms integer check (tbt_ms >= 0),
      error text,
      duration_ms integer not null check (duration_ms >= 0),
      form_factor text not null default 'mobile',
      throttling text not null,
      tool text not null,
      slot timestamptz,
      created_at timestamptz not null default now(),
      check (error is not null or (fcp_ms is not null and lcp_ms is not null and speed_index_ms is not null and tbt_ms is not null))
    );
    create index page_load_runs_site_idx on page_load_runs(site_id, measured_at desc);

    create table page_load_slots (
      slot timestamptz primary key,
      expression text not null,
      claimed_by text,
      claimed_at timestamptz not null default now(),
      sites integer
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop table if exists page_load_slots; drop table if exists page_load_runs;`);
}
