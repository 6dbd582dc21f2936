// The evidence of a finding as one JSON object: the finding, the audit, the page (HTTP
// status, time, stored snapshot) and the latest appeal. Used live (explanations) and
// stored into criterion_scores.detail when a period is frozen, so that a frozen report
// never depends on rows that may change or disappear later.
// Times are formatted explicitly in UTC so the stored text never depends on the session.

const ts = (expr: string) => `to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/**
 * SQL expression building the evidence object for finding alias `f`, whose audit is `sa`.
 * `countedExpr` says whether the finding counts (false once its appeal was accepted).
 */
export function findingEvidenceSql(countedExpr: string): string {
  return `jsonb_build_object(
    'id', f.id,
    'counted', ${countedExpr},
    'checkId', f.check_id,
    'code', f.code,
    'categoryId', f.category_id,
    'severity', f.severity,
    'message', f.message,
    'url', f.url,
    'snippet', f.snippet,
    'details', f.details,
    'siteId', f.site_id,
    'auditId', f.site_audit_id,
    'auditTime', ${ts("sa.reference_time")},
    'page', (select jsonb_build_object(
                'id', pg.id, 'url', pg.url, 'finalUrl', pg.final_url, 'status', pg.status, 'title', pg.title,
                'fetchedAt', ${ts("pg.fetched_at")}, 'contentHash', pg.content_hash,
                'snapshotStored', exists (select 1 from snapshots sn where sn.hash = pg.content_hash))
               from pages pg
              where pg.id = f.page_id or (f.page_id is null and pg.site_audit_id = f.site_audit_id and pg.url = f.url)
              order by pg.id limit 1),
    'appeal', (select jsonb_build_object(
                'id', ap.id, 'status', ap.status, 'filedAt', ${ts("ap.filed_at")}, 'explanation', ap.explanation,
                'decidedAt', case when ap.decided_at is not null then ${ts("ap.decided_at")} end,
                'reason', ap.decision_reason)
               from appeals ap where ap.finding_id = f.id order by ap.filed_at desc, ap.id desc limit 1)
  )`;
}

export interface FindingEvidence {
  id: number;
  counted: boolean;
  checkId: string;
  code: string;
  categoryId: string | null;
  severity: "error" | "warning" | "info";
  message: string;
  url: string | null;
  snippet: string | null;
  details: Record<string, unknown>;
  siteId: number;
  auditId: number;
  /** ISO time (UTC) of the audit that recorded the finding. */
  auditTime: string;
  page: {
    id: number;
    url: string;
    finalUrl: string | null;
    status: number | null;
    title: string | null;
    fetchedAt: string;
    contentHash: string | null;
    snapshotStored: boolean;
  } | null;
  appeal: {
    id: number;
    status: "pending" | "accepted" | "rejected";
    filedAt: string;
    explanation: string;
    decidedAt: string | null;
    reason: string | null;
  } | null;
}
