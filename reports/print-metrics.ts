import { BOLD, REGULAR } from "./font-widths.ts";

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
/**
 * Points per column width unit (default font Times New Roman 11): the page budget uses the largest
 * value seen (5.64), the room for text the smallest (5.5: LibreOffice 7 prints columns of 14, 22, 34
 * and 50 units 76, 122, 187 and 275 pt wide), so a sheet never outgrows the page and text never
 * outgrows its cell.
 */
export const PT_PER_WIDTH = 5.64;
const PT_PER_WIDTH_TEXT = 5.5;
/** Room LibreOffice keeps between a cell's border and its text, both sides together. */
const CELL_PADDING_PT = 4;
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

// Advance widths of Times New Roman (= Liberation Serif, and DejaVu Serif for the precomposed
// Vietnamese letters LibreOffice draws with that fallback), in 1/1000 em, indexed by code point.
const TABLE_END = 0x2200;
/** Width of a character outside the table (CJK, symbols): a full em, so that it never clips. */
const UNKNOWN = 1000;
function widthTable(runs: [number, number[]][]): Uint16Array {
  const t = new Uint16Array(TABLE_END).fill(UNKNOWN);
  for (const [first, ws] of runs) ws.forEach((w, i) => (t[first + i] = w || UNKNOWN));
  // Tabs, newlines and other controls print nothing.
  for (let c = 0; c < 0x20; c++) t[c] = 0;
  for (let c = 0x300; c <= 0x36f; c++) t[c] = 0;
  return t;
}
const WIDTHS_REGULAR = widthTable(REGULAR);
const WIDTHS_BOLD = widthTable(BOLD);

/** Width in points of a single line of text (no wrapping). */
export function textWidthPt(text: string, size: number, bold = false): number {
  const t = bold ? WIDTHS_BOLD : WIDTHS_REGULAR;
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    w += c < TABLE_END ? t[c] : UNKNOWN;
  }
  return (w * size) / 1000;
}

/**
 * Lines a text wraps to in a box `widthPt` wide, as LibreOffice wraps it: greedy at spaces; a word
 * that does not fit on what is left of the line starts a new one, and a word longer than a line is
 * broken after its hyphens and slashes ("https://" then the host), or between characters where a piece is longer than a line (a
 * character's width of room given up at each such break). Checked against LibreOffice on findings
 * of the demo report in 4 column widths (reports/tools/calibrate-wrap.ts): never fewer lines.
 */
export function wrappedLines(text: string, widthPt: number, size: number, bold = false): number {
  if (!text) return 1;
  const t = bold ? WIDTHS_BOLD : WIDTHS_REGULAR;
  // In 1/1000 em of this size: the room of a line and the width of a space.
  const w: Wrap = { room: Math.max(1000, (widthPt * 1000) / size), space: t[32], lines: 1, line: 0, word: 0, piece: 0, pieces };
  pieces.length = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      // A space ends a word; a space with no word before it (an indent, a double space) takes room.
      if (w.word > 0) placeWord(w);
      else w.line += w.space;
    }
    else if (c === 10) {
      placeWord(w);
      w.lines++;
      w.line = 0;
    } else {
      const cw = c < TABLE_END ? t[c] : UNKNOWN;
      w.word += cw;
      w.piece += cw;
      if (c === 45 || c === 47) {
        pieces.push(w.piece);
        w.piece = 0;
      }
    }
  }
  placeWord(w);
  return w.lines;
}

/** Wrapping state: the line being filled, the word being read and its pieces (up to each hyphen). */
interface Wrap {
  room: number;
  space: number;
  lines: number;
  line: number;
  word: number;
  piece: number;
  pieces: number[];
}
const pieces: number[] = [];

function placeWord(w: Wrap): void {
  if (w.word === 0) return;
  const need = w.line > 0 ? w.word + w.space : w.word;
  if (w.line + need <= w.room) w.line += need;
  else {
    if (w.line > 0) w.lines++;
    w.line = 0;
    if (w.pieces.length > 0) {
      w.pieces.push(w.piece);
      for (const p of w.pieces) placePiece(w, p);
    } else placePiece(w, w.word);
  }
  w.word = 0;
  w.piece = 0;
  w.pieces.length = 0;
}

/** A piece of a word that starts a line or follows a hyphen: broken between characters if longer than a line. */
function placePiece(w: Wrap, width: number): void {
  if (w.line + width <= w.room) {
    w.line += width;
    return;
  }
  if (w.line > 0) w.lines++;
  w.line = width;
  while (w.line > w.room) {
    w.lines++;
    w.line -= w.room - 700;
  }
}

/** Inner width of cells spanning these column widths (padding taken off). */
export function cellWidthPt(widths: number[]): number {
  return widths.reduce((a, b) => a + b, 0) * PT_PER_WIDTH_TEXT - CELL_PADDING_PT;
}

/**
 * Row height (pt) for `lines` lines of text of `size` points. LibreOffice sets lines 1.108 × the size
 * apart (Liberation Serif's ascent + descent; measured: 13.3 pt at 12 pt); DejaVu Serif, which draws
 * the precomposed Vietnamese letters, is 1.164: 1.15 leaves about a line of room on a tall cell for a
 * wrap the estimate misses.
 */
export function linesHeight(lines: number, size: number): number {
  return Math.ceil(lines * size * 1.15 + 3);
}

/** Height of a row whose cells hold these texts (each: text, the widths it spans, size, bold). */
export function rowHeightFor(cells: { text: string; widths: number[]; size: number; bold?: boolean }[], min = 0): number {
  let h = min;
  for (const c of cells) h = Math.max(h, linesHeight(wrappedLines(c.text, cellWidthPt(c.widths), c.size, c.bold), c.size));
  return Math.min(409, h);
}
