// The generated report opens in LibreOffice: converted headless to PDF, whose text is checked.
import { execFile, execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { renderReport } from "../../reports/build.ts";
import { syntheticModel } from "./model-fixture.ts";
import { pdfText } from "./pdf-text.ts";

const run = promisify(execFile);

function which(cmd: string): string | null {
  try {
    return execFileSync("which", [cmd], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

const soffice = process.env.SOFFICE_PATH ?? which("soffice");
const pdftotext = which("pdftotext");

describe.skipIf(!soffice)(`LibreOffice conversion${soffice ? "" : " (skipped: soffice not installed — apt-get install -y --no-install-recommends libreoffice-calc-nogui)"}`, () => {
  it("converts a generated report to a PDF with the expected text", { timeout: 180_000 }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tt-lo-"));
    try {
      const model = syntheticModel({ units: 6, findingsPerUnit: 3, notAuditedEvery: 6 });
      model.units[0].name = '=HYPERLINK("http://x","y")';
      const file = path.join(dir, "bao-cao.xlsx");
      await writeFile(file, await renderReport(model));
      // A private profile: parallel runs and other users' LibreOffice settings do not interfere.
      const profile = `file://${path.join(dir, "profile")}`;
      await run(soffice!, [`-env:UserInstallation=${profile}`, "--headless", "--convert-to", "pdf", "--outdir", dir, file], { timeout: 150_000 });
      const pdf = await readFile(path.join(dir, "bao-cao.pdf"));
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      const text = pdftotext
        ? (await run(pdftotext, ["-layout", path.join(dir, "bao-cao.pdf"), "-"], { maxBuffer: 64 << 20 })).stdout
        : pdfText(pdf);
      // Glyphs outside the first font subset are drawn separately, so check words without them,
      // and that every letter of the motto came out somewhere.
      for (const s of ["BÁO CÁO", "NĂM 2026", "STT", "https://dv3.binhdinh.gov.vn", "Chưa đánh giá"]) expect(text, s).toContain(s);
      expect(text).toContain('=HYPERLINK("http://x","y")'); // printed as text, not evaluated to "y"
      const chars = new Set(text);
      for (const ch of "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc") expect(chars.has(ch), ch).toBe(true);
      // ND 30: no page number on page 1; "2" heads page 2 (the form feed starts a page).
      expect(text.split("\f")[1]?.trimStart().startsWith("2")).toBe(true);
      // Points carry the Vietnamese locale: a decimal comma, two decimals.
      const u = model.units.find((x) => x.total != null)!;
      expect(text).toContain(u.total!.toFixed(2).replace(".", ","));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
