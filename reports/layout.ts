// The administrative-document frame (Nghị định 30/2020/NĐ-CP) and the shared cell styles.
import type ExcelJS from "exceljs";
import type { ReportModel } from "./model.ts";
import { cellText } from "./safe.ts";
import { formatVietnamDate, vietnamDateParts, vietnamWallClock } from "../db/time.ts";
import { MARGINS, PAGE_HEIGHT_PT, rowHeightFor } from "./print-metrics.ts";

export const FONT_NAME = "Times New Roman";
export const POINTS_FORMAT = "[$-42A]0.00";
export const CHANGE_FORMAT = "[$-42A]+0.00;-0.00;0.00";
export const DATE_FORMAT = "dd/mm/yyyy";
export const DATETIME_FORMAT = "dd/mm/yyyy hh:mm";

const THIN: Partial<ExcelJS.Border> = { style: "thin", color: { argb: "FF000000" } };
export const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** ND 30 sizes: body 13–14, letterhead 12–13, title 14, table text 12 (never below 11 on paper). */
export const BODY_SIZE = 13;
export const TABLE_SIZE = 12;
export const FONT: Partial<ExcelJS.Font> = { name: FONT_NAME, size: BODY_SIZE };
export const FONT_BOLD: Partial<ExcelJS.Font> = { name: FONT_NAME, size: BODY_SIZE, bold: true };
export const FONT_ITALIC: Partial<ExcelJS.Font> = { name: FONT_NAME, size: BODY_SIZE, italic: true };
export const FONT_TITLE: Partial<ExcelJS.Font> = { name: FONT_NAME, size: 14, bold: true };
export const FONT_DRAFT: Partial<ExcelJS.Font> = { name: FONT_NAME, size: BODY_SIZE, bold: true, color: { argb: "FFC00000" } };
export const FONT_TABLE: Partial<ExcelJS.Font> = { name: FONT_NAME, size: TABLE_SIZE };
export const FONT_TABLE_BOLD: Partial<ExcelJS.Font> = { name: FONT_NAME, size: TABLE_SIZE, bold: true };
export const FONT_TABLE_ITALIC: Partial<ExcelJS.Font> = { name: FONT_NAME, size: TABLE_SIZE, italic: true };
export const FONT_LINK: Partial<ExcelJS.Font> = { name: FONT_NAME, size: TABLE_SIZE, color: { argb: "FF0563C1" }, underline: true };
const LINE_BELOW: Partial<ExcelJS.Borders> = { bottom: { style: "thin", color: { argb: "FF000000" } } };

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
  /** Column widths of the sheet (the frame spans them). */
  widths: number[];
  /** Title lines below "BÁO CÁO". */
  subject: string[];
}

/** Sets a row's height and remembers it for page-break estimates (keepTogether). */
export function setHeight(ws: ExcelJS.Worksheet, row: number, height: number): void {
  ws.getRow(row).height = height;
  let list = rowHeights.get(ws);
  if (!list) rowHeights.set(ws, (list = []));
  list[row] = height;
}
const rowHeights = new WeakMap<ExcelJS.Worksheet, number[]>();
const DEFAULT_ROW_PT = 15;

/**
 * Keeps rows first..last on one printed page: when they would straddle a page boundary (page height
 * inside the margins, `titleRows` repeated from page 2), a manual page break is put before `first`.
 * Exact when every row has an explicit height (setHeight) and the sheet prints at 100 %.
 */
export function keepTogether(ws: ExcelJS.Worksheet, first: number, last: number, titleRows: [number, number] | null): boolean {
  const h = rowHeights.get(ws) ?? [];
  const height = (r: number) => h[r] ?? DEFAULT_ROW_PT;
  const titles = titleRows ? Array.from({ length: titleRows[1] - titleRows[0] + 1 }, (_, i) => height(titleRows[0] + i)).reduce((a, b) => a + b, 0) : 0;
  let used = 0;
  let pageStartsAfterTitles = false;
  for (let r = 1; r < first; r++) {
    const room = PAGE_HEIGHT_PT - (pageStartsAfterTitles ? titles : 0);
    if (used + height(r) > room) {
      used = 0;
      pageStartsAfterTitles = titleRows !== null && r > titleRows[1];
    }
    used += height(r);
  }
  let block = 0;
  for (let r = first; r <= last; r++) block += height(r);
  const room = PAGE_HEIGHT_PT - (pageStartsAfterTitles ? titles : 0);
  if (used + block <= room - 2 || used === 0) return false;
  ws.getRow(first - 1).addPageBreak();
  return true;
}

/** The issuer's number line: "Số:       /BC-SKHCN" (the number is written in when the report is registered). */
export function numberLine(model: ReportModel): string {
  const abbr = model.issuer.abbreviation.trim();
  return `Số:        /BC${abbr ? `-${abbr}` : ""}`;
}

/** Writes the document head (rows 1 to documentHeadEnd - 1); returns the next free row. */
export function writeDocumentHead(ws: ExcelJS.Worksheet, model: ReportModel, opts: FrameOptions): number {
  const widths = opts.widths;
  const n = widths.length;
  const leftEnd = Math.max(2, Math.min(n - 3, Math.ceil(n * 0.4)));
  const rightStart = leftEnd + 1;
  const span = (from: number, to: number) => widths.slice(from - 1, to);
  const put = (row: number, from: number, to: number, text: string, font: Partial<ExcelJS.Font>, border?: Partial<ExcelJS.Borders>) => {
    if (to > from) ws.mergeCells(row, from, row, to);
    setText(ws.getCell(row, from), text);
    for (let c = from; c <= to; c++) ws.getCell(row, c).style = sharedStyle(font, CENTER, border);
  };
  const parent = model.issuer.parentBody.toUpperCase();
  const dept = model.issuer.department.toUpperCase();
  const motto = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
  put(1, 1, leftEnd, parent, { ...FONT, size: 13 });
  put(1, rightStart, n, motto, { ...FONT_BOLD, size: 13 });
  put(2, 1, leftEnd, dept, { ...FONT_BOLD, size: 13 });
  put(2, rightStart, n, "Độc lập - Tự do - Hạnh phúc", { ...FONT_BOLD, size: 14 });
  const h1 = rowHeightFor([{ text: parent, widths: span(1, leftEnd), size: 13 }, { text: motto, widths: span(rightStart, n), size: 13, bold: true }], 20);
  const h2 = rowHeightFor([{ text: dept, widths: span(1, leftEnd), size: 13, bold: true }], 20);
  setHeight(ws, 1, h1);
  setHeight(ws, 2, h2);
  // ND 30: a short line under the issuing body and under the motto, drawn as the bottom border of
  // the middle columns of each side on a thin row of their own.
  const underline = (from: number, to: number) => {
    const len = to - from + 1;
    const a = from + Math.floor(len / 4);
    const b = Math.max(a, to - Math.floor(len / 4));
    if (b > a) ws.mergeCells(3, a, 3, b);
    for (let c = a; c <= b; c++) ws.getCell(3, c).style = sharedStyle(FONT, CENTER, LINE_BELOW);
  };
  underline(1, leftEnd);
  underline(rightStart, n);
  setHeight(ws, 3, 3);
  put(4, 1, leftEnd, numberLine(model), FONT);
  put(4, rightStart, n, placeDateLine(model.issuer.place, model.issuedAt), { ...FONT_ITALIC, size: 14 });
  setHeight(ws, 4, 26);
  setHeight(ws, 5, 12);
  put(6, 1, n, "BÁO CÁO", FONT_TITLE);
  setHeight(ws, 6, 22);
  let row = 7;
  opts.subject.forEach((line, i) => {
    // ND 30: a short line under the subject, drawn under the middle columns of the last subject line.
    put(row, 1, n, line, FONT_TITLE);
    setHeight(ws, row, rowHeightFor([{ text: line, widths, size: 14, bold: true }], 20));
    if (i === opts.subject.length - 1) {
      row++;
      const mid = Math.ceil(n / 2);
      const from = Math.max(1, mid - Math.max(0, Math.floor(n / 8)));
      const to = Math.min(n, mid + Math.max(0, Math.floor(n / 8)));
      if (to > from) ws.mergeCells(row, from, row, to);
      for (let c = from; c <= to; c++) ws.getCell(row, c).style = sharedStyle(FONT, CENTER, LINE_BELOW);
      setHeight(ws, row, 6);
    }
    row++;
  });
  if (model.draft) {
    put(row, 1, n, "BẢN NHÁP – số liệu chưa được chốt, không dùng để xét thi đua", FONT_DRAFT);
  } else {
    const frozen = model.period.frozenAt ? formatDateVn(model.period.frozenAt) : "";
    const rubric = model.rubric ? `; bộ tiêu chí: ${model.rubric.name}, phiên bản ${model.rubric.version}` : "";
    put(row, 1, n, `(Số liệu chốt ngày ${frozen}${rubric})`, FONT_ITALIC);
  }
  setHeight(ws, row, 22);
  setHeight(ws, row + 1, 10);
  return row + 2;
}

/** Rows taken by writeDocumentHead with `subjectLines` title lines (the next free row). */
export function documentHeadEnd(subjectLines: number): number {
  return 10 + subjectLines;
}

/**
 * "Nơi nhận" on the left and the signer on the right, from `row`, kept on one page; returns the next
 * free row. `titleRows` are the rows repeated on every printed page (for the page estimate).
 */
export function writeSignature(ws: ExcelJS.Worksheet, model: ReportModel, row: number, widths: number[], titleRows: [number, number] | null): number {
  const columns = widths.length;
  const leftEnd = Math.max(2, Math.min(columns - 3, Math.ceil(columns * 0.4)));
  const rightStart = Math.max(leftEnd + 1, columns - Math.max(3, Math.ceil(columns * 0.4)) + 1);
  const left: Partial<ExcelJS.Alignment> = { horizontal: "left", vertical: "top", wrapText: true };
  const put = (r: number, from: number, to: number, text: string, font: Partial<ExcelJS.Font>, align = CENTER) => {
    if (to > from) ws.mergeCells(r, from, r, to);
    const c = ws.getCell(r, from);
    setText(c, text);
    c.style = sharedStyle(font, align);
  };
  const recipients = model.issuer.recipients.length ? model.issuer.recipients : ["Lưu: VT"];
  const lines = recipients.map((t, i) => `- ${t.trim()}${i === recipients.length - 1 ? "." : ";"}`.replace(/[.;]([.;])$/, "$1"));
  const signLines = 6;
  const total = Math.max(1 + lines.length, signLines);
  put(row, 1, leftEnd, "Nơi nhận:", { ...FONT_BOLD, italic: true, size: 12 }, left);
  lines.forEach((t, i) => put(row + 1 + i, 1, leftEnd, t, { ...FONT, size: 11 }, left));
  put(row, rightStart, columns, model.issuer.signerTitle.toUpperCase(), { ...FONT_BOLD, size: 13 });
  put(row + 1, rightStart, columns, "(Ký, ghi rõ họ tên và đóng dấu)", FONT_ITALIC);
  put(row + signLines - 1, rightStart, columns, model.issuer.signerName, { ...FONT_BOLD, size: 14 });
  const leftWidths = widths.slice(0, leftEnd);
  for (let r = row; r < row + total; r++) {
    const i = r - row - 1;
    const h = i >= 0 && i < lines.length ? rowHeightFor([{ text: lines[i], widths: leftWidths, size: 11 }], 16) : 18;
    setHeight(ws, r, r === row + signLines - 2 ? Math.max(h, 48) : Math.max(h, 18));
  }
  keepTogether(ws, row, row + total - 1, titleRows);
  return row + total;
}

/** Where a sheet freezes its header and which rows repeat on printed pages. */
export interface SheetSetup {
  xSplit?: number;
  /** Rows above the split (the last header row). */
  ySplit: number;
  /** Rows repeated at the top of every printed page (a sheet with several tables has none). */
  printTitles: [number, number] | null;
  /** Named in the page header from page 2 on (a unit sheet's unit). */
  runningHead?: string;
}

/** Creates the sheet: the streaming writer needs views and page setup before the first row. */
export type OpenSheet = (setup: SheetSetup) => ExcelJS.Worksheet;

/** Escapes text for an Excel header/footer ("&" starts a code). */
export function headerText(text: string): string {
  return cellText(text, 200).replace(/[\r\n]+/g, " ").replace(/&/g, "&&");
}

/**
 * Frozen panes, A4 landscape at 100 % (columns are sized to fit), header rows repeated, ND 30 margins and page numbers at the top centre from page 2 on.
 */
export function sheetOptions(setup: SheetSetup): Partial<ExcelJS.AddWorksheetOptions> {
  const xSplit = setup.xSplit ?? 0;
  const topLeft = `${String.fromCharCode(65 + xSplit)}${setup.ySplit + 1}`;
  const page = '&C&"Times New Roman"&13&P';
  const left = setup.runningHead ? `&L&"Times New Roman,Italic"&12${headerText(setup.runningHead)}` : "";
  return {
    // 15 is the default: any other value marks every row as custom height, which stops auto-fit of wrapped text.
    properties: { defaultRowHeight: 15 } as ExcelJS.WorksheetProperties,
    views: setup.ySplit > 0 ? [{ state: "frozen", xSplit, ySplit: setup.ySplit, topLeftCell: topLeft, activeCell: topLeft }] : [],
    pageSetup: {
      paperSize: 9,
      orientation: "landscape",
      // Printed at 100 %: the columns are sized to the page (print-metrics.ts). Fit-to-width made
      // LibreOffice search a zoom for every sheet: 40 % of its CPU time on a 40-unit report.
      fitToPage: false,
      scale: 100,
      horizontalCentered: false,
      // Every sheet (the report, each annex) numbers its own pages from 1.
      firstPageNumber: 1,
      margins: MARGINS,
      ...(setup.printTitles ? { printTitlesRow: `${setup.printTitles[0]}:${setup.printTitles[1]}` } : {}),
    },
    headerFooter: { differentFirst: true, firstHeader: "", oddHeader: `${left}${page}` } as ExcelJS.HeaderFooter,
  };
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
export function styleTableRow(row: ExcelJS.Row, columns: number, align: Partial<ExcelJS.Alignment>[], bold = false, spans: Record<number, number> = {}): void {
  for (let i = 1; i <= columns; i++) {
    const c = row.getCell(i);
    const link = !bold && typeof c.value === "object" && c.value !== null && "hyperlink" in c.value;
    c.style = sharedStyle(bold ? FONT_TABLE_BOLD : link ? FONT_LINK : FONT_TABLE, align[i - 1] ?? LEFT_WRAP, BORDER, undefined, c.style?.numFmt);
  }
  fitRowHeight(row.worksheet, row.number, columns, spans);
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
  // Heights: a parent spans its children; a single-row cell spanning two rows is measured on the first.
  const spans: Record<number, number> = {};
  let k = 1;
  for (const h of cells) {
    if (h.children && h.children.length > 0) {
      spans[k] = k + h.children.length - 1;
      k += h.children.length;
    } else k++;
  }
  fitRowHeight(ws, row, last, spans, 20);
  if (twoRows) fitRowHeight(ws, row + 1, last, {}, 20);
  return row + (twoRows ? 2 : 1);
}

/** Text a cell prints (for row-height estimates). */
function printedText(v: ExcelJS.CellValue): string {
  if (v == null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : "00000,00";
  if (v instanceof Date) return "00/00/0000";
  if (typeof v === "object" && "text" in v && typeof v.text === "string") return v.text;
  return String(v);
}

// Column widths per sheet, read once (a sheet's columns are set before its first row).
const columnWidths = new WeakMap<ExcelJS.Worksheet, number[]>();
function columnWidth(ws: ExcelJS.Worksheet, k: number): number {
  let list = columnWidths.get(ws);
  if (!list) columnWidths.set(ws, (list = []));
  return (list[k] ??= ws.getColumn(k).width ?? 9);
}

/**
 * Sets the row's height to fit its wrapped text: each cell's text, font size and column width
 * (`spans` maps a merged cell's first column to its last).
 */
export function fitRowHeight(ws: ExcelJS.Worksheet, rowNumber: number, columns: number, spans: Record<number, number> = {}, min = 18): void {
  const row = ws.getRow(rowNumber);
  const cells = [];
  let covered = 0;
  for (let c = 1; c <= columns; c++) {
    if (c <= covered) continue;
    if (spans[c]) covered = spans[c];
    const cell = row.getCell(c);
    if (cell.isMerged && cell.master !== cell) continue;
    const text = printedText(cell.value);
    if (!text) continue;
    const last = spans[c] ?? c;
    const widths = [];
    for (let k = c; k <= last; k++) widths.push(columnWidth(ws, k));
    cells.push({ text, widths, size: cell.style?.font?.size ?? TABLE_SIZE, bold: cell.style?.font?.bold ?? false });
  }
  setHeight(ws, rowNumber, rowHeightFor(cells, min));
}

/** A paragraph of body text across all columns, its row sized to fit. */
export function writeParagraph(
  ws: ExcelJS.Worksheet,
  row: number,
  columns: number,
  text: string,
  font: Partial<ExcelJS.Font> = FONT,
  indent = true,
  align: Partial<ExcelJS.Alignment> = JUSTIFY,
): void {
  if (columns > 1) ws.mergeCells(row, 1, row, columns);
  const c = ws.getCell(row, 1);
  setText(c, indent ? `      ${text}` : text);
  c.style = sharedStyle(font, align);
  fitRowHeight(ws, row, 1, { 1: columns }, 20);
}
const JUSTIFY: Partial<ExcelJS.Alignment> = { horizontal: "justify", vertical: "top", wrapText: true };
