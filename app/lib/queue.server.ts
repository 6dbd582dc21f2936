// "Audit now" from the dashboard, through the crawler's queue (one round, one pg-boss job per site).
import type { Knex } from "knex";
import { auditSiteNow, auditUnitNow } from "../../crawler/queue/index.ts";
import { siteIdsOfUnit } from "../../db/queries/dashboard-audits.ts";

/** Number of site audits queued (0 when the site is unknown or inactive). */
export async function requestSiteAudit(knex: Knex, siteId: number, userId: number): Promise<number> {
  const site = await knex("sites as s")
    .join("units as u", "u.id", "s.unit_id")
    .where({ "s.id": siteId, "s.active": true, "u.active": true })
    .first("s.id");
  if (!site) return 0;
  await auditSiteNow(knex, siteId, { requestedBy: userId });
  return 1;
}

export async function requestUnitAudit(knex: Knex, unitId: number, userId: number): Promise<number> {
  const ids = await siteIdsOfUnit(knex, unitId);
  if (ids.length === 0) return 0;
  await auditUnitNow(knex, unitId, { requestedBy: userId });
  return ids.length;
}
