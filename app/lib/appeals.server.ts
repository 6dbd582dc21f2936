// Filing and deciding appeals. Kept behind one function each so that the dashboard can switch
// to scoring's db/queries/appeals.ts (fileAppeal/decideAppeal) without touching the routes.
import type { Knex } from "knex";
import { getAppeal, insertAppeal, setAppealDecision } from "../../db/queries/dashboard-appeals.ts";

type Result = { ok: true; id: number } | { ok: false; error: string };

export async function fileAppealAction(knex: Knex, a: { findingId: number; unitId: number; userId: number; explanation: string }): Promise<Result> {
  try {
    return { ok: true, id: await insertAppeal(knex, a) };
  } catch (err) {
    if ((err as { code?: string }).code === "23505") return { ok: false, error: "Phát hiện này đã có giải trình đang chờ hoặc đã được chấp nhận." };
    throw err;
  }
}

export async function decideAppealAction(
  knex: Knex,
  a: { appealId: number; unitId: number; userId: number; accept: boolean; reason: string },
): Promise<Result> {
  const appeal = await getAppeal(knex, a.appealId);
  if (!appeal || appeal.unit_id !== a.unitId) return { ok: false, error: "Không tìm thấy giải trình." };
  if (!(await setAppealDecision(knex, a))) return { ok: false, error: "Giải trình này đã được quyết định." };
  return { ok: true, id: a.appealId };
}
