// Legacy Vietnamese encodings: converting suspicious text back (glyph → byte → Vietnamese)
// and keeping a conversion only when it yields valid Vietnamese syllables.
import iconv from "iconv-lite";
import type { LegacyScheme } from "../types.ts";
import { isVietnameseSyllable } from "./syllable.ts";
import { VNI_TABLE } from "./vni-table.ts";

/** Unicode code point → windows-1252 byte for the 0x80–0x9F specials. */
const CP1252_SPECIALS = new Map<number, number>();
for (let b = 0x80; b <= 0x9f; b++) {
  const ch = iconv.decode(Buffer.from([b]), "windows-1252");
  const cp = ch.codePointAt(0)!;
  if (cp !== 0xfffd && cp !== b) CP1252_SPECIALS.set(cp, b);
}

/** Bytes a string of Latin-1/cp1252 glyphs came from; null when a char is outside both. */
export function glyphsToBytes(text: string): Buffer | null {
  const out = Buffer.allocUnsafe(text.length);
  let i = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x100) out[i++] = cp;
    else {
      const b = CP1252_SPECIALS.get(cp);
      if (b === undefined) return null;
      out[i++] = b;
    }
  }
  return out.subarray(0, i);
}

const VNI_MAP = new Map<string, string>(VNI_TABLE.map(([g, u]) => [g, u]));

function convertVni(word: string): string {
  let out = "";
  for (let i = 0; i < word.length; i++) {
    const two = word.slice(i, i + 2);
    const hit2 = two.length === 2 ? VNI_MAP.get(two) : undefined;
    if (hit2) {
      out += hit2;
      i++;
      continue;
    }
    out += VNI_MAP.get(word[i]) ?? word[i];
  }
  return out;
}

function decodeUtf8Strict(bytes: Buffer): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * TCVN3 has few capitals: capitals set in the ".VnTimeH" fonts reuse the lower-case codes, and
 * converters write "Ã" as "A" + "ã". An all-capitals word is put back in capitals ("XAã" → "XÃ").
 */
function toneless(ch: string): string {
  return ch.normalize("NFD").replace(/[\u0300\u0301\u0303\u0309\u0323]/g, "").normalize("NFC");
}

function tcvn3Capitals(word: string): string {
  const merged = word.replace(/(\p{Lu})(\p{Ll})/gu, (m, a: string, b: string) => (toneless(b) === a.toLowerCase() && b !== a.toLowerCase() ? b.toUpperCase() : m));
  const upper = merged.match(/\p{Lu}/gu)?.length ?? 0;
  return upper >= 2 && !/[a-z]/.test(merged) ? merged.toUpperCase() : merged;
}

/** Convert one word from a legacy scheme's glyphs to Unicode; null when impossible. */
export function convertWord(word: string, scheme: LegacyScheme): string | null {
  if (scheme === "VNI") return convertVni(word);
  const bytes = glyphsToBytes(word);
  if (!bytes) return null;
  switch (scheme) {
    case "TCVN3":
      return tcvn3Capitals(iconv.decode(bytes, "tcvn").normalize("NFC"));
    case "VISCII":
      return iconv.decode(bytes, "viscii").normalize("NFC");
    case "CP1258":
      return iconv.decode(bytes, "windows-1258").normalize("NFC");
    case "DOUBLE_UTF8":
      return decodeUtf8Strict(bytes)?.normalize("NFC") ?? null;
  }
}

export const SCHEMES: LegacyScheme[] = ["DOUBLE_UTF8", "TCVN3", "VNI", "CP1258", "VISCII"];

const PUNCT_EDGES = /^[ \t\r\n"'()[\]{}<>.,;:!?\-/\\|*#]+|[ \t\r\n"'()[\]{}<>.,;:!?\-/\\|*#]+$/g;
// Typographic punctuation is also made of cp1252 bytes that occur inside double-encoded letters.
const TYPO_EDGES = /^[“”‘’…–—«»]+|[“”‘’…–—«»]+$/g;

const NON_ASCII = /[^\x00-\x7f]/;

export interface LegacyDetection {
  scheme: LegacyScheme;
  /** Words converted to valid Vietnamese under that scheme. */
  hits: number;
  /** Suspicious words (not valid Unicode Vietnamese, containing non-ASCII). */
  suspicious: number;
  sample: string;
  preview: string;
}

/**
 * Looks for legacy-encoded Vietnamese shown as Latin-1 glyphs in `text`.
 * Only words containing non-ASCII characters that are not themselves Vietnamese syllables
 * are tried; a scheme wins when ≥ 2 distinct words convert into valid syllables.
 */
/**
 * Characters legacy glyph text cannot do without: Latin-1 symbols and letters that are not
 * Vietnamese (TCVN3, VNI, VISCII, double-encoded UTF-8 continuation bytes), cp1252 specials
 * other than common typography (« » © ® ° ± · § and the no-break space are left out: breadcrumbs
 * and footers use them), C0 controls (TCVN5712 capitals); and CP1258's tone glyphs right after a
 * vowel ("Viêòt", "hoÌa"). Text without any of them is skipped quickly.
 */
const HINT_TABLE = (() => {
  const t = new Uint8Array(256);
  const mark = (from: number, to = from) => {
    for (let c = from; c <= to; c++) t[c] = 1;
  };
  mark(0x01, 0x08);
  mark(0x0e, 0x1f);
  mark(0x80, 0x9f);
  mark(0xa1, 0xa6);
  for (const c of [0xa8, 0xaa, 0xac, 0xad, 0xaf]) mark(c);
  mark(0xb2, 0xb6);
  mark(0xb8, 0xba);
  mark(0xbc, 0xbf);
  mark(0xc4, 0xc7);
  mark(0xcb);
  mark(0xce, 0xd1);
  mark(0xd6, 0xd8);
  for (const c of [0xdb, 0xdc, 0xde, 0xdf]) mark(c);
  mark(0xe4, 0xe7);
  mark(0xeb);
  mark(0xee, 0xf1);
  mark(0xf6, 0xf8);
  for (const c of [0xfb, 0xfc, 0xfe, 0xff]) mark(c);
  return t;
})();
const HINT_SPECIALS = new Set([0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2020, 0x2021, 0x2022, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122]);
const CP1258_TONE_PAIR = /[aeoâêôăơưy][ìòÌÒ]|[a-zâêôăơưđ][ÌÒÞ]/;

export function hasLegacyHint(text: string): boolean {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x100) {
      if (HINT_TABLE[c]) return true;
    } else if (c >= 0x152 && HINT_SPECIALS.has(c)) return true;
  }
  return CP1258_TONE_PAIR.test(text);
}

export function detectLegacyText(text: string, maxWords = 200_000): LegacyDetection | null {
  if (!hasLegacyHint(text)) return null;
  const hits: Record<LegacyScheme, number> = { DOUBLE_UTF8: 0, TCVN3: 0, VNI: 0, CP1258: 0, VISCII: 0 };
  const firstHit: Partial<Record<LegacyScheme, number>> = {};
  const distinct: Record<LegacyScheme, Set<string>> = {
    DOUBLE_UTF8: new Set(), TCVN3: new Set(), VNI: new Set(), CP1258: new Set(), VISCII: new Set(),
  };
  let suspicious = 0;
  let seen = 0;
  // Vietnamese text repeats its words: each distinct token is judged once.
  const verdicts = new Map<string, TokenVerdict>();
  // Only tokens with a non-ASCII character; ASCII whitespace only separates them, because
  // U+00A0 is the second half of a double-encoded "à" ("Ã\u00a0").
  NON_ASCII_TOKEN.lastIndex = 0;
  for (let m = NON_ASCII_TOKEN.exec(text); m && seen < maxWords; m = NON_ASCII_TOKEN.exec(text)) {
    const raw = m[0];
    if (raw.length < 2 || raw.length > 24) continue;
    seen++;
    let v = verdicts.get(raw);
    if (!v) {
      v = judgeToken(raw);
      verdicts.set(raw, v);
    }
    suspicious += v.suspicious;
    for (const [scheme, word] of v.hits) {
      hits[scheme]++;
      distinct[scheme].add(word);
      if (firstHit[scheme] === undefined) firstHit[scheme] = m.index;
    }
  }
  let best: LegacyScheme | null = null;
  for (const scheme of SCHEMES) {
    if (distinct[scheme].size < 2) continue;
    if (!best || hits[scheme] > hits[best]) best = scheme;
  }
  if (!best) return null;
  // A real legacy page converts most of its suspicious words; a Latin-1 page converts few.
  if (hits[best] < Math.max(2, suspicious * 0.3)) return null;
  const at = firstHit[best]!;
  let from = Math.max(0, at - 30);
  while (from > 0 && !/[ \t\n\r\f\v]/.test(text[from - 1])) from--;
  let to = Math.min(text.length, at + 130);
  while (to < text.length && !/[ \t\n\r\f\v]/.test(text[to])) to++;
  const run = text.slice(from, to).replace(/[\t\n\r\f\v]+/g, " ").trim();
  const sample = run.slice(0, 160);
  const preview = convertRun(run, best).trim().slice(0, 160);
  return { scheme: best, hits: hits[best], suspicious, sample, preview };
}

const NON_ASCII_TOKEN = /[^ \t\n\r\f\v]*[^\x00-\x7f][^ \t\n\r\f\v]*/g;

interface TokenVerdict {
  suspicious: number;
  hits: [LegacyScheme, string][];
}

const PLAIN: TokenVerdict = { suspicious: 0, hits: [] };

function judgeToken(raw: string): TokenVerdict {
  if (isVietnameseSyllable(raw)) return PLAIN;
  let suspicious = 0;
  const hits: [LegacyScheme, string][] = [];
  // Split on ASCII punctuation inside the token too ("hßa," or "Nam/Céng").
  for (const part of raw.split(/[,;:!?()"'/.\[\]]+/)) {
    const word = part.replace(PUNCT_EDGES, "");
    if (word.length < 2 || !NON_ASCII.test(word) || /\d/.test(word)) continue;
    const bare = word.replace(TYPO_EDGES, "");
    if (isVietnameseSyllable(word.normalize("NFC")) || (bare && isVietnameseSyllable(bare.normalize("NFC")))) continue;
    suspicious++;
    for (const scheme of SCHEMES) {
      // Only double-encoded UTF-8 uses typographic cp1252 characters inside letters; for the
      // 8-bit schemes they are punctuation ("G…" is a truncated word, not "Gỏ").
      const ok =
        scheme === "DOUBLE_UTF8"
          ? convertsToVietnamese(word, scheme) || (bare !== word && bare.length >= 2 && convertsToVietnamese(bare, scheme))
          : bare.length >= 2 && NON_ASCII.test(bare) && convertsToVietnamese(bare, scheme);
      if (ok) hits.push([scheme, word]);
    }
  }
  return suspicious === 0 ? PLAIN : { suspicious, hits };
}

function convertsToVietnamese(word: string, scheme: LegacyScheme): boolean {
  const converted = convertWord(word, scheme);
  if (!converted || converted === word || !/[^\x00-\x7f]/.test(converted)) return false;
  const parts = converted.split(/\s+/).filter(Boolean);
  return parts.length > 0 && parts.every((p) => isVietnameseSyllable(p));
}

/**
 * Converts a run of text from a legacy scheme (previews, and whole legacy pages before matching).
 * A word that reads as Vietnamese either way ("Céng" is both a TCVN3 "Cộng" and a syllable)
 * follows its nearest unambiguous neighbour.
 */
export function convertRun(text: string, scheme: LegacyScheme): string {
  const tokens = text.split(/([ \t\n\r\f\v]+)/);
  type Kind = "skip" | "legacy" | "unicode" | "ambiguous";
  const kinds: Kind[] = [];
  const converted: (string | null)[] = [];
  for (const w of tokens) {
    if (!NON_ASCII.test(w)) {
      kinds.push("skip");
      converted.push(null);
      continue;
    }
    const c = convertToken(w, scheme);
    const core = w.replace(PUNCT_EDGES, "").normalize("NFC");
    const ccore = c === null ? null : c.replace(PUNCT_EDGES, "");
    const convertsWell = ccore !== null && ccore !== core && isVietnameseSyllable(ccore);
    const validAsIs = isVietnameseSyllable(core);
    kinds.push(convertsWell ? (validAsIs ? "ambiguous" : "legacy") : validAsIs ? "unicode" : c !== null && c !== w ? "legacy" : "skip");
    converted.push(c);
  }
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    let k = kinds[i];
    if (k === "ambiguous") {
      k = "unicode";
      for (let d = 1; d < 12; d++) {
        const before = kinds[i - d];
        const after = kinds[i + d];
        if (before === "legacy" || after === "legacy") {
          k = "legacy";
          break;
        }
        if (before === "unicode" || after === "unicode") break;
      }
    }
    out.push(k === "legacy" && converted[i] !== null ? converted[i]! : tokens[i]);
  }
  return out.join("");
}

function convertToken(w: string, scheme: LegacyScheme): string | null {
  const c = convertWord(w, scheme);
  if (c !== null) return c;
  // A word glued to punctuation that is not a legacy byte: convert the letters only.
  const m = /^([^\p{L}]*)(.*?)([^\p{L}]*)$/u.exec(w);
  const inner = m ? convertWord(m[2], scheme) : null;
  return m && inner !== null ? m[1] + inner + m[3] : null;
}

/** Legacy scheme implied by a declared charset, if it is a Vietnamese legacy one. */
export function schemeOfCharset(charset: string | null): LegacyScheme | null {
  if (!charset) return null;
  const c = charset.toLowerCase();
  if (c === "windows-1258" || c === "cp1258" || c === "x-cp1258") return "CP1258";
  if (c === "viscii" || c === "x-viscii" || c === "csviscii") return "VISCII";
  if (c.startsWith("tcvn") || c === "x-viet-tcvn" || c === "x-viet-tcvn5712" || c === "tcvn5712-1") return "TCVN3";
  if (c === "x-viet-vni" || c === "vni") return "VNI";
  return null;
}
