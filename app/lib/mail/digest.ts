// The monthly digest, once per month however many mail workers run (a settings row claims it).
import type { Knex } from "knex";
import { sendMonthlyDigest } from "./notify.ts";

export async function sendDigestOnce(knex: Knex, periodCode: string): Promise<{ queued: number; units: number } | null> {
  const claimed = await knex("settings")
    .insert({ key: `digest_sent:${periodCode}`, value: JSON.stringify(new Date().toISOString()) })
    .onConflict("key")
    .ignore()
    .returning("key");
  if (!claimed.length) return null;
  return sendMonthlyDigest(knex, periodCode);
}
