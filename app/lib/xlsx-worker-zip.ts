// Zip-bomb guard for an uploaded .xlsx, run in the parsing worker before exceljs sees the file.
// 1. The central directory (read from the end of the file, nothing inflated): entry count, each
//    entry's declared size and compression ratio, their sum.
// 2. A counting pass with the very parser exceljs uses (unzipper.Parse, resolved from exceljs's
//    own dependencies, so it walks the local headers exactly as exceljs will): every entry is
//    inflated and thrown away while its bytes are counted, and the pass stops as soon as an entry
//    inflates past what the central directory declared (headers lie) or a cap is passed.
// Memory stays bounded (inflated chunks are discarded), and the work is bounded by the caps.
import fs from "node:fs";
import { createRequire } from "node:module";
import type { Readable } from "node:stream";
import { NOT_XLSX, NOTHING_IMPORTED, XlsxRefusal, ZIP_LIMITS, type ZipLimits } from "./xlsx-worker-limits.ts";

const NOTHING = NOTHING_IMPORTED;
const mb = (n: number) => `${Math.round(n / (1024 * 1024)).toLocaleString("vi-VN")} MB`;
const notXlsx = () => new XlsxRefusal(NOT_XLSX);

interface CentralEntry {
  name: string;
  compressed: number;
  uncompressed: number;
}

const EOCD_SIG = 0x06054b50;
const CDH_SIG = 0x02014b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = fs.readSync(fd, buf, 0, length, position);
  return buf.subarray(0, n);
}

/** The central directory's entries, with the caps applied to what it declares. */
export function checkCentralDirectory(filePath: string, limits: ZipLimits = ZIP_LIMITS): Map<string, CentralEntry> {
  const fd = fs.openSync(filePath, "r");
  try {
    const size = fs.fstatSync(fd).size;
    if (size < EOCD_MIN) throw notXlsx();
    const tailStart = Math.max(0, size - (EOCD_MIN + MAX_COMMENT));
    const tail = readAt(fd, tailStart, size - tailStart);
    let eocd = -1;
    for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIG) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw notXlsx();
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      throw new XlsxRefusal(`Tệp Excel bị từ chối: định dạng nén ZIP64 không được hỗ trợ cho tệp nhập. ${NOTHING}`);
    }
    if (count > limits.maxEntries) {
      throw new XlsxRefusal(`Tệp Excel bị từ chối: tệp nén chứa hơn ${limits.maxEntries.toLocaleString("vi-VN")} phần. ${NOTHING}`);
    }
    if (cdOffset + cdSize > size) throw notXlsx();
    const cd = readAt(fd, cdOffset, cdSize);
    const entries = new Map<string, CentralEntry>();
    let total = 0;
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CDH_SIG) throw notXlsx();
      const compressed = cd.readUInt32LE(p + 20);
      const uncompressed = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const name = cd.subarray(p + 46, p + 46 + nameLen).toString("utf8");
      p += 46 + nameLen + extraLen + commentLen;
      if (compressed === 0xffffffff || uncompressed === 0xffffffff) {
        throw new XlsxRefusal(`Tệp Excel bị từ chối: định dạng nén ZIP64 không được hỗ trợ cho tệp nhập. ${NOTHING}`);
      }
      if (entries.has(name)) throw new XlsxRefusal(`Tệp Excel bị từ chối: tệp nén có hai phần cùng tên "${name.slice(0, 80)}". ${NOTHING}`);
      checkEntry(name, compressed, uncompressed, limits);
      total += uncompressed;
      if (total > limits.maxUncompressedBytes) throw tooBig(limits);
      entries.set(name, { name, compressed, uncompressed });
    }
    return entries;
  } finally {
    fs.closeSync(fd);
  }
}

function tooBig(limits: ZipLimits): XlsxRefusal {
  return new XlsxRefusal(
    `Tệp Excel bị từ chối: khi giải nén, dữ liệu vượt quá ${mb(limits.maxUncompressedBytes)} (tệp nén bất thường). ${NOTHING}`,
  );
}

function checkEntry(name: string, compressed: number, uncompressed: number, limits: ZipLimits): void {
  if (uncompressed > limits.ratioGraceBytes && uncompressed > limits.maxRatio * Math.max(compressed, 1)) {
    throw new XlsxRefusal(
      `Tệp Excel bị từ chối: phần "${name.slice(0, 80)}" nén bất thường (giải nén lớn hơn ${limits.maxRatio} lần). ${NOTHING}`,
    );
  }
}

interface UnzipEntry extends Readable {
  path: string;
  vars: { compressedSize: number; uncompressedSize: number; flags: number };
  autodrain(): unknown;
}

// exceljs's own unzipper (not a copy of our choosing): the counting pass must walk the file the
// way exceljs's WorkbookReader will.
const requireFromExceljs = createRequire(createRequire(import.meta.url).resolve("exceljs"));
const unzipper = requireFromExceljs("unzipper") as { Parse(opts: { forceStream: boolean }): NodeJS.ReadWriteStream & AsyncIterable<UnzipEntry> };

/**
 * Inflates every entry as exceljs will, discarding the bytes, and refuses the file as soon as an
 * entry passes its declared size or the caps. Resolves when the whole file checks out.
 */
export async function checkInflatedSizes(filePath: string, central: Map<string, CentralEntry>, limits: ZipLimits = ZIP_LIMITS): Promise<void> {
  const input = fs.createReadStream(filePath);
  const zip = unzipper.Parse({ forceStream: true });
  // unzipper reports inflate errors on the parser, not on the entry being read: fail the entry.
  let current: UnzipEntry | null = null;
  let failure: Error | null = null;
  zip.on("error", (e: Error) => {
    failure = e;
    current?.destroy(e);
  });
  input.on("error", (e) => zip.emit("error", e));
  input.pipe(zip);
  const seen = new Set<string>();
  let total = 0;
  try {
    for await (const entry of zip) {
      current = entry;
      const declared = central.get(entry.path);
      if (!declared || seen.has(entry.path)) {
        throw new XlsxRefusal(`Tệp Excel bị từ chối: phần nén "${entry.path.slice(0, 80)}" không khớp với mục lục của tệp. ${NOTHING}`);
      }
      seen.add(entry.path);
      const { compressedSize, uncompressedSize, flags } = entry.vars;
      const sizesInLocal = !(flags & 0x08) || compressedSize > 0;
      if (sizesInLocal && (compressedSize !== declared.compressed || uncompressedSize !== declared.uncompressed)) {
        throw lying(entry.path);
      }
      let inflated = 0;
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        inflated += chunk.length;
        total += chunk.length;
        if (inflated > declared.uncompressed) throw lying(entry.path);
        if (total > limits.maxUncompressedBytes) throw tooBig(limits);
      }
      if (failure) throw failure;
      if (inflated !== declared.uncompressed) throw lying(entry.path);
      current = null;
    }
    if (failure) throw failure;
  } catch (e) {
    if (e instanceof XlsxRefusal) throw e;
    throw notXlsx();
  } finally {
    input.destroy();
    (zip as unknown as Readable).destroy?.();
  }
}

function lying(name: string): XlsxRefusal {
  return new XlsxRefusal(
    `Tệp Excel bị từ chối: kích thước khai báo của phần "${name.slice(0, 80)}" không khớp với dữ liệu thật khi giải nén (tệp bị hỏng hoặc bị làm giả). ${NOTHING}`,
  );
}
