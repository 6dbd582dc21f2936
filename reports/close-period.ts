// Closing a period ("chốt kỳ"): checks (an active inspector, the period has ended, not closed yet,
// the checklist confirmed when not clean), then in one transaction freezes the scores, builds the
// official province report (no draft stamp), archives it marked official and logs `period.close`.
// If any step fails nothing is kept: the period stays open.
// The database side (checklist, states, reopen) is db/queries/period-close.ts.
import type { Knex } from "knex";
import {
  closeRefusal,
  getCloseChecklist,
  getPeriodCloseStatus,
  markReportOfficial,
  parseClosePeriodCode,
  PeriodCloseError,
  requireInspector,
  type InspectorRef,
  type PeriodChecklist,
} from "../db/queries/period-close.ts";
import { ReportError } from "../db/queries/reports.ts";
import { freezePeriod } from "../db/scoring/freeze.ts";
import { ScoringError } from "../db/scoring/errors.ts";
import { formatPeriodLabel } from "../db/scoring/period-codes.ts";
import { generateReport } from "./generate.ts";
import { freezePeriodReportTexts } from "../db/queries/report-texts.ts";
import { notifyPeriodClosed } from "../app/lib/mail/notify.ts";

export {
  checklistLines,
  getCloseChecklist,
  getPeriodCloseStatus,
  listPeriodCloseStates,
  periodStateText,
  reopenPeriod,
  PeriodCloseError,
  type PeriodChecklist,
  type PeriodCloseState,
  type PeriodCloseStatus,
  type ReopenOptions,
  type ReopenResult,
} from "../db/queries/period-close.ts";

export interface CloseOptions {
  periodCode: string;
  /** The inspector closing the period (users.id); anyone else is refused. */
  userId: number;
  /** The clock (default now): decides whether the period has ended; recorded as frozen_at. */
  now?: Date;
  /** Required (true) when the checklist is not clean: the inspector has seen it and closes anyway. */
  confirmWarnings?: boolean;
  /** Client address for the audit log. */
  ip?: string | null;
  /** Where the close came from, for the audit log: "dashboard", "cli", "api". */
  via?: string;
}

export interface CloseResult {
  periodCode: string;
  label: string;
  frozenAt: string;
  closedBy: InspectorRef;
  report: { id: number; fileName: string; sha256: string; sizeBytes: number };
  checklist: PeriodChecklist;
}

export async function closePeriod(knex: Knex, opts: CloseOptions): Promise<CloseResult> {
  const spec = parseClosePeriodCode(opts.periodCode);
  const now = opts.now ?? new Date();
  const user = await requireInspector(knex, opts.userId);
  const status = await getPeriodCloseStatus(knex, spec.code, now);
  const refusal = closeRefusal(spec, status, now);
  if (refusal) throw new PeriodCloseError(status.state === "closed" ? "already_closed" : "not_ended", refusal);
  const checklist = status.checklist;
  if (!checklist.clean && !opts.confirmWarnings) {
    throw new PeriodCloseError(
      "needs_confirmation",
      `Danh sách kiểm tra trước khi chốt ${formatPeriodLabel(spec)} còn mục cần lưu ý: xác nhận đã xem để chốt kỳ.`,
      checklist,
    );
  }
  try {
    const closed = await knex.transaction(async (trx) => {
      const settings = await freezePeriod(trx, spec.code, user.id, now);
      // The letterhead and assessment are frozen with the period (the current defaults when the
      // inspector did not edit them on /chot-ky).
      const period = await trx("periods").where({ code: spec.code }).first("id");
      await freezePeriodReportTexts(trx, period.id, user.id);
      const report = await generateReport(trx, { periodCode: spec.code, userId: user.id, allowDraft: false, now });
      if (report.draft || report.reportId === null) throw new Error("closing produced a draft report");
      await markReportOfficial(trx, report.reportId);
      // The checklist as it was when closing (what the inspector confirmed).
      const atClose = await getCloseChecklist(trx, spec.code);
      await trx("audit_log").insert({
        at: now,
        user_id: user.id,
        actor: user.username,
        action: "period.close",
        entity: "period",
        entity_id: spec.code,
        details: JSON.stringify({
          via: opts.via ?? null,
          frozenAt: settings.frozenAt,
          reportId: report.reportId,
          fileName: report.fileName,
          sha256: report.sha256,
          confirmedWarnings: !atClose.clean,
          checklist: {
            notAudited: atClose.notAudited.length,
            allFailed: atClose.allFailed.length,
            pendingAppeals: atClose.pendingAppeals.length,
            pendingAudits: atClose.pendingAudits.length,
          },
        }),
        ip: opts.ip ?? null,
      });
      return {
        periodCode: spec.code,
        label: formatPeriodLabel(spec),
        frozenAt: settings.frozenAt,
        closedBy: user,
        report: { id: report.reportId, fileName: report.fileName, sha256: report.sha256, sizeBytes: report.buffer.length },
        checklist: atClose,
      };
    });
    // HA: e-mail "period closed" to the province and inspectors (queued; never fails the close).
    await notifyPeriodClosed(knex, spec.code, user.fullName || user.username);
    return closed;
  } catch (e) {
    throw translate(e, spec.code);
  }
}

/** Scoring's and reports' refusals as PeriodCloseError (same one-line messages). */
function translate(e: unknown, code: string): unknown {
  if (e instanceof ScoringError) {
    if (e.code === "frozen") return new PeriodCloseError("already_closed", `${formatPeriodLabel(code)} vừa được chốt bởi người khác.`);
    if (e.code === "no_rubric") return new PeriodCloseError("no_rubric", e.message);
  }
  if (e instanceof ReportError && (e.code === "not_scored" || e.code === "unknown_period")) {
    return new PeriodCloseError("not_scored", `${formatPeriodLabel(code)} chưa có đơn vị nào được tính điểm: không có gì để chốt.`);
  }
  return e;
}
