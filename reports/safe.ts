// Text from crawled sites goes into cells and sheet names: keep it inert and within Excel's limits.

/** Excel's limit on the characters in one cell. */
export const EXCEL_CELL_MAX = 32_767;
/** Excel's limit on a hyperlink address. */
export const EXCEL_URL_MAX = 2_079;
export const SHEET_NAME_MAX = 31;

const TRUNCATION_MARK = "… [đã cắt bớt]";

// Characters XML 1.0 cannot carry (a file with them does not open) and lone surrogates.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A plain string for a cell: never a formula (the caller writes it as a string value, which the file
 * stores as a shared string; Excel and LibreOffice do not evaluate those), without characters XML
 * cannot carry, and cut to Excel's cell limit without splitting a surrogate pair.
 */
export function cellText(value: string | null | undefined, max = EXCEL_CELL_MAX): string {
  if (value == null) return "";
  let s = String(value).replace(INVALID_XML, "\uFFFD");
  if (s.length > max) {
    let cut = max - TRUNCATION_MARK.length;
    const code = s.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    s = s.slice(0, cut) + TRUNCATION_MARK;
  }
  return s;
}

/** True for text Excel would treat as a formula or a command if typed in. */
export function looksLikeFormula(s: string): boolean {
  return /^[=+\-@\t\r]/.test(s);
}

/** An address worth a clickable link: http(s) only, within Excel's hyperlink limit. */
export function safeHyperlink(url: string | null | undefined): string | null {
  if (!url || url.length > EXCEL_URL_MAX) return null;
  if (!/^https?:\/\/[^\s"<>]+$/i.test(url)) return null;
  return url;
}

/**
 * Makes sheet names valid and unique within one workbook: at most 31 characters, none of
 * `[]:*?/\`, no apostrophe (exceljs does not escape it in print-title names), not blank,
 * unique case-insensitively (Excel compares names that way).
 */
export class SheetNamer {
  private readonly used = new Set<string>();

  name(wanted: string, fallback = "Trang"): string {
    let base = cellText(wanted)
      .replace(/[[\]:*?/\\']/g, " ")
      .replace(/[\u0000-\u001F\u007F]/g, " ")
      .replace(/\s+/g, " ")
      .trim();
    if (!base || base.toLowerCase() === "history") base = fallback;
    base = truncateChars(base, SHEET_NAME_MAX).trim();
    let candidate = base;
    for (let n = 2; this.used.has(candidate.toLowerCase()); n++) {
      const suffix = ` (${n})`;
      candidate = truncateChars(base, SHEET_NAME_MAX - suffix.length).trim() + suffix;
    }
    this.used.add(candidate.toLowerCase());
    return candidate;
  }
}

function truncateChars(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = max;
  const code = s.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return s.slice(0, cut);
}
