// Matching link/menu/heading texts and URL slugs to category ids (Vietnamese-aware).
import { CATEGORIES } from "./categories.ts";
import { foldSlug, foldVietnamese } from "./text.ts";

interface Compiled {
  id: string;
  synonyms: { folded: string; words: number }[];
  exclusions: string[];
  slugs: Set<string>;
  /** Every word of the category's synonyms and slugs. */
  vocabulary: Set<string>;
}

/** Words that add nothing to a label ("Thông tin …", "Các …", "… và …"). */
const GENERIC_WORDS = new Set(["thong", "tin", "cac", "va", "ve", "chuyen", "muc", "danh", "trang", "nhung", "cong", "khai"]);

const COMPILED: Compiled[] = CATEGORIES.map((c) => ({
  id: c.id,
  synonyms: c.synonyms.map((s) => {
    const folded = foldVietnamese(s);
    return { folded, words: folded.split(" ").length };
  }),
  exclusions: (c.exclusions ?? []).map(foldVietnamese),
  slugs: new Set(c.slugs.map((s) => s.replace(/\s+/g, " "))),
  vocabulary: new Set([...c.synonyms.map(foldVietnamese), ...c.slugs].flatMap((s) => s.split(" "))),
}));

/**
 * A long label or slug made of the category's own words around one of its names ("Thông tin đầu
 * tư, đấu thầu, mua sắm công", "lay-y-kien-van-ban-du-thao"): at most `slack` other words.
 */
function coveredByVocabulary(folded: string, c: Compiled, slack: number): boolean {
  const words = folded.split(" ");
  if (words.length > 12) return false;
  let other = 0;
  for (const w of words) if (!c.vocabulary.has(w) && !GENERIC_WORDS.has(w) && ++other > slack) return false;
  return true;
}

/** How strongly a text names a category: 2 = exactly, 1 = contains it in a short label, 0 = no. */
export function textMatchStrength(text: string, categoryId: string): number {
  const c = COMPILED.find((x) => x.id === categoryId);
  return c ? strength(foldVietnamese(text), c) : 0;
}

const MAX_LABEL_WORDS = Math.max(...COMPILED.flatMap((c) => c.synonyms.map((s) => s.words))) + 3;

function strength(folded: string, c: Compiled): number {
  if (!folded || folded.length > 90) return 0;
  if (c.exclusions.some((e) => folded.includes(e))) return 0;
  const words = folded.split(" ").length;
  let best = 0;
  for (const s of c.synonyms) {
    if (folded === s.folded) return 2;
    if (s.folded.length <= 3) continue;
    // A short label that contains the synonym as whole words ("Tin tức – Sự kiện", "GIỚI THIỆU CHUNG").
    if ((" " + folded + " ").includes(" " + s.folded + " ") && (words <= s.words + 3 || coveredByVocabulary(folded, c, 1))) best = 1;
  }
  return best;
}

/** Category ids named by a URL's path segments or query values. */
export function matchSlug(href: string): string[] {
  let url: URL;
  try {
    url = new URL(href, "http://x.invalid/");
  } catch {
    return [];
  }
  const segments = url.pathname.split("/").filter(Boolean);
  for (const v of url.searchParams.values()) segments.push(v);
  const ids: string[] = [];
  for (const raw of segments) {
    const seg = foldSlug(raw)
      .replace(/\b(?:c|cat|id|p)?\d+$/, "")
      .trim();
    if (!seg) continue;
    for (const c of COMPILED) {
      if (ids.includes(c.id)) continue;
      if (c.slugs.has(seg)) ids.push(c.id);
      else {
        // "gioi-thieu-chung-12", "tin-tuc-su-kien": starts with a slug of at least two words.
        for (const s of c.slugs) {
          if (s.includes(" ") && seg.startsWith(s + " ") && (seg.split(" ").length <= s.split(" ").length + 2 || coveredByVocabulary(seg, c, 0))) {
            ids.push(c.id);
            break;
          }
        }
      }
    }
  }
  return ids;
}

/**
 * Category ids a link or label names. Text wins: when the text names a category, the slug is
 * only used to add nothing else; when the text is empty or generic, the slug decides.
 */
const matchCache = new Map<string, string[]>();

export function matchCategory(text: string, href?: string): string[] {
  const key = (text ?? "") + "\u0000" + (href ?? "");
  const cached = matchCache.get(key);
  if (cached) return cached;
  const result = computeMatch(text ?? "", href);
  if (matchCache.size > 20_000) matchCache.clear();
  matchCache.set(key, result);
  return result;
}

function computeMatch(text: string, href?: string): string[] {
  // Long texts (article titles) never name a category.
  if (text.length > 120) return [];
  const folded = foldVietnamese(text);
  if (folded.split(" ").length > MAX_LABEL_WORDS) return [];
  const exact: string[] = [];
  const partial: string[] = [];
  for (const c of COMPILED) {
    const s = strength(folded, c);
    if (s === 2) exact.push(c.id);
    else if (s === 1) partial.push(c.id);
  }
  if (exact.length) return exact;
  if (partial.length) return partial;
  if (href && (folded.length === 0 || folded.split(" ").length <= 6)) return matchSlug(href);
  return [];
}
