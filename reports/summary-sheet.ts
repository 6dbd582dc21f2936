// The summary sheet: units ranked within their group, one section per group.
import type ExcelJS from "exceljs";
import {
  CENTER,
  CHANGE_FORMAT,
  FONT_TABLE_BOLD,
  GROUP_FILL,
  LEFT_WRAP,
  POINTS_FORMAT,
  BORDER,
  sharedStyle,
  setText,
  styleTableRow,
  writeDocumentHead,
  documentHeadEnd,
  type OpenSheet,
  writeSignature,
  writeTableHeader,
} from "./layout.ts";
import { NOT_AUDITED_LABEL, type ReportModel, type UnitScoreRow } from "./model.ts";
import { formatPeriodTitle } from "../db/time.ts";
import { round2 } from "./stats.ts";

const ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];

/** Rank order: ranked units by rank then name; not audited last, by name. */
export function sortForRanking(units: UnitScoreRow[]): UnitScoreRow[] {
  return [...units].sort((a, b) => {
    const ra = a.status === "scored" && a.rank != null ? a.rank : Number.POSITIVE_INFINITY;
    const rb = b.status === "scored" && b.rank != null ? b.rank : Number.POSITIVE_INFINITY;
    if (ra !== rb) return ra - rb;
    return a.name.localeCompare(b.name, "vi") || a.unitId - b.unitId;
  });
}

export function summaryColumns(model: ReportModel): number {
  return 3 + model.criterionGroups.length + 6;
}

export function writeSummarySheet(open: OpenSheet, model: ReportModel): void {
  const headerStart = documentHeadEnd(1);
  const ws = open({ xSplit: 2, ySplit: headerStart + 1, printTitles: [headerStart, headerStart + 1] });
  const groups = model.criterionGroups;
  const n = summaryColumns(model);
  ws.columns = [
    { width: 6 },
    { width: 38 },
    { width: 30 },
    ...groups.map(() => ({ width: 12 })),
    { width: 11 },
    { width: 13 },
    { width: 9 },
    { width: 11 },
    { width: 10 },
    { width: 10 },
  ];
  const scope =
    model.kind === "unit"
      ? `CỦA ${(model.units.find((u) => u.unitId === model.unitId)?.name ?? "").toUpperCase()}`
      : "CỦA CÁC CƠ QUAN, ĐƠN VỊ";
  let row = writeDocumentHead(ws, model, {
    columns: n,
    subject: [`KẾT QUẢ ĐÁNH GIÁ VIỆC CUNG CẤP THÔNG TIN TRÊN TRANG THÔNG TIN ĐIỆN TỬ ${scope} ${formatPeriodTitle(model.period.code)}`],
  });
  if (row !== headerStart) throw new Error("summary layout: unexpected header row");
  row = writeTableHeader(ws, row, [
    { text: "STT" },
    { text: "Đơn vị" },
    { text: "Trang thông tin điện tử" },
    {
      text: "Điểm theo nhóm tiêu chí",
      children: groups.map((g) => (g.maxPoints != null ? `${g.name} (${fmt(g.maxPoints)} đ)` : g.name)),
    },
    { text: "Tổng điểm" },
    { text: "Xếp loại" },
    { text: "Thứ hạng" },
    { text: "So với kỳ trước", children: ["Điểm kỳ trước", "Tăng/ giảm điểm", "Hạng kỳ trước"] },
  ]);
  ws.getRow(headerStart + 1).height = 45;

  const aligns: Partial<ExcelJS.Alignment>[] = [CENTER, LEFT_WRAP, LEFT_WRAP, ...groups.map(() => CENTER), CENTER, CENTER, CENTER, CENTER, CENTER, CENTER];
  const visibleGroups = model.unitGroups.filter((g) => model.units.some((u) => u.groupCode === g.code));
  visibleGroups.forEach((g, gi) => {
    const members = sortForRanking(model.units.filter((u) => u.groupCode === g.code));
    ws.mergeCells(row, 2, row, n);
    setText(ws.getCell(row, 1), ROMAN[gi] ?? String(gi + 1));
    setText(ws.getCell(row, 2), `${g.name.toUpperCase()} (${members.length} đơn vị)`);
    for (let c = 1; c <= n; c++) {
      ws.getCell(row, c).style = sharedStyle(FONT_TABLE_BOLD, c === 1 ? CENTER : LEFT_WRAP, BORDER, GROUP_FILL);
    }
    row++;
    members.forEach((u, i) => {
      const r = ws.getRow(row);
      r.getCell(1).value = i + 1;
      setText(r.getCell(2), u.name);
      setText(r.getCell(3), u.websites.join("\n"));
      const scored = u.status === "scored";
      groups.forEach((g, k) => {
        const v = u.groupPoints[g.code];
        r.getCell(4 + k).value = scored && v != null ? v : null;
        r.getCell(4 + k).numFmt = POINTS_FORMAT;
      });
      let c = 4 + groups.length;
      const total = r.getCell(c++);
      if (scored && u.total != null) {
        total.value = u.total;
        total.numFmt = POINTS_FORMAT;
      } else setText(total, NOT_AUDITED_LABEL);
      setText(r.getCell(c++), scored ? (u.tier ?? "") : NOT_AUDITED_LABEL);
      r.getCell(c++).value = scored ? u.rank : null;
      const prev = r.getCell(c++);
      prev.value = u.previousTotal;
      prev.numFmt = POINTS_FORMAT;
      const change = r.getCell(c++);
      change.value = scored && u.total != null && u.previousTotal != null ? round2(u.total - u.previousTotal) : null;
      change.numFmt = CHANGE_FORMAT;
      r.getCell(c++).value = u.previousRank;
      styleTableRow(r, n, aligns);
      row++;
    });
  });
  row += 1;
  setText(ws.getCell(row, 2), `Ghi chú: "${NOT_AUDITED_LABEL}" là đơn vị không có lần kiểm tra thành công nào trong kỳ; thứ hạng tính trong từng nhóm, bằng điểm thì cùng hạng.`);
  ws.mergeCells(row, 2, row, n);
  ws.getCell(row, 2).font = { name: "Times New Roman", size: 10, italic: true };
  ws.getCell(row, 2).alignment = LEFT_WRAP;
  ws.getRow(row).height = 30;
  writeSignature(ws, model, row + 2, n);
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(".", ",");
}
