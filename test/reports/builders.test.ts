// The workbook builders on synthetic models: layout, numbers against the model, safety, reproducibility.
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { renderReport, reportFileName } from "../../reports/build.ts";
import { summaryColumns } from "../../reports/summary-sheet.ts";
import { POINTS_FORMAT } from "../../reports/layout.ts";
import { WIDTH_BUDGET } from "../../reports/print-metrics.ts";
import { commonFailures, groupMaxima } from "../../reports/stats.ts";
import { periodsEndingBefore, parsePeriodCode } from "../../reports/period.ts";
import { formatPeriodTitle } from "../../db/time.ts";
import { cellText, SheetNamer } from "../../reports/safe.ts";
import { sha256 } from "../../reports/write.ts";
import { syntheticModel } from "./model-fixture.ts";
import { cells, findCell, isValidSheetName, readWorkbook, rowOf, sheetText } from "./read.ts";

const HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1+2", "-3", "\t=1", "\r=2", "=1+1"];

function hostileModel() {
  const m = syntheticModel({ units: 6, findingsPerUnit: 3, notAuditedEvery: 6 });
  m.units[0].name = HOSTILE[0];
  m.units[1].name = "[Sở]:*?/\\'Tư pháp'";
  m.units[2].name = "x".repeat(40_000);
  m.units[3].name = "[Sở]:*?/\\'tư PHÁP'"; // the same sheet name as unit 2, case-insensitively
  const f = m.details[0].findings[0];
  f.pageTitle = "@SUM(1)";
  f.message = "=CMD|' /C calc'!A0 " + "ư".repeat(40_000);
  f.url = "javascript:alert(1)";
  m.details[0].findings[1].snippet = "+1+2";
  m.details[0].findings[2].message = "\u0000\u0007bad\u000Bxml\uD800";
  return m;
}

describe("period codes", () => {
  it("parses the four kinds and names them in Vietnamese", () => {
    expect(parsePeriodCode("2026-11")).toMatchObject({ kind: "month", startsOn: "2026-11-01", endsOn: "2026-11-30" });
    expect(parsePeriodCode("2026-q3")).toMatchObject({ kind: "quarter", code: "2026-Q3", startsOn: "2026-07-01", endsOn: "2026-09-30" });
    expect(parsePeriodCode("2024-H1")).toMatchObject({ kind: "half", endsOn: "2024-06-30" });
    expect(parsePeriodCode("2026")).toMatchObject({ kind: "year", startsOn: "2026-01-01", endsOn: "2026-12-31" });
    expect(() => parsePeriodCode("2026-13")).toThrow(/Mã kỳ không hợp lệ/);
    expect(() => parsePeriodCode("Q3")).toThrow(/Mã kỳ không hợp lệ/);
    expect(formatPeriodTitle("2026-Q3")).toBe("QUÝ III NĂM 2026");
    expect(formatPeriodTitle("2026-11")).toBe("THÁNG 11 NĂM 2026");
    expect(formatPeriodTitle("2026-H2")).toBe("6 THÁNG CUỐI NĂM 2026");
    expect(formatPeriodTitle("2026")).toBe("NĂM 2026");
    expect(formatPeriodTitle("2026-Q4", "sentence")).toBe("Quý IV năm 2026");
  });

  it("knows which periods end the day before the 1st", () => {
    expect(periodsEndingBefore("2026-11-01")).toEqual(["2026-10"]);
    expect(periodsEndingBefore("2026-10-01")).toEqual(["2026-09", "2026-Q3"]);
    expect(periodsEndingBefore("2026-07-01")).toEqual(["2026-06", "2026-Q2", "2026-H1"]);
    expect(periodsEndingBefore("2027-01-01")).toEqual(["2026-12", "2026-Q4", "2026-H2", "2026"]);
    expect(periodsEndingBefore("2026-10-02")).toEqual([]);
  });
});

describe("safe text and sheet names", () => {
  it("cuts to Excel's cell limit without splitting a surrogate pair and strips XML-invalid characters", () => {
    expect(cellText("a".repeat(40_000)).length).toBeLessThanOrEqual(32_767);
    const emoji = "😀".repeat(20_000);
    const cut = cellText(emoji);
    expect(cut.length).toBeLessThanOrEqual(32_767);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(cellText("a\u0000b\u0008c\td\ne")).toBe("a\uFFFDb\uFFFDc\td\ne");
  });

  it("makes names valid and unique case-insensitively", () => {
    const namer = new SheetNamer();
    const names = ["[Sở]:*?", "[sở]:*?", "'quoted'", "", "History", "a".repeat(40), "A".repeat(40), "a".repeat(40)].map((n) => namer.name(n));
    for (const n of names) expect(isValidSheetName(n), n).toBe(true);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    expect(names[0]).toBe("Sở");
    expect(names[1]).toBe("sở (2)");
  });
});

describe("province report workbook", async () => {
  const model = syntheticModel({ units: 8, findingsPerUnit: 4, notAuditedEvery: 4 });
  const buf = await renderReport(model);
  const wb = await readWorkbook(buf);

  it("has a summary, a statistics sheet and one sheet per unit", () => {
    expect(wb.worksheets.map((w) => w.name).slice(0, 3)).toEqual(["Tổng hợp", "Thống kê", "Phương pháp"]);
    expect(wb.worksheets.length).toBe(3 + model.units.length);
    expect(wb.creator).toBe("Tuân Thủ");
    expect(wb.created?.toISOString()).toBe(model.issuedAt.toISOString());
    expect(reportFileName(model)).toBe("bao-cao-2026.xlsx");
  });

  it("lays out the document head like an administrative document", () => {
    const ws = wb.getWorksheet("Tổng hợp")!;
    expect(ws.getCell("A1").value).toBe("UBND TỈNH BÌNH ĐỊNH");
    expect(ws.getCell("A2").value).toBe("SỞ KHOA HỌC VÀ CÔNG NGHỆ");
    const motto = findCell(ws, (t) => t === "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")!;
    expect(Number(motto.col)).toBeGreaterThan(5);
    expect(findCell(ws, (t) => t === "Độc lập - Tự do - Hạnh phúc")).toBeDefined();
    // Frozen at 2027-01-05 03:00 UTC = 10:00 in Vietnam.
    expect(findCell(ws, (t) => t === "Bình Định, ngày 05 tháng 01 năm 2027")).toBeDefined();
    expect(findCell(ws, (t) => t.startsWith("KẾT QUẢ ĐÁNH GIÁ") && t.endsWith("NĂM 2026"))).toBeDefined();
    // The subject is broken by hand after "ĐIỆN TỬ" (LibreOffice's wrap lost the space: "TỬCỦA").
    expect(findCell(ws, (t) => t.includes("TRANG THÔNG TIN ĐIỆN TỬ\nCỦA CÁC CƠ QUAN, ĐƠN VỊ"))).toBeDefined();
    expect(findCell(ws, (t) => t === "Nơi nhận:")).toBeDefined();
    expect(findCell(ws, (t) => t === "GIÁM ĐỐC")).toBeDefined();
    // ND 30: "Số: …/BC-<issuer's abbreviation>", lines under the issuing body and the motto.
    expect(findCell(ws, (t) => /^Số:\s+\/BC-SKHCN$/.test(t))).toBeDefined();
    const motto2 = findCell(ws, (t) => t === "Độc lập - Tự do - Hạnh phúc")!;
    const lines = [...Array(summaryColumns(model)).keys()].map((i) => ws.getCell(Number(motto2.row) + 1, i + 1)).filter((c) => c.border?.bottom?.style === "thin");
    expect(lines.some((c) => Number(c.col) < Number(motto2.col))).toBe(true); // under the issuing body
    expect(lines.some((c) => Number(c.col) >= Number(motto2.col))).toBe(true); // under the motto
    expect(findCell(ws, (t) => t === "- Lưu: VT.")).toBeDefined();
    for (const c of cells(ws)) if (!(c.isMerged && c.master !== c)) expect(c.font?.name, c.address).toBe("Times New Roman");
  });

  it("ranks units by group with points matching the model", () => {
    const ws = wb.getWorksheet("Tổng hợp")!;
    const header = rowOf(ws, "STT");
    expect(ws.getCell(header.number, 4).value).toBe("Điểm theo nhóm tiêu chí");
    expect(ws.getCell(header.number + 1, 4).value).toBe("Nội dung thông tin (40 đ)");
    expect(findCell(ws, (t) => t === "So với kỳ trước")).toBeDefined();
    // Two-row header: STT is merged over both rows; the group header over the five groups.
    expect((ws.getCell(header.number + 1, 1) as ExcelJS.Cell & { isMerged: boolean }).isMerged).toBe(true);
    expect(ws.getCell(header.number, 8).master.address).toBe(ws.getCell(header.number, 4).address);
    for (const u of model.units) {
      const r = rowOf(ws, u.name);
      if (u.status === "scored") {
        expect(r.getCell(4).value).toBe(u.groupPoints["noi-dung"]);
        expect(r.getCell(9).value).toBe(u.total);
        expect(r.getCell(9).numFmt).toBe(POINTS_FORMAT);
        expect(POINTS_FORMAT).toMatch(/0\.00$/);
        expect(r.getCell(10).value).toBe(u.tier);
        expect(r.getCell(11).value).toBe(u.rank);
        expect(r.getCell(12).value).toBe(u.previousTotal);
        expect(r.getCell(13).value).toBeCloseTo(u.total! - u.previousTotal!, 2);
      } else {
        expect(r.getCell(9).value).toBe("Chưa đánh giá");
        expect(r.getCell(10).value).toBe("Chưa đánh giá");
        expect(r.getCell(11).value).toBeNull();
      }
    }
    // Within a group, rows go by rank.
    const ranks = model.units.filter((u) => u.groupCode === "so-nganh" && u.rank != null).map((u) => [rowOf(ws, u.name).number, u.rank!]);
    ranks.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < ranks.length; i++) expect(ranks[i][1]).toBeGreaterThanOrEqual(ranks[i - 1][1]);
  });

  it("prints A4 landscape with ND 30 margins, columns fitting the page, titles repeated, page numbers from page 2", () => {
    const ws = wb.getWorksheet("Tổng hợp")!;
    const header = rowOf(ws, "STT").number;
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: "landscape", fitToPage: false, scale: 100 });
    expect(ws.pageSetup.printTitlesRow).toBe(`${header}:${header + 1}`);
    for (const sheet of wb.worksheets) {
      expect(sheet.pageSetup.orientation, sheet.name).toBe("landscape");
      const m = sheet.pageSetup.margins!;
      expect(m.top * 25.4).toBeGreaterThanOrEqual(20);
      expect(m.left * 25.4).toBeGreaterThanOrEqual(30);
      expect(m.right * 25.4).toBeGreaterThanOrEqual(15);
      expect(m.bottom * 25.4).toBeGreaterThanOrEqual(20);
      // Widths fit the printable width at 100 %: fit-to-width never shrinks the text.
      let total = 0;
      for (let c = 1; c <= sheet.columnCount; c++) total += sheet.getColumn(c).width ?? 9;
      expect(total, sheet.name).toBeLessThanOrEqual(WIDTH_BUDGET);
      expect(sheet.headerFooter.differentFirst, sheet.name).toBe(true);
      expect(sheet.headerFooter.oddHeader, sheet.name).toContain("&C");
      expect(sheet.headerFooter.oddHeader, sheet.name).toContain("&P");
    }
    // A unit sheet names its unit in the header of every page after the first, and freezes its table header.
    const unitSheet = wb.worksheets.find((w) => w.getCell("A3").value === model.units[0].name.toUpperCase())!;
    expect(unitSheet.headerFooter.oddHeader).toContain(model.units[0].name);
    expect(unitSheet.views[0]?.state).toBe("frozen");
    // Every row with text has a height.
    ws.eachRow((r) => expect(r.height, `row ${r.number}`).toBeGreaterThan(0));
  });

  it("counts tiers per group and lists common failures", () => {
    const ws = wb.getWorksheet("Thống kê")!;
    const r = rowOf(ws, "Sở, ban, ngành");
    const header = rowOf(ws, "Nhóm đơn vị");
    const tierCol = (label: string) => Number(findCell(ws, (t) => t === label && true)!.col);
    const inGroup = model.units.filter((u) => u.groupCode === "so-nganh");
    for (const label of ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]) {
      expect(r.getCell(tierCol(label)).value, label).toBe(inGroup.filter((u) => u.tier === label).length);
    }
    expect(r.getCell(tierCol("Chưa đánh giá")).value).toBe(inGroup.filter((u) => u.status === "not_audited").length);
    expect(header.number).toBeLessThan(r.number);
    const text = sheetText(ws);
    expect(text).toContain("Các lỗi phổ biến nhất");
    expect(text).toContain("category.missing");
  });

  it("draws a bar chart of units per tier in the statistics annex", () => {
    const ws = wb.getWorksheet("Thống kê")!;
    const title = rowOf(ws, "6. Biểu đồ: số đơn vị theo xếp loại (toàn tỉnh)");
    const bars = ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu", "Chưa đánh giá"].map((label, i) => {
      const r = ws.getRow(title.number + 1 + i);
      expect(r.getCell(2).value).toBe(label);
      const count = label === "Chưa đánh giá" ? model.units.filter((u) => u.status === "not_audited").length : model.units.filter((u) => u.tier === label).length;
      const text = String(r.getCell(3).value);
      expect(text).toMatch(new RegExp(`^█*  ${count} đơn vị \\(\\d+ %\\)$`));
      return { count, len: text.indexOf(" ") };
    });
    // Bars as long as the counts: the longest for the largest count, none for zero.
    const max = Math.max(...bars.map((b) => b.count));
    for (const b of bars) {
      if (b.count === 0) expect(b.len).toBe(0);
      if (b.count === max) expect(b.len).toBe(Math.max(...bars.map((x) => x.len)));
    }
  });

  it("gives each unit its findings with evidence and appeal outcome", () => {
    const u = model.units[0];
    const d = model.details[0];
    const ws = wb.worksheets.find((w) => w.getCell("A3").value === u.name.toUpperCase())!;
    expect(ws).toBeDefined();
    const text = sheetText(ws);
    for (const f of d.findings) {
      expect(text).toContain(f.url!);
      expect(text).toContain(f.code);
    }
    expect(text).toContain("Giải trình không được chấp nhận (05/10/2026): Chưa bổ sung đủ");
    const urlCell = cells(ws).find((c) => typeof c.value === "object" && c.value && "hyperlink" in c.value)!;
    // Evidence links go to the stored page on the dashboard, not to the live site.
    expect((urlCell.value as ExcelJS.CellHyperlinkValue).hyperlink).toMatch(/^https:\/\/tuanthu\.binhdinh\.gov\.vn\/bang-chung\/\d+$/);
    expect(text).toMatch(/PHỤ LỤC III\.\d+/);
    expect(text).toMatch(/Kèm theo Báo cáo số\s+\/BC-SKHCN ngày 05\/01\/2027/);
    // Lost points name the findings that took them (by their number in section I).
    expect(text).toContain("Lỗi làm mất điểm");
    expect(text).toContain("Tổng điểm quy về thang 100");
    const first = cells(ws).find((c) => c.value instanceof Date)!;
    expect(first.numFmt).toBe("dd/mm/yyyy");
  });
});

describe("traceable figures", () => {
  it("keeps information-level items out of the common failures", () => {
    const model = syntheticModel({ units: 4, findingsPerUnit: 3 });
    for (const d of model.details) for (const f of d.findings) if (f.code === "category.missing") f.severity = "info";
    expect(commonFailures(model).map((f) => f.code)).not.toContain("category.missing");
  });

  it("prints the same group maximum on drafts and official reports (from the criteria, not the score rows)", () => {
    const model = syntheticModel({ units: 4, findingsPerUnit: 1 });
    const draft = { ...model, draft: true, criterionGroups: model.criterionGroups.map((g) => ({ ...g, maxPoints: g.code === "noi-dung" ? 39 : g.maxPoints })) };
    expect(groupMaxima(draft)["noi-dung"]).toBe(40);
    expect(groupMaxima(model)["noi-dung"]).toBe(40);
  });
});

describe("hostile text", async () => {
  const model = hostileModel();
  const buf = await renderReport(model);
  const wb = await readWorkbook(buf);

  it("writes formulas-looking text as plain strings, never formulas", () => {
    let formulas = 0;
    for (const ws of wb.worksheets) for (const c of cells(ws)) if (c.type === ExcelJS.ValueType.Formula || c.formula) formulas++;
    expect(formulas).toBe(0);
    const summary = wb.getWorksheet("Tổng hợp")!;
    const evil = findCell(summary, (t) => t === HOSTILE[0])!;
    expect(evil.type).toBe(ExcelJS.ValueType.String);
    const sheet = wb.worksheets.find((w) => w.getCell("A3").value === HOSTILE[0].toUpperCase())!;
    const title = findCell(sheet, (t) => t.includes("Trang: @SUM(1)"))!;
    expect(title.type).toBe(ExcelJS.ValueType.String);
    expect(findCell(sheet, (t) => t.startsWith("=CMD|"))!.type).toBe(ExcelJS.ValueType.String);
    expect(findCell(sheet, (t) => t.startsWith("Phát hiện lỗi") && t.includes("«+1+2»"))).toBeDefined();
    // A javascript: address stays text, not a link.
    expect(findCell(sheet, (t) => t.includes("javascript:alert(1)"))!.type).toBe(ExcelJS.ValueType.String);
  });

  it("cuts long text to Excel's limit and keeps XML valid", () => {
    for (const ws of wb.worksheets) for (const c of cells(ws)) if (typeof c.value === "string") expect(c.value.length).toBeLessThanOrEqual(32_767);
    const long = wb.worksheets.flatMap(cells).find((c) => typeof c.value === "string" && c.value.startsWith("xxxx"))!;
    expect(String(long.value)).toMatch(/đã cắt bớt\]$/);
    expect(wb.worksheets.flatMap(cells).some((c) => typeof c.value === "string" && c.value.includes("bad"))).toBe(true);
  });

  it("makes every sheet name valid and unique", () => {
    const names = wb.worksheets.map((w) => w.name);
    for (const n of names) expect(isValidSheetName(n), n).toBe(true);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    expect(names).toContain("Sở Tư pháp");
    expect(names).toContain("Sở tư PHÁP (2)");
  });
});

describe("reproducibility", () => {
  it("gives byte-identical files for the same model, different ones when the scores differ", async () => {
    const a = await renderReport(syntheticModel({ units: 5, findingsPerUnit: 2 }));
    await new Promise((r) => setTimeout(r, 2100)); // zip timestamps have a 2-second resolution
    const b = await renderReport(syntheticModel({ units: 5, findingsPerUnit: 2 }));
    expect(sha256(a)).toBe(sha256(b));
    const changed = syntheticModel({ units: 5, findingsPerUnit: 2 });
    changed.units[0].total = 12.34;
    expect(sha256(await renderReport(changed))).not.toBe(sha256(a));
  });

  it("marks a draft on every sheet", async () => {
    const m = syntheticModel({ units: 3, findingsPerUnit: 1 });
    m.draft = true;
    m.period.frozenAt = null;
    const wb = await readWorkbook(await renderReport(m));
    for (const ws of wb.worksheets) expect(sheetText(ws), ws.name).toContain("BẢN NHÁP");
    expect(reportFileName(m)).toBe("bao-cao-2026-ban-nhap.xlsx");
  });
});
