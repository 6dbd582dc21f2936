// Caps on what an uploaded .xlsx may expand to, and the refusal the import shows for it.
// Imported by the main thread (app/lib/xlsx-worker.ts) and by the parsing worker.

export interface ZipLimits {
  /** Sum of the entries' uncompressed sizes (declared and actually inflated). */
  maxUncompressedBytes: number;
  /** Uncompressed / compressed, checked for entries that inflate to more than ratioGraceBytes. */
  maxRatio: number;
  ratioGraceBytes: number;
  maxEntries: number;
}

export interface SheetLimits {
  zip: ZipLimits;
  /** Row elements of the first worksheet, blank ones included. */
  maxRows: number;
  /** Cells of the first worksheet. */
  maxCells: number;
  /** Wall time for the whole parse, the zip check included. */
  timeoutMs: number;
  /** Heap of the parsing worker; past it the worker is killed and the file refused. */
  maxHeapMb: number;
}

// A 10 MB upload of ordinary Excel XML inflates 5–20×; 100 MB leaves room for a full 10 MB file
// of incompressible text and refuses anything shaped like a bomb (Apache POI uses the same
// 100× ratio by default).
export const ZIP_LIMITS: ZipLimits = {
  maxUncompressedBytes: 100 * 1024 * 1024,
  maxRatio: 100,
  ratioGraceBytes: 1024 * 1024,
  maxEntries: 1_000,
};

export const SHEET_LIMITS: SheetLimits = {
  zip: ZIP_LIMITS,
  maxRows: 50_000,
  maxCells: 500_000,
  timeoutMs: 120_000,
  maxHeapMb: 384,
};

export const NOTHING_IMPORTED = "Chưa nhập dòng nào.";

/** A file refused before or while its rows are read; the message is shown to the user as is. */
export class XlsxRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "XlsxRefusal";
  }
}

export const NOT_XLSX = "Không đọc được tệp: cần tệp Excel .xlsx.";
