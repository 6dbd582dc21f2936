// The method annex: legal basis, rubric, maximum per unit type, the scaling to 100, tier thresholds
// and the audits counted, so that every figure of the report can be traced.
import { CENTER, FONT, FONT_BOLD, FONT_DRAFT, LEFT_WRAP, POINTS_FORMAT, setText, styleTableRow, writeParagraph, writeTableHeader, type OpenSheet } from "./layout.ts";
import type { ReportModel } from "./model.ts";
import { fitWidths } from "./print-metrics.ts";
import { maximaByUnitGroup } from "./stats.ts";
import { annexReference } from "./unit-sheet.ts";

export function writeMethodSheet(open: OpenSheet, model: ReportModel, annexNumber: string): void {
  const ws = open({ ySplit: 0, printTitles: null });
  const N = Math.max(4, 3 + model.criterionGroups.length);
  const widths = fitWidths([5.5, 30, ...Array.from({ length: N - 2 }, () => 14)]);
  ws.columns = widths.map((width) => ({ width }));
  let row = 1;
  writeParagraph(ws, row++, N, `PHỤ LỤC ${annexNumber}`, { ...FONT_BOLD, size: 13 }, false, CENTER);
  writeParagraph(ws, row++, N, annexReference(model), { ...FONT, italic: true }, false, CENTER);
  writeParagraph(ws, row++, N, "PHƯƠNG PHÁP ĐÁNH GIÁ, CHẤM ĐIỂM VÀ XẾP LOẠI", { ...FONT_BOLD, size: 14 }, false, CENTER);
  if (model.draft) writeParagraph(ws, row++, N, "BẢN NHÁP – số liệu chưa được chốt", FONT_DRAFT, false, CENTER);
  const p = (text: string, bold = false) => writeParagraph(ws, row++, N, text, bold ? FONT_BOLD : FONT, !bold);
  p("1. Căn cứ", true);
  p("Nghị định số 42/2022/NĐ-CP ngày 24/6/2022 của Chính phủ quy định về việc cung cấp thông tin và dịch vụ công trực tuyến của cơ quan nhà nước trên môi trường mạng; Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư (thể thức báo cáo).");
  p(`Bộ tiêu chí: ${model.rubric ? `${model.rubric.name}, phiên bản ${model.rubric.version}` : "theo cấu hình hiện hành"}. Mỗi tiêu chí được kiểm tra tự động trên trang thông tin điện tử của đơn vị; lỗi đã được chấp nhận giải trình không bị trừ điểm; mục ở mức "Thông tin" không tính là lỗi.`);
  const basis = model.rubricBasis;
  if (basis) {
    if (basis.legalBasis) p(`Căn cứ của bộ tiêu chí: ${basis.legalBasis}.`);
    p("Các tiêu chí, điểm tối đa và căn cứ pháp lý của từng tiêu chí:", true);
    // Criterion name in column 2, points in column 3, legal basis across columns 4..N.
    row = writeTableHeader(ws, row, [{ text: "STT" }, { text: "Tiêu chí" }, { text: "Điểm tối đa" }, { text: "Căn cứ pháp lý" }]);
    if (N > 4) ws.mergeCells(row - 1, 4, row - 1, N);
    basis.criteria.forEach((c, i) => {
      const r = ws.getRow(row);
      r.getCell(1).value = i + 1;
      setText(r.getCell(2), c.name);
      r.getCell(3).value = c.maxPoints;
      r.getCell(3).numFmt = POINTS_FORMAT;
      setText(r.getCell(4), c.legalBasis ?? basis.legalBasis ?? "—");
      if (N > 4) ws.mergeCells(row, 4, row, N);
      styleTableRow(r, N, [CENTER, LEFT_WRAP, CENTER, ...Array.from({ length: N - 3 }, () => LEFT_WRAP)], false, N > 4 ? { 4: N } : {});
      row++;
    });
    row++;
  }
  const audits = model.units.reduce((s, u) => s + u.auditsCount, 0);
  const audited = model.units.filter((u) => u.auditsCount > 0).length;
  p(`Số lượt kiểm tra được tính trong kỳ: ${audits} lượt, trên ${audited}/${model.units.length} đơn vị (số lượt của từng đơn vị ghi tại phụ lục kết quả của đơn vị).`);
  const base = model.evidenceBaseUrl ?? "(địa chỉ hệ thống Tuân Thủ)";
  p(`Mỗi lỗi ghi tại phụ lục của đơn vị dẫn tới bằng chứng đã lưu: bằng chứng số N (cột "Bằng chứng đã lưu") là trang được lưu lại lúc kiểm tra, xem tại ${base}/bang-chung/N. Điểm bị trừ của từng tiêu chí dẫn chiếu số thứ tự các lỗi làm mất điểm.`);
  p("2. Cách tính điểm", true);
  p("Điểm mỗi nhóm tiêu chí là tổng điểm đạt của các tiêu chí trong nhóm. Tổng điểm của đơn vị được quy về thang 100: Tổng điểm = tổng điểm các nhóm × 100 / điểm tối đa áp dụng cho loại đơn vị (một số tiêu chí chỉ áp dụng cho một số loại đơn vị, nên điểm tối đa khác nhau theo nhóm đơn vị, xem bảng dưới).");
  p("Điểm tối đa theo loại đơn vị:", true);
  const maxima = maximaByUnitGroup(model);
  const groups = model.criterionGroups;
  row = writeTableHeader(ws, row, [
    { text: "STT" },
    { text: "Nhóm đơn vị" },
    ...groups.map((g) => ({ text: g.name })),
    { text: "Tổng điểm tối đa" },
  ]);
  const cols = 3 + groups.length;
  maxima.forEach((m, i) => {
    const r = ws.getRow(row++);
    r.getCell(1).value = i + 1;
    setText(r.getCell(2), model.unitGroups.find((g) => g.code === m.groupCode)?.name ?? m.groupCode);
    groups.forEach((g, k) => {
      r.getCell(3 + k).value = m.byCriterionGroup[g.code] ?? null;
      r.getCell(3 + k).numFmt = POINTS_FORMAT;
    });
    r.getCell(cols).value = m.total;
    r.getCell(cols).numFmt = POINTS_FORMAT;
    styleTableRow(r, cols, [CENTER, LEFT_WRAP, ...groups.map(() => CENTER), CENTER]);
  });
  row++;
  p("3. Ngưỡng xếp loại (theo tổng điểm thang 100)", true);
  row = writeTableHeader(ws, row, [{ text: "STT" }, { text: "Xếp loại" }, { text: "Tổng điểm từ" }, { text: "Đến dưới" }]);
  const t = model.tierThresholds;
  t.forEach((x, i) => {
    const r = ws.getRow(row++);
    r.getCell(1).value = i + 1;
    setText(r.getCell(2), x.tier);
    r.getCell(3).value = x.min;
    r.getCell(3).numFmt = POINTS_FORMAT;
    if (i > 0) {
      r.getCell(4).value = t[i - 1].min;
      r.getCell(4).numFmt = POINTS_FORMAT;
    } else setText(r.getCell(4), "100 (tối đa)");
    styleTableRow(r, 4, [CENTER, LEFT_WRAP, CENTER, CENTER]);
  });
  row++;
  p("4. Thứ hạng", true);
  p('Thứ hạng được tính trong từng nhóm đơn vị theo tổng điểm, bằng điểm thì cùng hạng. Đơn vị không có lượt kiểm tra thành công nào trong kỳ được ghi "Chưa đánh giá" và không xếp hạng.');
}
