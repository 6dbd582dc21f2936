// Report model → workbook. Pure: the same model gives the same workbook.
import ExcelJS from "exceljs";
import type { ReportModel } from "./model.ts";
import { periodLabel } from "./period.ts";
import { SheetNamer } from "./safe.ts";
import { writeStatisticsSheet } from "./statistics-sheet.ts";
import { sortForRanking, writeSummarySheet } from "./summary-sheet.ts";
import { writeUnitSheet } from "./unit-sheet.ts";

export const REPORT_CREATOR = "Tuân Thủ";

export function buildWorkbook(model: ReportModel): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  // Fixed metadata so that the same frozen period gives the same file.
  wb.creator = REPORT_CREATOR;
  wb.lastModifiedBy = REPORT_CREATOR;
  wb.created = model.issuedAt;
  wb.modified = model.issuedAt;
  wb.title = reportTitle(model);
  wb.company = model.issuer.department;
  wb.calcProperties = { fullCalcOnLoad: false };

  const namer = new SheetNamer();
  const details = new Map(model.details.map((d) => [d.unitId, d]));
  const sheet = (name: string) =>
    wb.addWorksheet(namer.name(name), {
      properties: { defaultRowHeight: 18, tabColor: undefined },
      pageSetup: { paperSize: 9, orientation: "landscape" },
    });

  if (model.kind === "province") {
    writeSummarySheet(sheet("Tổng hợp"), model);
    writeStatisticsSheet(sheet("Thống kê"), model);
    const ordered = model.unitGroups.flatMap((g) => sortForRanking(model.units.filter((u) => u.groupCode === g.code)));
    for (const u of ordered) {
      const d = details.get(u.unitId);
      if (d) writeUnitSheet(sheet(u.name), model, u, d);
    }
  } else {
    const unit = model.units.find((u) => u.unitId === model.unitId);
    const d = model.unitId != null ? details.get(model.unitId) : undefined;
    if (!unit || !d) throw new Error("Mô hình báo cáo đơn vị thiếu dữ liệu của đơn vị");
    writeSummarySheet(sheet("Tổng hợp"), model);
    writeUnitSheet(sheet(unit.name), model, unit, d);
  }
  return wb;
}

export function reportTitle(model: ReportModel): string {
  const unit = model.kind === "unit" ? model.units.find((u) => u.unitId === model.unitId) : undefined;
  const scope = unit ? unit.name : "các cơ quan, đơn vị";
  return `Báo cáo kết quả đánh giá trang thông tin điện tử của ${scope} – ${periodLabel(model.period.code)}${model.draft ? " (bản nháp)" : ""}`;
}

/** An ASCII file name: bao-cao-2026-Q3.xlsx, bao-cao-2026-Q3-don-vi-12.xlsx, …-ban-nhap.xlsx. */
export function reportFileName(model: ReportModel): string {
  const unit = model.kind === "unit" && model.unitId != null ? `-don-vi-${model.unitId}` : "";
  return `bao-cao-${model.period.code}${unit}${model.draft ? "-ban-nhap" : ""}.xlsx`;
}
