// Reading generated workbooks back for assertions.
import ExcelJS from "exceljs";

export async function readWorkbook(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

/** Every cell of a sheet with its text, for searching. */
export function cells(ws: ExcelJS.Worksheet): ExcelJS.Cell[] {
  const out: ExcelJS.Cell[] = [];
  ws.eachRow({ includeEmpty: false }, (row) => row.eachCell({ includeEmpty: false }, (c) => void out.push(c)));
  return out;
}

export function findCell(ws: ExcelJS.Worksheet, pred: (text: string) => boolean): ExcelJS.Cell | undefined {
  return cells(ws).find((c) => typeof c.value === "string" && pred(c.value));
}

export function rowOf(ws: ExcelJS.Worksheet, text: string): ExcelJS.Row {
  const c = findCell(ws, (t) => t === text);
  if (!c) throw new Error(`no cell with text ${JSON.stringify(text.slice(0, 60))} in ${ws.name}`);
  return ws.getRow(Number(c.row));
}

export function sheetText(ws: ExcelJS.Worksheet): string {
  return cells(ws)
    .map((c) => (typeof c.value === "object" && c.value && "text" in c.value ? String(c.value.text) : String(c.value)))
    .join("\n");
}

export function isValidSheetName(name: string): boolean {
  return name.length > 0 && name.length <= 31 && !/[[\]:*?/\\]/.test(name) && !name.startsWith("'") && !name.endsWith("'");
}
