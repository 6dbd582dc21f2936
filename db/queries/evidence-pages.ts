// Pages of one audit by URL: the stored snapshots a finding refers to (the pages where a missing
// category was looked for, issue 13 §4).
import type { Knex } from "knex";

export async function getAuditPageIds(knex: Knex, siteAuditId: number, urls: string[]): Promise<Map<string, number>> {
  const wanted = [...new Set(urls.filter((u) => typeof u === "string" && u.length > 0 && u.length < 4096))].slice(0, 50);
  if (!wanted.length) return new Map();
  const rows: { id: number; url: string }[] = await knex("pages").where("site_audit_id", siteAuditId).whereIn("url", wanted).select("id", "url").orderBy("id");
  const out = new Map<string, number>();
  for (const r of rows) if (!out.has(r.url)) out.set(r.url, r.id);
  return out;
}
