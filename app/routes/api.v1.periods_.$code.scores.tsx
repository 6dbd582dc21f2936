// GET /api/v1/periods/:code/scores[?group=so-nganh] — the ranking of a period.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiPeriodByCode, apiScores } from "../../db/queries/api.ts";
import { apiError, apiJson, requireApiToken } from "../lib/api.server.ts";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireApiToken(request, context);
  const period = await apiPeriodByCode(context.knex, String(params.code ?? ""));
  if (!period) return apiError(404, "not_found", `Không có kỳ ${params.code}.`);
  const group = new URL(request.url).searchParams.get("group");
  return apiJson({
    period: { code: period.code, kind: period.kind, startsOn: period.starts_on, endsOn: period.ends_on, frozen: period.frozen_at != null },
    scores: await apiScores(context.knex, period.id, group),
  });
}
