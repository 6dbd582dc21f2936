// Builds (and archives) a report on request: a POST with the CSRF token, answered with the file.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { ReportError } from "../../db/queries/reports.ts";
import { generateReport } from "../../reports/generate.ts";
import { forbidden, requireMutation, requireUser } from "../lib/auth.server.ts";
import { xlsxResponse } from "../lib/download.server.ts";
import { toId } from "../lib/ids.ts";

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args);
  throw redirect("/bao-cao");
}

export async function action(args: ActionFunctionArgs) {
  const { user, form, audit } = await requireMutation(args);
  const periodCode = String(form.get("ky") ?? "");
  const unitRaw = String(form.get("donVi") ?? "");
  const unitId = unitRaw ? toId(unitRaw) : undefined;
  if (unitId !== undefined && (!Number.isInteger(unitId) || unitId <= 0)) return new Response("Đơn vị không hợp lệ.", { status: 400 });
  if (user.role === "unit_head" && unitId !== user.unitId) throw forbidden("Thủ trưởng đơn vị chỉ tải được báo cáo của đơn vị mình.");
  try {
    const report = await generateReport(args.context.knex, {
      periodCode,
      unitId,
      userId: user.id,
      allowDraft: form.get("nhap") === "1",
    });
    await audit("report.generate", "report", report.reportId, { period: periodCode, unitId: unitId ?? null, draft: report.draft });
    return xlsxResponse(report.fileName, report.buffer);
  } catch (err) {
    if (err instanceof ReportError) {
      return new Response(`Không tạo được báo cáo: ${err.message}`, { status: 422, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
    throw err;
  }
}
