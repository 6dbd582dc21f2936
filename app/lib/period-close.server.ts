// Closing a period from the dashboard (/chot-ky) and the JSON API (/api/v1/periods/:code/close):
// the calls and the mapping of refusals to messages and HTTP answers.
import type { Knex } from "knex";
import {
  findApiTokenInspector,
  getPeriodCloseStatus,
  listPeriodCloseStates,
  PeriodCloseError,
  periodStateText,
  reopenPeriod,
  type PeriodChecklist,
  type PeriodCloseErrorCode,
} from "../../db/queries/period-close.ts";
import { closePeriod } from "../../reports/close-period.ts";
import { draftAssessment } from "../../reports/assessment.ts";
import { DEFAULT_ISSUER, type ReportAssessment, type ReportIssuer } from "../../db/report-model.ts";
import { getPeriodReportTexts, loadIssuerSettings, savePeriodReportTexts } from "../../db/queries/report-texts.ts";
import { loadReportModel, ReportError } from "../../db/queries/reports.ts";
import { apiError, apiJson } from "./api.server.ts";

export interface ClosePageData {
  periods: { code: string; label: string; startsOn: string; endsOn: string; state: string; stateText: string; officialReportId: number | null }[];
  selected: Awaited<ReturnType<typeof getPeriodCloseStatus>> & { stateText: string } | null;
  texts: ReportTextsForm | null;
  error: string | null;
}

export async function loadClosePage(knex: Knex, code: string | null, now: Date = new Date()): Promise<ClosePageData> {
  const periods = (await listPeriodCloseStates(knex, now)).map((s) => ({
    code: s.code,
    label: s.label,
    startsOn: s.startsOn,
    endsOn: s.endsOn,
    state: s.state,
    stateText: periodStateText(s),
    officialReportId: s.officialReportId,
  }));
  if (!code) return { periods, selected: null, texts: null, error: null };
  try {
    const s = await getPeriodCloseStatus(knex, code, now);
    return { periods, selected: { ...s, stateText: periodStateText(s) }, texts: await loadReportTexts(knex, s.code), error: null };
  } catch (e) {
    if (e instanceof PeriodCloseError) return { periods, selected: null, texts: null, error: e.message };
    throw e;
  }
}

export type CloseActionResult = { ok: boolean; message: string; reportId?: number };

/** The page's action: close (with the confirmation checkbox) or reopen (with a reason). */
export async function closePageAction(
  knex: Knex,
  user: { id: number },
  form: FormData,
  ctx: { ip: string | null; now?: Date },
): Promise<CloseActionResult> {
  const intent = String(form.get("intent") ?? "");
  const code = String(form.get("ky") ?? "");
  try {
    if (intent === "close") {
      const r = await closePeriod(knex, {
        periodCode: code,
        userId: user.id,
        now: ctx.now,
        confirmWarnings: form.get("xacNhan") === "1",
        ip: ctx.ip,
        via: "dashboard",
      });
      return { ok: true, message: `Đã chốt ${r.label}. Báo cáo chính thức ${r.report.fileName} đã được lưu trữ.`, reportId: r.report.id };
    }
    if (intent === "texts") return await saveReportTextsAction(knex, user, form);
    if (intent === "reopen") {
      const r = await reopenPeriod(knex, { periodCode: code, userId: user.id, reason: String(form.get("lyDo") ?? ""), now: ctx.now, ip: ctx.ip });
      return { ok: true, message: `Đã mở lại ${r.label}; lý do đã được ghi vào nhật ký và điểm đã được tính lại.` };
    }
    return { ok: false, message: "Thao tác không hợp lệ." };
  } catch (e) {
    if (e instanceof PeriodCloseError) {
      const hint = e.code === "needs_confirmation" ? " Đánh dấu ô xác nhận rồi bấm Chốt kỳ." : "";
      return { ok: false, message: e.message + hint };
    }
    throw e;
  }
}

const HTTP_OF: Record<PeriodCloseErrorCode, number> = {
  bad_period: 400,
  bad_reason: 400,
  forbidden: 403,
  not_ended: 409,
  already_closed: 409,
  not_closed: 409,
  needs_confirmation: 409,
  no_rubric: 409,
  not_scored: 409,
};

function checklistJson(c: PeriodChecklist) {
  return {
    clean: c.clean,
    notAudited: c.notAudited,
    allFailed: c.allFailed,
    pendingAppeals: c.pendingAppeals,
    pendingAudits: c.pendingAudits,
  };
}

function errorResponse(e: PeriodCloseError): Response {
  const body: Record<string, unknown> = { error: { code: e.code, message: e.message } };
  if (e.checklist) body.checklist = checklistJson(e.checklist);
  return apiJson(body, HTTP_OF[e.code]);
}

/** POST /api/v1/periods/:code/close with body {"confirm": true} when the checklist is not clean. */
export async function apiClosePeriod(knex: Knex, tokenId: number, code: string, request: Request, now: Date = new Date()): Promise<Response> {
  let confirm = false;
  const text = await request.text();
  if (text.trim()) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return apiError(400, "bad_request", 'Nội dung yêu cầu phải là JSON, ví dụ {"confirm": true}.');
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) return apiError(400, "bad_request", 'Nội dung yêu cầu phải là một đối tượng JSON, ví dụ {"confirm": true}.');
    const c = (body as Record<string, unknown>).confirm;
    if (c !== undefined && typeof c !== "boolean") return apiError(400, "bad_request", '"confirm" phải là true hoặc false.');
    confirm = c === true;
  }
  try {
    const user = await findApiTokenInspector(knex, tokenId);
    const r = await closePeriod(knex, { periodCode: code, userId: user.id, now, confirmWarnings: confirm, via: "api" });
    return apiJson({
      period: { code: r.periodCode, label: r.label, frozenAt: r.frozenAt, closedBy: { username: r.closedBy.username, fullName: r.closedBy.fullName } },
      report: { id: r.report.id, fileName: r.report.fileName, sha256: r.report.sha256, sizeBytes: r.report.sizeBytes, url: `/bao-cao/luu/${r.report.id}` },
      checklist: checklistJson(r.checklist),
    });
  } catch (e) {
    if (e instanceof PeriodCloseError) return errorResponse(e);
    throw e;
  }
}

/** GET /api/v1/periods/:code/checklist */
export async function apiPeriodChecklist(knex: Knex, code: string, now: Date = new Date()): Promise<Response> {
  try {
    const s = await getPeriodCloseStatus(knex, code, now);
    return apiJson({
      period: {
        code: s.code,
        label: s.label,
        startsOn: s.startsOn,
        endsOn: s.endsOn,
        state: s.state,
        frozenAt: s.frozenAt,
        frozenBy: s.frozenBy ? { username: s.frozenBy.username, fullName: s.frozenBy.fullName } : null,
        officialReportId: s.officialReportId,
      },
      canClose: s.refusal === null,
      refusal: s.refusal,
      checklist: checklistJson(s.checklist),
    });
  } catch (e) {
    if (e instanceof PeriodCloseError) return errorResponse(e);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------
// The report's letterhead and written assessment, edited before closing and frozen with the period.

export interface ReportTextsForm {
  letterhead: ReportIssuer;
  assessment: ReportAssessment;
  /** False once the period is closed: the texts are frozen with it. */
  editable: boolean;
  /** True when the assessment shown is the draft computed from the data (not yet saved). */
  drafted: boolean;
}

/** What /chot-ky shows for a period: its stored texts, else the settings and an assessment drafted from the data. */
export async function loadReportTexts(knex: Knex, code: string): Promise<ReportTextsForm | null> {
  const period = await knex("periods").where({ code }).first("id", "frozen_at");
  if (!period) return null;
  const stored = await getPeriodReportTexts(knex, period.id);
  const letterhead = stored?.letterhead ?? (await loadIssuerSettings(knex));
  let assessment = stored?.assessment ?? null;
  const drafted = assessment === null;
  if (!assessment) {
    try {
      assessment = draftAssessment(await loadReportModel(knex, { periodCode: code, allowDraft: true, maxFindingsPerUnit: 0 }));
    } catch (e) {
      if (!(e instanceof ReportError)) throw e;
      assessment = { overview: "", results: "", shortcomings: "", proposals: "" };
    }
  }
  return { letterhead, assessment, editable: period.frozen_at == null, drafted };
}

const LETTERHEAD_FIELDS: { key: keyof Omit<ReportIssuer, "recipients">; label: string; required: boolean }[] = [
  { key: "parentBody", label: "Cơ quan chủ quản", required: true },
  { key: "department", label: "Cơ quan ban hành", required: true },
  { key: "abbreviation", label: "Chữ viết tắt", required: true },
  { key: "place", label: "Địa danh", required: true },
  { key: "signerTitle", label: "Chức vụ người ký", required: true },
  { key: "signerName", label: "Họ tên người ký", required: false },
];
const ASSESSMENT_FIELDS: (keyof ReportAssessment)[] = ["overview", "results", "shortcomings", "proposals"];

/** Reads and checks the texts form; returns the texts or one Vietnamese sentence saying what is wrong. */
export function parseReportTextsForm(form: FormData): { letterhead: ReportIssuer; assessment: ReportAssessment } | string {
  const text = (name: string) => String(form.get(name) ?? "").replace(/\r\n?/g, "\n").trim();
  const letterhead = { ...DEFAULT_ISSUER };
  for (const f of LETTERHEAD_FIELDS) {
    const v = text(f.key);
    if (f.required && !v) return `Chưa nhập ${f.label.toLowerCase()}.`;
    if (v.length > 200 || v.includes("\n")) return `${f.label} phải là một dòng, tối đa 200 ký tự.`;
    letterhead[f.key] = v;
  }
  if (!/^[\p{Lu}\d]+(?:-[\p{Lu}\d]+)*$/u.test(letterhead.abbreviation)) return "Chữ viết tắt chỉ gồm chữ in hoa và chữ số (ví dụ SKHCN).";
  const recipients = text("recipients").split("\n").map((l) => l.replace(/^[-–•\s]+/, "").replace(/[;.]\s*$/, "").trim()).filter(Boolean);
  if (recipients.length === 0) return "Chưa nhập nơi nhận (mỗi dòng một nơi).";
  if (recipients.length > 20 || recipients.some((r) => r.length > 200)) return "Nơi nhận tối đa 20 dòng, mỗi dòng tối đa 200 ký tự.";
  letterhead.recipients = recipients;
  const assessment = { overview: "", results: "", shortcomings: "", proposals: "" };
  for (const k of ASSESSMENT_FIELDS) {
    const v = text(k);
    if (!v) return "Chưa nhập đủ bốn phần nhận xét, đánh giá.";
    if (v.length > 5000) return "Mỗi phần nhận xét, đánh giá tối đa 5000 ký tự.";
    assessment[k] = v;
  }
  return { letterhead, assessment };
}

export async function saveReportTextsAction(knex: Knex, user: { id: number }, form: FormData): Promise<CloseActionResult> {
  const code = String(form.get("ky") ?? "");
  const period = await knex("periods").where({ code }).first("id");
  if (!period) return { ok: false, message: "Không có kỳ này." };
  const parsed = parseReportTextsForm(form);
  if (typeof parsed === "string") return { ok: false, message: parsed };
  const saved = await savePeriodReportTexts(knex, period.id, parsed, user.id);
  if (!saved) return { ok: false, message: "Kỳ đã chốt: thông tin văn bản đã được giữ cố định cùng kỳ, mở lại kỳ để sửa." };
  return { ok: true, message: "Đã lưu thông tin văn bản báo cáo; báo cáo chính thức sẽ dùng nội dung này khi chốt kỳ." };
}
