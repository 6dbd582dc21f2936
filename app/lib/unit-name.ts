// Unit names are shown in rankings and official reports: they are stored NFC-normalised and
// refused when they carry invisible direction or format controls (RLO U+202E and friends, zero
// width characters), compatibility lookalikes (fullwidth or mathematical letters: NFKC differs),
// or letters from a non-Latin script (Cyrillic "с", Greek "ο" in "Sở Tài chính"). Vietnamese
// names are Latin script with combining marks, so nothing legitimate is refused.

/** Bidirectional controls, zero-width and other format characters (Unicode category Cf), and C0/C1 controls. */
const INVISIBLE = /[\p{Cf}\p{Cc}]/u;
const LETTER = /\p{L}/gu;
const LATIN = /\p{Script=Latin}/u;

export function normalizeName(v: string): string {
  return v.normalize("NFC").replace(/\s+/g, " ").trim();
}

/** A Vietnamese reason the (NFC) name is refused, or null. */
export function unitNameProblem(name: string): string | null {
  if (INVISIBLE.test(name)) return "Tên có ký tự điều khiển hoặc ký tự ẩn (ví dụ ký tự đảo chiều văn bản); hãy gõ lại tên.";
  if (name.normalize("NFKC") !== name) return "Tên có ký tự giả dạng (chữ toàn khổ, chữ kiểu toán học…); hãy gõ lại tên bằng bàn phím tiếng Việt.";
  for (const letter of name.match(LETTER) ?? []) {
    if (!LATIN.test(letter)) return `Tên có chữ "${letter}" không thuộc bảng chữ cái tiếng Việt (dễ nhầm với chữ Latinh); hãy gõ lại tên.`;
  }
  return null;
}
