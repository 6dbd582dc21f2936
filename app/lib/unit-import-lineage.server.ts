// Row validation of the Excel import's merge and rename columns (decision 0016):
// "Sáp nhập từ" (names of existing units merged into the row's unit, separated by ";" or new
// lines), "Tên cũ" (the row's unit was renamed from this name) and "Ngày hiệu lực" (dd/mm/yyyy,
// required with either). The database side (db/queries/units.ts importUnits) checks that the
// named units exist and are active, in the import's one transaction.
import type { ImportLineage } from "../../db/queries/units.ts";
import { parseVnDate } from "./dates.ts";
import { unitNameSchema } from "./unit-forms.server.ts";

export interface LineageCells {
  mergedFrom: string;
  oldName: string;
  effectiveOn: string;
}

/** Header labels (folded: no diacritics, lower case) of the three columns. */
export const LINEAGE_HEADERS = {
  mergedFrom: ["sap nhap tu", "sap nhap tu cac don vi", "hop nhat tu", "don vi sap nhap"],
  oldName: ["ten cu", "ten truoc day"],
  effectiveOn: ["ngay hieu luc", "hieu luc tu ngay"],
} as const;

function fold(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

const MAX_MERGED = 100;

/** A date cell: dd/mm/yyyy as typed, or a date Excel stored (read as an ISO instant). */
function dateOf(v: string): string | null {
  const iso = /^(\d{4}-\d{2}-\d{2})(T00:00:00(\.000)?Z)?$/.exec(v.trim());
  if (iso) return parseVnDate(iso[1].split("-").reverse().join("/"));
  return parseVnDate(v);
}

/**
 * Checks one row's merge and rename cells; pushes Vietnamese messages and returns the lineage to
 * apply (null when the row has none). `claimed` maps each folded predecessor name to the row that
 * first named it (a unit is merged once).
 */
export function validateLineageCells(
  cells: LineageCells,
  rowName: string | null,
  row: number,
  claimed: Map<string, number>,
  messages: string[],
): ImportLineage | null {
  const merged = cells.mergedFrom
    .split(/[;\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const oldName = cells.oldName.trim();
  if (!merged.length && !oldName) {
    if (cells.effectiveOn.trim()) messages.push("có ngày hiệu lực nhưng không có cột Sáp nhập từ hoặc Tên cũ");
    return null;
  }
  const before = messages.length;
  const names: string[] = [];
  if (merged.length > MAX_MERGED) messages.push(`sáp nhập từ quá nhiều đơn vị (tối đa ${MAX_MERGED})`);
  for (const raw of merged.slice(0, MAX_MERGED)) {
    const n = unitNameSchema.safeParse(raw);
    if (!n.success) {
      messages.push(`sáp nhập từ “${raw.slice(0, 60)}”: ${n.error.issues[0]?.message ?? "tên không hợp lệ"}`);
      continue;
    }
    const key = fold(n.data);
    if (rowName && key === fold(rowName)) messages.push("không thể sáp nhập một đơn vị vào chính nó");
    else if (names.some((x) => fold(x) === key)) messages.push(`“${n.data}” được ghi hai lần ở cột Sáp nhập từ`);
    else if (claimed.has(key)) messages.push(`“${n.data}” đã được sáp nhập ở dòng ${claimed.get(key)}`);
    else names.push(n.data);
  }
  let old: string | null = null;
  if (oldName) {
    const n = unitNameSchema.safeParse(oldName);
    if (!n.success) messages.push(`tên cũ: ${n.error.issues[0]?.message ?? "không hợp lệ"}`);
    else if (rowName && fold(n.data) === fold(rowName)) messages.push("tên cũ trùng tên đơn vị");
    else old = n.data;
  }
  const effectiveOn = cells.effectiveOn.trim() ? dateOf(cells.effectiveOn) : null;
  if (!cells.effectiveOn.trim()) messages.push("thiếu ngày hiệu lực của việc sáp nhập hoặc đổi tên");
  else if (!effectiveOn) messages.push(`ngày hiệu lực “${cells.effectiveOn.trim().slice(0, 30)}” không hợp lệ (dd/mm/yyyy)`);
  if (messages.length > before || !effectiveOn) return null;
  for (const n of names) claimed.set(fold(n), row);
  return { mergedFrom: names, oldName: old, effectiveOn, row };
}
