// Rule set 3 — Unicode TCVN 6909:2001: declared charset, valid UTF-8, legacy text, legacy fonts, NFD.
import iconv from "iconv-lite";
import type { FetchedPage, FindingOut, LegacyScheme, PageEncodingResult } from "../types.ts";
import type { ParsedPage } from "../parse/page.ts";
import { detectLegacyText, schemeOfCharset } from "../encoding/legacy.ts";
import { legacyFontsIn } from "../encoding/fonts.ts";
import { VIETNAMESE_ONLY } from "../encoding/syllable.ts";

const CHECK = "encoding";
const SCHEME_NAMES: Record<LegacyScheme, string> = {
  TCVN3: "TCVN3 (ABC, phông .VnTime)",
  VNI: "VNI (phông VNI-Times)",
  VISCII: "VISCII",
  CP1258: "Windows-1258 (CP1258)",
  DOUBLE_UTF8: "UTF-8 bị mã hóa hai lần",
};
const COMBINING = /[\u0300-\u036f]/;

export interface PageEncodingCheck {
  result: PageEncodingResult;
  findings: FindingOut[];
  /** The whole page (not one paragraph) is legacy glyph text: its text can be converted for matching. */
  dominantLegacy: boolean;
}

function mostlyInvalid(text: string): boolean {
  let bad = 0;
  let nonAscii = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    nonAscii++;
    if (c === 0xfffd) bad++;
  }
  return nonAscii > 0 && bad / nonAscii > 0.3;
}

function stripTags(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/\s+/g, " ");
}

export function checkPageEncoding(page: FetchedPage, parsed: ParsedPage): PageEncodingCheck {
  const findings: FindingOut[] = [];
  const url = page.finalUrl || page.url;
  const body = page.body ?? Buffer.alloc(0);
  const declared = parsed.charset.declared;
  const validUtf8 = parsed.charset.validUtf8;
  const text = parsed.title + " " + parsed.rawText;

  let legacy: LegacyScheme | null = null;
  let preview: string | null = null;
  let sample: string | null = null;
  let dominant = false;
  const charsetScheme = schemeOfCharset(declared);
  if (charsetScheme && (VIETNAMESE_ONLY.test(text) || COMBINING.test(text))) {
    // Legacy bytes under a legacy Vietnamese charset: a browser shows them right, but the page is not Unicode.
    legacy = charsetScheme;
    const m = /\S*[^\x00-\x7f]\S*/.exec(text);
    sample = m ? text.slice(Math.max(0, m.index - 40), m.index + 80).replace(/\s+/g, " ").trim() : null;
    preview = sample?.normalize("NFC") ?? null;
  } else {
    let candidate = text;
    if (parsed.charset.used === "utf-8" && !validUtf8 && mostlyInvalid(text)) {
      // Legacy bytes mislabelled as UTF-8: look at them as Latin-1 glyphs. (A few stray
      // Latin-1 bytes in a UTF-8 page are only invalid UTF-8, not legacy text.)
      candidate = stripTags(iconv.decode(body, "windows-1252"));
    }
    const detection = detectLegacyText(candidate);
    if (detection) {
      legacy = detection.scheme;
      preview = detection.preview;
      sample = detection.sample;
      // Converting only touches words that become valid Vietnamese, so a mixed page converts safely too.
      dominant = true;
    }
  }

  const legacyFonts = legacyFontsIn(parsed.styleText, parsed.inlineFonts);
  const nfc = legacy === "CP1258" || !parsed.hadCombiningMarks;
  const compliant = declared === "utf-8" && validUtf8 && !legacy && legacyFonts.length === 0;

  if (declared !== "utf-8") {
    findings.push({
      check: CHECK,
      code: "encoding.charset-not-utf8",
      severity: "error",
      message: declared
        ? `Trang khai báo bảng mã "${declared}" thay vì UTF-8 (Unicode TCVN 6909:2001).`
        : "Trang không khai báo bảng mã (charset) UTF-8 trong HTTP header hoặc thẻ <meta>.",
      url,
      snippet: parsed.charset.header ? `Content-Type: ${page.headers["content-type"]}` : parsed.charset.meta ? `<meta charset="${parsed.charset.meta}">` : null,
      details: { declared, header: parsed.charset.header, meta: parsed.charset.meta },
    });
  }
  if (declared === "utf-8" && !validUtf8) {
    findings.push({
      check: CHECK,
      code: "encoding.invalid-utf8",
      severity: "error",
      message: "Trang khai báo UTF-8 nhưng chứa chuỗi byte không hợp lệ theo UTF-8.",
      url,
      snippet: sample,
      details: { declared },
    });
  }
  if (legacy) {
    findings.push({
      check: CHECK,
      code: "encoding.legacy-text",
      severity: "error",
      message: `Văn bản dùng bảng mã cũ ${SCHEME_NAMES[legacy]}, không phải Unicode TCVN 6909:2001.`,
      url,
      snippet: sample,
      details: { scheme: legacy, preview, sample },
    });
  }
  if (legacyFonts.length) {
    findings.push({
      check: CHECK,
      code: "encoding.legacy-font",
      severity: "error",
      message: `Trang dùng phông chữ bảng mã cũ: ${legacyFonts.join(", ")}.`,
      url,
      snippet: legacyFonts.join(", "),
      details: { fonts: legacyFonts },
    });
  }
  if (!nfc) {
    const raw = parsed.mainText;
    findings.push({
      check: CHECK,
      code: "encoding.nfd",
      severity: "warning",
      message: "Văn bản Unicode ở dạng tổ hợp (NFD); nên dùng dạng dựng sẵn (NFC).",
      url,
      snippet: raw.slice(0, 80),
      details: {},
    });
  }
  return {
    result: { declared, validUtf8, legacy, legacyFonts, nfc, compliant, preview, sample },
    findings,
    dominantLegacy: dominant && !charsetScheme,
  };
}
