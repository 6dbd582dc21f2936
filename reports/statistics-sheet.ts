// The statistics sheet: units per tier and group, average totals, the most common failures.
import type ExcelJS from "exceljs";
import {
  CENTER,
  FONT_TITLE,
  LEFT_WRAP,
  POINTS_FORMAT,
  type OpenSheet,
  setText,
  styleTableRow,
  writeTableHeader,
  FONT_TABLE_BOLD,
  FONT_DRAFT,
  FONT_TABLE,
  LEFT,
  BORDER,
  TABLE_SIZE,
  setHeight,
  sharedStyle,
  writeParagraph,
} from "./layout.ts";
import { cellWidthPt, fitWidths, linesHeight, textWidthPt } from "./print-metrics.ts";
import { annexReference } from "./unit-sheet.ts";
import { findingLabel, SEVERITY_LABELS } from "./labels.ts";
import type { ReportModel, UnitScoreRow } from "./model.ts";
import { formatPeriodTitle } from "../db/time.ts";
import { biggestChanges, commonFailures, round2, tierColumns, tierCounts } from "./stats.ts";

export function writeStatisticsSheet(open: OpenSheet, model: ReportModel, annexNumber = "I"): void {
  const headerRow = model.draft ? 7 : 6;
  const ws = open({ ySplit: headerRow + 1, printTitles: null });
  const tiers = tierColumns(model);
  const n = Math.max(2 + tiers.length + 2, 6);
  ws.columns = fitWidths([5.5, 30, ...Array.from({ length: n - 2 }, () => 12)]).map((width) => ({ width }));
  writeParagraph(ws, 1, n, `PHỤ LỤC ${annexNumber}`, FONT_TITLE, false, CENTER);
  writeParagraph(ws, 2, n, annexReference(model), { ...FONT_TABLE_BOLD, bold: false, italic: true }, false, CENTER);
  writeParagraph(ws, 3, n, `THỐNG KÊ KẾT QUẢ ĐÁNH GIÁ ${formatPeriodTitle(model.period.code)}`, FONT_TITLE, false, CENTER);
  let row = 4;
  if (model.draft) {
    writeParagraph(ws, row++, n, "BẢN NHÁP – số liệu chưa được chốt", FONT_DRAFT, false, CENTER);
  }
  row++;
  const title = (text: string) => {
    writeParagraph(ws, row++, n, text, FONT_TABLE_BOLD, false);
  };

  title("1. Số đơn vị theo xếp loại và nhóm");
  if (row !== headerRow) throw new Error("statistics layout: unexpected header row");
  row = writeTableHeader(ws, row, [
    { text: "STT" },
    { text: "Nhóm đơn vị" },
    { text: "Xếp loại", children: tiers },
    { text: "Tổng số" },
    { text: "Điểm bình quân" },
  ]);
  const counts = tierCounts(model);
  const width = 2 + tiers.length + 2;
  const aligns = [CENTER, LEFT_WRAP, ...tiers.map(() => CENTER), CENTER, CENTER];
  const totals = new Array<number>(tiers.length + 1).fill(0);
  counts.forEach((c, i) => {
    const r = ws.getRow(row++);
    r.getCell(1).value = i + 1;
    setText(r.getCell(2), model.unitGroups.find((g) => g.code === c.groupCode)?.name ?? c.groupCode);
    tiers.forEach((t, k) => {
      r.getCell(3 + k).value = c.counts[t] ?? 0;
      totals[k] += c.counts[t] ?? 0;
    });
    r.getCell(3 + tiers.length).value = c.total;
    totals[tiers.length] += c.total;
    r.getCell(4 + tiers.length).value = c.averageTotal;
    r.getCell(4 + tiers.length).numFmt = POINTS_FORMAT;
    styleTableRow(r, width, aligns);
  });
  const tr = ws.getRow(row++);
  setText(tr.getCell(2), "Tổng cộng");
  totals.forEach((v, k) => (tr.getCell(3 + k).value = v));
  styleTableRow(tr, width, aligns, true);

  row++;
  title("2. Các lỗi phổ biến nhất (không tính lỗi đã được chấp nhận giải trình và mục ở mức thông tin)");
  row = writeTableHeader(ws, row, [
    { text: "STT" },
    { text: "Lỗi" },
    { text: "Mã lỗi" },
    { text: "Mức độ" },
    { text: "Số đơn vị mắc" },
    { text: "Số lượt ghi nhận" },
  ]);
  const failures = commonFailures(model);
  const fAligns = [CENTER, LEFT_WRAP, LEFT_WRAP, CENTER, CENTER, CENTER];
  if (failures.length === 0) {
    const r = ws.getRow(row++);
    setText(r.getCell(2), "Không có lỗi nào.");
    styleTableRow(r, 6, fAligns);
  }
  failures.forEach((f, i) => {
    const r = ws.getRow(row++);
    r.getCell(1).value = i + 1;
    setText(r.getCell(2), findingLabel(f.code, null));
    setText(r.getCell(3), f.code);
    setText(r.getCell(4), SEVERITY_LABELS[f.severity] ?? f.severity);
    r.getCell(5).value = f.units;
    r.getCell(6).value = f.findings;
    styleTableRow(r, 6, fAligns);
  });
  const end = writeUnitLists(ws, model, row, n);
  writeTierChart(ws, model, end + 1, n);
}

/**
 * A bar chart the sheet draws itself: one row per tier, a bar of "█" as long as its share of the
 * units (the streaming writer cannot anchor an image or a chart object; see decision 0015).
 */
function writeTierChart(ws: ExcelJS.Worksheet, model: ReportModel, start: number, n: number): number {
  let row = start;
  writeParagraph(ws, row++, n, "6. Biểu đồ: số đơn vị theo xếp loại (toàn tỉnh)", FONT_TABLE_BOLD, false);
  const tiers = tierColumns(model);
  const counts = tiers.map((t) => tierCounts(model).reduce((s, c) => s + (c.counts[t] ?? 0), 0));
  const total = counts.reduce((a, b) => a + b, 0);
  const max = Math.max(1, ...counts);
  const barWidths = Array.from({ length: n - 2 }, (_, k) => ws.getColumn(3 + k).width ?? 9);
  // Room for the bar and its label on one line ("█" is at most an em wide).
  const room = Math.max(1, Math.floor((cellWidthPt(barWidths) - textWidthPt("  0000 đơn vị (100 %)", TABLE_SIZE)) / TABLE_SIZE) - 1);
  tiers.forEach((tier, i) => {
    const r = ws.getRow(row);
    r.getCell(1).value = i + 1;
    setText(r.getCell(2), tier);
    ws.mergeCells(row, 3, row, n);
    const len = counts[i] > 0 ? Math.max(1, Math.round((counts[i] / max) * room)) : 0;
    const share = total > 0 ? Math.round((counts[i] * 100) / total) : 0;
    setText(r.getCell(3), `${"█".repeat(len)}  ${counts[i]} đơn vị (${share} %)`);
    r.getCell(3).style = sharedStyle(FONT_TABLE, LEFT, BORDER);
    r.getCell(1).style = sharedStyle(FONT_TABLE, CENTER, BORDER);
    r.getCell(2).style = sharedStyle(FONT_TABLE, LEFT, BORDER);
    setHeight(ws, row, linesHeight(1, TABLE_SIZE) + 2);
    row++;
  });
  return row;
}

/** Lists a province asks for: units not audited, and those that improved or declined most. */
function writeUnitLists(ws: ExcelJS.Worksheet, model: ReportModel, start: number, n: number): number {
  let row = start;
  const groupName = (code: string) => model.unitGroups.find((g) => g.code === code)?.name ?? code;
  const list = (title: string, units: UnitScoreRow[], value: (u: UnitScoreRow) => string, valueHeader: string) => {
    row++;
    writeParagraph(ws, row++, n, title, FONT_TABLE_BOLD, false);
    row = writeTableHeader(ws, row, [{ text: "STT" }, { text: "Đơn vị" }, { text: "Nhóm" }, { text: valueHeader }]);
    if (units.length === 0) {
      const r = ws.getRow(row++);
      setText(r.getCell(2), "Không có.");
      styleTableRow(r, 4, [CENTER, LEFT_WRAP]);
    }
    units.forEach((u, i) => {
      const r = ws.getRow(row++);
      r.getCell(1).value = i + 1;
      setText(r.getCell(2), u.name);
      setText(r.getCell(3), groupName(u.groupCode));
      setText(r.getCell(4), value(u));
      styleTableRow(r, 4, [CENTER, LEFT_WRAP, LEFT_WRAP, CENTER]);
    });
  };
  const notAudited = model.units.filter((u) => u.status !== "scored").sort((a, b) => a.name.localeCompare(b.name, "vi") || a.unitId - b.unitId);
  list(
    "3. Đơn vị chưa đánh giá được (chưa được kiểm tra, hoặc mọi lượt kiểm tra trong kỳ đều không thành công)",
    notAudited,
    (u) => String(u.auditsCount),
    "Số lượt kiểm tra thành công",
  );
  const { improved, declined } = biggestChanges(model);
  const change = (u: UnitScoreRow) => {
    const d = round2((u.total ?? 0) - (u.previousTotal ?? 0));
    return `${d > 0 ? "+" : ""}${d.toFixed(2).replace(".", ",")}`;
  };
  list("4. Đơn vị tăng điểm nhiều nhất so với kỳ trước", improved, change, "Tăng/giảm điểm");
  list("5. Đơn vị giảm điểm nhiều nhất so với kỳ trước", declined, change, "Tăng/giảm điểm");
  return row;
}
