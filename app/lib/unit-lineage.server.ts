// Unit pages and merges: a unit head may read the units merged into their unit (their history),
// never the other way round (decision 0016).
import type { Knex } from "knex";
import { isSameOrPredecessor } from "../../db/queries/unit-lineage.ts";
import { notFound, type SessionUser } from "./auth.server.ts";

/** Like requireUnitAccess, but a unit head also reads the units merged into their unit. */
export async function requireUnitAccessThroughLineage(knex: Knex, user: SessionUser, unitId: number): Promise<void> {
  if (user.role !== "unit_head") return;
  if (user.unitId == null || !(await isSameOrPredecessor(knex, user.unitId, unitId))) throw notFound("Không tìm thấy đơn vị.");
}
