// "Audit now" from the dashboard. Goes through one adapter so that the crawler's queue
// (crawler/queue: auditSiteNow/auditUnitNow) can take over without touching the routes.
import type { Knex } from "knex";
import { insertQueuedAudits, siteIdsOfUnit } from "../../db/queries/dashboard-audits.ts";

export async function requestSiteAudit(knex: Knex, siteId: number, userId: number): Promise<number> {
  return (await insertQueuedAudits(knex, [siteId], userId)).audits;
}

export async function requestUnitAudit(knex: Knex, unitId: number, userId: number): Promise<number> {
  const ids = await siteIdsOfUnit(knex, unitId);
  if (ids.length === 0) return 0;
  return (await insertQueuedAudits(knex, ids, userId)).audits;
}
