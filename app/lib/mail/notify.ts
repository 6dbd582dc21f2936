// Events → outbox rows (db/queries/notifications.ts) → the mail queue (worker.ts). Each function
// queues its messages and pokes the queue; none throws for a mail problem: the caller's action
// (an audit, a decision, a close) has already committed and must not fail because of mail.
import type { Knex } from "knex";
import { formatPeriodLabel } from "../../../db/scoring/period-codes.ts";
import { vietnamDay } from "../../../db/time.ts";
import { loadDashboardUrl } from "../../../db/queries/report-texts.ts";
import { getScorePeriod, getUnitScoreInPeriod, readScores } from "../../../db/queries/scores.ts";
import { queueMail, roleRecipients, unitHeadRecipients, type OutboxMessage } from "../../../db/queries/notifications.ts";
import { criterionHelpText } from "../../components/CriterionHelp.tsx";
import { appealDecidedMail, appealFiledMail, auditProblemMail, digestMail, newFindingsMail, periodClosedMail } from "./messages.ts";
import { kickMail } from "./worker.ts";

async function safely(what: string, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    console.error(`Thông báo qua thư (${what}) không tạo được: ${(err as Error).message}`);
    return 0;
  }
}

async function queueAndKick(knex: Knex, messages: OutboxMessage[]): Promise<number> {
  if (!messages.length) return 0;
  await queueMail(knex, messages);
  await kickMail(knex);
  return messages.length;
}

export function notifyAppealFiled(knex: Knex, appealId: number): Promise<number> {
  return safely("giải trình mới", async () => {
    const a = await knex("appeals as a")
      .join("findings as f", "f.id", "a.finding_id")
      .join("units as u", "u.id", "a.unit_id")
      .where("a.id", appealId)
      .first("a.id", "a.explanation", "a.due_on", "u.name as unit_name", "f.message", knex.raw("(select count(*) from appeal_attachments x where x.appeal_id = a.id)::int as n"));
    if (!a) return 0;
    const base = await loadDashboardUrl(knex);
    const to = await roleRecipients(knex, "appeal.filed", ["inspector"]);
    const m = appealFiledMail({ id: a.id, unitName: a.unit_name, findingMessage: a.message, explanation: a.explanation, dueOn: a.due_on, attachments: a.n, base });
    return queueAndKick(knex, to.map((r) => ({ event: "appeal.filed", to: r, ...m })));
  });
}

export function notifyAppealDecided(knex: Knex, appealId: number): Promise<number> {
  return safely("quyết định giải trình", async () => {
    const a = await knex("appeals as a")
      .join("findings as f", "f.id", "a.finding_id")
      .join("units as u", "u.id", "a.unit_id")
      .where("a.id", appealId)
      .first("a.id", "a.unit_id", "a.status", "a.decision_reason", "a.scope", "a.expires_on", "u.name as unit_name", "f.message");
    if (!a || !["accepted", "rejected"].includes(a.status)) return 0;
    const base = await loadDashboardUrl(knex);
    const to = await unitHeadRecipients(knex, "appeal.decided", a.unit_id);
    const m = appealDecidedMail({
      id: a.id,
      unitName: a.unit_name,
      findingMessage: a.message,
      accepted: a.status === "accepted",
      reason: a.decision_reason ?? "",
      scope: a.scope,
      expiresOn: a.expires_on,
      base,
    });
    return queueAndKick(knex, to.map((r) => ({ event: "appeal.decided", to: r, ...m })));
  });
}

/**
 * After an audit: a failed or partly unverifiable audit, and the new point-losing findings (errors
 * whose code and address were not in the site's previous finished audit, and no accepted
 * appeal covers them), go to the unit's heads.
 */
export function notifyAuditOutcome(knex: Knex, siteAuditId: number): Promise<number> {
  return safely("kết quả kiểm tra", async () => {
    const audit = await knex("site_audits as sa")
      .join("units as u", "u.id", "sa.unit_id")
      .join("sites as s", "s.id", "sa.site_id")
      .where("sa.id", siteAuditId)
      .first("sa.id", "sa.site_id", "sa.unit_id", "sa.status", "sa.error", "sa.summary", "sa.reference_time", "u.name as unit_name", "s.base_url");
    if (!audit) return 0;
    const base = await loadDashboardUrl(knex);
    const day = vietnamDay(audit.reference_time ?? new Date());
    const messages: OutboxMessage[] = [];
    const unverified: { label: string; detail: string }[] = Array.isArray(audit.summary?.unverified) ? audit.summary.unverified : [];
    if (audit.status === "failed" || unverified.length) {
      const to = await unitHeadRecipients(knex, "audit.failed", audit.unit_id);
      const detail =
        audit.status === "failed"
          ? `Lỗi: ${audit.error ?? "không rõ"}. Lượt này không tính điểm; hệ thống sẽ kiểm tra lại.`
          : `Các mục chưa xác minh được (không trừ điểm khi chưa có quyết định của cán bộ kiểm tra):\n${unverified.map((u) => `- ${u.label}: ${u.detail}`).join("\n")}`;
      const m = auditProblemMail({ unitName: audit.unit_name, siteUrl: audit.base_url, auditDay: day, failed: audit.status === "failed", detail, unitId: audit.unit_id, base });
      messages.push(...to.map((r) => ({ event: "audit.failed" as const, to: r, ...m })));
    }
    if (audit.status === "done") {
      const fresh: { message: string; url: string | null }[] = await knex("findings as f")
        .where({ "f.site_audit_id": siteAuditId, "f.severity": "error" })
        .whereNotExists(function () {
          this.select(knex.raw("1"))
            .from("findings as p")
            .whereRaw(
              `p.site_audit_id = (select max(x.id) from site_audits x where x.site_id = ? and x.status = 'done' and x.id < ?)
               and p.code = f.code and p.url is not distinct from f.url and p.category_id is not distinct from f.category_id`,
              [audit.site_id, siteAuditId],
            );
        })
        .whereNotExists(function () {
          this.select(knex.raw("1")).from("accepted_findings as af").whereRaw("af.finding_id = f.id");
        })
        .orderBy("f.id")
        .select("f.message", "f.url");
      if (fresh.length) {
        const to = await unitHeadRecipients(knex, "finding.new", audit.unit_id);
        const m = newFindingsMail({ unitName: audit.unit_name, siteUrl: audit.base_url, auditDay: day, findings: fresh, unitId: audit.unit_id, base });
        messages.push(...to.map((r) => ({ event: "finding.new" as const, to: r, ...m })));
      }
    }
    return queueAndKick(knex, messages);
  });
}

export function notifyPeriodClosed(knex: Knex, periodCode: string, closedBy: string): Promise<number> {
  return safely("chốt kỳ", async () => {
    const base = await loadDashboardUrl(knex);
    const to = await roleRecipients(knex, "period.closed", ["province", "inspector"]);
    const m = periodClosedMail({ periodLabel: formatPeriodLabel(periodCode), closedBy, base });
    return queueAndKick(knex, to.map((r) => ({ event: "period.closed", to: r, ...m })));
  });
}

/** The monthly digest: one message per unit head (with an address, not opted out) of every active unit. */
export async function sendMonthlyDigest(knex: Knex, periodCode: string): Promise<{ queued: number; units: number }> {
  const period = await getScorePeriod(knex, periodCode);
  if (!period) throw new Error(`Không có kỳ ${periodCode}.`);
  const base = await loadDashboardUrl(knex);
  const rows = await readScores(knex, period.id);
  const messages: OutboxMessage[] = [];
  const groupSize = new Map<string, number>();
  for (const r of rows) if (r.status === "scored") groupSize.set(r.groupCode, (groupSize.get(r.groupCode) ?? 0) + 1);
  let units = 0;
  for (const r of rows) {
    const to = await unitHeadRecipients(knex, "digest.monthly", r.unitId);
    if (!to.length) continue;
    units++;
    const detail = r.status === "scored" ? await getUnitScoreInPeriod(knex, period, r.unitId) : null;
    const lost = (detail?.criteria ?? [])
      .filter((c) => c.points !== null && c.points < c.maxPoints - 1e-9)
      .sort((a, b) => b.maxPoints - (b.points ?? 0) - (a.maxPoints - (a.points ?? 0)))
      .map((c) => ({
        name: c.name,
        lost: c.maxPoints - (c.points ?? 0),
        howTo: criterionHelpText({ code: c.code, name: c.name, legalBasis: null, measure: (c.measure ?? null) as never }).fix,
      }));
    const m = digestMail({
      unitName: r.unitName,
      periodLabel: formatPeriodLabel(periodCode),
      total: r.total,
      maxTotal: r.maxTotal,
      rank: r.rank,
      groupSize: groupSize.get(r.groupCode) ?? 0,
      groupName: r.groupName,
      lost,
      unitId: r.unitId,
      periodCode: period.code,
      base,
    });
    messages.push(...to.map((t) => ({ event: "digest.monthly" as const, to: t, ...m })));
  }
  await queueMail(knex, messages);
  await kickMail(knex);
  return { queued: messages.length, units };
}
