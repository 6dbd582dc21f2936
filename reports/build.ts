// Report model → workbook. Pure: the same model gives the same workbook and the same bytes.
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import type { ReportModel } from "./model.ts";
import { formatPeriodTitle } from "../db/time.ts";
import { FONT_NAME, sheetOptions, type OpenSheet } from "./layout.ts";
import { writeMethodSheet } from "./method-sheet.ts";
import { SheetNamer } from "./safe.ts";
import { writeStatisticsSheet } from "./statistics-sheet.ts";
import { sortForRanking, writeSummarySheet } from "./summary-sheet.ts";
import { writeUnitSheet } from "./unit-sheet.ts";
import { setZipTimestamps } from "./write.ts";

export const REPORT_CREATOR = "Tuân Thủ";

/**
 * Writes the report as .xlsx bytes with exceljs's streaming writer: each sheet is committed as soon
 * as it is written, so memory stays flat in the number of units. Shared strings are numbered in
 * order of first use and zip timestamps are fixed, so the same model gives byte-identical output.
 */
export async function renderReport(model: ReportModel): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    sink.on("end", resolve);
    sink.on("error", reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: true });
  // Font 0 is the workbook's default font, which sets the size of a column width unit: Times New
  // Roman 11 (not exceljs's Calibri, which LibreOffice replaces by whatever is installed), so that
  // the widths computed in print-metrics.ts hold wherever the file is printed.
  (wb as unknown as { styles: { _addFont(f: Partial<ExcelJS.Font>): number } }).styles._addFont({ name: FONT_NAME, size: 11, family: 1 });
  await fillBook(wb, model);
  await wb.commit();
  await done;
  return setZipTimestamps(Buffer.concat(chunks), model.issuedAt);
}

async function fillBook(wb: ExcelJS.stream.xlsx.WorkbookWriter, model: ReportModel): Promise<void> {
  // Fixed metadata so that the same frozen period gives the same file.
  wb.creator = REPORT_CREATOR;
  wb.lastModifiedBy = REPORT_CREATOR;
  wb.created = model.issuedAt;
  wb.modified = model.issuedAt;
  wb.title = reportTitle(model);
  wb.company = model.issuer.department;

  const namer = new SheetNamer();
  const details = new Map(model.details.map((d) => [d.unitId, d]));
  const sheet = async (name: string, write: (open: OpenSheet) => void) => {
    let ws: ExcelJS.Worksheet | undefined;
    write((setup) => (ws = wb.addWorksheet(namer.name(name), sheetOptions(setup))));
    if (!ws) throw new Error(`sheet ${name} was not opened`);
    (ws as unknown as { commit(): void }).commit();
    // Let the zip stream take the committed sheet before the next one is built.
    await new Promise((resolve) => setImmediate(resolve));
  };

  // Annexes in print order: statistics (I), method (II), then one per unit (III.1, III.2, …).
  if (model.kind === "province") {
    await sheet("Tổng hợp", (open) => writeSummarySheet(open, model));
    await sheet("Thống kê", (open) => writeStatisticsSheet(open, model, "I"));
    await sheet("Phương pháp", (open) => writeMethodSheet(open, model, "II"));
    const ordered = model.unitGroups.flatMap((g) => sortForRanking(model.units.filter((u) => u.groupCode === g.code)));
    let k = 0;
    for (const u of ordered) {
      const d = details.get(u.unitId);
      if (d) await sheet(u.name, (open) => writeUnitSheet(open, model, u, d, { number: `III.${++k}` }));
    }
  } else {
    const unit = model.units.find((u) => u.unitId === model.unitId);
    const d = model.unitId != null ? details.get(model.unitId) : undefined;
    if (!unit || !d) throw new Error("Mô hình báo cáo đơn vị thiếu dữ liệu của đơn vị");
    await sheet("Tổng hợp", (open) => writeSummarySheet(open, model));
    await sheet(unit.name, (open) => writeUnitSheet(open, model, unit, d, { number: "I" }));
    await sheet("Phương pháp", (open) => writeMethodSheet(open, model, "II"));
  }
}

export function reportTitle(model: ReportModel): string {
  const unit = model.kind === "unit" ? model.units.find((u) => u.unitId === model.unitId) : undefined;
  const scope = unit ? unit.name : "các cơ quan, đơn vị";
  return `Báo cáo kết quả đánh giá trang thông tin điện tử của ${scope} – ${formatPeriodTitle(model.period.code, "sentence")}${model.draft ? " (bản nháp)" : ""}`;
}

/** An ASCII file name: bao-cao-2026-Q3.xlsx, bao-cao-2026-Q3-don-vi-12.xlsx, …-ban-nhap.xlsx. */
export function reportFileName(model: ReportModel): string {
  const unit = model.kind === "unit" && model.unitId != null ? `-don-vi-${model.unitId}` : "";
  return `bao-cao-${model.period.code}${unit}${model.draft ? "-ban-nhap" : ""}.xlsx`;
}
