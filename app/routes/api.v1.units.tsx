// GET /api/v1/units — every unit with its sites.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiUnits } from "../../db/queries/api.ts";
import { apiJson, requireApiToken } from "../lib/api.server.ts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireApiToken(request, context);
  return apiJson({ units: await apiUnits(context.knex) });
}
