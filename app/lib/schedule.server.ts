// The audit schedule on the Kiểm tra page: validation (crawler/queue/cron-rules.ts), its plain
// Vietnamese description and next runs (dd/mm/yyyy HH:mm, Asia/Ho_Chi_Minh), and the reload of the
// schedulers of this process after a save (others re-read the setting within 15 s).
import type { Knex } from "knex";
import { checkSchedule, formatRunTime } from "../../crawler/queue/cron-rules.ts";
import { readSchedule, reloadSchedulers, SCHEDULE_SETTING, type ScheduleInForce } from "../../crawler/queue/scheduler.ts";

export const SCHEDULE_KEY = SCHEDULE_SETTING;
export { reloadSchedulers };

export type ScheduleValidation =
  | { ok: true; expression: string; description: string | null; nextRuns: string[] }
  | { ok: false; error: string; nextRuns: string[] };

export function validateSchedule(input: unknown, now: Date = new Date()): ScheduleValidation {
  const c = checkSchedule(typeof input === "string" ? input : "", now);
  const nextRuns = c.nextRuns.map(formatRunTime);
  return c.ok ? { ok: true, expression: c.expression, description: c.description, nextRuns } : { ok: false, error: c.error, nextRuns };
}

export interface ScheduleStatus extends ScheduleInForce {
  description: string | null;
  nextRuns: string[];
}

/** The schedule in force with its description and next three runs, and what is wrong with the stored one. */
export async function scheduleStatus(knex: Knex, now: Date = new Date()): Promise<ScheduleStatus> {
  const inForce = await readSchedule(knex, now);
  const v = validateSchedule(inForce.expression, now);
  return { ...inForce, description: v.ok ? v.description : null, nextRuns: v.nextRuns };
}

export function scheduleText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && typeof (value as { cron?: unknown }).cron === "string") return (value as { cron: string }).cron;
  return null;
}
