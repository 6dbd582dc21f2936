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
  fitRowHeight,
  FONT_BOLD,
  FONT_ITALIC,
  setHeight,
  writeParagraph,
  keepTogether,
  type OpenSheet,
  writeSignature,
  writeTableHeader,
} from "./layout.ts";
import { NOT_AUDITED_LABEL, type ReportModel, type UnitScoreRow } from "./model.ts";
import { formatPeriodTitle } from "../db/time.ts";
import { groupMaxima, round2 } from "./stats.ts";
import { draftAssessment } from "./assessment.ts";
import { fitWidths } from "./print-metrics.ts";

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

export function summaryWidths(model: ReportModel): number[] {
  return fitWidths([5.5, 19, 16, ...model.criterionGroups.map(() => 8), 8, 9, 7, 8, 8, 7]);
}

/** Rows the assessment takes above the table (titles and paragraphs), for the sheet's print titles. */
function assessmentBlocks(model: ReportModel): { title: string; text: string }[] {
  const a = model.assessment ?? draftAssessment(model);
  return [
    { title: "I. NHẬN XÉT CHUNG", text: a.overview },
    { title: "II. KẾT QUẢ ĐÁNH GIÁ", text: a.results },
    { title: "III. TỒN TẠI, HẠN CHẾ", text: a.shortcomings },
    { title: "IV. ĐỀ XUẤT, KIẾN NGHỊ", text: a.proposals },
  ];
}

export function writeSummarySheet(open: OpenSheet, model: ReportModel): void {
  const blocks = model.kind === "province" ? assessmentBlocks(model) : [];
  // Head, then two rows per assessment block, a spacer and the table's caption.
  const headerStart = documentHeadEnd(1) + (blocks.length ? blocks.length * 2 + 2 : 0);
  const titles: [number, number] = [headerStart, headerStart + 1];
  const ws = open({ ySplit: 0, printTitles: titles });
  const groups = model.criterionGroups;
  const maxima = groupMaxima(model);
  const n = summaryColumns(model);
  const widths = summaryWidths(model);
  ws.columns = widths.map((width) => ({ width }));
  const scope =
    model.kind === "unit"
      ? `CỦA ${(model.units.find((u) => u.unitId === model.unitId)?.name ?? "").toUpperCase()}`
      : "CỦA CÁC CƠ QUAN, ĐƠN VỊ";
  let row = writeDocumentHead(ws, model, {
    widths,
    // Broken by hand after "ĐIỆN TỬ": where LibreOffice wrapped it, the line ended "ĐIỆN TỬ CỦA" with
    // the space lost beside the fallback font's "Ử" ("TỬCỦA"), and the subject reads better so.
    subject: [`KẾT QUẢ ĐÁNH GIÁ VIỆC CUNG CẤP THÔNG TIN TRÊN TRANG THÔNG TIN ĐIỆN TỬ\n${scope} ${formatPeriodTitle(model.period.code)}`],
  });
  for (const b of blocks) {
    writeParagraph(ws, row++, n, b.title, FONT_BOLD, false);
    writeParagraph(ws, row++, n, b.text);
    // A section title never ends a page alone.
    keepTogether(ws, row - 2, row - 1, null);
  }
  if (blocks.length) {
    writeParagraph(ws, row++, n, "V. BẢNG TỔNG HỢP KẾT QUẢ, XẾP HẠNG THEO NHÓM ĐƠN VỊ", FONT_BOLD, false);
    writeParagraph(
      ws,
      row++,
      n,
      "Tổng điểm là điểm các nhóm tiêu chí quy về thang 100 (tổng điểm nhóm × 100 / điểm tối đa của đơn vị); thống kê tại Phụ lục I, phương pháp và ngưỡng xếp loại tại Phụ lục II, kết quả chi tiết từng đơn vị tại các Phụ lục III.",
      FONT_ITALIC,
    );
  }
  if (row !== headerStart) throw new Error("summary layout: unexpected header row");
  row = writeTableHeader(ws, row, [
    { text: "STT" },
    { text: "Đơn vị" },
    { text: "Trang thông tin điện tử" },
    {
      text: "Điểm theo nhóm tiêu chí",
      children: groups.map((g) => (maxima[g.code] != null ? `${g.name} (${fmt(maxima[g.code]!)} đ)` : g.name)),
    },
    { text: "Tổng điểm (/100)" },
    { text: "Xếp loại" },
    { text: "Thứ hạng" },
    { text: "So với kỳ trước", children: ["Điểm kỳ trước", "Tăng/ giảm", "Hạng kỳ trước"] },
  ]);

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
    fitRowHeight(ws, row, n, { 2: n });
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
  setHeight(ws, row, 8);
  row += 1;
  writeParagraph(
    ws,
    row,
    n,
    `Ghi chú: "${NOT_AUDITED_LABEL}" là đơn vị không có lần kiểm tra thành công nào trong kỳ; thứ hạng tính trong từng nhóm, bằng điểm thì cùng hạng.`,
    { ...FONT_ITALIC, size: 12 },
    false,
  );
  setHeight(ws, row + 1, 12);
  writeSignature(ws, model, row + 2, widths, titles);
}
function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(".", ",");
}
