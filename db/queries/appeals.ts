// Appeals (giải trình): a unit head explains or contests a finding of their own unit; an
// inspector accepts (the finding stops counting, open periods are recomputed) or rejects it
// with a reason. Both decisions and their authors go to audit_log.
import type { Knex } from "knex";
import { SCORING_TIME_ZONE } from "../scoring/compute.ts";
import { drainRescoreRequests, requestRescore } from "../scoring/rescore.ts";
import { ScoringError } from "../scoring/errors.ts";
import { periodsContaining } from "../scoring/period-codes.ts";

export type AppealStatus = "pending" | "accepted" | "rejected";

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

export async function fileAppeal(knex: Knex, input: { findingId: number; userId: number; explanation: string }): Promise<Appeal> {
  const explanation = cleanText(input.explanation, "Nội dung giải trình");
  return knex.transaction(async (trx) => {
    const user = await activeUser(trx, input.userId);
    const finding = await trx("findings").where({ id: input.findingId }).first("id", "unit_id", "code");
    if (!finding) throw new ScoringError("not_found", `Không tìm thấy phát hiện #${input.findingId}.`);
    if (user.role !== "unit_head" || user.unit_id !== finding.unit_id)
      throw new ScoringError("forbidden", "Chỉ thủ trưởng đơn vị có phát hiện này mới được gửi giải trình.");
    const open = await trx("appeals").where({ finding_id: finding.id }).whereIn("status", ["pending", "accepted"]).first("id", "status");
    if (open)
      throw new ScoringError(
        "conflict",
        open.status === "pending" ? "Phát hiện này đã có giải trình đang chờ xử lý." : "Giải trình cho phát hiện này đã được chấp nhận.",
      );
    const [appeal] = await trx("appeals")
      .insert({ finding_id: finding.id, unit_id: finding.unit_id, filed_by: user.id, explanation })
      .returning("*");
    await trx("audit_log").insert({
      user_id: user.id,
      action: "appeal.file",
      entity: "appeal",
      entity_id: String(appeal.id),
      details: JSON.stringify({ findingId: finding.id, unitId: finding.unit_id, code: finding.code }),
    });
    return appeal as Appeal;
  });
}

export async function decideAppeal(
  knex: Knex,
  input: { appealId: number; inspectorId: number; accept: boolean; reason: string },
): Promise<DecideResult> {
  const reason = cleanText(input.reason, "Lý do quyết định");
  const { updated, codes } = await knex.transaction(async (trx) => {
    const user = await activeUser(trx, input.inspectorId);
    if (user.role !== "inspector") throw new ScoringError("forbidden", "Chỉ cán bộ kiểm tra mới được quyết định giải trình.");
    const appeal: Appeal | undefined = await trx("appeals").where({ id: input.appealId }).forUpdate().first();
    if (!appeal) throw new ScoringError("not_found", `Không tìm thấy giải trình #${input.appealId}.`);
    if (appeal.status !== "pending") throw new ScoringError("conflict", "Giải trình này đã được quyết định.");
    const status: AppealStatus = input.accept ? "accepted" : "rejected";
    const [updated] = await trx("appeals")
      .where({ id: appeal.id })
      .update({ status, decided_by: user.id, decided_at: trx.fn.now(), decision_reason: reason })
      .returning("*");
    await trx("audit_log").insert({
      user_id: user.id,
      action: input.accept ? "appeal.accept" : "appeal.reject",
      entity: "appeal",
      entity_id: String(appeal.id),
      details: JSON.stringify({ findingId: appeal.finding_id, unitId: appeal.unit_id, reason, filedBy: appeal.filed_by }),
    });
    let codes: string[] = [];
    if (input.accept) {
      // The finding stops counting in the periods holding its audit's Vietnam day.
      const { rows } = await trx.raw(
        `select to_char((sa.reference_time at time zone ?)::date, 'YYYY-MM-DD') as day
           from findings f join site_audits sa on sa.id = f.site_audit_id where f.id = ?`,
        [SCORING_TIME_ZONE, appeal.finding_id],
      );
      codes = periodsContaining(rows[0].day).map((p) => p.code);
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
