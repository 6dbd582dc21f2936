// Registers the farm's sites as units and sites in a test database.
import type { Knex } from "knex";
import { seedGroupsAndSettings, seedUnits } from "../../db/seeds/sample-province.ts";
import type { FarmSite } from "../farm/index.ts";

export async function seedFarmSites(knex: Knex, sites: FarmSite[], maxPages: number): Promise<Map<string, number>> {
  await seedGroupsAndSettings(knex);
  const unitIds = await seedUnits(
    knex,
    sites.map((s) => ({
      code: s.truth.code,
      name: s.truth.name,
      unitType: s.truth.unitType ?? "so",
      group: s.truth.group ?? "so-nganh",
      baseUrl: s.baseUrl,
      allowPrivate: true,
    })),
  );
  await knex("sites").update({ max_pages: maxPages });
  const siteIds = new Map<string, number>();
  for (const s of sites) {
    const row = await knex("sites").where({ unit_id: unitIds.get(s.truth.code) }).first("id");
    siteIds.set(s.id, row.id);
  }
  return siteIds;
}
