// The Chromium screenshot of a unit's home page taken by an audit (issue 13 §4), as a PNG.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getAuditScreenshotPng } from "../../db/queries/screenshots.ts";
import { notFound, requireUnitAccess, requireUser } from "../lib/auth.server.ts";
import { toId } from "../lib/ids.ts";

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const auditId = toId(args.params.auditId);
  if (!Number.isInteger(auditId) || auditId <= 0) throw notFound();
  const shot = await getAuditScreenshotPng(args.context.knex, auditId);
  if (!shot) throw notFound("Lần kiểm tra này không có ảnh chụp trang chủ.");
  requireUnitAccess(user, shot.unitId);
  return new Response(new Uint8Array(shot.png), {
    headers: {
      "Content-Type": "image/png",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      "Cache-Control": "private, max-age=3600",
    },
  });
}
