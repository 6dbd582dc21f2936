// POST /api/v1/periods/:code/close — closes (chốt) an ended period: freezes its scores and archives
// the official report. The token's creator must be an active inspector. Body: {"confirm": true}
// when the pre-close checklist is not clean (otherwise 409 needs_confirmation with the checklist).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { apiError, requireApiToken } from "../lib/api.server.ts";
import { apiClosePeriod } from "../lib/period-close.server.ts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireApiToken(request, context);
  return apiError(405, "method_not_allowed", "Dùng POST để chốt kỳ; xem danh sách kiểm tra ở GET /api/v1/periods/:code/checklist.");
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const client = await requireApiToken(request, context);
  if (request.method !== "POST") return apiError(405, "method_not_allowed", "Chỉ dùng POST để chốt kỳ.");
  return apiClosePeriod(context.knex, client.id, params.code ?? "", request);
}
