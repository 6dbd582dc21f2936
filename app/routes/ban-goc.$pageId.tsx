// The raw stored snapshot of a crawled page, for the sandboxed iframe of the evidence viewer.
// Served with a sandbox CSP: no scripts, no network, no same-origin privileges.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getEvidencePage, getSnapshot } from "../../db/queries/dashboard.ts";
import { notFound, requireUnitAccess, requireUser } from "../lib/auth.server.ts";
import { decompressSnapshot } from "../lib/snapshot.server.ts";
import { toId } from "../lib/ids.ts";

export const SNAPSHOT_CSP = "sandbox; default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; form-action 'none'; base-uri 'none'";

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const pageId = toId(args.params.pageId);
  if (!Number.isInteger(pageId) || pageId <= 0) throw notFound();
  const page = await getEvidencePage(args.context.knex, pageId);
  if (!page) throw notFound();
  requireUnitAccess(user, page.unit_id);
  const snap = page.content_hash ? await getSnapshot(args.context.knex, page.content_hash) : undefined;
  if (!snap) throw notFound("Không có bản lưu của trang này.");
  const body = decompressSnapshot(snap);
  const ct = (page.content_type ?? "text/html").split(";")[0].trim().toLowerCase();
  const type = ct === "text/html" || ct === "application/xhtml+xml" ? "text/html" : "text/plain";
  const charset = page.charset_declared ? `; charset=${page.charset_declared.replace(/[^A-Za-z0-9_.:-]/g, "")}` : "";
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": `${type}${charset}`,
      "Content-Security-Policy": SNAPSHOT_CSP,
      "Cache-Control": "private, max-age=300",
      "Content-Disposition": "inline",
    },
  });
}
