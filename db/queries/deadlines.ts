// Documents' posting deadlines kept in done audits (summary.result.freshness.documents), for
// re-evaluating them when the holiday table changes: only audits of open periods, and only those
// with a document whose issue-to-posting span contains a changed day.
import type { Knex } from "knex";
import { requestRescoreForAudit } from "../scoring/rescore.ts";
import { SCORING_TIME_ZONE } from "../scoring/compute.ts";

export interface StoredDocument {
  url: string;
  issued: string;
  posted: string;
  workingDays: number;
  limit: number;
  late: boolean;
}

export interface AuditDocuments {
  auditId: number;
  siteId: number;
  unitId: number;
  documents: StoredDocument[];
}

export async function auditsWithDocumentsSpanning(knex: Knex, days: string[]): Promise<AuditDocuments[]> {
  if (!days.length) return [];
  const first = [...days].sort()[0];
  const last = [...days].sort().at(-1)!;
  const { rows } = await knex.raw(
    `select sa.id, sa.site_id, sa.unit_id, sa.summary->'result'->'freshness'->'documents' as documents
       from site_audits sa
      where sa.status = 'done'
        and jsonb_typeof(sa.summary->'result'->'freshness'->'documents') = 'array'
        and jsonb_array_length(sa.summary->'result'->'freshness'->'documents') > 0
        and not exists (select 1 from periods p
                         where p.kind = 'month' and p.frozen_at is not null
                           and (sa.reference_time at time zone ?)::date between p.starts_on and p.ends_on)
        and exists (select 1 from jsonb_array_elements(sa.summary->'result'->'freshness'->'documents') d
                     where d->>'issued' < ? and d->>'posted' >= ?)`,
    [SCORING_TIME_ZONE, last, first],
  );
  return (rows as { id: number; site_id: number; unit_id: number; documents: StoredDocument[] }[]).map((r) => ({
    auditId: Number(r.id),
    siteId: r.site_id,
    unitId: r.unit_id,
    documents: r.documents,
  }));
}

export interface LateFindingInput {
  code: string;
  check: string;
  severity: string;
  message: string;
  url: string | null;
  categoryId?: string | null;
  snippet?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Replaces an audit's deadline verdicts: the stored documents and on-time count, the
 * late-document findings (kept where a document stays late, so appeals on them stay attached;
 * removed where it is no longer late; added where it now is), and a score request for it.
 */
export async function replaceAuditDeadlines(
  knex: Knex,
  a: AuditDocuments,
  documents: StoredDocument[],
  newLate: LateFindingInput[],
  lateCode: string,
): Promise<void> {
  await knex.transaction(async (trx) => {
    const onTime = documents.filter((d) => !d.late).length;
    await trx.raw(
      `update site_audits
          set summary = jsonb_set(jsonb_set(summary, '{result,freshness,documents}', ?::jsonb),
                                  '{deadlines}', jsonb_build_object('documentsChecked', ?::int, 'documentsOnTime', ?::int))
        where id = ?`,
      [JSON.stringify(documents), documents.length, onTime, a.auditId],
    );
    const lateUrls = documents.filter((d) => d.late).map((d) => d.url);
    await trx("findings").where({ site_audit_id: a.auditId, code: lateCode }).whereNotIn("url", lateUrls).whereNotExists(
      trx("appeals").whereRaw("appeals.finding_id = findings.id").select(trx.raw("1")),
    ).delete();
    const kept: { url: string }[] = await trx("findings").where({ site_audit_id: a.auditId, code: lateCode }).select("url");
    const have = new Set(kept.map((k) => k.url));
    const pages: { id: number; url: string; final_url: string | null }[] = await trx("pages").where({ site_audit_id: a.auditId }).select("id", "url", "final_url");
    const pageOf = (url: string | null) => (url ? pages.find((p) => p.url === url || p.final_url === url)?.id ?? null : null);
    const rows = newLate
      .filter((f) => !have.has(f.url ?? ""))
      .map((f) => ({
        site_audit_id: a.auditId,
        site_id: a.siteId,
        unit_id: a.unitId,
        check_id: f.check,
        code: f.code,
        category_id: f.categoryId ?? null,
        severity: f.severity,
        message: f.message,
        page_id: pageOf(f.url),
        url: f.url,
        snippet: f.snippet ?? null,
        details: JSON.stringify(f.details ?? {}),
      }));
    if (rows.length) await trx("findings").insert(rows);
    // Messages of kept findings follow the new count of working days.
    for (const f of newLate.filter((x) => have.has(x.url ?? ""))) {
      await trx("findings").where({ site_audit_id: a.auditId, code: lateCode, url: f.url }).update({ message: f.message, details: JSON.stringify(f.details ?? {}) });
    }
    await requestRescoreForAudit(trx, a.auditId);
  });
}
