// Appeals (giải trình) as the unit page lists them; filing and deciding are in db/queries/appeals.ts.
import type { Knex } from "knex";

export interface AppealRow {
  id: number;
  finding_id: number;
  unit_id: number;
  filed_at: Date;
  filed_by_name: string | null;
  explanation: string;
  status: "pending" | "accepted" | "rejected";
  decided_at: Date | null;
  decided_by_name: string | null;
  decision_reason: string | null;
  finding_message: string;
  finding_code: string;
}

export async function listUnitAppeals(knex: Knex, unitId: number): Promise<AppealRow[]> {
  return knex("appeals as a")
    .join("findings as f", "f.id", "a.finding_id")
    .leftJoin("users as fb", "fb.id", "a.filed_by")
    .leftJoin("users as db", "db.id", "a.decided_by")
    .where("a.unit_id", unitId)
    .select(
      "a.id",
      "a.finding_id",
      "a.unit_id",
      "a.filed_at",
      knex.raw("coalesce(nullif(fb.full_name, ''), fb.username) as filed_by_name"),
      "a.explanation",
      "a.status",
      "a.decided_at",
      knex.raw("coalesce(nullif(db.full_name, ''), db.username) as decided_by_name"),
      "a.decision_reason",
      "f.message as finding_message",
      "f.code as finding_code",
    )
    .orderBy("a.filed_at", "desc");
}

export async function getAppeal(knex: Knex, id: number) {
  return knex("appeals").where({ id }).first();
}

export async function countPendingAppeals(knex: Knex): Promise<number> {
  const [r] = await knex("appeals").where({ status: "pending" }).count<{ count: string }[]>("* as count");
  return Number(r.count);
}
