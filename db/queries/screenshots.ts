// Chromium screenshots of home pages, one per audit (issue 13 §4): the PNG in snapshots (by
// SHA-256, uncompressed: PNG is compressed already), the row in audit_screenshots.
import { createHash } from "node:crypto";
import type { Knex } from "knex";

export interface AuditScreenshot {
  siteAuditId: number;
  url: string;
  contentHash: string;
  sizeBytes: number;
  takenAt: Date;
}

export async function storeAuditScreenshot(knex: Knex, siteAuditId: number, shot: { png: Buffer; url: string; takenAt: Date }): Promise<string> {
  const hash = createHash("sha256").update(shot.png).digest("hex");
  await knex.transaction(async (trx) => {
    await trx("snapshots").insert({ hash, body: shot.png, compression: "none", size_bytes: shot.png.length }).onConflict("hash").ignore();
    await trx("audit_screenshots")
      .insert({ site_audit_id: siteAuditId, url: shot.url.replace(/\0/g, ""), content_hash: hash, size_bytes: shot.png.length, taken_at: shot.takenAt })
      .onConflict("site_audit_id")
      .merge();
  });
  return hash;
}

/** The screenshot of the unit's latest audit that has one (with its unit, for access checks). */
export async function getLatestUnitScreenshot(knex: Knex, unitId: number): Promise<AuditScreenshot | null> {
  const row = await knex("audit_screenshots as s")
    .join("site_audits as a", "a.id", "s.site_audit_id")
    .where("a.unit_id", unitId)
    .orderBy("s.taken_at", "desc")
    .first("s.site_audit_id", "s.url", "s.content_hash", "s.size_bytes", "s.taken_at");
  return row ? { siteAuditId: row.site_audit_id, url: row.url, contentHash: row.content_hash, sizeBytes: row.size_bytes, takenAt: row.taken_at } : null;
}

/** The PNG of an audit's screenshot and the unit it belongs to, or null. */
export async function getAuditScreenshotPng(knex: Knex, siteAuditId: number): Promise<{ unitId: number; png: Buffer } | null> {
  const row = await knex("audit_screenshots as s")
    .join("site_audits as a", "a.id", "s.site_audit_id")
    .join("snapshots as sn", "sn.hash", "s.content_hash")
    .where("s.site_audit_id", siteAuditId)
    .first("a.unit_id", "sn.body");
  return row ? { unitId: row.unit_id, png: row.body } : null;
}
