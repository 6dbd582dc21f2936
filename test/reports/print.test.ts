// Issue 16, "done when": the official reports as a province prints them. Each report (monthly,
// quarterly, annual for 33 units, and a unit report) is converted to PDF by LibreOffice (reports/pdf.ts)
// and measured with `pdftotext -bbox` (one box per word: xMin, yMin, xMax, yMax in points):
// - text size: LibreOffice embeds Liberation Serif for Times New Roman, whose word boxes are
//   BOX_PER_PT × the font size high (calibrated below on the 14 pt title "BÁO CÁO"); every word's
//   size = box height / BOX_PER_PT must be ≥ 11 pt (nothing was shrunk to fit the page width);
// - no overlap: two word boxes on a page may not share more than a quarter of the smaller box
//   (word boxes include the line gap, so touching lines are allowed, overprinted text is not);
// - the signature block ("Nơi nhận:", the recipients, the signer's position, the note and the name)
//   is on one page, and the letterhead elements are on page 1; page 1 has no page number, page 2
//   has "2" at the top centre.
// Page 1 of each PDF is written as a PNG (pdftoppm) to TT_REPORT_PNG_DIR (default .cache/report-pages)
// for a reviewer to look at.
import { execFile, execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { renderReport } from "../../reports/build.ts";
import type { ReportModel } from "../../reports/model.ts";
import { convertToPdf } from "../../reports/pdf.ts";
import { syntheticModel } from "./model-fixture.ts";

const run = promisify(execFile);
const PNG_DIR = path.resolve(process.env.TT_REPORT_PNG_DIR ?? ".cache/report-pages");

function has(cmd: string): boolean {
  try {
    execFileSync("which", [cmd], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const tools = has(process.env.SOFFICE_PATH ?? "soffice") && has("pdftotext") && has("pdftoppm");

interface Word {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

async function pdfWords(file: string): Promise<{ width: number; words: Word[] }[]> {
  const { stdout } = await run("pdftotext", ["-bbox", file, "-"], { maxBuffer: 256 << 20 });
  const pages: { width: number; words: Word[] }[] = [];
  const unescape = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  for (const m of stdout.matchAll(/<page width="([\d.]+)" height="[\d.]+">([\s\S]*?)<\/page>/g)) {
    const words = [...m[2].matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((w) => ({
      x0: Number(w[1]),
      y0: Number(w[2]),
      x1: Number(w[3]),
      y1: Number(w[4]),
      text: unescape(w[5]),
    }));
    pages.push({ width: Number(m[1]), words });
  }
  return pages;
}

function overlaps(a: Word, b: Word): boolean {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  if (w <= 0 || h <= 0) return false;
  const smaller = Math.min((a.x1 - a.x0) * (a.y1 - a.y0), (b.x1 - b.x0) * (b.y1 - b.y0));
  return w * h > smaller / 4;
}

// LibreOffice draws glyphs outside a font subset as separate runs ("T Ỉ NH"): compare without spaces.
const pageText = (p: { words: Word[] }) => p.words.map((w) => w.text).join("");
const squeeze = (s: string) => s.replace(/\s+/g, "");

function withSigner(m: ReportModel): ReportModel {
  m.issuer = { ...m.issuer, signerName: "Nguyễn Văn An", signerTitle: "GIÁM ĐỐC" };
  return m;
}

const CASES: { name: string; model: () => ReportModel }[] = [
  {
    name: "thang",
    model: () => {
      const m = withSigner(syntheticModel({ units: 12, findingsPerUnit: 3, notAuditedEvery: 5 }));
      m.period = { ...m.period, code: "2026-11", kind: "month", startsOn: "2026-11-01", endsOn: "2026-11-30" };
      return m;
    },
  },
  {
    name: "quy",
    model: () => {
      const m = withSigner(syntheticModel({ units: 20, findingsPerUnit: 4, notAuditedEvery: 9 }));
      m.period = { ...m.period, code: "2026-Q3", kind: "quarter", startsOn: "2026-07-01", endsOn: "2026-09-30" };
      return m;
    },
  },
  // 33 units: the size at which the signature block used to split across pages.
  { name: "nam", model: () => withSigner(syntheticModel({ units: 33, findingsPerUnit: 5, notAuditedEvery: 7 })) },
  {
    name: "don-vi",
    model: () => {
      const m = withSigner(syntheticModel({ units: 10, findingsPerUnit: 8 }));
      const unit = m.units[2];
      return { ...m, kind: "unit", unitId: unit.unitId, units: m.units.filter((u) => u.groupCode === unit.groupCode), details: m.details.filter((d) => d.unitId === unit.unitId) };
    },
  },
];

describe.skipIf(!tools)("printed reports (LibreOffice → PDF, measured with pdftotext -bbox)", () => {
  for (const c of CASES) {
    it(`${c.name}: text ≥ 11 pt, no overlapping text, signature on one page, letterhead on page 1`, { timeout: 300_000 }, async () => {
      const model = c.model();
      const pdf = await convertToPdf(await renderReport(model));
      await mkdir(PNG_DIR, { recursive: true });
      const file = path.join(PNG_DIR, `bao-cao-${c.name}.pdf`);
      await writeFile(file, pdf);
      await run("pdftoppm", ["-f", "1", "-l", "1", "-r", "80", "-png", "-singlefile", file, path.join(PNG_DIR, `bao-cao-${c.name}-trang-1`)]);
      console.log(`page 1 image: ${path.join(PNG_DIR, `bao-cao-${c.name}-trang-1.png`)}`);
      const pages = await pdfWords(file);
      expect(pages.length).toBeGreaterThan(1);

      // Calibration: the title "BÁO CÁO" is 14 pt bold.
      const title = pages[0].words.find((w) => w.text === "BÁO")!;
      const boxPerPt = (title.y1 - title.y0) / 14;
      expect(boxPerPt).toBeGreaterThan(1);
      expect(boxPerPt).toBeLessThan(1.6);

      pages.forEach((p, i) => {
        for (const w of p.words) {
          if (!w.text.trim()) continue;
          const size = (w.y1 - w.y0) / boxPerPt;
          expect(size, `page ${i + 1}: "${w.text}" is ${size.toFixed(1)} pt`).toBeGreaterThanOrEqual(10.95);
        }
        const ws = p.words;
        for (let a = 0; a < ws.length; a++) {
          for (let b = a + 1; b < ws.length; b++) {
            if (overlaps(ws[a], ws[b])) expect.fail(`page ${i + 1}: "${ws[a].text}" overlaps "${ws[b].text}"`);
          }
        }
      });

      // Letterhead on page 1 (and no page number there); page 2 numbered at the top centre.
      const first = pageText(pages[0]);
      for (const s of [
        model.issuer.parentBody,
        model.issuer.department,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số:",
        "/BC-SKHCN",
        "Bình Định, ngày 05 tháng 01 năm 2027",
        "BÁO CÁO",
      ]) {
        expect(first, s).toContain(squeeze(s));
      }
      // The subject breaks after "ĐIỆN TỬ" (LibreOffice's own wrap printed "ĐIỆN TỬCỦA", the space lost).
      const lineOf = (p: { words: Word[] }, y: number) => p.words.filter((w) => Math.abs(w.y0 - y) < 2).sort((a, b) => a.x0 - b.x0).map((w) => w.text).join("");
      const tu = pages[0].words.find((w, i, ws) => w.text.endsWith("TỬ") || (w.text === "Ử" && ws[i - 1]?.text === "T"))!;
      expect(tu, "subject line").toBeDefined();
      expect(lineOf(pages[0], tu.y0)).toMatch(/ĐIỆNTỬ$/);
      const next = Math.min(...pages[0].words.filter((w) => w.y0 > tu.y0 + 5).map((w) => w.y0));
      expect(lineOf(pages[0], next)).toMatch(/^CỦA/);
      const top = (p: { width: number; words: Word[] }) => p.words.filter((w) => w.y1 < 60 && Math.abs((w.x0 + w.x1) / 2 - p.width / 2) < 40);
      expect(top(pages[0]).map((w) => w.text)).toEqual([]);
      expect(top(pages[1]).map((w) => w.text)).toContain("2");

      // The signature block on one page.
      const signPages = pages.map((p, i) => [i, pageText(p)] as const).filter(([, t]) => t.includes("Nơinhận:"));
      expect(signPages).toHaveLength(1);
      const sign = signPages[0][1];
      for (const s of ["Nơi nhận:", "- Lưu: VT.", "GIÁM ĐỐC", "(Ký, ghi rõ họ tên và đóng dấu)", "Nguyễn Văn An"]) expect(sign, s).toContain(squeeze(s));
    });
  }
});
