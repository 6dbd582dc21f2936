// Bearer-token authentication and JSON answers for /api/v1.
import { createHash } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { findActiveToken } from "../../db/queries/api.ts";

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function apiJson(data: unknown, status = 200): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}

export function apiError(status: number, code: string, message: string): Response {
  return apiJson({ error: { code, message } }, status);
}

/** The token's client, or throws a 401 JSON answer. */
export async function requireApiToken(request: Request, context: AppLoadContext): Promise<{ id: number; name: string }> {
  const header = request.headers.get("authorization") ?? "";
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]{16,200})\s*$/.exec(header);
  if (!m) throw apiError(401, "unauthorized", "Thiếu hoặc sai tiêu đề Authorization: Bearer <mã truy cập>.");
  const client = await findActiveToken(context.knex, hashApiToken(m[1]));
  if (!client) throw apiError(401, "unauthorized", "Mã truy cập không hợp lệ hoặc đã bị thu hồi.");
  return client;
}
