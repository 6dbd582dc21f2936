// GET /api/v1/periods/:code/checklist — the period's state and its pre-close checklist.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiToken } from "../lib/api.server.ts";
import { apiPeriodChecklist } from "../lib/period-close.server.ts";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireApiToken(request, context);
  return apiPeriodChecklist(context.knex, params.code ?? "");
}
