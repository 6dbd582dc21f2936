// Accent- and case-insensitive search: the query is folded here as tt_fold() folds stored text
// (migration 20261130100000_search_fold): marks removed, đ → d, lower case.

/** "Phước Đồng" → "phuoc dong". */
export function foldText(s: string): string {
  return s.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase();
}

/** A LIKE pattern matching the folded query anywhere (LIKE's own characters escaped). */
export function foldedLikePattern(q: string): string {
  return `%${foldText(q.trim()).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
