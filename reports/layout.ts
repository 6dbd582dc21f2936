// The administrative-document frame (Nghị định 30/2020/NĐ-CP) and the shared cell styles.
import type ExcelJS from "exceljs";
import type { ReportModel } from "./model.ts";
import { cellText } from "./safe.ts";
import { formatVietnamDate, vietnamDateParts, vietnamWallClock } from "../db/time.ts";

export const FONT_NAME = "Times New Roman";
export const POINTS_FORMAT = "[$-42A]0.00";
export const CHANGE_FORMAT = "[$-42A]+0.00;-0.00;0.00";
export const DATE_FORMAT = "dd/mm/yyyy";
export const DATETIME_FORMAT = "dd/mm/yyyy hh:mm";

const THIN: Partial<ExcelJS.Border> = { style: "thin", color: { argb: "FF000000" } };
export const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

export const FONT: Partial<ExcelJS.Font> = { name: FONT_NAME, size: 12 };
export const FONT_BOLD: Partial<ExcelJS.Font> = { name: FONT_NAME, size: 12, bold: true };
export const FONT_ITALIC: Partial<ExcelJS.Font> = { name: FONT_NAME, size: 12, italic: true };
export const FONT_TITLE: Partial<ExcelJS.Font> = { name: FONT_NAME, size: 14, bold: true };
export const FONT_DRAFT: Partial<ExcelJS.Font> = { name: FONT_NAME, size: 13, bold: true, color: { argb: "FFC00000" } };
export const FONT_TABLE: Partial<ExcelJS.Font> = { name: FONT_NAME, size: 11 };
export const FONT_TABLE_BOLD: Partial<ExcelJS.Font> = { name: FONT_NAME, size: 11, bold: true };

export const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
export const GROUP_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFF2F2F2" } };

export const CENTER: Partial<ExcelJS.Alignment> = { horizontal: "center", vertical: "middle", wrapText: true };
export const LEFT_WRAP: Partial<ExcelJS.Alignment> = { horizontal: "left", vertical: "top", wrapText: true };
export const LEFT: Partial<ExcelJS.Alignment> = { horizontal: "left", vertical: "top" };
export const RIGHT: Partial<ExcelJS.Alignment> = { horizontal: "right", vertical: "top" };

/** exceljs writes dates as UTC serials: shift to the wall clock of Asia/Ho_Chi_Minh. */
export function excelLocal(d: Date): Date {
  return vietnamWallClock(d);
}

/** dd/mm/yyyy of the instant's Vietnam day. */
export function formatDateVn(d: Date): string {
  return formatVietnamDate(d);
}

/** "Bình Định, ngày 22 tháng 11 năm 2026" (ND 30: day and month below 10 get a leading zero only for 1–2). */
export function placeDateLine(place: string, d: Date): string {
  const { day, month, year } = vietnamDateParts(d);
  const dd = day < 10 ? `0${day}` : String(day);
  const mm = month < 3 ? `0${month}` : String(month);
  return `${place}, ngày ${dd} tháng ${mm} năm ${year}`;
}

export function setText(cell: ExcelJS.Cell, value: string | null | undefined): void {
  cell.value = cellText(value);
}

export interface FrameOptions {
  /** Number of table columns (the frame spans them). */
  columns: number;
  /** Title lines below "BÁO CÁO". */
  subject: string[];
}

/** Writes the document head on rows 1–8; returns the next free row. */
export function writeDocumentHead(ws: ExcelJS.Worksheet, model: ReportModel, opts: FrameOptions): number {
  const n = opts.columns;
  const leftEnd = Math.max(2, Math.min(5, Math.floor(n / 2) - 1));
  const rightStart = Math.max(leftEnd + 1, n - Math.max(5, Math.ceil(n / 2)) + 1);
  const put = (row: number, from: number, to: number, text: string, font: Partial<ExcelJS.Font>) => {
    if (to > from) ws.mergeCells(row, from, row, to);
    const c = ws.getCell(row, from);
    setText(c, text);
    c.font = font;
    c.alignment = CENTER;
  };
  put(1, 1, leftEnd, model.issuer.parentBody.toUpperCase(), FONT);
  put(1, rightStart, n, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", FONT_BOLD);
  put(2, 1, leftEnd, model.issuer.department.toUpperCase(), FONT_BOLD);
  put(2, rightStart, n, "Độc lập - Tự do - Hạnh phúc", { ...FONT_BOLD, size: 13 });
  put(3, 1, leftEnd, "Số:        /BC", FONT);
  put(3, rightStart, n, placeDateLine(model.issuer.place, model.issuedAt), FONT_ITALIC);
  put(5, 1, n, "BÁO CÁO", FONT_TITLE);
  let row = 6;
  for (const line of opts.subject) {
    put(row, 1, n, line, FONT_TITLE);
    ws.getRow(row).height = 36;
    row++;
  }
  if (model.draft) {
    put(row, 1, n, "BẢN NHÁP – số liệu chưa được chốt, không dùng để xét thi đua", FONT_DRAFT);
  } else {
    const frozen = model.period.frozenAt ? formatDateVn(model.period.frozenAt) : "";
    const rubric = model.rubric ? `; bộ tiêu chí: ${model.rubric.name}, phiên bản ${model.rubric.version}` : "";
    put(row, 1, n, `(Số liệu chốt ngày ${frozen}${rubric})`, FONT_ITALIC);
  }
  return row + 2;
}

/** "Nơi nhận" on the left and the signer on the right, from `row`; returns the next free row. */
export function writeSignature(ws: ExcelJS.Worksheet, model: ReportModel, row: number, columns: number): number {
  const leftEnd = Math.max(2, Math.min(4, Math.floor(columns / 2) - 1));
  const rightStart = Math.max(leftEnd + 1, columns - Math.max(4, Math.ceil(columns / 3)) + 1);
  const put = (r: number, from: number, to: number, text: string, font: Partial<ExcelJS.Font>, align = CENTER) => {
    if (to > from) ws.mergeCells(r, from, r, to);
    const c = ws.getCell(r, from);
    setText(c, text);
    c.font = font;
    c.alignment = align;
  };
  const left = { horizontal: "left", vertical: "top" } as Partial<ExcelJS.Alignment>;
  put(row, 1, leftEnd, "Nơi nhận:", { ...FONT_BOLD, italic: true, size: 11 }, left);
  put(row + 1, 1, leftEnd, "- UBND tỉnh (để báo cáo);", { ...FONT, size: 10 }, left);
  put(row + 2, 1, leftEnd, "- Các cơ quan, đơn vị;", { ...FONT, size: 10 }, left);
  put(row + 3, 1, leftEnd, "- Lưu: VT.", { ...FONT, size: 10 }, left);
  put(row, rightStart, columns, model.issuer.signerTitle.toUpperCase(), FONT_BOLD);
  put(row + 1, rightStart, columns, "(Ký, ghi rõ họ tên và đóng dấu)", FONT_ITALIC);
  if (model.issuer.signerName) put(row + 5, rightStart, columns, model.issuer.signerName, FONT_BOLD);
  return row + 6;
}

/** Where a sheet freezes its header and which rows repeat on printed pages. */
export interface SheetSetup {
  xSplit?: number;
  /** Rows above the split (the last header row). */
  ySplit: number;
  printTitles: [number, number];
}

/** Creates the sheet: the streaming writer needs views and page setup before the first row. */
export type OpenSheet = (setup: SheetSetup) => ExcelJS.Worksheet;

/** Frozen panes, A4 landscape fit to one page wide, header rows repeated, page numbers. */
export function sheetOptions(setup: SheetSetup): Partial<ExcelJS.AddWorksheetOptions> {
  const xSplit = setup.xSplit ?? 0;
  const topLeft = `${String.fromCharCode(65 + xSplit)}${setup.ySplit + 1}`;
  return {
    // 15 is the default: any other value marks every row as custom height, which stops auto-fit of wrapped text.
    properties: { defaultRowHeight: 15 } as ExcelJS.WorksheetProperties,
    views: [{ state: "frozen", xSplit, ySplit: setup.ySplit, topLeftCell: topLeft, activeCell: topLeft }],
    pageSetup: {
      paperSize: 9,
      orientation: "landscape",
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.5, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: `${setup.printTitles[0]}:${setup.printTitles[1]}`,
    },
    headerFooter: { oddFooter: '&C&"Times New Roman"&10Trang &P/&N' } as ExcelJS.HeaderFooter,
  };
}

/** The first free row after writeDocumentHead with `subjectLines` title lines. */
export function documentHeadEnd(subjectLines: number): number {
  return 8 + subjectLines;
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;
function idOf(o: object | undefined): number {
  if (!o) return 0;
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = nextObjectId++));
  return id;
}
const sharedStyles = new Map<string, Partial<ExcelJS.Style>>();

/**
 * One style object per distinct combination, shared by every cell that uses it: exceljs registers
 * styles by object identity, so sharing saves both the per-cell object and the lookup. A cell that
 * got a shared style must never have a style property set on it afterwards (that would change every
 * cell sharing it): only `cell.style = sharedStyle(...)` again.
 */
export function sharedStyle(
  font: Partial<ExcelJS.Font>,
  alignment: Partial<ExcelJS.Alignment>,
  border?: Partial<ExcelJS.Borders>,
  fill?: ExcelJS.Fill,
  numFmt?: string,
): Partial<ExcelJS.Style> {
  const key = `${idOf(font)}|${idOf(alignment)}|${idOf(border)}|${idOf(fill)}|${numFmt ?? ""}`;
  let style = sharedStyles.get(key);
  if (!style) {
    style = Object.freeze({ font, alignment, ...(border ? { border } : {}), ...(fill ? { fill } : {}), ...(numFmt ? { numFmt } : {}) });
    sharedStyles.set(key, style);
  }
  return style;
}

/** Applies the table style (font, border, alignment; keeps the number format) to cells 1..columns. */
export function styleTableRow(row: ExcelJS.Row, columns: number, align: Partial<ExcelJS.Alignment>[], bold = false): void {
  for (let i = 1; i <= columns; i++) {
    const c = row.getCell(i);
    c.style = sharedStyle(bold ? FONT_TABLE_BOLD : FONT_TABLE, align[i - 1] ?? LEFT_WRAP, BORDER, undefined, c.style?.numFmt);
  }
}

/** A two-row table header: `top` cells span `span` columns (merged), the rest merge vertically. */
export interface HeaderCell {
  text: string;
  children?: string[];
}

export function writeTableHeader(ws: ExcelJS.Worksheet, row: number, cells: HeaderCell[]): number {
  let col = 1;
  const twoRows = cells.some((c) => c.children && c.children.length > 0);
  for (const h of cells) {
    if (h.children && h.children.length > 0) {
      const end = col + h.children.length - 1;
      if (end > col) ws.mergeCells(row, col, row, end);
      setText(ws.getCell(row, col), h.text);
      h.children.forEach((child, i) => setText(ws.getCell(row + 1, col + i), child));
      col = end + 1;
    } else {
      if (twoRows) ws.mergeCells(row, col, row + 1, col);
      setText(ws.getCell(row, col), h.text);
      col++;
    }
  }
  const last = col - 1;
  for (let r = row; r <= row + (twoRows ? 1 : 0); r++) {
    for (let c = 1; c <= last; c++) {
      ws.getCell(r, c).style = sharedStyle(FONT_TABLE_BOLD, CENTER, BORDER, HEADER_FILL);
    }
  }
  return row + (twoRows ? 2 : 1);
}
