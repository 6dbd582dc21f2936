// Filing, reviewing and deciding appeals through db/queries/appeals.ts (which checks roles, writes
// audit_log and recomputes open periods on acceptance); refusals become messages. Each step then
// queues its e-mail (app/lib/mail/notify.ts), which never fails the step.
import type { Knex } from "knex";
import { decideAppeal, fileAppeal, startAppealReview, type AppealScope, type AttachmentInput } from "../../db/queries/appeals.ts";
import { getAppeal } from "../../db/queries/dashboard-appeals.ts";
import { ScoringError } from "../../db/scoring/errors.ts";
import { notifyAppealDecided, notifyAppealFiled } from "./mail/notify.ts";

type Result = { ok: true; id: number } | { ok: false; error: string };

function refusal(err: unknown): Result {
  if (err instanceof ScoringError) return { ok: false, error: err.message };
  throw err;
}

export async function fileAppealAction(
  knex: Knex,
  a: { findingId: number; userId: number; explanation: string; attachments?: AttachmentInput[] },
): Promise<Result> {
  let id: number;
  try {
    id = (await fileAppeal(knex, a)).id;
  } catch (err) {
    return refusal(err);
  }
  await notifyAppealFiled(knex, id);
  return { ok: true, id };
}

export async function startReviewAction(knex: Knex, a: { appealId: number; userId: number }): Promise<Result> {
  try {
    await startAppealReview(knex, { appealId: a.appealId, inspectorId: a.userId });
    return { ok: true, id: a.appealId };
  } catch (err) {
    return refusal(err);
  }
}

export async function decideAppealAction(
  knex: Knex,
  a: { appealId: number; unitId?: number; userId: number; accept: boolean; reason: string; scope?: AppealScope; expiresOn?: string | null },
): Promise<Result> {
  const appeal = await getAppeal(knex, a.appealId);
  if (!appeal || (a.unitId !== undefined && appeal.unit_id !== a.unitId)) return { ok: false, error: "Không tìm thấy giải trình." };
  try {
    await decideAppeal(knex, { appealId: a.appealId, inspectorId: a.userId, accept: a.accept, reason: a.reason, scope: a.scope, expiresOn: a.expiresOn });
  } catch (err) {
    return refusal(err);
  }
  await notifyAppealDecided(knex, a.appealId);
  return { ok: true, id: a.appealId };
}
