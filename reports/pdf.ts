// Excel report → PDF with LibreOffice (`soffice --headless --convert-to pdf`). Each call gets its own
// profile directory (-env:UserInstallation), so parallel conversions and other users' settings never
// interfere, and everything is removed afterwards.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A conversion that could not be done; the message is one Vietnamese sentence for users. */
export class PdfError extends Error {
  override name = "PdfError";
}

export function sofficePath(): string {
  return process.env.SOFFICE_PATH || "soffice";
}

/** Converts .xlsx bytes to PDF bytes. `timeoutMs` bounds LibreOffice (the annual report is long). */
export async function convertToPdf(xlsx: Buffer, opts: { timeoutMs?: number } = {}): Promise<Buffer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tt-pdf-"));
  try {
    const input = path.join(dir, "bao-cao.xlsx");
    await writeFile(input, xlsx);
    const profile = pathToFileURL(path.join(dir, "profile")).href;
    try {
      await run(sofficePath(), [`-env:UserInstallation=${profile}`, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", dir, input], {
        timeout: opts.timeoutMs ?? 600_000,
        maxBuffer: 8 << 20,
      });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT") throw new PdfError("Máy chủ chưa cài LibreOffice nên không tạo được tệp PDF.");
      throw new PdfError("LibreOffice không chuyển được báo cáo sang PDF (quá thời gian hoặc lỗi chuyển đổi).");
    }
    const pdf = await readFile(path.join(dir, "bao-cao.pdf")).catch(() => null);
    if (!pdf || pdf.subarray(0, 5).toString() !== "%PDF-") throw new PdfError("LibreOffice không tạo ra tệp PDF.");
    return pdf;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** bao-cao-2026-Q3.xlsx → bao-cao-2026-Q3.pdf */
export function pdfFileName(xlsxName: string): string {
  return xlsxName.replace(/\.xlsx$/i, "") + ".pdf";
}
