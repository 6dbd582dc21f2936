// Reading the unit list from an Excel file: columns tên đơn vị, loại, nhóm, website,
// email thủ trưởng (header row found by its labels, with or without diacritics).
import ExcelJS from "exceljs";
import { z } from "zod";
import type { ImportRow, UnitType } from "../../db/queries/units.ts";
import { GROUP_LABELS, UNIT_TYPE_LABELS } from "./format.ts";
import { siteUrlSchema } from "./unit-forms.server.ts";

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

const HEADERS: Record<keyof Omit<ImportRow, "unitType" | "groupCode" | "headEmail"> | "type" | "group" | "email", string[]> = {
  name: ["ten don vi", "ten"],
  type: ["loai", "loai don vi"],
  group: ["nhom", "nhom xep hang"],
  website: ["website", "trang web", "dia chi website"],
  email: ["email thu truong", "thu dien tu thu truong", "email"],
};

function lookup(map: Record<string, string>, value: string): string | null {
  const f = fold(value);
  if (!f) return null;
  for (const [code, label] of Object.entries(map)) {
    if (fold(code) === f || fold(label) === f) return code;
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
};

function cellText(v: ExcelJS.CellValue): string {
  if (v == null) return "";
  if (typeof v === "object") {
    if ("text" in v && typeof v.text === "string") return v.text;
    if ("hyperlink" in v && typeof v.hyperlink === "string") return v.hyperlink;
    if ("richText" in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join("");
    if ("result" in v) return String(v.result ?? "");
    if (v instanceof Date) return v.toISOString();
  }
  return String(v);
}

export async function parseUnitWorkbook(
  data: ArrayBuffer,
  knownGroups: string[],
): Promise<{ rows: ImportRow[]; errors: RowError[]; fileError?: string }> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data);
  } catch {
    return { rows: [], errors: [], fileError: "Không đọc được tệp: cần tệp Excel .xlsx." };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { rows: [], errors: [], fileError: "Tệp Excel không có trang tính nào." };
  let headerRow = 0;
  const col: Partial<Record<keyof typeof HEADERS, number>> = {};
  for (let r = 1; r <= Math.min(ws.rowCount, 15) && !headerRow; r++) {
    const row = ws.getRow(r);
    const found: typeof col = {};
    row.eachCell((cell, c) => {
      const f = fold(cellText(cell.value));
      for (const [key, names] of Object.entries(HEADERS)) {
        if (names.includes(f) && found[key as keyof typeof HEADERS] === undefined) found[key as keyof typeof HEADERS] = c;
      }
    });
    if (found.name && found.website) {
      headerRow = r;
      Object.assign(col, found);
    }
  }
  if (!headerRow) {
    return { rows: [], errors: [], fileError: "Không tìm thấy dòng tiêu đề (cần các cột: Tên đơn vị, Loại, Nhóm, Website, Email thủ trưởng)." };
  }
  const rows: ImportRow[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  const groupMap: Record<string, string> = Object.fromEntries(knownGroups.map((g) => [g, GROUP_LABELS[g] ?? g]));
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const get = (k: keyof typeof HEADERS) => (col[k] ? cellText(row.getCell(col[k]!).value).trim() : "");
    const name = get("name").normalize("NFC");
    const typeText = get("type");
    const groupText = get("group");
    const website = get("website");
    const email = get("email");
    if (!name && !typeText && !groupText && !website && !email) continue;
    const messages: string[] = [];
    if (name.length < 2) messages.push("thiếu tên đơn vị");
    else if (seen.has(fold(name))) messages.push(`trùng tên với dòng ${seen.get(fold(name))}`);
    else seen.set(fold(name), r);
    const unitType = (lookup(TYPE_ALIASES, typeText) ?? EXTRA_TYPE[fold(typeText)] ?? null) as UnitType | null;
    if (!unitType) messages.push(typeText ? `loại "${typeText}" không hợp lệ` : "thiếu loại đơn vị");
    const groupCode = lookup(groupMap, groupText) ?? (EXTRA_GROUP[fold(groupText)] && knownGroups.includes(EXTRA_GROUP[fold(groupText)]) ? EXTRA_GROUP[fold(groupText)] : null);
    if (!groupCode) messages.push(groupText ? `nhóm "${groupText}" không hợp lệ` : "thiếu nhóm");
    const url = siteUrlSchema.safeParse(website);
    if (!url.success) messages.push(website ? `website "${website}" không hợp lệ` : "thiếu website");
    if (email && !z.string().email().safeParse(email).success) messages.push(`email "${email}" không hợp lệ`);
    if (messages.length) {
      errors.push({ row: r, messages });
      continue;
    }
    rows.push({ name, unitType: unitType!, groupCode: groupCode!, website: url.success ? url.data : "", headEmail: email || null });
  }
  return { rows, errors };
}
