// One unit's sheet: its score, every finding of the period with its evidence and appeal outcome,
// and the points per criterion.
import type ExcelJS from "exceljs";
import {
  BORDER,
  CENTER,
  DATE_FORMAT,
  FONT,
  FONT_BOLD,
  FONT_DRAFT,
  FONT_ITALIC,
  FONT_TABLE_BOLD,
  FONT_TABLE_ITALIC,
  FONT_TITLE,
  fitRowHeight,
  setHeight,
  LEFT_WRAP,
  POINTS_FORMAT,
  excelLocal,
  formatDateVn,
  sharedStyle,
  type OpenSheet,
  setText,
  styleTableRow,
  writeTableHeader,
} from "./layout.ts";
import { appealSummary, findingLabel, SEVERITY_LABELS } from "./labels.ts";
import { NOT_AUDITED_LABEL, type FindingRow, type ReportModel, type UnitDetail, type UnitScoreRow } from "./model.ts";
import { formatPeriodTitle, vietnamDayStart } from "../db/time.ts";
import { cellText, safeHyperlink } from "./safe.ts";
import { round2 } from "./stats.ts";
import { fitWidths } from "./print-metrics.ts";

const COLUMNS = 10;
const LINE: Partial<ExcelJS.Alignment> = { horizontal: "left", vertical: "middle", wrapText: true };
const LINE_NOWRAP: Partial<ExcelJS.Alignment> = { horizontal: "left", vertical: "middle" };
// The detail (message, quote, page, address) takes a third of the page, so a finding is a few lines
// high; the dates keep the 11 units "dd/mm/yyyy" needs at 12 pt, and column 4 the 7 units of
// "100,00" in bold (the criteria table's total: narrower prints "###").
const WIDTHS = fitWidths([5, 8, 12, 7, 44.5, 9, 11, 11, 4.5, 10]);
/** Column widths of a unit sheet (the print tests find the columns on the page from them). */
export const UNIT_SHEET_WIDTHS: readonly number[] = WIDTHS;

export function formatPoints(n: number): string {
  return n.toFixed(2).replace(".", ",");
}

/** "Phụ lục III.2", with its reference to the report it belongs to. */
export interface AnnexLabel {
  number: string;
}

export function annexReference(model: ReportModel): string {
  const date = formatDateVn(model.issuedAt);
  return `(Kèm theo Báo cáo số        /BC${model.issuer.abbreviation ? `-${model.issuer.abbreviation}` : ""} ngày ${date} của ${model.issuer.department})`;
}

export function writeUnitSheet(open: OpenSheet, model: ReportModel, unit: UnitScoreRow, detail: UnitDetail, annex: AnnexLabel = { number: "" }): void {
  const findingsHeader = model.draft ? 10 : 9;
  const ws = open({ ySplit: findingsHeader, printTitles: [findingsHeader, findingsHeader], runningHead: unit.name });
  ws.columns = WIDTHS.map((width) => ({ width }));
  const groupName = model.unitGroups.find((g) => g.code === unit.groupCode)?.name ?? unit.groupCode;
  const groupSize = model.units.filter((u) => u.groupCode === unit.groupCode).length;
  const p = model.period;

  // Centred title lines are merged across the table; the other lines are single cells that overflow
  // to the right (a merge costs a cell object per column on each of thousands of sheets), sized as if merged.
  const line = (row: number, text: string, font: Partial<ExcelJS.Font> = FONT, align = LINE) => {
    const merged = align === CENTER || text.length > 90;
    if (merged) ws.mergeCells(row, 1, row, COLUMNS);
    const c = ws.getCell(row, 1);
    setText(c, text);
    c.style = sharedStyle(font, merged ? align : LINE_NOWRAP);
    fitRowHeight(ws, row, 1, { 1: COLUMNS }, 20);
  };
  line(1, `PHỤ LỤC ${annex.number}`.trim(), FONT_BOLD, CENTER);
  line(2, annexReference(model), FONT_ITALIC, CENTER);
  line(3, unit.name.toUpperCase(), FONT_TITLE, CENTER);
  line(4, `Nhóm: ${groupName}. Trang thông tin điện tử: ${unit.websites.join(", ") || "—"}`);
  line(
    5,
    `Kỳ đánh giá: ${formatPeriodTitle(p.code, "sentence")} (từ ${formatDateVn(vietnamDayStart(p.startsOn))} đến ${formatDateVn(vietnamDayStart(p.endsOn))}); số lần kiểm tra: ${unit.auditsCount}`,
  );
  const result =
    unit.status === "scored" && unit.total != null
      ? `Tổng điểm (thang 100): ${formatPoints(unit.total)}; xếp loại: ${unit.tier ?? ""}; thứ hạng: ${unit.rank ?? "—"}/${groupSize} trong nhóm`
      : `Kết quả: ${NOT_AUDITED_LABEL} (không có lần kiểm tra thành công nào trong kỳ)`;
  line(6, result, FONT_BOLD);
  let row = 7;
  if (model.draft) line(row++, "BẢN NHÁP – số liệu chưa được chốt", FONT_DRAFT);

  setHeight(ws, row, 8);
  row += 1;
  section(ws, row++, "I. CÁC LỖI PHÁT HIỆN TRONG KỲ VÀ BẰNG CHỨNG");
  if (row !== findingsHeader) throw new Error("unit sheet layout: unexpected header row");
  row = writeTableHeader(ws, row, [
    { text: "STT" },
    { text: "Mã lỗi" },
    { text: "Nội dung lỗi" },
    { text: "Mức độ" },
    { text: "Chi tiết" },
    { text: "Bằng chứng đã lưu (số)" },
    { text: "Phát hiện lần đầu" },
    { text: "Phát hiện lần cuối" },
    { text: "Số lần" },
    { text: "Giải trình" },
  ]);

  const aligns = [CENTER, LEFT_WRAP, LEFT_WRAP, CENTER, LEFT_WRAP, LEFT_WRAP, CENTER, CENTER, CENTER, LEFT_WRAP];
  if (detail.findings.length === 0) {
    ws.mergeCells(row, 1, row, COLUMNS);
    setText(ws.getCell(row, 1), unit.status === "scored" ? "Không phát hiện lỗi." : "Không có dữ liệu kiểm tra trong kỳ.");
    styleTableRow(ws.getRow(row), COLUMNS, [LEFT_WRAP], false, { 1: COLUMNS });
    row++;
  }
  const findingNo = new Map<string, number[]>();
  detail.findings.forEach((f, i) => {
    writeFindingRow(ws.getRow(row++), f, i + 1, model.evidenceBaseUrl);
    styleTableRow(ws.getRow(row - 1), COLUMNS, aligns);
    if (f.counted) for (const c of f.criterionCodes) findingNo.set(c, [...(findingNo.get(c) ?? []), i + 1]);
  });
  if (detail.findingsTotal > detail.findings.length) {
    ws.mergeCells(row, 1, row, COLUMNS);
    setText(
      ws.getCell(row, 1),
      `… và ${detail.findingsTotal - detail.findings.length} lỗi khác (xem đầy đủ trên hệ thống Tuân Thủ).`,
    );
    ws.getCell(row, 1).style = sharedStyle(FONT_TABLE_ITALIC, LEFT_WRAP);
    fitRowHeight(ws, row, 1, { 1: COLUMNS });
    row++;
  }

  setHeight(ws, row, 8);
  row += 1;
  section(ws, row++, "II. ĐIỂM THEO TIÊU CHÍ (điểm bị trừ dẫn chiếu số thứ tự lỗi ở mục I)");
  row = writeTableHeader(ws, row, [
    { text: "STT" },
    { text: "Mã tiêu chí" },
    { text: "Tiêu chí" },
    { text: "Điểm tối đa" },
    { text: "Nhóm tiêu chí" },
    { text: "Lỗi làm mất điểm (STT ở mục I)" },
    { text: "Điểm đạt" },
    { text: "Điểm bị trừ" },
  ]);
  const critAligns = [CENTER, LEFT_WRAP, LEFT_WRAP, CENTER, LEFT_WRAP, LEFT_WRAP, CENTER, CENTER];
  const groupNames = new Map(model.criterionGroups.map((g) => [g.code, g.name]));
  detail.criteria.forEach((c, i) => {
    const r = ws.getRow(row++);
    r.getCell(1).value = i + 1;
    setText(r.getCell(2), c.code);
    setText(r.getCell(3), c.name);
    r.getCell(4).value = c.maxPoints;
    setText(r.getCell(5), groupNames.get(c.groupCode) ?? c.groupCode);
    const lost = c.points != null ? round2(c.maxPoints - c.points) : null;
    const refs = findingNo.get(c.code) ?? [];
    setText(r.getCell(6), lost && lost > 0 ? (refs.length ? refs.join(", ") : "Không có lỗi cụ thể (tiêu chí đo tổng hợp)") : "");
    r.getCell(7).value = c.points;
    r.getCell(8).value = lost;
    for (const k of [4, 7, 8]) r.getCell(k).numFmt = POINTS_FORMAT;
    styleTableRow(r, 8, critAligns);
  });
  if (detail.criteria.length > 0) {
    const r = ws.getRow(row++);
    ws.mergeCells(r.number, 1, r.number, 3);
    setText(r.getCell(1), "Tổng cộng");
    const earned = detail.criteria.every((c) => c.points == null)
      ? null
      : round2(detail.criteria.reduce((s, c) => s + (c.points ?? 0), 0));
    const max = round2(detail.criteria.reduce((s, c) => s + c.maxPoints, 0));
    r.getCell(4).value = max;
    r.getCell(7).value = earned;
    r.getCell(8).value = earned != null ? round2(max - earned) : null;
    for (const k of [4, 7, 8]) r.getCell(k).numFmt = POINTS_FORMAT;
    styleTableRow(r, 8, critAligns, true, { 1: 3 });
    if (earned != null && unit.total != null && max > 0) {
      const rr = row++;
      ws.mergeCells(rr, 1, rr, COLUMNS);
      setText(
        ws.getCell(rr, 1),
        `Tổng điểm quy về thang 100 = tổng điểm nhóm × 100 / điểm tối đa của đơn vị = ${formatPoints(earned)} × 100 / ${formatPoints(max)} = ${formatPoints(unit.total)}.`,
      );
      ws.getCell(rr, 1).style = sharedStyle(FONT_TABLE_ITALIC, LEFT_WRAP);
      fitRowHeight(ws, rr, 1, { 1: COLUMNS });
    }
  }
}

/** Where a finding's evidence is: the stored page on the dashboard when known, else the live URL. */
export function evidenceLink(f: FindingRow, base: string | null): string | null {
  if (f.pageId != null && base) return `${base}/bang-chung/${f.pageId}`;
  return safeHyperlink(f.url);
}

function writeFindingRow(r: ExcelJS.Row, f: FindingRow, index: number, base: string | null): void {
  r.getCell(1).value = index;
  setText(r.getCell(2), f.code);
  setText(r.getCell(3), findingLabel(f.code, f.categoryId));
  setText(r.getCell(4), SEVERITY_LABELS[f.severity] ?? f.severity);
  // Where: the page title and address in the detail; the stored page as a short, printable
  // reference ("Bằng chứng số N" = /bang-chung/N on the dashboard), linked when the base URL is known.
  const where = [f.pageTitle ? `Trang: ${cellText(f.pageTitle, 300)}` : "", f.url ? `Địa chỉ: ${cellText(f.url, 600)}` : ""].filter(Boolean);
  const snippet = f.snippet ? [`«${cellText(f.snippet, 600)}»`] : [];
  setText(r.getCell(5), [cellText(f.message, 4000), ...snippet, ...where].join("\n"));
  if (f.pageId != null) {
    // The number alone (the header says "(số)"): LibreOffice does not wrap a linked cell, and
    // seven digits fit its column where "Số 1234567" would be cut.
    const label = String(f.pageId);
    const link = evidenceLink(f, base);
    r.getCell(6).value = link && base ? { text: label, hyperlink: link } : label;
  } else setText(r.getCell(6), "Không có trang lưu");
  r.getCell(7).value = excelLocal(f.firstSeen);
  r.getCell(7).numFmt = DATE_FORMAT;
  r.getCell(8).value = excelLocal(f.lastSeen);
  r.getCell(8).numFmt = DATE_FORMAT;
  r.getCell(9).value = f.occurrences;
  const a = f.appeal;
  if (a) {
    const when = a.decidedAt ? ` (${formatDateVn(a.decidedAt)})` : ` (nộp ${formatDateVn(a.filedAt)})`;
    const reason = a.decisionReason ? `: ${a.decisionReason}` : "";
    setText(r.getCell(10), `${appealSummary(a)}${when}${reason}`);
  }
}

function section(ws: ExcelJS.Worksheet, row: number, text: string): void {
  const c = ws.getCell(row, 1);
  setText(c, text);
  c.style = sharedStyle(FONT_TABLE_BOLD, LINE_NOWRAP);
  setHeight(ws, row, 22);
}


