// A Unicode preview of a stored page (the evidence viewer shows it beside the page as served):
// the bytes decoded with the charset the checks use, legacy Vietnamese text (TCVN3, VNI,
// VISCII, windows-1258 combining marks, double-encoded UTF-8) converted to Unicode, and the
// result declared as UTF-8. The page as served is never altered: this is a second view.
import { charsetToDecode, decodeBody } from "./decode.ts";
import { convertRun, detectLegacyText, schemeOfCharset } from "./legacy.ts";
import { legacyFontsIn } from "./fonts.ts";
import type { LegacyScheme } from "../types.ts";

export interface UnicodePreview {
  html: string;
  /** Charset the bytes were decoded with. */
  charset: string;
  /** Legacy scheme converted from, when the text was in one. */
  legacy: LegacyScheme | null;
}

const TEXT_RUN = />([^<]+)</g;
const META_CHARSET = /<meta\b[^>]*?(?:\bcharset\s*=|http-equiv\s*=\s*["']?content-type)[^>]*>/gi;
// Legacy fonts map Unicode letters to the wrong glyphs: the preview shows the converted text in a
// Unicode font instead.
const FONT_OVERRIDE = `<style>*{font-family:Arial,"Times New Roman",sans-serif!important}</style>`;

function visibleText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");
}

export function unicodePreview(body: Buffer, contentType: string | null | undefined): UnicodePreview {
  const charset = charsetToDecode(body, contentType ?? undefined);
  let html = decodeBody(body, charset);
  const fromCharset = schemeOfCharset(charset);
  const detected = fromCharset === "CP1258" ? null : detectLegacyText(visibleText(html));
  const legacy: LegacyScheme | null = detected?.scheme ?? fromCharset;
  if (legacy && legacy !== "CP1258") html = html.replace(TEXT_RUN, (_m, t: string) => `>${convertRun(t, legacy)}<`);
  html = html.normalize("NFC");
  html = html.replace(META_CHARSET, "");
  const fonts = legacyFontsIn(html, []);
  const head = `<meta charset="utf-8">${legacy || fonts.length ? FONT_OVERRIDE : ""}`;
  html = /<head\b[^>]*>/i.test(html) ? html.replace(/<head\b[^>]*>/i, (m) => m + head) : head + html;
  return { html, charset, legacy };
}
