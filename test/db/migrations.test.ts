// Migrations run forward on an empty database and on one that already holds data.
import { afterAll, beforeAll, expect, test } from "vitest";
import { createKnex } from "../../db/index.ts";
import { migrationSource, MIGRATIONS } from "../../db/migrations/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ empty: true });
});
afterAll(async () => {
  await db.drop();
});

const config = { migrationSource, tableName: "knex_migrations" };

test("every migration applies on an empty database, then on a populated one", async () => {
  const names = Object.keys(MIGRATIONS).sort();
  expect(names.length).toBeGreaterThan(0);

  // The first migration on the empty database.
  await db.knex.migrate.up(config);
  await db.knex("unit_groups").insert({ code: "so-nganh", name: "Sở, ban, ngành" });
  const [unit] = await db.knex("units")
    .insert({ code: "STC", name: "Sở Tài chính", unit_type: "so", group_code: "so-nganh" })
    .returning("id");
  await db.knex("sites").insert({ unit_id: unit.id, base_url: "https://stc.binhdinh.gov.vn/" });

  // The rest of them on top of the data.
  await db.knex.migrate.latest(config);
  const [done] = await db.knex.migrate.list(config);
  expect(done.length).toBe(names.length);

  const units = await db.knex("units").select("name");
  expect(units.map((u) => u.name)).toEqual(["Sở Tài chính"]);
  expect(await db.knex("sites").count({ n: "*" })).toEqual([{ n: 1 }]);

  // Running again changes nothing.
  const again = createKnex(db.url, { max: 1 });
  try {
    const [, applied] = await again.migrate.latest(config);
    expect(applied).toEqual([]);
  } finally {
    await again.destroy();
  }
});

test("an audit is never overwritten: one audit per site per round, many rounds kept", async () => {
  const [{ id: unitId }] = await db.knex("units").select("id");
  const [{ id: siteId }] = await db.knex("sites").select("id");
  const r1 = (await db.knex("audit_rounds").insert({ trigger: "test" }).returning("id"))[0].id;
  const r2 = (await db.knex("audit_rounds").insert({ trigger: "test" }).returning("id"))[0].id;
  await db.knex("site_audits").insert({ round_id: r1, site_id: siteId, unit_id: unitId });
  await db.knex("site_audits").insert({ round_id: r2, site_id: siteId, unit_id: unitId });
  await expect(db.knex("site_audits").insert({ round_id: r1, site_id: siteId, unit_id: unitId })).rejects.toThrow(
    /duplicate key/,
  );
  expect(await db.knex("site_audits").where({ site_id: siteId }).count({ n: "*" })).toEqual([{ n: 2 }]);
});
