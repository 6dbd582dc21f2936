// Filing and deciding appeals through scoring's db/queries/appeals.ts (which checks roles,
// writes audit_log and recomputes open periods on acceptance); refusals become messages.
import type { Knex } from "knex";
import { decideAppeal, fileAppeal } from "../../db/queries/appeals.ts";
import { getAppeal } from "../../db/queries/dashboard-appeals.ts";
import { ScoringError } from "../../db/scoring/errors.ts";

type Result = { ok: true; id: number } | { ok: false; error: string };

function refusal(err: unknown): Result {
  if (err instanceof ScoringError) return { ok: false, error: err.message };
  throw err;
}

export async function fileAppealAction(knex: Knex, a: { findingId: number; userId: number; explanation: string }): Promise<Result> {
  try {
    const appeal = await fileAppeal(knex, a);
    return { ok: true, id: appeal.id };
  } catch (err) {
    return refusal(err);
  }
}

export async function decideAppealAction(
  knex: Knex,
  a: { appealId: number; unitId: number; userId: number; accept: boolean; reason: string },
): Promise<Result> {
  const appeal = await getAppeal(knex, a.appealId);
  if (!appeal || appeal.unit_id !== a.unitId) return { ok: false, error: "Không tìm thấy giải trình." };
  try {
    await decideAppeal(knex, { appealId: a.appealId, inspectorId: a.userId, accept: a.accept, reason: a.reason });
    return { ok: true, id: a.appealId };
  } catch (err) {
    return refusal(err);
  }
}
