// Reading the unit list from an Excel file: columns tên đơn vị, loại, nhóm, website,
// email thủ trưởng (header row found by its labels, with or without diacritics). The file is
// on disk (app/lib/upload.server.ts puts it there); a worker thread checks it against the
// zip-bomb caps and parses it (app/lib/xlsx-worker.ts), its rows arrive here to be validated.
import { z } from "zod";
import type { ImportRow, UnitType } from "../../db/queries/units.ts";
import { GROUP_LABELS, UNIT_TYPE_LABELS } from "./format.ts";
import { optionalEmail, siteUrlSchema, unitNameSchema } from "./unit-forms.server.ts";
import { cellText } from "./xlsx-worker-cell.ts";
import { readFirstSheet, XlsxRefusal, type SheetRow } from "./xlsx-worker.ts";
import { LINEAGE_HEADERS, validateLineageCells } from "./unit-import-lineage.server.ts";

export interface RowError {
  row: number;
  messages: string[];
}

function fold(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

const HEADERS: Record<keyof Omit<ImportRow, "unitType" | "groupCode" | "headEmail" | "lineage"> | "type" | "group" | "email" | keyof typeof LINEAGE_HEADERS, string[]> = {
  // HL: merge and rename columns (two-level local government, decision 0016).
  mergedFrom: [...LINEAGE_HEADERS.mergedFrom],
  oldName: [...LINEAGE_HEADERS.oldName],
  effectiveOn: [...LINEAGE_HEADERS.effectiveOn],
  name: ["ten don vi", "ten"],
  type: ["loai", "loai don vi"],
  group: ["nhom", "nhom xep hang"],
  website: ["website", "trang web", "dia chi website"],
  email: ["email thu truong", "thu dien tu thu truong", "email"],
};

// Folded codes and labels per table, computed once (folding them for every row was most of the
// request thread's time during a 10,000-row import).
const foldedTables = new WeakMap<Record<string, string>, [string, string, string][]>();

function lookup(map: Record<string, string>, value: string): string | null {
  const f = fold(value);
  if (!f) return null;
  let table = foldedTables.get(map);
  if (!table) foldedTables.set(map, (table = Object.entries(map).map(([code, label]) => [code, fold(code), fold(label)])));
  for (const [code, fc, fl] of table) {
    if (fc === f || fl === f) return code;
  }
  return null;
}

const TYPE_ALIASES: Record<string, string> = {
  ...UNIT_TYPE_LABELS,
  ubnd_huyen: "UBND cấp huyện",
};
const EXTRA_TYPE: Record<string, UnitType> = {
  "ubnd huyen": "ubnd_huyen",
  "ubnd xa": "ubnd_xa",
  "ubnd phuong": "ubnd_xa",
  "ubnd dac khu": "ubnd_xa",
  "ubnd xa phuong dac khu": "ubnd_xa",
  "ubnd thi xa": "ubnd_huyen",
  "ubnd thanh pho": "ubnd_huyen",
  "don vi su nghiep": "don_vi_su_nghiep",
  "cong tinh": "cong_tinh",
};
const EXTRA_GROUP: Record<string, string> = {
  "so ban nganh": "so-nganh",
  "so nganh": "so-nganh",
  "cap huyen": "huyen",
  "cap xa": "xa",
  "ubnd cap huyen": "huyen",
  "ubnd cap xa": "xa",
  "ubnd xa phuong dac khu": "xa",
  "xa phuong dac khu": "xa",
  "don vi su nghiep": "su-nghiep",
};

/** Data rows read at most; a bigger list is refused as a whole (split the file). */
export const MAX_IMPORT_ROWS = 10_000;
/** Row errors kept for the report (the count is always exact); the page shows them 50 at a time. */
export const MAX_REPORTED_ERRORS = 1_000;
/** How much of a cell is quoted back in an error message. */
const QUOTE_CHARS = 60;
const HEADER_SCAN_ROWS = 15;

function quote(v: string): string {
  return v.length > QUOTE_CHARS ? `${v.slice(0, QUOTE_CHARS)}…` : v;
}

function firstIssue(r: { success: false; error: z.ZodError }): string {
  return r.error.issues[0]?.message ?? "không hợp lệ";
}

export interface ParsedImport {
  rows: ImportRow[];
  /** The first MAX_REPORTED_ERRORS row errors, in row order. */
  errors: RowError[];
  errorCount: number;
  fileError?: string;
}

type Col = Partial<Record<keyof typeof HEADERS, number>>;

function headerColumns(row: SheetRow): Col | null {
  const found: Col = {};
  row.eachCell((cell, c) => {
    const f = fold(cellText(cell.value));
    for (const [key, names] of Object.entries(HEADERS)) {
      if (names.includes(f) && found[key as keyof typeof HEADERS] === undefined) found[key as keyof typeof HEADERS] = c;
    }
  });
  return found.name && found.website ? found : null;
}

/**
 * Reads the first worksheet of an .xlsx file in a worker thread (zip-bomb caps first, then
 * exceljs's streaming reader: the workbook is never loaded whole) and checks every row here with
 * the unit form's own rules (unitNameSchema, siteUrlSchema, optionalEmail).
 */
export async function parseUnitWorkbook(filePath: string, knownGroups: string[]): Promise<ParsedImport> {
  const sheet = readFirstSheet(filePath);
  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  let errorCount = 0;
  const seen = new Map<string, number>();
  const claimed = new Map<string, number>();
  const groupMap: Record<string, string> = Object.fromEntries(knownGroups.map((g) => [g, GROUP_LABELS[g] ?? g]));
  let col: Col | null = null;
  let dataRows = 0;
  const done = (fileError?: string): ParsedImport => ({ rows: fileError ? [] : rows, errors: fileError ? [] : errors, errorCount: fileError ? 0 : errorCount, fileError });
  try {
    {
      // Leaving this loop early (header not found, too many rows) stops the worker.
      for await (const row of sheet) {
        if (!col) {
          if (row.number > HEADER_SCAN_ROWS) break;
          col = headerColumns(row);
          continue;
        }
        const c = col;
        const get = (k: keyof typeof HEADERS) => (c[k] ? cellText(row.getCell(c[k]!).value).trim() : "");
        const nameRaw = get("name");
        const typeText = get("type");
        const groupText = get("group");
        const website = get("website");
        const email = get("email");
        const lineageCells = { mergedFrom: get("mergedFrom"), oldName: get("oldName"), effectiveOn: get("effectiveOn") };
        if (!nameRaw && !typeText && !groupText && !website && !email && !lineageCells.mergedFrom && !lineageCells.oldName) continue;
        if (++dataRows > MAX_IMPORT_ROWS) {
          return done(`Tệp có hơn ${MAX_IMPORT_ROWS.toLocaleString("vi-VN")} dòng dữ liệu; hãy chia thành nhiều tệp nhỏ hơn.`);
        }
        const r = row.number;
        const messages: string[] = [];
        const name = unitNameSchema.safeParse(nameRaw);
        if (!name.success) messages.push(nameRaw ? `tên đơn vị: ${firstIssue(name)}` : "thiếu tên đơn vị");
        else if (seen.has(fold(name.data))) messages.push(`trùng tên với dòng ${seen.get(fold(name.data))}`);
        else seen.set(fold(name.data), r);
        const unitType = (lookup(TYPE_ALIASES, typeText) ?? EXTRA_TYPE[fold(typeText)] ?? null) as UnitType | null;
        if (!unitType) messages.push(typeText ? `loại "${quote(typeText)}" không hợp lệ` : "thiếu loại đơn vị");
        const extraGroup = EXTRA_GROUP[fold(groupText)];
        const groupCode = lookup(groupMap, groupText) ?? (extraGroup && knownGroups.includes(extraGroup) ? extraGroup : null);
        if (!groupCode) messages.push(groupText ? `nhóm "${quote(groupText)}" không hợp lệ` : "thiếu nhóm");
        const url = siteUrlSchema.safeParse(website);
        if (!url.success) messages.push(website ? `website "${quote(website)}": ${firstIssue(url)}` : "thiếu website");
        const mail = optionalEmail.safeParse(email);
        if (!mail.success) messages.push(`email "${quote(email)}": ${firstIssue(mail)}`);
        const lineage = validateLineageCells(lineageCells, name.success ? name.data : null, r, claimed, messages);
        if (messages.length) {
          errorCount++;
          if (errors.length < MAX_REPORTED_ERRORS) errors.push({ row: r, messages });
          continue;
        }
        if (errorCount === 0) {
          rows.push({ name: name.success ? name.data : "", unitType: unitType!, groupCode: groupCode!, website: url.success ? url.data : "", headEmail: mail.success ? mail.data : null, lineage });
        }
      }
    }
  } catch (e) {
    return done(e instanceof XlsxRefusal ? e.message : "Không đọc được tệp: cần tệp Excel .xlsx.");
  }
  if (!sheet.sheets) return done("Không đọc được tệp: cần tệp Excel .xlsx có ít nhất một trang tính.");
  if (!col) return done("Không tìm thấy dòng tiêu đề (cần các cột: Tên đơn vị, Loại, Nhóm, Website, Email thủ trưởng).");
  return done();
}
