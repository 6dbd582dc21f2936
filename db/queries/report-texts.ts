// The letterhead and written assessment of a period's report (table period_report_texts): edited by
// inspectors on /chot-ky while the period is open, kept unchanged once it is closed.
import type { Knex } from "knex";
import { DEFAULT_ISSUER, type ReportAssessment, type ReportIssuer } from "../report-model.ts";

export interface PeriodReportTexts {
  letterhead: ReportIssuer;
  assessment: ReportAssessment | null;
  updatedAt: Date;
}

/** Letterhead fields as stored in settings (report_*), the defaults for a period without its own. */
export const LETTERHEAD_SETTING_KEYS = [
  "department_name",
  "province_name",
  "report_parent_body",
  "report_place",
  "report_signer_title",
  "report_signer_name",
  "report_issuer_abbreviation",
  "report_recipients",
] as const;

/** The issuing body and signer from settings (department_name, province_name, report_*). */
export async function loadIssuerSettings(knex: Knex): Promise<ReportIssuer> {
  const rows: { key: string; value: unknown }[] = await knex("settings").whereIn("key", [...LETTERHEAD_SETTING_KEYS]).select("key", "value");
  const raw = (key: string): unknown => rows.find((r) => r.key === key)?.value;
  const get = (key: string): string | null => {
    const v = raw(key);
    return typeof v === "string" && v.trim() ? v.trim() : null;
  };
  const province = get("province_name");
  const recipients = raw("report_recipients");
  return {
    parentBody: get("report_parent_body") ?? (province ? `UBND TỈNH ${province.toUpperCase()}` : DEFAULT_ISSUER.parentBody),
    department: get("department_name") ?? DEFAULT_ISSUER.department,
    place: get("report_place") ?? province ?? DEFAULT_ISSUER.place,
    signerTitle: get("report_signer_title") ?? DEFAULT_ISSUER.signerTitle,
    signerName: get("report_signer_name") ?? DEFAULT_ISSUER.signerName,
    abbreviation: get("report_issuer_abbreviation") ?? DEFAULT_ISSUER.abbreviation,
    recipients:
      Array.isArray(recipients) && recipients.every((x) => typeof x === "string") && recipients.length > 0
        ? (recipients as string[])
        : DEFAULT_ISSUER.recipients,
  };
}

export async function getPeriodReportTexts(knex: Knex, periodId: number): Promise<PeriodReportTexts | null> {
  const row = await knex("period_report_texts").where({ period_id: periodId }).first("letterhead", "assessment", "updated_at");
  if (!row) return null;
  return { letterhead: { ...DEFAULT_ISSUER, ...row.letterhead }, assessment: row.assessment ?? null, updatedAt: row.updated_at };
}

/**
 * Stores a period's letterhead and assessment and makes the letterhead the default for later periods
 * (settings report_*). Returns false when the period is closed (its texts are frozen with it).
 */
export async function savePeriodReportTexts(
  knex: Knex,
  periodId: number,
  texts: { letterhead: ReportIssuer; assessment: ReportAssessment | null },
  userId: number | null,
): Promise<boolean> {
  return knex.transaction(async (trx) => {
    const period = await trx("periods").where({ id: periodId }).forUpdate().first("frozen_at");
    if (!period || period.frozen_at) return false;
    await trx("period_report_texts")
      .insert({
        period_id: periodId,
        letterhead: JSON.stringify(texts.letterhead),
        assessment: texts.assessment ? JSON.stringify(texts.assessment) : null,
        updated_by: userId,
        updated_at: trx.fn.now(),
      })
      .onConflict("period_id")
      .merge();
    const l = texts.letterhead;
    const settings: Record<string, unknown> = {
      department_name: l.department,
      report_parent_body: l.parentBody,
      report_place: l.place,
      report_signer_title: l.signerTitle,
      report_signer_name: l.signerName,
      report_issuer_abbreviation: l.abbreviation,
      report_recipients: l.recipients,
    };
    for (const [key, value] of Object.entries(settings)) {
      await trx("settings").insert({ key, value: JSON.stringify(value) }).onConflict("key").merge();
    }
    return true;
  });
}

/** Freezes the texts with the period: a period closed without its own texts gets the current defaults. */
export async function freezePeriodReportTexts(knex: Knex, periodId: number, userId: number | null): Promise<void> {
  const letterhead = await loadIssuerSettings(knex);
  await knex("period_report_texts")
    .insert({ period_id: periodId, letterhead: JSON.stringify(letterhead), assessment: null, updated_by: userId })
    .onConflict("period_id")
    .ignore();
}

/** Dashboard base URL for evidence links: setting dashboard_url, else TT_DASHBOARD_URL; null if neither. */
export async function loadDashboardUrl(knex: Knex): Promise<string | null> {
  const row = await knex("settings").where({ key: "dashboard_url" }).first("value");
  const v = typeof row?.value === "string" && row.value.trim() ? row.value.trim() : (process.env.TT_DASHBOARD_URL ?? "").trim();
  return /^https?:\/\/[^\s]+$/i.test(v) ? v.replace(/\/+$/, "") : null;
}
