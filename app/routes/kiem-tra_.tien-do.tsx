// Live progress of queued and running audits, polled by the audits page every 2 s.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { countActiveAudits, listActiveAudits } from "../../db/queries/dashboard-audits.ts";
import { requireUser } from "../lib/auth.server.ts";

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const unitId = user.role === "unit_head" ? user.unitId : null;
  const [audits, counts] = await Promise.all([listActiveAudits(args.context.knex, unitId, 100), countActiveAudits(args.context.knex, unitId)]);
  return Response.json(
    { at: new Date().toISOString(), counts, audits },
    { headers: { "Cache-Control": "no-store" } },
  );
}
