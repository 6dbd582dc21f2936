// Checks the row-height estimate (print-metrics.ts) against LibreOffice: the finding details of a
// report's unit sheets are written into columns of 14, 22, 34 and 50 units in tall rows, converted to
// PDF, and the lines LibreOffice prints (pdftotext -bbox) are compared with wrappedLines().
//   npx tsx reports/tools/calibrate-wrap.ts REPORT.xlsx [size=12] [bold=0]
// Prints, per text, "printed/estimated" per width; an estimate below the printed count clips text.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { convertToPdf } from "../pdf.ts";
import { cellWidthPt, MARGINS, wrappedLines } from "../print-metrics.ts";

const [file, sizeArg, boldArg] = process.argv.slice(2);
if (!file) throw new Error("usage: calibrate-wrap.ts REPORT.xlsx [size] [bold]");
const SIZE = Number(sizeArg ?? 12);
const BOLD = boldArg === "1";
const WIDTHS = [14, 22, 34, 50];
/** LibreOffice's printed width of a column unit (default font Times New Roman 11). */
const PT_PER_UNIT = 5.5;

const source = new ExcelJS.Workbook();
await source.xlsx.readFile(file);
const texts: string[] = [];
for (const ws of source.worksheets.slice(3)) {
  ws.eachRow((r) => {
    const v = r.getCell(5).value;
    if (typeof v === "string" && v.includes("\n")) texts.push(v);
  });
}
const pick = [...new Set(texts)].filter((_, i) => i % 61 === 0).slice(0, 30);

const sink = new PassThrough();
const chunks: Buffer[] = [];
sink.on("data", (c: Buffer) => chunks.push(c));
const done = new Promise((r) => sink.on("end", r));
const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: true });
(wb as unknown as { styles: { _addFont(f: Partial<ExcelJS.Font>): number } }).styles._addFont({ name: "Times New Roman", size: 11, family: 1 });
const ws = wb.addWorksheet("x", { pageSetup: { paperSize: 9, orientation: "landscape", margins: MARGINS } as Partial<ExcelJS.PageSetup> });
ws.columns = WIDTHS.map((width) => ({ width }));
const style: Partial<ExcelJS.Style> = { font: { name: "Times New Roman", size: SIZE, bold: BOLD }, alignment: { horizontal: "left", vertical: "top", wrapText: true } };
pick.forEach((t, i) => {
  const r = ws.getRow(i + 1);
  WIDTHS.forEach((_, k) => {
    r.getCell(k + 1).value = t;
    r.getCell(k + 1).style = style;
  });
  r.height = 400;
  r.commit();
});
(ws as unknown as { commit(): void }).commit();
await wb.commit();
await done;

const dir = mkdtempSync(path.join(os.tmpdir(), "tt-calibrate-"));
try {
  writeFileSync(path.join(dir, "c.pdf"), await convertToPdf(Buffer.concat(chunks)));
  const xml = execFileSync("pdftotext", ["-bbox", path.join(dir, "c.pdf"), "-"], { maxBuffer: 1 << 28 }).toString();
  const pages = [...xml.matchAll(/<page [^>]*>([\s\S]*?)<\/page>/g)].map((m) =>
    [...m[1].matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"/g)].map((w) => [Number(w[1]), Number(w[2])]),
  );
  const edges = [MARGINS.left * 72];
  for (const w of WIDTHS) edges.push(edges[edges.length - 1] + w * PT_PER_UNIT);
  let printed = 0;
  let estimated = 0;
  let short = 0;
  pages.forEach((words, p) => {
    const t = pick[p];
    if (!t) return;
    const row = WIDTHS.map((w, k) => {
      const ys = words.filter(([x]) => x >= edges[k] - 3 && x < edges[k + 1] - 3).map(([, y]) => y).sort((a, b) => a - b);
      const lines: number[] = [];
      for (const y of ys) if (!lines.length || y - lines[lines.length - 1] > 4) lines.push(y);
      const est = wrappedLines(t, cellWidthPt([w]), SIZE, BOLD);
      printed += lines.length;
      estimated += est;
      if (est < lines.length) short++;
      return `${lines.length}/${est}`;
    });
    console.log(`${String(p + 1).padStart(2)} (${t.length} chars): ${row.join(" ")}`);
  });
  console.log(`size ${SIZE}${BOLD ? " bold" : ""}: printed ${printed} lines, estimated ${estimated}; ${short} cells estimated short`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
