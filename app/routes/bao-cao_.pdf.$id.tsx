// An archived report as PDF (converted by LibreOffice on request). Same access rule as the Excel file.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getArchivedReport } from "../../db/queries/reports.ts";
import { convertToPdf, pdfFileName, PdfError } from "../../reports/pdf.ts";
import { notFound, requireUser } from "../lib/auth.server.ts";
import { toId } from "../lib/ids.ts";

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const id = toId(args.params.id);
  const report = Number.isInteger(id) && id > 0 ? await getArchivedReport(args.context.knex, id) : null;
  if (!report) throw notFound("Không tìm thấy báo cáo.");
  if (user.role === "unit_head" && (report.kind !== "unit" || report.unitId !== user.unitId)) throw notFound("Không tìm thấy báo cáo.");
  let pdf: Buffer;
  try {
    pdf = await convertToPdf(Buffer.from(report.content));
  } catch (e) {
    if (e instanceof PdfError) {
      return new Response(e.message, { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
    }
    throw e;
  }
  const name = pdfFileName(report.fileName);
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
