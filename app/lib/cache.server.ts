// A small per-process cache for read models that change only when scores are recomputed
// (the province trend, the list of periods). Entries expire after a short time, so a
// recompute shows within seconds without any invalidation plumbing. Kept per database
// handle: one process may serve several databases (tests, benchmarks).
import type { Knex } from "knex";

type Entries = Map<string, { until: number; value: Promise<unknown> }>;
const perDatabase = new WeakMap<Knex, Entries>();
const MAX_ENTRIES = 500;

export function cached<T>(knex: Knex, key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
  let entries = perDatabase.get(knex);
  if (!entries) perDatabase.set(knex, (entries = new Map()));
  const now = Date.now();
  const hit = entries.get(key);
  if (hit && hit.until > now) return hit.value as Promise<T>;
  if (entries.size >= MAX_ENTRIES) entries.clear();
  const value = load();
  const store = entries;
  store.set(key, { until: now + ttlMs, value });
  value.catch(() => store.delete(key));
  return value;
}
