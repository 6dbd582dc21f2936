// Vietnamese-aware text folding for matching: no diacritics (đ → d), lower case, single spaces.

export function foldVietnamese(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[–—_\-/|,;:.()"'“”‘’!?…&+]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Folded slug form ("gioi-thieu" → "gioi thieu", "GioiThieu" → "gioi thieu"). */
export function foldSlug(slug: string): string {
  let s = slug;
  try {
    s = decodeURIComponent(s);
  } catch {
    /* keep raw */
  }
  return foldVietnamese(s.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/\.(aspx?|html?|php|jsp)$/i, ""));
}
