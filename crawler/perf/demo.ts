// The demo's page-load measurements: a few units' sites (DEMO_PAGE_LOAD_SITES, default 3; 0 = none)
// measured twice each on the page-load queue — home page and one key page — in the background, so
// that their unit pages show figures and runs without making the demo start slower.
import type { Knex } from "knex";
import { findChromium } from "../render/renderer.ts";
import { enqueuePageLoad } from "./queue.ts";

export async function startDemoPageLoad(knex: Knex): Promise<{ siteId: number; unitId: number }[]> {
  const raw = Number(process.env.DEMO_PAGE_LOAD_SITES ?? 3);
  const count = Number.isInteger(raw) && raw >= 0 ? Math.min(raw, 50) : 3;
  if (!count || !findChromium()) return [];
  const sites: { id: number; unit_id: number }[] = await knex("sites").where({ active: true }).orderBy("id").limit(count).select("id", "unit_id");
  const ids = sites.map((s) => s.id);
  // Two rounds, so that each page has runs to take a median of.
  await enqueuePageLoad(knex, [...ids, ...ids], { keyPages: 1 });
  return sites.map((s) => ({ siteId: s.id, unitId: s.unit_id }));
}
