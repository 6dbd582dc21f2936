// Page geometry of the printed report (A4 landscape, Nghị định 30/2020 margins) and estimates of how
// much room text takes, so that row heights fit wrapped text and columns fit the page at 100 %.
// The workbook's default font is Times New Roman 11, so one column width unit is one digit of it plus
// padding: about 5.64 pt in LibreOffice (measured), 5.25 pt + 3.75 pt in Excel.

/** ND 30: top 20–25 mm, bottom 20–25 mm, left 30–35 mm, right 15–20 mm (inches for exceljs). */
export const MARGINS = { left: 30 / 25.4, right: 15 / 25.4, top: 20 / 25.4, bottom: 20 / 25.4, header: 10 / 25.4, footer: 10 / 25.4 };
const MM = 72 / 25.4;
/** Printable width and height of A4 landscape inside the margins, in points. */
export const PAGE_WIDTH_PT = (297 - 30 - 15) * MM;
export const PAGE_HEIGHT_PT = (210 - 20 - 20) * MM;
/** Points per column width unit (LibreOffice, default font Times New Roman 11). */
export const PT_PER_WIDTH = 5.64;
/** Width units the columns of a sheet may use in total: the printable width with some slack. */
export const WIDTH_BUDGET = Math.floor((PAGE_WIDTH_PT - 24) / PT_PER_WIDTH);

/** Scales relative column weights to whole widths that fill the page width (never more). */
export function fitWidths(weights: number[], budget = WIDTH_BUDGET): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => Math.max(4, Math.floor((w * budget) / sum)));
  let over = widths.reduce((a, b) => a + b, 0) - budget;
  for (let i = widths.length - 1; over > 0 && i >= 0; i--) {
    const take = Math.min(over, widths[i] - 4);
    widths[i] -= take;
    over -= take;
  }
  return widths;
}

// Advance widths (em) of Times New Roman, coarse classes; Vietnamese letters measured by their base letter.
const NARROW = new Set("iljtfrI.,:;'|!()[] ");
const WIDE = new Set("mwMW@%");
const emCache = new Map<string, number>();
const ASCII_EM = [false, true].map((bold) => Float64Array.from({ length: 128 }, (_, i) => measureChar(String.fromCharCode(i), bold)));
function charEm(ch: string, bold: boolean): number {
  const code = ch.charCodeAt(0);
  if (code < 128) return ASCII_EM[bold ? 1 : 0][code];
  const key = bold ? `b${ch}` : ch;
  let em = emCache.get(key);
  if (em === undefined) emCache.set(key, (em = measureChar(ch, bold)));
  return em;
}
/** The widest advance of any character (the fast path's bound). */
const MAX_EM = 0.9 * 1.08 * 1.08;

function measureChar(ch: string, bold: boolean): number {
  const base = ch.normalize("NFD")[0] ?? ch;
  let em: number;
  if (base === " ") em = 0.25;
  else if (NARROW.has(base)) em = 0.3;
  else if (WIDE.has(base)) em = 0.9;
  else if (base >= "A" && base <= "Z") em = 0.7;
  else if (base === "Đ") em = 0.72;
  else if (base >= "0" && base <= "9") em = 0.5;
  else em = 0.48;
  // 8 % over the average advance: wrapping happens at word boundaries, and an estimate too short clips text.
  return (bold ? em * 1.08 : em) * 1.08;
}

/** Width in points of a single line of text. */
export function textWidthPt(text: string, size: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += charEm(ch, bold);
  return em * size;
}

/** Lines a text wraps to in a box `widthPt` wide (greedy word wrap, long words broken). */
export function wrappedLines(text: string, widthPt: number, size: number, bold = false): number {
  if (!text) return 1;
  if (text.length * MAX_EM * size <= widthPt * 0.93 && !text.includes("\n")) return 1;
  // 7 % less room than measured: justified text and LibreOffice's own padding wrap a little earlier.
  const room = Math.max(widthPt * 0.93, size);
  let lines = 0;
  for (const para of text.split("\n")) {
    let line = 0;
    let count = 1;
    for (const word of para.split(" ")) {
      let w = textWidthPt(word, size, bold);
      const space = line > 0 ? textWidthPt(" ", size, bold) : 0;
      if (line > 0 && line + space + w > room) {
        count++;
        line = 0;
      } else line += space;
      while (w > room) {
        count++;
        w -= room;
      }
      line += w;
    }
    lines += count;
  }
  return lines;
}

/** Inner width of cells spanning these column widths (padding taken off). */
export function cellWidthPt(widths: number[]): number {
  return widths.reduce((a, b) => a + b, 0) * PT_PER_WIDTH - 6;
}

/** Row height (pt) for `lines` lines of text of `size` points. */
export function linesHeight(lines: number, size: number): number {
  return Math.ceil(lines * size * 1.22 + 4);
}

/** Height of a row whose cells hold these texts (each: text, the widths it spans, size, bold). */
export function rowHeightFor(cells: { text: string; widths: number[]; size: number; bold?: boolean }[], min = 0): number {
  let h = min;
  for (const c of cells) h = Math.max(h, linesHeight(wrappedLines(c.text, cellWidthPt(c.widths), c.size, c.bold), c.size));
  return Math.min(409, h);
}
