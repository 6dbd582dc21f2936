// The audit schedule setting (cron text) and its validation with node-cron.
import cron from "node-cron";
import { z } from "zod";

export const SCHEDULE_KEY = "audit_schedule";

export const scheduleSchema = z.object({
  cron: z
    .string()
    .trim()
    .min(1, "Nhập biểu thức lịch (cron).")
    .max(100, "Biểu thức quá dài.")
    .refine((v) => cron.validate(v), "Biểu thức cron không hợp lệ (ví dụ đúng: 0 2 * * 1 — 2 giờ sáng thứ Hai hằng tuần)."),
});

export function scheduleText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && typeof (value as { cron?: unknown }).cron === "string") return (value as { cron: string }).cron;
  return null;
}
