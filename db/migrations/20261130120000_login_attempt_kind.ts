// Login throttling also counts wrong current passwords on the password-change form: one table,
// a kind per attempt ('login' | 'password-change').
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table login_attempts add column kind text not null default 'login';
    create index login_attempts_kind_idx on login_attempts(kind, username, at desc);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index if exists login_attempts_kind_idx;
    alter table login_attempts drop column if exists kind;
  `);
}
