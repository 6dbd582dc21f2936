// After a change the dashboard made that can move scores (the db/ function wrote a score
// request with it): run the rescore now, so that the next page shows the new scores. A failed
// rescore keeps its request (the sweeper retries it); the change itself is saved either way.
import type { Knex } from "knex";
import { drainRescoreRequests } from "../../db/scoring/rescore.ts";

export async function applyPendingRescores(knex: Knex): Promise<void> {
  await drainRescoreRequests(knex).catch((err) => console.error(`Tính lại điểm: ${(err as Error).message}`));
}
