// Posts per week over a period, from the article dates the audits recorded (summary.freshness.items).
export interface FreshItem {
  url: string;
  published: string;
  title?: string | null;
  categoryId?: string | null;
}

function mondayOf(day: string): string {
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - dow);
  return d.toISOString().slice(0, 10);
}

export function collectItems(summaries: { summary: Record<string, any> | null }[]): FreshItem[] {
  const byUrl = new Map<string, FreshItem>();
  for (const s of summaries) {
    // The crawler keeps the checks' result next to the metrics (summary.result.freshness.items).
    const items = s.summary?.result?.freshness?.items ?? s.summary?.freshness?.items;
    if (!Array.isArray(items)) continue;
    for (const it of items) {
      if (it && typeof it.url === "string" && typeof it.published === "string" && !byUrl.has(it.url)) byUrl.set(it.url, it);
    }
  }
  return [...byUrl.values()].sort((a, b) => b.published.localeCompare(a.published));
}

export function postsPerWeek(items: FreshItem[], from: string, to: string): { label: string; week: string; posts: number }[] {
  const weeks: { label: string; week: string; posts: number }[] = [];
  const idx = new Map<string, number>();
  const cur = new Date(`${mondayOf(from)}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  while (cur <= end && weeks.length < 60) {
    const w = cur.toISOString().slice(0, 10);
    idx.set(w, weeks.length);
    weeks.push({ week: w, label: `${w.slice(8, 10)}/${w.slice(5, 7)}`, posts: 0 });
    cur.setUTCDate(cur.getUTCDate() + 7);
  }
  for (const it of items) {
    const day = it.published.slice(0, 10);
    if (day < from || day > to) continue;
    const i = idx.get(mondayOf(day));
    if (i !== undefined) weeks[i].posts += 1;
  }
  return weeks;
}
