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
} from "./layout.ts";
import { findingLabel, SEVERITY_LABELS } from "./labels.ts";
import type { ReportModel } from "./model.ts";
import { formatPeriodTitle } from "../db/time.ts";
import { commonFailures, tierColumns, tierCounts } from "./stats.ts";

export function writeStatisticsSheet(open: OpenSheet, model: ReportModel): void {
  const headerRow = model.draft ? 5 : 4;
  const ws = open({ ySplit: headerRow + 1, printTitles: [headerRow, headerRow + 1] });
  const tiers = tierColumns(model);
  const n = Math.max(2 + tiers.length + 2, 6);
  ws.columns = [{ width: 6 }, { width: 36 }, ...Array.from({ length: n - 2 }, () => ({ width: 13 }))];
  ws.mergeCells(1, 1, 1, n);
  setText(ws.getCell(1, 1), `THỐNG KÊ KẾT QUẢ ĐÁNH GIÁ ${formatPeriodTitle(model.period.code)}`);
  ws.getCell(1, 1).font = FONT_TITLE;
  ws.getCell(1, 1).alignment = CENTER;
  let row = 2;
  if (model.draft) {
    ws.mergeCells(row, 1, row, n);
    setText(ws.getCell(row, 1), "BẢN NHÁP – số liệu chưa được chốt");
    ws.getCell(row, 1).font = FONT_DRAFT;
    ws.getCell(row, 1).alignment = CENTER;
    row++;
  }
  row++;
  const title = (text: string) => {
    ws.mergeCells(row, 1, row, n);
    setText(ws.getCell(row, 1), text);
    ws.getCell(row, 1).font = FONT_TABLE_BOLD;
    row++;
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
  title("2. Các lỗi phổ biến nhất (không tính lỗi đã được chấp nhận giải trình)");
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
}
