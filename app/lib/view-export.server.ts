// Export of the view on screen (the ranking as filtered) to CSV or Excel: the same rows and
// columns the page shows, every page of them. CSV: UTF-8 with BOM (Excel opens Vietnamese text
// correctly), comma-separated, dot decimals (RFC 4180). Excel: numbers as numbers, two decimals.
import ExcelJS from "exceljs";
import { downloadResponse, XLSX_TYPE } from "./download.server.ts";

export interface ExportColumn<R> {
  header: string;
  /** Characters of the Excel column. */
  width: number;
  value: (row: R) => string | number | null;
  /** Number with two decimals (scores). */
  decimals?: boolean;
}

export type ExportFormat = "csv" | "xlsx";

export function parseExportFormat(v: string | null): ExportFormat | null {
  return v === "csv" || v === "xlsx" ? v : null;
}

function csvCell(v: string | number | null): string {
  if (v === null) return "";
  const s = typeof v === "number" ? String(v) : v;
  // Leading =, +, -, @ would be read as a formula by a spreadsheet: quote them as text.
  const safe = typeof v === "string" && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv<R>(columns: ExportColumn<R>[], rows: R[]): Buffer {
  const lines = [columns.map((c) => csvCell(c.header)).join(",")];
  for (const r of rows) lines.push(columns.map((c) => csvCell(c.value(r))).join(","));
  return Buffer.from(`\ufeff${lines.join("\r\n")}\r\n`, "utf8");
}

export async function toXlsx<R>(title: string, sheetName: string, columns: ExportColumn<R>[], rows: R[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Tuân Thủ";
  const ws = wb.addWorksheet(sheetName.slice(0, 31), {
    pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    views: [{ state: "frozen", ySplit: 2 }],
  });
  ws.columns = columns.map((c) => ({ width: c.width }));
  const t = ws.addRow([title]);
  t.font = { bold: true, size: 13 };
  const h = ws.addRow(columns.map((c) => c.header));
  h.font = { bold: true };
  h.alignment = { wrapText: true, vertical: "middle" };
  // Headers wrap within their column: room for three lines (a fixed height, as files opened in
  // LibreOffice do not grow rows to fit).
  h.height = 45;
  h.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8ECF2" } };
    cell.border = { bottom: { style: "thin" } };
  });
  for (const r of rows) {
    const row = ws.addRow(columns.map((c) => c.value(r)));
    columns.forEach((c, i) => {
      if (c.decimals) row.getCell(i + 1).numFmt = "0.00";
    });
  }
  ws.pageSetup.printTitlesRow = "2:2";
  ws.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: columns.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function fileResponse(fileName: string, content: Buffer, format: ExportFormat): Response {
  return downloadResponse(fileName, content, format === "csv" ? "text/csv; charset=utf-8" : XLSX_TYPE);
}
