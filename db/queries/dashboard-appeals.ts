// Appeals (giải trình) as the unit page lists them; filing and deciding are in db/queries/appeals.ts.
import type { Knex } from "knex";

export interface AppealRow {
  id: number;
  finding_id: number;
  unit_id: number;
  filed_at: Date;
  filed_by_name: string | null;
  explanation: string;
  status: "pending" | "under_review" | "accepted" | "rejected" | "expired";
  decided_at: Date | null;
  decided_by_name: string | null;
  decision_reason: string | null;
  finding_message: string;
  finding_code: string;
  due_on: string | null;
  scope: string;
  expires_on: string | null;
}

export async function listUnitAppeals(knex: Knex, unitId: number): Promise<AppealRow[]> {
  return knex("appeals as a")
    .join("findings as f", "f.id", "a.finding_id")
    .leftJoin("users as fb", "fb.id", "a.filed_by")
    .leftJoin("users as db", "db.id", "a.decided_by")
    .where("a.unit_id", unitId)
    .select(
      "a.id",
      "a.finding_id",
      "a.unit_id",
      "a.filed_at",
      knex.raw("coalesce(nullif(fb.full_name, ''), fb.username) as filed_by_name"),
      "a.explanation",
      "a.status",
      "a.decided_at",
      knex.raw("coalesce(nullif(db.full_name, ''), db.username) as decided_by_name"),
      "a.decision_reason",
      "f.message as finding_message",
      "f.code as finding_code",
      "a.due_on",
      "a.scope",
      "a.expires_on",
    )
    .orderBy("a.filed_at", "desc");
}

export async function getAppeal(knex: Knex, id: number) {
  return knex("appeals").where({ id }).first();
}

/** Appeals not yet decided (filed or under review). */
export async function countPendingAppeals(knex: Knex): Promise<number> {
  const [r] = await knex("appeals").whereIn("status", ["pending", "under_review"]).count<{ count: string }[]>("* as count");
  return Number(r.count);
}

export interface QueueRow {
  id: number;
  unit_id: number;
  unit_name: string;
  finding_id: number;
  finding_code: string;
  finding_message: string;
  filed_at: Date;
  filed_by_name: string;
  status: string;
  due_on: string | null;
  decided_at: Date | null;
  scope: string;
  expires_on: string | null;
  attachments: number;
}

/**
 * The appeals queue: open ones first by due date (oldest due first), then decided ones newest
 * first. `open` limits to undecided; `unitId` to one unit (a unit head's own).
 */
export async function listAppealQueue(knex: Knex, opts: { open?: boolean; unitId?: number; limit?: number } = {}): Promise<QueueRow[]> {
  const q = knex("appeals as a")
    .join("findings as f", "f.id", "a.finding_id")
    .join("units as u", "u.id", "a.unit_id")
    .leftJoin("users as fb", "fb.id", "a.filed_by")
    .select(
      "a.id",
      "a.unit_id",
      "u.name as unit_name",
      "a.finding_id",
      "f.code as finding_code",
      "f.message as finding_message",
      "a.filed_at",
      knex.raw("coalesce(nullif(fb.full_name, ''), fb.username) as filed_by_name"),
      "a.status",
      "a.due_on",
      "a.decided_at",
      "a.scope",
      "a.expires_on",
      knex.raw("(select count(*) from appeal_attachments x where x.appeal_id = a.id)::int as attachments"),
    )
    .orderByRaw("(a.status in ('pending','under_review')) desc, a.due_on asc nulls last, a.filed_at desc, a.id desc")
    .limit(Math.min(Math.max(opts.limit ?? 500, 1), 2000));
  if (opts.open) q.whereIn("a.status", ["pending", "under_review"]);
  if (opts.unitId !== undefined) q.where("a.unit_id", opts.unitId);
  return q;
}

export interface AppealDetail extends QueueRow {
  explanation: string;
  decided_by_name: string | null;
  decision_reason: string | null;
  criterion_code: string | null;
  review_started_at: Date | null;
  finding_url: string | null;
  finding_page_id: number | null;
  finding_snippet: string | null;
  finding_severity: string;
  site_url: string;
  audit_at: Date | null;
}

export async function getAppealDetail(knex: Knex, id: number): Promise<AppealDetail | null> {
  const row = await knex("appeals as a")
    .join("findings as f", "f.id", "a.finding_id")
    .join("units as u", "u.id", "a.unit_id")
    .join("sites as s", "s.id", "f.site_id")
    .join("site_audits as sa", "sa.id", "f.site_audit_id")
    .leftJoin("users as fb", "fb.id", "a.filed_by")
    .leftJoin("users as db", "db.id", "a.decided_by")
    .where("a.id", id)
    .first(
      "a.id",
      "a.unit_id",
      "u.name as unit_name",
      "a.finding_id",
      "f.code as finding_code",
      "f.message as finding_message",
      "f.url as finding_url",
      "f.page_id as finding_page_id",
      "f.snippet as finding_snippet",
      "f.severity as finding_severity",
      "s.base_url as site_url",
      "sa.reference_time as audit_at",
      "a.filed_at",
      knex.raw("coalesce(nullif(fb.full_name, ''), fb.username) as filed_by_name"),
      knex.raw("coalesce(nullif(db.full_name, ''), db.username) as decided_by_name"),
      "a.status",
      "a.due_on",
      "a.decided_at",
      "a.decision_reason",
      "a.scope",
      "a.criterion_code",
      "a.expires_on",
      "a.review_started_at",
      "a.explanation",
      knex.raw("(select count(*) from appeal_attachments x where x.appeal_id = a.id)::int as attachments"),
    );
  return (row as AppealDetail | undefined) ?? null;
}

export interface AttachmentMeta {
  id: number;
  appeal_id: number;
  filename: string;
  content_type: string;
  size_bytes: number;
}

export async function listAppealAttachments(knex: Knex, appealId: number): Promise<AttachmentMeta[]> {
  return knex("appeal_attachments").where({ appeal_id: appealId }).orderBy("id").select("id", "appeal_id", "filename", "content_type", "size_bytes");
}

export async function getAppealAttachment(knex: Knex, id: number): Promise<(AttachmentMeta & { unit_id: number; body: Buffer }) | null> {
  const row = await knex("appeal_attachments as x")
    .join("appeals as a", "a.id", "x.appeal_id")
    .where("x.id", id)
    .first("x.id", "x.appeal_id", "x.filename", "x.content_type", "x.size_bytes", "x.body", "a.unit_id");
  return row ?? null;
}

/** Findings an accepted appeal covers (the accepted_findings view), for the detail page. */
export async function countCoveredFindings(knex: Knex, appealId: number): Promise<number> {
  const [r] = await knex("accepted_findings").where({ appeal_id: appealId }).count<{ n: string }[]>("* as n");
  return Number(r.n);
}
