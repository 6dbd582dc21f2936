// Scores that follow the data (docs/decisions/0009-rescoring.md).
// - score_requests: what needs rescoring, written in the same transaction as the change that
//   needs it (an audit finishing, a unit edited, an appeal decided…), so that a crash between
//   the change and the rescore loses nothing: whoever drains the table next does the work.
//   unit_ids null = every unit; period_codes null = every open period holding data.
// - scoring_runs: one row per rescore (when, why, what), for "scores computed at" on the
//   dashboard and for tracing a score back to the run that wrote it.
// - an index for reading one unit's done audits of a period (the rescore after one audit).
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table score_requests (
      id bigserial primary key,
      unit_ids int[],
      period_codes text[],
      reason text not null,
      requested_at timestamptz not null default now()
    );
    create table scoring_runs (
      id bigserial primary key,
      started_at timestamptz not null,
      finished_at timestamptz not null default now(),
      reasons text[] not null,
      unit_ids int[],
      periods text[] not null,
      units_scored int not null default 0,
      ms int not null default 0,
      error text
    );
    create index scoring_runs_finished_idx on scoring_runs(finished_at desc);
    create index site_audits_unit_done_ref_idx on site_audits(unit_id, reference_time) where status = 'done';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index if exists site_audits_unit_done_ref_idx;
    drop table if exists scoring_runs;
    drop table if exists score_requests;
  `);
}
