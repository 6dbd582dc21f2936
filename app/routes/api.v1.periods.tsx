// GET /api/v1/periods — evaluation periods, newest first.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiPeriods } from "../../db/queries/api.ts";
import { apiJson, requireApiToken } from "../lib/api.server.ts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireApiToken(request, context);
  return apiJson({ periods: await apiPeriods(context.knex) });
}
