import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

test("a cloned test database has the schema", async () => {
  const { rows } = await db.knex.raw("select count(*)::int as n from information_schema.tables where table_name = 'findings'");
  expect(rows[0].n).toBe(1);
});
