// Charset discovery and decoding of a fetched body: header, then <meta>, then sniffing.
import { isUtf8 } from "node:buffer";
import iconv from "iconv-lite";
import { observer } from "../parse/observer.ts";

export interface CharsetInfo {
  /** charset from the Content-Type header, lower case. */
  header: string | null;
  /** charset from <meta charset> or <meta http-equiv=Content-Type>, lower case. */
  meta: string | null;
  /** What the page declares (header wins over meta), lower case; null when nothing is declared. */
  declared: string | null;
  /** Charset used to decode the body. */
  used: string;
  validUtf8: boolean;
}

const ALIASES: Record<string, string> = {
  utf8: "utf-8",
  "utf-8": "utf-8",
  "unicode-1-1-utf-8": "utf-8",
  latin1: "iso-8859-1",
  "iso8859-1": "iso-8859-1",
  "iso_8859-1": "iso-8859-1",
  cp1252: "windows-1252",
  "x-cp1252": "windows-1252",
  cp1258: "windows-1258",
  "x-cp1258": "windows-1258",
  "x-viscii": "viscii",
  "tcvn5712-1": "tcvn",
  "tcvn-5712": "tcvn",
  tcvn3: "tcvn",
  "x-viet-tcvn5712": "tcvn",
};

export function normalizeCharset(label: string | null | undefined): string | null {
  if (!label) return null;
  const l = label.trim().replace(/^["']|["']$/g, "").toLowerCase();
  if (!l) return null;
  return ALIASES[l] ?? l;
}

export function charsetFromContentType(contentType: string | undefined): string | null {
  if (!contentType) return null;
  const m = /charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType);
  return m ? normalizeCharset(m[1]) : null;
}

const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)/i;

export function charsetFromMeta(head: string): string | null {
  const m = META_CHARSET.exec(head);
  return m ? normalizeCharset(m[1]) : null;
}

/** Charset iconv-lite can decode with, for a declared label. */
function decoderFor(charset: string): string {
  if (charset === "iso-8859-1" || charset === "us-ascii" || charset === "ascii") return "windows-1252";
  return iconv.encodingExists(charset) ? charset : "windows-1252";
}

/**
 * The charset a body is decoded with (what detectCharset reports as `used`), without checking
 * the whole body for UTF-8 validity when the page declares its charset. Discovery and the checks
 * both decode through this, so that they read the same bytes the same way.
 */
export function charsetToDecode(body: Buffer, contentType: string | undefined): string {
  const declared = charsetFromContentType(contentType) ?? charsetFromMeta(body.subarray(0, 4096).toString("latin1"));
  if (declared) return declared === "utf-8" ? "utf-8" : decoderFor(declared);
  return isUtf8(body) ? "utf-8" : "windows-1252";
}

export function detectCharset(body: Buffer, headers: Record<string, string>): CharsetInfo {
  const header = charsetFromContentType(headers["content-type"]);
  const meta = charsetFromMeta(body.subarray(0, 4096).toString("latin1"));
  const declared = header ?? meta;
  const validUtf8 = isUtf8(body);
  let used: string;
  if (declared) used = declared === "utf-8" ? "utf-8" : decoderFor(declared);
  else used = validUtf8 ? "utf-8" : "windows-1252";
  return { header, meta, declared, used, validUtf8 };
}

export function decodeBody(body: Buffer, charset: string): string {
  observer()?.onDecode(body);
  if (charset === "utf-8") return body.toString("utf8");
  try {
    return iconv.decode(body, charset);
  } catch {
    return body.toString("latin1");
  }
}
