// Attachments of an appeal: PDF or images, recognised by their first bytes (magic numbers), never
// by the file name or the type the browser claims. Size-limited per file and in number.
import type { AttachmentInput } from "../../db/queries/appeals.ts";

export const APPEAL_FILE_LIMIT = 5 * 1024 * 1024;
export const APPEAL_MAX_FILES = 3;
/** The whole multipart body of the filing form (app/lib/body-limits.ts). */
export const APPEAL_BODY_LIMIT = APPEAL_MAX_FILES * APPEAL_FILE_LIMIT + 64 * 1024;

const SIGNATURES: { type: string; test: (b: Buffer) => boolean }[] = [
  { type: "application/pdf", test: (b) => b.subarray(0, 5).toString("latin1") === "%PDF-" },
  { type: "image/png", test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: "image/jpeg", test: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: "image/gif", test: (b) => /^GIF8[79]a$/.test(b.subarray(0, 6).toString("latin1")) },
  { type: "image/webp", test: (b) => b.subarray(0, 4).toString("latin1") === "RIFF" && b.subarray(8, 12).toString("latin1") === "WEBP" },
];

export function sniffContentType(body: Buffer): string | null {
  return SIGNATURES.find((s) => s.test(body))?.type ?? null;
}

/** A safe display/download name: no path, no control characters, at most 120 characters. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, "").trim().slice(0, 120);
  return clean || "tep-dinh-kem";
}

export type CheckedFiles = { ok: true; files: AttachmentInput[] } | { ok: false; error: string };

export function checkAttachments(files: { filename: string; body: Buffer }[]): CheckedFiles {
  const present = files.filter((f) => f.body.length > 0);
  if (present.length > APPEAL_MAX_FILES) return { ok: false, error: `Chỉ được đính kèm tối đa ${APPEAL_MAX_FILES} tệp.` };
  const out: AttachmentInput[] = [];
  for (const f of present) {
    const name = cleanFilename(f.filename);
    if (f.body.length > APPEAL_FILE_LIMIT) return { ok: false, error: `Tệp “${name}” quá lớn (tối đa 5 MB mỗi tệp).` };
    const type = sniffContentType(f.body);
    if (!type) return { ok: false, error: `Tệp “${name}” không phải PDF hoặc ảnh (PNG, JPEG, GIF, WebP): nội dung tệp không khớp định dạng cho phép.` };
    out.push({ filename: name, contentType: type, body: f.body });
  }
  return { ok: true, files: out };
}
