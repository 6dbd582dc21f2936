// A fresh, migrated database per test file, cloned from the template made in global setup.
import { randomBytes } from "node:crypto";
import type { Knex } from "knex";
import { inject } from "vitest";
import { createKnex } from "../../db/index.ts";
import { withDatabase } from "../../db/server.ts";

export interface TestDatabase {
  knex: Knex;
  url: string;
  name: string;
  drop(): Promise<void>;
}

export function serverUrl(): string {
  return inject("pgServerUrl");
}

export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const base = serverUrl();
  const name = `tt_test_${randomBytes(5).toString("hex")}`;
  const admin = createKnex(base, { max: 1 });
  try {
    await admin.raw(opts.empty ? `create database ${name}` : `create database ${name} template ${inject("pgTemplateDb")}`);
  } finally {
    await admin.destroy();
  }
  const url = withDatabase(base, name);
  const knex = createKnex(url, { max: 5 });
  return {
    knex,
    url,
    name,
    async drop() {
      await knex.destroy();
      const a = createKnex(base, { max: 1 });
      try {
        await a.raw(`drop database if exists ${name} with (force)`);
      } finally {
        await a.destroy();
      }
    },
  };
}
