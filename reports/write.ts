// Workbook → bytes, reproducibly: exceljs (through JSZip) stamps every zip entry with the time of
// writing; we rewrite those stamps with the report's own date so equal content gives equal bytes.
import { createHash } from "node:crypto";
import type ExcelJS from "exceljs";
import { vietnamWallClock } from "../db/time.ts";

export async function workbookToBuffer(wb: ExcelJS.Workbook, stamp: Date): Promise<Buffer> {
  const raw = Buffer.from(await wb.xlsx.writeBuffer());
  return setZipTimestamps(raw, stamp);
}

export function sha256(buf: Uint8Array): string {
  return createHash("sha256").update(buf).digest("hex");
}

/** Overwrites the DOS date/time of every entry (local headers and central directory) in place. */
export function setZipTimestamps(zip: Buffer, stamp: Date): Buffer {
  const { time, date } = dosDateTime(stamp);
  const eocd = findEndOfCentralDirectory(zip);
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error("zip: bad central directory entry");
    zip.writeUInt16LE(time, p + 12);
    zip.writeUInt16LE(date, p + 14);
    const local = zip.readUInt32LE(p + 42);
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error("zip: bad local header");
    zip.writeUInt16LE(time, local + 10);
    zip.writeUInt16LE(date, local + 12);
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return zip;
}

function findEndOfCentralDirectory(zip: Buffer): number {
  for (let p = zip.length - 22; p >= Math.max(0, zip.length - 22 - 0xffff); p--) {
    if (zip.readUInt32LE(p) === 0x06054b50) return p;
  }
  throw new Error("zip: end of central directory not found");
}

/** DOS time fields, from the wall clock of Asia/Ho_Chi_Minh (zip times carry no zone). */
function dosDateTime(d: Date): { time: number; date: number } {
  const l = vietnamWallClock(d);
  const year = Math.min(Math.max(l.getUTCFullYear(), 1980), 2107);
  return {
    time: (l.getUTCHours() << 11) | (l.getUTCMinutes() << 5) | Math.floor(l.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((l.getUTCMonth() + 1) << 5) | l.getUTCDate(),
  };
}
