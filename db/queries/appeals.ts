// Appeals (giải trình): a unit head explains or contests a finding of their own unit; an
// inspector accepts (the finding stops counting, open periods are recomputed) or rejects it
// with a reason. Both decisions and their authors go to audit_log.
import type { Knex } from "knex";
import { SCORING_TIME_ZONE } from "../scoring/compute.ts";
import { drainRescoreRequests, requestRescore } from "../scoring/rescore.ts";
import { ScoringError } from "../scoring/errors.ts";
import { periodsContaining } from "../scoring/period-codes.ts";
import { isWorkingDay } from "../../crawler/calendar/holidays.ts";
import { loadHolidays } from "./audits.ts";
import { vietnamToday } from "../time.ts";

/** pending = "Đã gửi"; "expired" is shown for an accepted appeal past expires_on (see appealDisplayStatus). */
export type AppealStatus = "pending" | "under_review" | "accepted" | "rejected" | "expired";
export type AppealScope = "finding" | "page" | "site" | "criterion";
export const APPEAL_SCOPES: AppealScope[] = ["finding", "page", "site", "criterion"];
const OPEN: AppealStatus[] = ["pending", "under_review"];

export interface Appeal {
  id: number;
  finding_id: number;
  unit_id: number;
  filed_by: number;
  filed_at: Date;
  explanation: string;
  status: AppealStatus;
  decided_by: number | null;
  decided_at: Date | null;
  decision_reason: string | null;
  due_on: string | null;
  review_started_at: Date | null;
  scope: AppealScope;
  criterion_code: string | null;
  expires_on: string | null;
}

export interface AttachmentInput {
  filename: string;
  contentType: string;
  body: Buffer;
}

export const DEFAULT_APPEAL_DUE_WORKING_DAYS = 10;

/** Working days an inspector has to decide (setting appeal_due_working_days, default 10). */
export async function appealDueWorkingDays(knex: Knex): Promise<number> {
  const row = await knex("settings").where({ key: "appeal_due_working_days" }).first("value");
  const n = Number(row?.value);
  return Number.isInteger(n) && n >= 1 && n <= 60 ? n : DEFAULT_APPEAL_DUE_WORKING_DAYS;
}

export async function setAppealDueWorkingDays(knex: Knex, n: number): Promise<void> {
  await knex("settings").insert({ key: "appeal_due_working_days", value: JSON.stringify(n), updated_at: knex.fn.now() }).onConflict("key").merge(["value", "updated_at"]);
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(day + "T00:00:00Z") + n * 86_400_000).toISOString().slice(0, 10);
}

/** The n-th working day after `from` (weekends and the holidays table skipped). */
export function addWorkingDays(from: string, n: number, holidays: Record<string, string>): string {
  let d = from;
  for (let left = n, guard = 0; left > 0 && guard < 1000; guard++) {
    d = addDays(d, 1);
    if (isWorkingDay(d, holidays)) left--;
  }
  return d;
}

export async function appealDueDate(knex: Knex, filedDay: string): Promise<string> {
  const [n, holidays] = await Promise.all([appealDueWorkingDays(knex), loadHolidays(knex)]);
  return addWorkingDays(filedDay, n, holidays);
}

export function appealDisplayStatus(a: { status: string; expires_on: string | null }, today = vietnamToday()): AppealStatus {
  if (a.status === "accepted" && a.expires_on && a.expires_on < today) return "expired";
  return a.status as AppealStatus;
}

export interface DecideResult {
  appeal: Appeal;
  /** Periods whose scores were recomputed because of the decision. */
  recomputed: string[];
  /** Periods that contain the finding but are frozen: their scores stay as issued. */
  skippedFrozen: string[];
}

const MAX_TEXT = 5000;

function cleanText(text: unknown, what: string): string {
  const t = typeof text === "string" ? text.trim() : "";
  if (!t) throw new ScoringError("invalid", `${what} không được để trống.`);
  if (t.length > MAX_TEXT) throw new ScoringError("invalid", `${what} quá dài (tối đa ${MAX_TEXT} ký tự).`);
  return t;
}

async function activeUser(trx: Knex, userId: number): Promise<{ id: number; role: string; unit_id: number | null }> {
  const user = await trx("users").where({ id: userId, active: true }).first("id", "role", "unit_id");
  if (!user) throw new ScoringError("forbidden", "Tài khoản không tồn tại hoặc đã bị khóa.");
  return user;
}

export async function fileAppeal(
  knex: Knex,
  input: { findingId: number; userId: number; explanation: string; attachments?: AttachmentInput[] },
): Promise<Appeal> {
  const explanation = cleanText(input.explanation, "Nội dung giải trình");
  const dueOn = await appealDueDate(knex, vietnamToday());
  return knex.transaction(async (trx) => {
    const user = await activeUser(trx, input.userId);
    const finding = await trx("findings").where({ id: input.findingId }).first("id", "unit_id", "code");
    if (!finding) throw new ScoringError("not_found", `Không tìm thấy phát hiện #${input.findingId}.`);
    if (user.role !== "unit_head" || user.unit_id !== finding.unit_id)
      throw new ScoringError("forbidden", "Chỉ thủ trưởng đơn vị có phát hiện này mới được gửi giải trình.");
    const open = await trx("appeals").where({ finding_id: finding.id }).whereIn("status", ["pending", "under_review", "accepted"]).first("id", "status");
    if (open)
      throw new ScoringError(
        "conflict",
        open.status !== "accepted" ? "Phát hiện này đã có giải trình đang chờ xử lý." : "Giải trình cho phát hiện này đã được chấp nhận.",
      );
    const [appeal] = await trx("appeals")
      .insert({ finding_id: finding.id, unit_id: finding.unit_id, filed_by: user.id, explanation, due_on: dueOn })
      .returning("*");
    for (const f of input.attachments ?? []) {
      await trx("appeal_attachments").insert({ appeal_id: appeal.id, filename: f.filename.slice(0, 255), content_type: f.contentType, size_bytes: f.body.length, body: f.body });
    }
    await trx("audit_log").insert({
      user_id: user.id,
      action: "appeal.file",
      entity: "appeal",
      entity_id: String(appeal.id),
      details: JSON.stringify({
        findingId: finding.id,
        unitId: finding.unit_id,
        code: finding.code,
        dueOn,
        attachments: (input.attachments ?? []).map((f) => ({ filename: f.filename, contentType: f.contentType, size: f.body.length })),
      }),
    });
    return appeal as Appeal;
  });
}

/** An inspector takes a filed appeal into review ("Đang xem xét"); logged. */
export async function startAppealReview(knex: Knex, input: { appealId: number; inspectorId: number }): Promise<Appeal> {
  return knex.transaction(async (trx) => {
    const user = await activeUser(trx, input.inspectorId);
    if (user.role !== "inspector") throw new ScoringError("forbidden", "Chỉ cán bộ kiểm tra mới được xem xét giải trình.");
    const appeal: Appeal | undefined = await trx("appeals").where({ id: input.appealId }).forUpdate().first();
    if (!appeal) throw new ScoringError("not_found", `Không tìm thấy giải trình #${input.appealId}.`);
    if (appeal.status !== "pending") throw new ScoringError("conflict", "Giải trình này không còn ở trạng thái “Đã gửi”.");
    const [updated] = await trx("appeals")
      .where({ id: appeal.id })
      .update({ status: "under_review", review_started_at: trx.fn.now(), review_started_by: user.id })
      .returning("*");
    await trx("audit_log").insert({
      user_id: user.id,
      action: "appeal.review",
      entity: "appeal",
      entity_id: String(appeal.id),
      details: JSON.stringify({ findingId: appeal.finding_id, unitId: appeal.unit_id }),
    });
    return updated as Appeal;
  });
}

export async function decideAppeal(
  knex: Knex,
  input: { appealId: number; inspectorId: number; accept: boolean; reason: string; scope?: AppealScope; expiresOn?: string | null },
): Promise<DecideResult> {
  const reason = cleanText(input.reason, "Lý do quyết định");
  const scope: AppealScope = input.accept ? (input.scope ?? "finding") : "finding";
  if (!APPEAL_SCOPES.includes(scope)) throw new ScoringError("invalid", "Phạm vi áp dụng không hợp lệ.");
  const expiresOn = input.accept ? (input.expiresOn ?? null) : null;
  if (expiresOn !== null && (!/^\d{4}-\d{2}-\d{2}$/.test(expiresOn) || Number.isNaN(Date.parse(expiresOn + "T00:00:00Z"))))
    throw new ScoringError("invalid", "Ngày hết hiệu lực không hợp lệ.");
  if (expiresOn !== null && expiresOn < vietnamToday()) throw new ScoringError("invalid", "Ngày hết hiệu lực phải từ hôm nay trở đi.");
  const { updated, codes } = await knex.transaction(async (trx) => {
    const user = await activeUser(trx, input.inspectorId);
    if (user.role !== "inspector") throw new ScoringError("forbidden", "Chỉ cán bộ kiểm tra mới được quyết định giải trình.");
    const appeal: Appeal | undefined = await trx("appeals").where({ id: input.appealId }).forUpdate().first();
    if (!appeal) throw new ScoringError("not_found", `Không tìm thấy giải trình #${input.appealId}.`);
    if (!OPEN.includes(appeal.status)) throw new ScoringError("conflict", "Giải trình này đã được quyết định.");
    const status: AppealStatus = input.accept ? "accepted" : "rejected";
    let criterionCode: string | null = null;
    if (scope === "criterion") {
      // The criterion of the finding's code in the newest rubric that counts it.
      const f = await trx("findings").where({ id: appeal.finding_id }).first("code");
      const rc = await trx("rubric_criteria").whereRaw("coalesce(measure->'findingCodes', '[]'::jsonb) \\? ?", [f.code]).orderBy("rubric_version_id", "desc").first("code");
      if (!rc) throw new ScoringError("invalid", "Phát hiện này không thuộc tiêu chí nào của bộ tiêu chí: chọn phạm vi khác.");
      criterionCode = rc.code;
    }
    const [updated] = await trx("appeals")
      .where({ id: appeal.id })
      .update({ status, decided_by: user.id, decided_at: trx.fn.now(), decision_reason: reason, scope, criterion_code: criterionCode, expires_on: expiresOn })
      .returning("*");
    await trx("audit_log").insert({
      user_id: user.id,
      action: input.accept ? "appeal.accept" : "appeal.reject",
      entity: "appeal",
      entity_id: String(appeal.id),
      details: JSON.stringify({ findingId: appeal.finding_id, unitId: appeal.unit_id, reason, filedBy: appeal.filed_by, scope, criterionCode, expiresOn }),
    });
    let codes: string[] = [];
    if (input.accept) {
      // The covered findings (accepted_findings: the scope and expiry resolved) stop counting in
      // the periods holding their audits' Vietnam days.
      const { rows } = await trx.raw(
        `select distinct to_char((sa.reference_time at time zone ?)::date, 'YYYY-MM-DD') as day
           from accepted_findings af join findings f on f.id = af.finding_id
           join site_audits sa on sa.id = f.site_audit_id where af.appeal_id = ?`,
        [SCORING_TIME_ZONE, appeal.id],
      );
      codes = [...new Set((rows as { day: string }[]).flatMap((r) => periodsContaining(r.day).map((p) => p.code)))];
      await requestRescore(trx, { unitIds: [appeal.unit_id], periodCodes: codes, reason: `appeal.accept:${appeal.id}` });
    }
    return { updated: updated as Appeal, codes };
  });
  if (!codes.length) return { appeal: updated, recomputed: [], skippedFrozen: [] };
  // Drains run one at a time: when this returns, the request is rescored, here or by a worker's
  // or the sweeper's drain that took it first. Closed periods were skipped either way.
  await drainRescoreRequests(knex);
  const frozen: string[] = await knex("periods").whereIn("code", codes).whereNotNull("frozen_at").pluck("code");
  return { appeal: updated, recomputed: codes.filter((c) => !frozen.includes(c)), skippedFrozen: codes.filter((c) => frozen.includes(c)) };
}

export interface AppealListItem extends Appeal {
  unit_name: string;
  finding_code: string;
  finding_message: string;
  finding_url: string | null;
  filed_by_name: string;
  decided_by_name: string | null;
}

/** Appeals, newest first; a unit head passes their unit id to see only their own. */
export async function listAppeals(
  knex: Knex,
  opts: { unitId?: number; status?: AppealStatus; limit?: number } = {},
): Promise<AppealListItem[]> {
  const q = knex("appeals as a")
    .join("findings as f", "f.id", "a.finding_id")
    .join("units as u", "u.id", "a.unit_id")
    .join("users as fb", "fb.id", "a.filed_by")
    .leftJoin("users as db", "db.id", "a.decided_by")
    .select(
      "a.*",
      "u.name as unit_name",
      "f.code as finding_code",
      "f.message as finding_message",
      "f.url as finding_url",
      "fb.full_name as filed_by_name",
      "db.full_name as decided_by_name",
    )
    .orderBy([{ column: "a.filed_at", order: "desc" }, { column: "a.id", order: "desc" }])
    .limit(Math.min(Math.max(opts.limit ?? 200, 1), 1000));
  if (opts.unitId !== undefined) q.where("a.unit_id", opts.unitId);
  if (opts.status) q.where("a.status", opts.status);
  return q;
}

export async function getAppealsForFinding(knex: Knex, findingId: number): Promise<Appeal[]> {
  return knex("appeals").where({ finding_id: findingId }).orderBy([{ column: "filed_at" }, { column: "id" }]);
}
