import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { seedDefaultRubric } from "../../db/seeds/rubric-default.ts";
import { recomputePeriod } from "../../db/scoring/compute.ts";
import { addAudit, addUnit, metrics, seedGroups } from "./fixtures.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedGroups(db.knex);
  await seedDefaultRubric(db.knex);
});
afterAll(async () => {
  await db?.drop();
});

test("smoke", async () => {
  const a = await addUnit(db.knex, "so-a", "Sở A", "so", "so-nganh");
  await addAudit(db.knex, a, "2026-10-05T02:00:00Z", metrics());
  const r = await recomputePeriod(db.knex, "2026-10");
  console.log(r);
  const rows = await db.knex("period_scores").select("*");
  console.log(rows);
  expect(rows.length).toBe(1);
});
