// An injectable counter of decodes and parses (issue 13 §3): a test installs one and checks that
// each crawled page is decoded once and parsed once, by the crawl and the checks together.
// Nothing is installed in production (one null check per page).

export interface ParseObserver {
  /** A bytes-to-text decode of a page body (crawler/encoding/decode.ts decodeBody). */
  onDecode(body: Buffer): void;
  /** An htmlparser2 pass over a page (parseHtml, with the page URL; parseWithinBudget, with null). */
  onParse(url: string | null): void;
}

let current: ParseObserver | null = null;

export function observer(): ParseObserver | null {
  return current;
}

/** Installs (or with null removes) the observer; returns the previous one. */
export function setParseObserver(o: ParseObserver | null): ParseObserver | null {
  const prev = current;
  current = o;
  return prev;
}
