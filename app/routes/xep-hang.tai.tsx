// GET /xep-hang/tai?ky=…&nhom=…&xep-loai=…&q=…&dinh-dang=csv|xlsx — the ranking as filtered on
// the page, every row (all pages), as CSV or Excel.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getScorePeriod, parseRankingSort, readScores, type ScoreRow } from "../../db/queries/scores.ts";
import { requireUser } from "../lib/auth.server.ts";
import { CRITERION_GROUP_LABELS, CRITERION_GROUPS, fmtPeriod } from "../lib/format.ts";
import { fileResponse, parseExportFormat, toCsv, toXlsx, type ExportColumn } from "../lib/view-export.server.ts";

function text(status: number, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args);
  const sp = new URL(args.request.url).searchParams;
  const format = parseExportFormat(sp.get("dinh-dang"));
  if (!format) return text(400, "Định dạng tải về phải là csv hoặc xlsx.");
  const period = await getScorePeriod(args.context.knex, sp.get("ky") ?? "");
  if (!period) return text(404, "Không có kỳ đánh giá này.");
  const filter = {
    group: sp.get("nhom")?.slice(0, 100) || null,
    tier: sp.get("xep-loai")?.slice(0, 100) || null,
    search: (sp.get("q") ?? "").trim().slice(0, 100) || null,
    sort: parseRankingSort(sp.get("sap-xep"), sp.get("chieu")),
  };
  const rows = await readScores(args.context.knex, period.id, filter);
  const columns: ExportColumn<ScoreRow>[] = [
    { header: "Nhóm", width: 22, value: (r) => r.groupName },
    { header: "Hạng", width: 7, value: (r) => r.rank },
    { header: "Mã", width: 12, value: (r) => r.unitCode },
    { header: "Đơn vị", width: 40, value: (r) => r.unitName },
    { header: "Website", width: 30, value: (r) => r.website },
    { header: "Số lần kiểm tra", width: 10, value: (r) => r.auditsCount },
    ...CRITERION_GROUPS.map((g) => ({ header: CRITERION_GROUP_LABELS[g], width: 14, decimals: true, value: (r: ScoreRow) => (r.status === "scored" ? (r.groupPoints[g]?.points ?? null) : null) })),
    { header: "Tổng điểm", width: 10, decimals: true, value: (r) => r.total },
    { header: "Xếp loại", width: 12, value: (r) => r.tier ?? (r.status === "not_audited" ? "Chưa kiểm tra" : null) },
    { header: "Tổng kỳ trước", width: 10, decimals: true, value: (r) => r.previousTotal },
    { header: "Thay đổi", width: 10, decimals: true, value: (r) => r.change },
  ];
  const label = fmtPeriod(period.code);
  const base = `xep-hang-${period.code}${filter.group ? `-${filter.group}` : ""}`;
  if (format === "csv") return fileResponse(`${base}.csv`, toCsv(columns, rows), "csv");
  const title = `Bảng xếp hạng ${label}${period.frozen ? " (đã chốt)" : " (chưa chốt, điểm còn thay đổi)"}${filter.search ? ` — tìm “${filter.search}”` : ""}`;
  return fileResponse(`${base}.xlsx`, await toXlsx(title, "Xếp hạng", columns, rows), "xlsx");
}
