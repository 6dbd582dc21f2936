/** Turns a page built as a Unicode string into the bytes a site serves, and states its encoding truth. */
import { createHash } from "node:crypto";
import iconv from "iconv-lite";
import {
  cp1258Glyphs,
  doubleUtf8,
  encodeCp1258Bytes,
  encodeTcvn3Bytes,
  encodeVisciiBytes,
  isValidUtf8,
  tcvn3Glyphs,
  visciiGlyphs,
  vniGlyphs,
  type LegacyScheme,
} from "./legacy.ts";
import type { FarmResponse, PageEncodingTruth, PageSpecial, SiteEncoding } from "./types.ts";

/** Marker for raw Latin-1 bytes inside a UTF-8 page (the "invalid-bytes" special). */
export const LATIN1_START = "\u0001L1[";
export const LATIN1_END = "]L1\u0001";

export function siteFont(enc: SiteEncoding): string | null {
  if (enc === "tcvn3-bytes" || enc === "tcvn3-bytes-1252" || enc === "tcvn3-glyphs") return ".VnTime";
  if (enc === "vni-glyphs") return "VNI-Times";
  return null;
}

export function siteLegacy(enc: SiteEncoding): LegacyScheme | null {
  switch (enc) {
    case "tcvn3-bytes":
    case "tcvn3-bytes-1252":
    case "tcvn3-glyphs":
      return "TCVN3";
    case "vni-glyphs":
      return "VNI";
    case "viscii-bytes":
      return "VISCII";
    case "cp1258-bytes":
      return "CP1258";
    case "double-utf8":
      return "DOUBLE_UTF8";
    default:
      return null;
  }
}

/** Charset in the HTTP header and in <meta>, per site encoding. */
export function charsetDeclarations(enc: SiteEncoding): { header: string | null; meta: string | null } {
  switch (enc) {
    case "no-charset":
    case "tcvn3-bytes":
      return { header: null, meta: null };
    case "tcvn3-bytes-1252":
      return { header: null, meta: "windows-1252" };
    case "viscii-bytes":
      return { header: "viscii", meta: "viscii" };
    case "cp1258-bytes":
      return { header: "windows-1258", meta: "windows-1258" };
    default:
      return { header: "utf-8", meta: "utf-8" };
  }
}

export const SPECIAL_LEGACY: Partial<Record<PageSpecial, LegacyScheme>> = {
  "mixed-tcvn3": "TCVN3",
  "mixed-vni-font": "VNI",
  "mixed-viscii": "VISCII",
  "mixed-cp1258": "CP1258",
  "mixed-double": "DOUBLE_UTF8",
};

export const SPECIAL_FONTS: Partial<Record<PageSpecial, string[]>> = {
  "mixed-vni-font": ["VNI-Times"],
  "font-style": [".VnTime"],
  "font-face": [".VnArial"],
  "font-css": ["VNI-Helve"],
};

/** Converts a Unicode paragraph for a special page (already HTML-safe text, no markup). */
export function specialText(special: PageSpecial, text: string): string {
  switch (special) {
    case "mixed-tcvn3":
      return tcvn3Glyphs(text);
    case "mixed-vni-font":
      return vniGlyphs(text);
    case "mixed-viscii":
      return visciiGlyphs(text);
    case "mixed-cp1258":
      return cp1258Glyphs(text);
    case "mixed-double":
      return doubleUtf8(text);
    case "nfd-paragraph":
      return text.normalize("NFD");
    default:
      return text;
  }
}

function encodeBody(html: string, enc: SiteEncoding): Buffer {
  switch (enc) {
    case "tcvn3-bytes":
    case "tcvn3-bytes-1252":
      return encodeTcvn3Bytes(html);
    case "viscii-bytes":
      return encodeVisciiBytes(html);
    case "cp1258-bytes":
      return encodeCp1258Bytes(html);
    case "tcvn3-glyphs":
      return Buffer.from(tcvn3Glyphs(html), "utf8");
    case "vni-glyphs":
      return Buffer.from(vniGlyphs(html), "utf8");
    case "double-utf8":
      return Buffer.from(doubleUtf8(html), "utf8");
    case "nfd":
      return Buffer.from(html.normalize("NFD"), "utf8");
    default: {
      if (!html.includes(LATIN1_START)) return Buffer.from(html, "utf8");
      const parts: Buffer[] = [];
      let rest = html;
      for (;;) {
        const i = rest.indexOf(LATIN1_START);
        if (i < 0) break;
        const j = rest.indexOf(LATIN1_END, i);
        parts.push(Buffer.from(rest.slice(0, i), "utf8"));
        parts.push(Buffer.from(rest.slice(i + LATIN1_START.length, j), "latin1"));
        rest = rest.slice(j + LATIN1_END.length);
      }
      parts.push(Buffer.from(rest, "utf8"));
      return Buffer.concat(parts);
    }
  }
}

function decodeForNfc(body: Buffer, enc: SiteEncoding): string {
  if (enc === "viscii-bytes") return iconv.decode(body, "viscii");
  if (enc === "cp1258-bytes") return iconv.decode(body, "windows-1258");
  if (enc === "tcvn3-bytes" || enc === "tcvn3-bytes-1252") return iconv.decode(body, "windows-1252");
  return body.toString("utf8");
}

export interface EncodedPage {
  body: Buffer;
  contentType: string;
  truth: PageEncodingTruth;
  uncertain?: string[];
}

export function encodePage(html: string, enc: SiteEncoding, specials: PageSpecial[]): EncodedPage {
  const body = encodeBody(html, enc);
  const decl = charsetDeclarations(enc);
  const declared = decl.header ?? decl.meta;
  const validUtf8 = isValidUtf8(body);
  let legacy = siteLegacy(enc);
  const fonts: string[] = [];
  const font = siteFont(enc);
  if (font) fonts.push(font);
  for (const s of specials) {
    legacy = legacy ?? SPECIAL_LEGACY[s] ?? null;
    for (const f of SPECIAL_FONTS[s] ?? []) if (!fonts.includes(f)) fonts.push(f);
  }
  const text = decodeForNfc(body, enc);
  const nfc = text === text.normalize("NFC");
  const compliant = declared === "utf-8" && validUtf8 && legacy === null && fonts.length === 0;
  const byteLegacy = enc === "tcvn3-bytes" || enc === "tcvn3-bytes-1252" || enc === "viscii-bytes" || enc === "cp1258-bytes";
  return {
    body,
    contentType: decl.header ? `text/html; charset=${decl.header}` : "text/html",
    truth: { declared, validUtf8, legacy, legacyFonts: fonts, nfc, compliant },
    uncertain: byteLegacy ? ["nfc"] : undefined,
  };
}

export function etagOf(body: Buffer): string {
  return `"${createHash("sha1").update(body).digest("hex").slice(0, 20)}"`;
}

export function htmlResponse(page: EncodedPage, lastModified: string): FarmResponse {
  return {
    status: 200,
    headers: { "content-type": page.contentType },
    body: page.body,
    etag: etagOf(page.body),
    lastModified,
  };
}

export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
