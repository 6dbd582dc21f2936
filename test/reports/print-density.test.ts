// Issue 16: finding rows as high as their text, so that the report takes the paper it needs. A unit
// report with 40 findings worded like the demo's (a sentence, a quote, the page title, a long URL) is
// converted by LibreOffice and measured with `pdftotext -bbox`:
// - the findings table (pages whose repeated header has "Chi tiết") takes at most MAX_PAGES pages
//   (the row-height estimate of 30/11/2026 made rows 1.5–2 × their text: 35 pages, and the demo's
//   October report 1,504 pages for 32 units; now 15);
// - rows fit their text: in the "Chi tiết" column (top-aligned, the tallest cell of a row), the gap
//   between the last line of a finding and the first line of the next is at most MAX_GAP_PT
//   (≈ 2 lines of 12 pt: the cell padding and the estimate's spare line); a gap below one line
//   pitch would mean a row shorter than its text (clipped), and overlapping text fails print.test.ts;
// - every findings page repeats the header row at its top.
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderReport } from "../../reports/build.ts";
import type { ReportModel } from "../../reports/model.ts";
import { convertToPdf } from "../../reports/pdf.ts";
import { UNIT_SHEET_WIDTHS } from "../../reports/unit-sheet.ts";
import { syntheticModel } from "./model-fixture.ts";
import { pdfWords, type Word } from "./pdf-words.ts";

const PNG_DIR = path.resolve(process.env.TT_REPORT_PNG_DIR ?? ".cache/report-pages");
const MAX_PAGES = 18;
const MAX_GAP_PT = 30;
const LINE_PT = 13; // 12 pt Times New Roman as LibreOffice sets it

function has(cmd: string): boolean {
  try {
    execFileSync("which", [cmd], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const tools = has(process.env.SOFFICE_PATH ?? "soffice") && has("pdftotext");

function unitReport(findings: number): ReportModel {
  const m = syntheticModel({ units: 4, findingsPerUnit: findings, demoText: true });
  const unit = m.units[1];
  return { ...m, kind: "unit", unitId: unit.unitId, units: m.units.filter((u) => u.groupCode === unit.groupCode), details: m.details.filter((d) => d.unitId === unit.unitId) };
}

/**
 * Lines (top y) of the "Chi tiết" column below its header, until section II. The column's edges
 * come from the sheet's widths: the left margin (30 mm) plus 5.5 pt per width unit (LibreOffice's
 * column width for the default font, measured); LibreOffice splits words where it draws a glyph
 * from a fallback font, so header words are not searched for.
 */
function detailLines(words: Word[]): number[] {
  const left = (30 / 25.4) * 72 + UNIT_SHEET_WIDTHS.slice(0, 4).reduce((a, b) => a + b, 0) * 5.5;
  const right = left + UNIT_SHEET_WIDTHS[4] * 5.5;
  const chi = words.find((w) => w.text === "Chi" && w.x0 > left && w.x1 < right);
  if (!chi) return [];
  const stop = words.find((w) => w.text === "II." && w.y0 > chi.y1)?.y0 ?? Infinity;
  const ys = words
    .filter((w) => w.y0 > chi.y1 + 1 && w.y0 < stop - 1 && w.x0 > left - 2 && w.x1 < right + 3)
    .map((w) => w.y0)
    .sort((a, b) => a - b);
  const lines: number[] = [];
  for (const y of ys) if (!lines.length || y - lines[lines.length - 1] > 3) lines.push(y);
  return lines;
}

describe.skipIf(!tools)("printed findings: rows as high as their text (LibreOffice → PDF)", () => {
  it("40 findings of a unit: few pages, no blank space between rows, header on every page", { timeout: 300_000 }, async () => {
    const pdf = await convertToPdf(await renderReport(unitReport(40)));
    await mkdir(PNG_DIR, { recursive: true });
    const file = path.join(PNG_DIR, "bao-cao-don-vi-40-loi.pdf");
    await writeFile(file, pdf);
    const pages = await pdfWords(file);
    const findingPages = pages.filter((p) => ["STT", "Chi", "Phát"].every((t) => p.words.some((w) => w.text === t)));
    console.log(`findings table: ${findingPages.length} pages (${pages.length} in all)`);
    expect(findingPages.length).toBeGreaterThanOrEqual(10);
    expect(findingPages.length).toBeLessThanOrEqual(MAX_PAGES);

    const gaps: number[] = [];
    // Up to the page where section II (the criteria table) starts.
    const last = findingPages.findIndex((p) => p.words.some((w) => w.text === "II."));
    findingPages.slice(0, last < 0 ? undefined : last + 1).forEach((p, i) => {
      // The header repeats at the top of every page after the first.
      if (i > 0) expect(Math.min(...p.words.filter((w) => w.text === "Chi").map((w) => w.y0)), `page ${i + 1}`).toBeLessThan(90);
      const lines = detailLines(p.words);
      expect(lines.length, `findings page ${i + 1}`).toBeGreaterThan(0);
      for (let k = 1; k < lines.length; k++) gaps.push(lines[k] - lines[k - 1]);
    });
    // Line pitch inside a cell, and the larger gaps between rows.
    const between = gaps.filter((g) => g > LINE_PT + 1.5);
    console.log(`gaps between rows (pt): ${between.map((g) => g.toFixed(0)).join(" ")}`);
    expect(between.length).toBeGreaterThan(5);
    for (const g of between) expect(g).toBeLessThanOrEqual(MAX_GAP_PT + LINE_PT);
  });
});
