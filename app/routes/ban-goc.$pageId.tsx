// The stored snapshot of a crawled page, for the sandboxed iframes of the evidence viewer:
// - as the site served it: the original bytes under the original Content-Type and charset label
//   (a legacy-encoded page reads as it did on the site);
// - with ?unicode=1: a Unicode preview (crawler/encoding/preview.ts): decoded as the checks read
//   it, legacy Vietnamese text converted, declared UTF-8.
// Served with a sandbox CSP: no scripts, no network, no same-origin privileges.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getEvidencePage, getSnapshot } from "../../db/queries/dashboard.ts";
import { unicodePreview } from "../../crawler/encoding/preview.ts";
import { notFound, requireUnitAccess, requireUser } from "../lib/auth.server.ts";
import { decompressSnapshot } from "../lib/snapshot.server.ts";
import { toId } from "../lib/ids.ts";

export const SNAPSHOT_CSP = "sandbox; default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; form-action 'none'; base-uri 'none'";

const HEADERS = { "Content-Security-Policy": SNAPSHOT_CSP, "Cache-Control": "private, max-age=300", "Content-Disposition": "inline" }; // X-Content-Type-Options: nosniff is set on every answer (app/server.ts)

/** The charset label as the site sent it (header), restricted to label characters. */
function servedCharset(contentType: string | null, declared: string | null): string | null {
  const m = contentType ? /charset\s*=\s*["']?([A-Za-z0-9_.:-]+)/i.exec(contentType) : null;
  const label = m?.[1] ?? declared;
  return label ? label.replace(/[^A-Za-z0-9_.:-]/g, "") || null : null;
}

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
  const isHtml = ct === "text/html" || ct === "application/xhtml+xml";
  if (new URL(args.request.url).searchParams.get("unicode") === "1") {
    const preview = unicodePreview(body, page.content_type);
    return new Response(preview.html, { headers: { ...HEADERS, "Content-Type": `${isHtml ? "text/html" : "text/plain"}; charset=utf-8` } });
  }
  const label = servedCharset(page.content_type, page.charset_declared);
  return new Response(new Uint8Array(body), {
    headers: { ...HEADERS, "Content-Type": `${isHtml ? "text/html" : "text/plain"}${label ? `; charset=${label}` : ""}` },
  });
}
