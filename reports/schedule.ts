// Scheduled generation: on the 1st of each month (Asia/Ho_Chi_Minh) the province report of every
// period that ended the day before (the month; and the quarter, half and year when they end) is
// generated and archived. Closing ("chốt kỳ", reports/close-period.ts) stays an inspector's decision:
// a closed period gives the official report, a period not yet closed gives a draft — "bản nháp" in
// its title, "-ban-nhap" in its file name and "BẢN NHÁP" on every sheet — so the province always has
// the figures on day 1 and never mistakes a draft for the official report.
import type { Knex } from "knex";
import cron from "node-cron";
import { getPeriodState, ReportError } from "../db/queries/reports.ts";
import { generateReport } from "./generate.ts";
import { periodsEndingBefore, vietnamDay } from "./period.ts";
import { VIETNAM_TIME_ZONE } from "../db/time.ts";

export const REPORT_SCHEDULE = "30 6 1 * *";
export const REPORT_TIME_ZONE = VIETNAM_TIME_ZONE;

export interface ScheduleOptions {
  /** Cron expression (default: 06:30 on the 1st of every month). */
  cron?: string;
  log?: (line: string) => void;
}

export interface ScheduledRunResult {
  periodCode: string;
  outcome: "final" | "draft" | "skipped";
  reportId: number | null;
  message: string;
}

/** Generates the reports due on `at` (what the cron job runs; callable directly, e.g. in tests). */
export async function runScheduledReports(knex: Knex, at: Date = new Date()): Promise<ScheduledRunResult[]> {
  const results: ScheduledRunResult[] = [];
  for (const code of periodsEndingBefore(vietnamDay(at))) {
    try {
      const state = await getPeriodState(knex, code);
      if (!state || !state.hasScores) {
        results.push({ periodCode: code, outcome: "skipped", reportId: null, message: `Kỳ ${code} chưa được tính điểm.` });
        continue;
      }
      const r = await generateReport(knex, { periodCode: code, allowDraft: true, now: at, userId: null });
      results.push({
        periodCode: code,
        outcome: r.draft ? "draft" : "final",
        reportId: r.reportId,
        message: `${r.draft ? "Bản nháp (kỳ chưa chốt)" : "Báo cáo chính thức"}: ${r.fileName} (${r.buffer.length} byte, sha256 ${r.sha256.slice(0, 12)})`,
      });
    } catch (e) {
      const message = e instanceof ReportError ? e.message : `Lỗi khi tạo báo cáo kỳ ${code}: ${(e as Error).message}`;
      results.push({ periodCode: code, outcome: "skipped", reportId: null, message });
    }
  }
  return results;
}

/** Starts the monthly job; returns a stop function. The lead wires this into the scheduler process. */
export function scheduleReports(knex: Knex, opts: ScheduleOptions = {}): { stop(): void } {
  const expression = opts.cron ?? REPORT_SCHEDULE;
  if (!cron.validate(expression)) throw new Error(`Biểu thức lịch không hợp lệ: ${expression}`);
  const log = opts.log ?? ((line: string) => console.log(line));
  let running = false;
  const task = cron.schedule(
    expression,
    () => {
      if (running) return;
      running = true;
      runScheduledReports(knex)
        .then((results) => {
          for (const r of results) log(`[reports] ${r.periodCode}: ${r.outcome} — ${r.message}`);
        })
        .catch((e) => log(`[reports] lỗi: ${(e as Error).message}`))
        .finally(() => {
          running = false;
        });
    },
    { timezone: REPORT_TIME_ZONE },
  );
  return { stop: () => task.stop() };
}
