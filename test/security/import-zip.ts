// Hand-built .xlsx files for the import's zip-bomb tests: a minimal workbook (content types,
// relationships, workbook, one worksheet) whose worksheet can be a deflate bomb, with the sizes
// in the local header and the central directory set honestly or to lies.
import zlib from "node:zlib";

export interface ZipEntry {
  name: string;
  /** Raw deflate data (method 8). */
  data: Buffer;
  crc: number;
  size: number;
}

export interface Lies {
  /** Uncompressed size written in the local header and the central directory. */
  declaredSize?: number;
  /** Sizes only in a data descriptor (flag bit 3; local header sizes 0). */
  dataDescriptor?: boolean;
}

export function deflated(name: string, text: string | Buffer): ZipEntry {
  const raw = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  return { name, data: zlib.deflateRawSync(raw), crc: zlib.crc32(raw), size: raw.length };
}

/**
 * `prefix`, then `repeat` × `unit`, then `suffix`, deflated without ever holding the inflated text:
 * the unit block is compressed once (sync flush, no final bit) and its compressed bytes repeated.
 */
export function bombEntry(name: string, prefix: string, unit: Buffer, repeat: number, suffix: string): ZipEntry {
  const flush = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  const head = zlib.deflateRawSync(Buffer.from(prefix), flush);
  const block = zlib.deflateRawSync(unit, flush);
  const tail = zlib.deflateRawSync(Buffer.from(suffix)); // final block
  let crc = zlib.crc32(prefix);
  for (let i = 0; i < repeat; i++) crc = zlib.crc32(unit, crc);
  crc = zlib.crc32(suffix, crc);
  const data = Buffer.concat([head, ...Array.from({ length: repeat }, () => block), tail]);
  return { name, data, crc, size: Buffer.byteLength(prefix) + unit.length * repeat + Buffer.byteLength(suffix) };
}

export const SHEET_HEAD =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
export const SHEET_TAIL = "</sheetData></worksheet>";

export function inlineRow(r: number, cells: [string, string][]): string {
  return `<row r="${r}">${cells.map(([col, v]) => `<c r="${col}${r}" t="inlineStr"><is><t>${v}</t></is></c>`).join("")}</row>`;
}

export const HEADER_ROW = inlineRow(1, [
  ["A", "Tên đơn vị"],
  ["B", "Loại"],
  ["C", "Nhóm"],
  ["D", "Website"],
  ["E", "Email thủ trưởng"],
]);

/** The four parts every workbook needs around its worksheet. */
export function workbookParts(): ZipEntry[] {
  return [
    deflated(
      "[Content_Types].xml",
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    deflated(
      "_rels/.rels",
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    deflated(
      "xl/workbook.xml",
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Đơn vị" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    deflated(
      "xl/_rels/workbook.xml.rels",
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
  ];
}

/** A zip of the entries; `lies` applies to the entry of that name. */
export function zipFile(entries: ZipEntry[], lies: Record<string, Lies> = {}): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const lie = lies[e.name] ?? {};
    const name = Buffer.from(e.name, "utf8");
    const declared = lie.declaredSize ?? e.size;
    const dd = lie.dataDescriptor === true;
    const flags = 0x0800 | (dd ? 0x08 : 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(dd ? 0 : e.crc, 14);
    local.writeUInt32LE(dd ? 0 : e.data.length, 18);
    local.writeUInt32LE(dd ? 0 : declared, 22);
    local.writeUInt16LE(name.length, 26);
    const descriptor = Buffer.alloc(dd ? 16 : 0);
    if (dd) {
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(e.crc, 4);
      descriptor.writeUInt32LE(e.data.length, 8);
      descriptor.writeUInt32LE(declared, 12);
    }
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(flags, 8);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(e.crc, 16);
    cd.writeUInt32LE(e.data.length, 20);
    cd.writeUInt32LE(declared, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    parts.push(local, name, e.data, descriptor);
    offset += local.length + name.length + e.data.length + descriptor.length;
  }
  const cdBuf = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cdBuf.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cdBuf, eocd]);
}

/** A workbook whose worksheet is `rows` (XML), honest sizes unless `lies`. */
export function sheetWorkbook(sheet: ZipEntry, lies?: Lies): Buffer {
  return zipFile([...workbookParts(), sheet], lies ? { [sheet.name]: lies } : {});
}
