/**
 * Legacy Vietnamese encodings produced with real converters (iconv-lite tables for TCVN3 /
 * VISCII / CP1258 bytes, vietnamese-conversion for VNI and TCVN3 glyph strings).
 */
import iconv from "iconv-lite";
import { VietnameseConversion } from "vietnamese-conversion";

export type LegacyScheme = "TCVN3" | "VNI" | "VISCII" | "CP1258" | "DOUBLE_UTF8";

/** Legacy 8-bit tables have no typographic quotes/dashes: old sites used ASCII ones. */
export function asciiPunctuation(s: string): string {
  return s
    .replace(/[“”„]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/[–—]/g, "-")
    .replace(/…/g, "...")
    .replace(/\u00a0/g, " ");
}

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;

/**
 * The form Windows uses for CP1258: base letters with circumflex/breve/horn stay precomposed
 * (â ê ô ă ơ ư đ), tone marks become combining characters.
 */
export function cp1258Decompose(s: string): string {
  let out = "";
  for (const ch of s.normalize("NFC")) {
    const d = ch.normalize("NFD");
    const tones = d.match(TONE_MARKS);
    if (!tones) {
      out += ch;
      continue;
    }
    out += d.replace(TONE_MARKS, "").normalize("NFC") + tones.join("");
  }
  return out;
}

export function encodeTcvn3Bytes(s: string): Buffer {
  return iconv.encode(asciiPunctuation(s.normalize("NFC")), "tcvn");
}

export function encodeVisciiBytes(s: string): Buffer {
  return iconv.encode(asciiPunctuation(s.normalize("NFC")), "viscii");
}

export function encodeCp1258Bytes(s: string): Buffer {
  return iconv.encode(cp1258Decompose(asciiPunctuation(s)), "windows-1258");
}

/** TCVN3 glyphs as a Unicode string (what a migrated CMS stores: `ViÖt Nam Céng hßa`). */
export function tcvn3Glyphs(s: string): string {
  return new VietnameseConversion(s.normalize("NFC"), "unicode").toCharset("tcvn3");
}

/** VNI glyphs as a Unicode string (`Vieät Nam Coäng hoøa`). */
export function vniGlyphs(s: string): string {
  return new VietnameseConversion(s.normalize("NFC"), "unicode").toCharset("vni");
}

/** Windows-1252 decoding where the five undefined bytes keep their C1 code points (as browsers do). */
export function decodeWindows1252(b: Buffer): string {
  let out = "";
  for (const byte of b) {
    if (byte >= 0x80 && byte <= 0x9f) {
      const s = iconv.decode(Buffer.from([byte]), "windows-1252");
      out += s === "\ufffd" ? String.fromCharCode(byte) : s;
    } else out += String.fromCharCode(byte);
  }
  return out;
}

export function visciiGlyphs(s: string): string {
  return decodeWindows1252(encodeVisciiBytes(s));
}

export function cp1258Glyphs(s: string): string {
  return decodeWindows1252(encodeCp1258Bytes(s));
}

/** UTF-8 bytes read as windows-1252 and stored again as UTF-8 (`Viá»‡t Nam`). */
export function doubleUtf8(s: string): string {
  return decodeWindows1252(Buffer.from(s.normalize("NFC"), "utf8"));
}

export function isValidUtf8(b: Buffer): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}
