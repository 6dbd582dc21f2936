// Tier thresholds (settings key `tier_thresholds`): [{ tier, min }], highest first.
import type { Knex } from "knex";
import { z } from "zod";
import { ScoringError } from "./errors.ts";

export interface TierThreshold {
  tier: string;
  min: number;
}

export const DEFAULT_TIER_THRESHOLDS: TierThreshold[] = [
  { tier: "Xuất sắc", min: 90 },
  { tier: "Tốt", min: 80 },
  { tier: "Khá", min: 65 },
  { tier: "Trung bình", min: 50 },
  { tier: "Yếu", min: 0 },
];

const thresholdSchema = z
  .array(
    z
      .object({ tier: z.string().trim().min(1).optional(), name: z.string().trim().min(1).optional(), min: z.number().min(0).max(1000) })
      .refine((t) => t.tier ?? t.name, "tier name required")
      .transform((t) => ({ tier: (t.tier ?? t.name)!, min: t.min })),
  )
  .min(1);

export function normalizeTierThresholds(value: unknown): TierThreshold[] {
  const parsed = thresholdSchema.safeParse(value);
  if (!parsed.success) throw new ScoringError("invalid", "Ngưỡng xếp loại không hợp lệ: cần danh sách { tier, min }.");
  const list = [...parsed.data].sort((a, b) => b.min - a.min);
  if (new Set(list.map((t) => t.tier)).size !== list.length) throw new ScoringError("invalid", "Tên xếp loại bị trùng.");
  return list;
}

/** The configured thresholds; the defaults when the setting is missing or unreadable. */
export async function getTierThresholds(knex: Knex): Promise<TierThreshold[]> {
  const row = await knex("settings").where({ key: "tier_thresholds" }).first("value");
  if (!row) return DEFAULT_TIER_THRESHOLDS;
  try {
    return normalizeTierThresholds(row.value);
  } catch {
    return DEFAULT_TIER_THRESHOLDS;
  }
}

export async function setTierThresholds(knex: Knex, value: unknown, userId?: number | null): Promise<TierThreshold[]> {
  const list = normalizeTierThresholds(value);
  await knex.transaction(async (trx) => {
    await trx("settings")
      .insert({ key: "tier_thresholds", value: JSON.stringify(list), updated_at: trx.fn.now() })
      .onConflict("key")
      .merge();
    await trx("audit_log").insert({ user_id: userId ?? null, action: "settings.tier_thresholds", entity: "settings", entity_id: "tier_thresholds", details: JSON.stringify(list) });
  });
  return list;
}

export function tierFor(total: number | null, thresholds: TierThreshold[]): string | null {
  if (total === null) return null;
  for (const t of thresholds) if (total >= t.min) return t.tier;
  return null;
}
