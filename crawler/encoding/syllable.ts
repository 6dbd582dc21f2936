// Vietnamese syllable validator: used to accept a legacy-encoding conversion only when the
// converted text is made of real Vietnamese syllables (so "Café" or "Müller" are not flagged).

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const INITIALS = "(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?";
// Toneless vowel nuclei (with semivowel offglides), longest first inside the alternation.
const NUCLEI = [
  "uyê", "uya", "uyu", "ươi", "ươu", "uôi", "oai", "oao", "oay", "oeo", "uây", "iêu", "yêu",
  "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "oo", "ôi",
  "ơi", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ưu", "ươ", "yê",
  "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
].join("|");
const FINALS = "(?:ch|ng|nh|[cmnpt])?";
const SYLLABLE = new RegExp(`^${INITIALS}(?:${NUCLEI})${FINALS}$`);
const cache = new Map<string, boolean>();

/** True when `word` (any case, NFC or NFD) is a well-formed Vietnamese syllable. */
export function isVietnameseSyllable(word: string): boolean {
  const cached = cache.get(word);
  if (cached !== undefined) return cached;
  const result = check(word);
  if (cache.size > 50_000) cache.clear();
  cache.set(word, result);
  return result;
}

function check(word: string): boolean {
  if (word.length === 0 || word.length > 8) return false;
  const decomposed = word.toLowerCase().normalize("NFD");
  const tones = decomposed.match(TONE_MARKS);
  if (tones && tones.length > 1) return false;
  const base = decomposed.replace(TONE_MARKS, "").normalize("NFC");
  if (!SYLLABLE.test(base)) return false;
  // Checked syllables (final stop) only carry the sắc or nặng tone.
  if (/(?:c|ch|p|t)$/.test(base) && tones && tones[0] !== "\u0301" && tones[0] !== "\u0323") return false;
  return true;
}

/** Characters that exist only in Vietnamese-specific Unicode (outside Latin-1). */
export const VIETNAMESE_ONLY = /[ăâđêôơưĂÂĐÊÔƠƯ\u1EA0-\u1EF9\u0128\u0129\u0168\u0169]/;
