// An archived report file. Unit heads may download only their own unit's reports.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getArchivedReport } from "../../db/queries/reports.ts";
import { notFound, requireUser } from "../lib/auth.server.ts";
import { xlsxResponse } from "../lib/download.server.ts";
import { toId } from "../lib/ids.ts";

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const id = toId(args.params.id);
  const report = Number.isInteger(id) && id > 0 ? await getArchivedReport(args.context.knex, id) : null;
  if (!report) throw notFound("Không tìm thấy báo cáo.");
  if (user.role === "unit_head" && (report.kind !== "unit" || report.unitId !== user.unitId)) throw notFound("Không tìm thấy báo cáo.");
  return xlsxResponse(report.fileName, Buffer.from(report.content));
}
