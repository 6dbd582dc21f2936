// GET /api/v1/periods/:code/scores[?group=so-nganh] — the ranking of a period.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiScores, getScorePeriod } from "../../db/queries/scores.ts";
import { apiError, apiJson, requireApiToken } from "../lib/api.server.ts";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireApiToken(request, context);
  const period = await getScorePeriod(context.knex, String(params.code ?? ""));
  if (!period) return apiError(404, "not_found", `Không có kỳ ${params.code}.`);
  const group = new URL(request.url).searchParams.get("group");
  return apiJson({
    period: { code: period.code, kind: period.kind, label: period.label, startsOn: period.startsOn, endsOn: period.endsOn, frozen: period.frozen, frozenAt: period.frozenAt },
    scores: await apiScores(context.knex, period.id, group),
  });
}
