// A cache of what scoring reads from each audit's summary: the metric values and category
// statuses as typed arrays (see db/scoring/compute.ts). Reading and decompressing 104,000
// summaries took about 4 s of every recompute of a year for 2,000 units, although a done
// audit's summary does not change. Rows are valid for one layout (a hash of the rubric's
// metric paths and categories) and one version of the audit row (its xmin: any update of the
// site_audits row makes the entry stale). Unlogged: it is rebuilt on demand, so a crash that
// empties it only costs one slower recompute.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create unlogged table scoring_audit_values (
      site_audit_id bigint primary key,
      src_xmin xid not null,
      layout text not null,
      vals float8[] not null,
      cats int2[] not null
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop table if exists scoring_audit_values`);
}
