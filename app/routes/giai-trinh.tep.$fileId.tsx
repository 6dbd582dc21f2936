// An appeal's attachment, only for inspectors and the heads of the appeal's unit. Served with the
// type recognised from its content at upload, as a download, never sniffed or run by the browser.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getAppealAttachment } from "../../db/queries/dashboard-appeals.ts";
import { notFound, requireUnitAccess, requireUser } from "../lib/auth.server.ts";
import { toId } from "../lib/ids.ts";

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args, { roles: ["inspector", "unit_head"] });
  const id = toId(args.params.fileId);
  if (!Number.isInteger(id) || id <= 0) throw notFound("Không tìm thấy tệp.");
  const f = await getAppealAttachment(args.context.knex, id);
  if (!f) throw notFound("Không tìm thấy tệp.");
  requireUnitAccess(user, f.unit_id);
  const ascii = f.filename.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").replace(/[^\w.\- ]/g, "_");
  return new Response(new Uint8Array(f.body), {
    headers: {
      "content-type": f.content_type,
      "content-length": String(f.body.length),
      "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.filename)}`,
      "cache-control": "private, no-store",
      "content-security-policy": "default-src 'none'; sandbox",
    },
  });
}
