// The crawl frontier: a priority queue with de-duplication. Lower priority numbers are
// fetched first, so the page budget goes to what the checks need before anything else.
import type { PageKind } from "../types.ts";
import { pageKey } from "./normalize.ts";

export const Priority = {
  home: 0,
  /** sitemap.xml, sitemap indexes, feeds. */
  protocol: 1,
  /** A category's landing page. */
  category: 2,
  /** The newest items of listings and feeds. */
  newest: 3,
  rest: 4,
} as const;

export interface FrontierItem {
  url: string;
  kind: PageKind;
  depth: number;
  priority: number;
  /** Link text that led here (for the category match and evidence). */
  via?: string;
  categoryId?: string | null;
}

export class Frontier {
  private buckets: FrontierItem[][] = [[], [], [], [], []];
  private heads = [0, 0, 0, 0, 0];
  private seen = new Map<string, FrontierItem>();
  private pending = 0;

  /**
   * Adds the URL unless already known (under any of its names: trailing slash, index file,
   * fragment); an already queued URL may move to a better priority.
   */
  push(item: FrontierItem): boolean {
    const key = pageKey(item.url);
    const known = this.seen.get(key);
    if (known) {
      if (item.priority < known.priority && !("taken" in known)) {
        // Re-queue at the better priority; the old entry is skipped when popped.
        (known as FrontierItem & { stale?: boolean }).stale = true;
        const fresh = { ...item, url: known.url };
        this.seen.set(key, fresh);
        this.buckets[Math.min(item.priority, 4)].push(fresh);
        return true;
      }
      return false;
    }
    this.seen.set(key, item);
    this.buckets[Math.min(item.priority, 4)].push(item);
    this.pending++;
    return true;
  }

  has(url: string): boolean {
    return this.seen.has(pageKey(url));
  }

  /**
   * A fetch landed on this URL (the end of a redirect): it is known now, and a queued copy of
   * it is not fetched again.
   */
  markSeen(url: string): void {
    const key = pageKey(url);
    const known = this.seen.get(key) as (FrontierItem & { stale?: boolean; taken?: boolean }) | undefined;
    if (!known) {
      this.seen.set(key, { url, kind: "other", depth: 0, priority: 4, taken: true } as FrontierItem);
      return;
    }
    if (!known.taken && !known.stale) {
      known.stale = true;
      this.pending--;
    }
  }

  pop(): FrontierItem | undefined {
    for (let p = 0; p < this.buckets.length; p++) {
      const bucket = this.buckets[p];
      while (this.heads[p] < bucket.length) {
        const item = bucket[this.heads[p]++] as FrontierItem & { stale?: boolean; taken?: boolean };
        if (item.stale) continue;
        item.taken = true;
        this.pending--;
        if (this.heads[p] > 1024 && this.heads[p] * 2 > bucket.length) {
          this.buckets[p] = bucket.slice(this.heads[p]);
          this.heads[p] = 0;
        }
        return item;
      }
    }
    return undefined;
  }

  /** URLs queued and not yet taken. */
  get size(): number {
    return this.pending;
  }
}
