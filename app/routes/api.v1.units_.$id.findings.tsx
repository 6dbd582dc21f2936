// GET /api/v1/units/:id/findings?period=2026-11[&limit=500&offset=0] — findings of a unit's audits in a period.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiFindings } from "../../db/queries/api.ts";
import { getScorePeriod } from "../../db/queries/scores.ts";
import { apiError, apiJson, requireApiToken } from "../lib/api.server.ts";
import { MAX_ID, toId } from "../lib/ids.ts";
import { listUnverified } from "../../db/queries/unverified.ts";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireApiToken(request, context);
  const unitId = toId(params.id);
  if (!Number.isInteger(unitId) || unitId <= 0) return apiError(400, "bad_request", "Mã đơn vị không hợp lệ.");
  const unit = await context.knex("units").where({ id: unitId }).first("id", "code", "name");
  if (!unit) return apiError(404, "not_found", `Không có đơn vị ${unitId}.`);
  const sp = new URL(request.url).searchParams;
  const code = sp.get("period");
  if (!code) return apiError(400, "bad_request", "Thiếu tham số period (ví dụ: period=2026-11).");
  const period = await getScorePeriod(context.knex, code);
  if (!period) return apiError(404, "not_found", `Không có kỳ ${code}.`);
  const limit = Math.min(1000, Math.max(1, Math.trunc(Number(sp.get("limit"))) || 500));
  const offset = Math.min(MAX_ID, Math.max(0, Math.trunc(Number(sp.get("offset"))) || 0));
  const findings = await apiFindings(context.knex, unitId, period, limit, offset);
  // "Chưa xác minh được" items of the period's audits (verdict "unverified", its reason, the inspector's decision).
  const unverified = (await listUnverified(context.knex, unitId, period.startsOn, period.endsOn)).map((u) => ({
    verdict: "unverified" as const,
    verdictLabel: "Chưa xác minh được",
    siteAuditId: u.siteAuditId,
    baseUrl: u.baseUrl,
    day: u.day,
    key: u.key,
    label: u.label,
    reason: u.reason,
    detail: u.detail,
    url: u.url,
    categoryId: u.categoryId,
    decision: u.decision,
    decidedAt: u.decidedAt,
  }));
  return apiJson({ unit, period: { code: period.code, label: period.label, startsOn: period.startsOn, endsOn: period.endsOn, frozen: period.frozen }, limit, offset, findings, unverified });
}
