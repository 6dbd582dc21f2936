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
  FONT_TABLE,
  FONT_TABLE_BOLD,
  FONT_TITLE,
  GROUP_FILL,
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

const COLUMNS = 11;
const FONT_TABLE_ITALIC: Partial<ExcelJS.Font> = { ...FONT_TABLE, italic: true };
const LINE: Partial<ExcelJS.Alignment> = { horizontal: "left", vertical: "middle" };
const WIDTHS = [6, 24, 30, 10, 42, 30, 42, 12, 12, 8, 36];

export function formatPoints(n: number): string {
  return n.toFixed(2).replace(".", ",");
}

export function writeUnitSheet(open: OpenSheet, model: ReportModel, unit: UnitScoreRow, detail: UnitDetail): void {
  const findingsHeader = model.draft ? 8 : 7;
  const ws = open({ ySplit: findingsHeader, printTitles: [findingsHeader, findingsHeader] });
  ws.columns = WIDTHS.map((width) => ({ width }));
  const groupName = model.unitGroups.find((g) => g.code === unit.groupCode)?.name ?? unit.groupCode;
  const groupSize = model.units.filter((u) => u.groupCode === unit.groupCode).length;
  const p = model.period;

  // Single cells that overflow to the right, not merges: merged ranges cost a cell object each,
  // and these lines are on every one of thousands of sheets.
  const line = (row: number, text: string, font: Partial<ExcelJS.Font> = FONT) => {
    const c = ws.getCell(row, 1);
    setText(c, text);
    c.style = sharedStyle(font, LINE);
  };
  line(1, unit.name.toUpperCase(), FONT_TITLE);
  line(2, `Nhóm: ${groupName}. Trang thông tin điện tử: ${unit.websites.join(", ") || "—"}`);
  line(
    3,
    `Kỳ đánh giá: ${formatPeriodTitle(p.code, "sentence")} (từ ${formatDateVn(vietnamDayStart(p.startsOn))} đến ${formatDateVn(vietnamDayStart(p.endsOn))}); số lần kiểm tra: ${unit.auditsCount}`,
  );
  const result =
    unit.status === "scored" && unit.total != null
      ? `Tổng điểm: ${formatPoints(unit.total)}${unit.maxTotal != null ? `/${formatPoints(unit.maxTotal)}` : ""}; xếp loại: ${unit.tier ?? ""}; thứ hạng: ${unit.rank ?? "—"}/${groupSize} trong nhóm`
      : `Kết quả: ${NOT_AUDITED_LABEL} (không có lần kiểm tra thành công nào trong kỳ)`;
  line(4, result, FONT_BOLD);
  let row = 5;
  if (model.draft) line(row++, "BẢN NHÁP – số liệu chưa được chốt", FONT_DRAFT);

  row += 1;
  section(ws, row++, "I. CÁC LỖI PHÁT HIỆN TRONG KỲ VÀ BẰNG CHỨNG");
  if (row !== findingsHeader) throw new Error("unit sheet layout: unexpected header row");
  row = writeTableHeader(ws, row, [
    { text: "STT" },
    { text: "Mã lỗi" },
    { text: "Nội dung lỗi" },
    { text: "Mức độ" },
    { text: "Chi tiết" },
    { text: "Tiêu đề trang" },
    { text: "Địa chỉ bằng chứng" },
    { text: "Phát hiện lần đầu" },
    { text: "Phát hiện lần cuối" },
    { text: "Số lần" },
    { text: "Giải trình" },
  ]);

  const aligns = [CENTER, LEFT_WRAP, LEFT_WRAP, CENTER, LEFT_WRAP, LEFT_WRAP, LEFT_WRAP, CENTER, CENTER, CENTER, LEFT_WRAP];
  if (detail.findings.length === 0) {
    ws.mergeCells(row, 1, row, COLUMNS);
    setText(ws.getCell(row, 1), unit.status === "scored" ? "Không phát hiện lỗi." : "Không có dữ liệu kiểm tra trong kỳ.");
    styleTableRow(ws.getRow(row), COLUMNS, [LEFT_WRAP]);
    row++;
  }
  detail.findings.forEach((f, i) => {
    writeFindingRow(ws.getRow(row++), f, i + 1);
    styleTableRow(ws.getRow(row - 1), COLUMNS, aligns);
  });
  if (detail.findingsTotal > detail.findings.length) {
    setText(
      ws.getCell(row, 1),
      `… và ${detail.findingsTotal - detail.findings.length} lỗi khác (xem đầy đủ trên hệ thống Tuân Thủ).`,
    );
    ws.getCell(row, 1).style = sharedStyle(FONT_TABLE_ITALIC, LEFT_WRAP);
    row++;
  }

  row += 1;
  section(ws, row++, "II. ĐIỂM THEO TIÊU CHÍ");
  row = writeTableHeader(ws, row, [
    { text: "STT" },
    { text: "Mã tiêu chí" },
    { text: "Tiêu chí" },
    { text: "Nhóm" },
    { text: "Điểm đạt" },
    { text: "Điểm tối đa" },
    { text: "Điểm bị trừ" },
  ]);
  const critAligns = [CENTER, LEFT_WRAP, LEFT_WRAP, CENTER, CENTER, CENTER, CENTER];
  const groupNames = new Map(model.criterionGroups.map((g) => [g.code, g.name]));
  detail.criteria.forEach((c, i) => {
    const r = ws.getRow(row++);
    r.getCell(1).value = i + 1;
    setText(r.getCell(2), c.code);
    setText(r.getCell(3), c.name);
    setText(r.getCell(4), groupNames.get(c.groupCode) ?? c.groupCode);
    r.getCell(5).value = c.points;
    r.getCell(6).value = c.maxPoints;
    r.getCell(7).value = c.points != null ? round2(c.maxPoints - c.points) : null;
    for (const k of [5, 6, 7]) r.getCell(k).numFmt = POINTS_FORMAT;
    styleTableRow(r, 7, critAligns);
  });
  if (detail.criteria.length > 0) {
    const r = ws.getRow(row++);
    ws.mergeCells(r.number, 1, r.number, 4);
    setText(r.getCell(1), "Tổng cộng");
    const earned = detail.criteria.every((c) => c.points == null)
      ? null
      : round2(detail.criteria.reduce((s, c) => s + (c.points ?? 0), 0));
    r.getCell(5).value = earned;
    r.getCell(6).value = round2(detail.criteria.reduce((s, c) => s + c.maxPoints, 0));
    r.getCell(7).value = earned != null ? round2((r.getCell(6).value as number) - earned) : null;
    for (const k of [5, 6, 7]) r.getCell(k).numFmt = POINTS_FORMAT;
    styleTableRow(r, 7, critAligns, true);
  }
}

function writeFindingRow(r: ExcelJS.Row, f: FindingRow, index: number): void {
  r.getCell(1).value = index;
  setText(r.getCell(2), f.code);
  setText(r.getCell(3), findingLabel(f.code, f.categoryId));
  setText(r.getCell(4), SEVERITY_LABELS[f.severity] ?? f.severity);
  setText(r.getCell(5), f.snippet ? `${f.message}\n«${cellText(f.snippet, 2000)}»` : f.message);
  setText(r.getCell(6), f.pageTitle);
  const url = cellText(f.url);
  const link = safeHyperlink(f.url);
  r.getCell(7).value = link ? { text: url, hyperlink: link } : url;
  r.getCell(8).value = excelLocal(f.firstSeen);
  r.getCell(8).numFmt = DATE_FORMAT;
  r.getCell(9).value = excelLocal(f.lastSeen);
  r.getCell(9).numFmt = DATE_FORMAT;
  r.getCell(10).value = f.occurrences;
  const a = f.appeal;
  if (a) {
    const when = a.decidedAt ? ` (${formatDateVn(a.decidedAt)})` : ` (nộp ${formatDateVn(a.filedAt)})`;
    const reason = a.decisionReason ? `: ${a.decisionReason}` : "";
    setText(r.getCell(11), `${appealSummary(a)}${when}${reason}`);
  }
}

function section(ws: ExcelJS.Worksheet, row: number, text: string): void {
  const c = ws.getCell(row, 1);
  setText(c, text);
  c.style = sharedStyle(FONT_TABLE_BOLD, LINE);
}


