// Legacy Vietnamese font names (TCVN3/ABC, VNI, VPS families) used through CSS or <font face>.

// ".VnTime", ".VnArial Narrow", ".VnCentury SchoolbookH": the ABC/TCVN3 families may carry more words.
const LEGACY_FONT = /^(?:\.vn[a-z0-9]+(?:\s+[a-z0-9]+){0,3}|vn[-\s]?(?:time|arial|avant|courier|helve|souvenir|bodoni|book|centur|clarendon|commercial|cooper|free|goudy|linus|lucida|present|revue|shelley|univers|aptima|black|brush|gothic|hobo|koala|mystical|thuphap)[a-z0-9]*h?|vni[-\s][a-z0-9 -]+|vps\s+[a-z0-9 -]+|vk\s+sans\s+serif)$/i;

/** Families named by a CSS `font-family` value ("'.VnTime', serif" → [".VnTime", "serif"]). */
export function splitFontFamilies(value: string): string[] {
  return value
    .replace(/!important/i, "")
    .split(",")
    .map((f) => f.trim().replace(/^["']|["']$/g, "").trim())
    .filter(Boolean);
}

export function isLegacyFont(family: string): boolean {
  return LEGACY_FONT.test(family.trim());
}

const CSS_FONT_FAMILY = /font-family\s*:\s*([^;}{]+)/gi;
const CSS_FONT_SHORTHAND = /(?:^|[;{\s])font\s*:\s*([^;}{]+)/gi;

/** Legacy fonts used by CSS text and by inline style/face values. */
export function legacyFontsIn(css: string, inlineFamilies: string[]): string[] {
  const found = new Set<string>();
  const consider = (value: string) => {
    for (const f of splitFontFamilies(value)) if (isLegacyFont(f)) found.add(f);
  };
  if (css) {
    for (const m of css.matchAll(CSS_FONT_FAMILY)) consider(m[1]);
    for (const m of css.matchAll(CSS_FONT_SHORTHAND)) {
      // "bold 12px .VnTime, serif": families follow the size.
      const rest = m[1].replace(/^.*?\d+(?:px|pt|em|rem|%)(?:\s*\/\s*[\d.]+\w*)?\s+/, "");
      consider(rest);
    }
  }
  for (const v of inlineFamilies) consider(v);
  return [...found];
}
