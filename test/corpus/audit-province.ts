// Audits every site of the sample province through the real `audit` command (crawler + checks)
// and compares with the farm's ground truth: categories, page encodings, dated items, latest
// date, identity, attribution, documents and technical facts. Prints disagreements and a summary;
// exits 1 when any comparable fact disagrees. Takes a few minutes.
// Run: npx tsx test/corpus/audit-province.ts
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { startFarm } from "../farm/index.ts";
import type { GroundTruth } from "../farm/types.ts";
import { workingDaysBetween } from "../../crawler/calendar/holidays.ts";
import type { SiteAuditResult } from "../../crawler/types.ts";

const run = promisify(execFile);
const ROOT = new URL("../../", import.meta.url).pathname;

async function audit(url: string): Promise<SiteAuditResult> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", "crawler/audit-cli.ts", url, "--json", "--now", "2026-11-20", "--allow-private", "--max-pages", "400"], {
    cwd: ROOT,
    maxBuffer: 1 << 28,
  });
  return JSON.parse(stdout) as SiteAuditResult;
}

function compare(t: GroundTruth, r: SiteAuditResult, bad: Record<string, number>, checked: Record<string, number>): void {
  const count = (k: string, ok: boolean, what: string) => {
    checked[k] = (checked[k] ?? 0) + 1;
    if (!ok) {
      bad[k] = (bad[k] ?? 0) + 1;
      console.log(`  ✗ ${t.id} ${k}: ${what}`);
    }
  };
  for (const [id, c] of Object.entries(t.categories)) {
    const got = r.categories.find((x) => x.id === id)?.status ?? "missing";
    count("categories", got === c.status, `${id} ${c.status} ≠ ${got}`);
  }
  for (const p of t.pages) {
    const g = r.pages.find((x) => x.url === p.url);
    if (!g) continue;
    const wrong = (["declared", "validUtf8", "legacy", "nfc", "compliant"] as const).filter((k) => !p.uncertain?.includes(k) && g.encoding[k] !== p.encoding[k]);
    count("encoding", wrong.length === 0, `${p.url} ${wrong.join(",")}`);
  }
  const items = new Map(r.freshness.items.map((i) => [i.url, i]));
  for (const it of t.items) {
    const g = items.get(it.url);
    if (g) count("dates", g.published === it.published, `${it.url} ${it.published} ≠ ${g.published}`);
  }
  count("latest", r.freshness.latestPublished === t.latestPublished, `${t.latestPublished} ≠ ${r.freshness.latestPublished}`);
  if (t.comparable.identity) {
    for (const k of Object.keys(t.identity) as (keyof GroundTruth["identity"])[]) count("identity", r.identity[k] === t.identity[k], k);
  }
  for (const a of t.attribution) {
    if (!r.pages.some((p) => p.url === a.url)) continue;
    const noAuthor = r.findings.some((f) => f.code === "attribution.author-missing" && f.url === a.url);
    const noSource = r.findings.some((f) => f.code === "attribution.source-missing" && f.url === a.url);
    count("attribution", noAuthor !== a.author && noSource !== a.source, a.url);
  }
  const docs = ((r.freshness as Record<string, unknown>).documents ?? []) as { url: string; issued: string; posted: string; late: boolean }[];
  for (const d of t.documents) {
    const g = docs.find((x) => x.url === d.url);
    if (!g) continue;
    // The farm counts weekdays; the checks also skip public holidays.
    count("documents", g.issued === d.issued && g.posted === d.posted && g.late === workingDaysBetween(d.issued, d.posted) > 2, d.url);
  }
  const tech = r.technical as Record<string, unknown> | undefined;
  for (const k of ["viewport", "langVi", "search", "sitemapPage", "sitemapXml"] as const) count("technical", tech?.[k] === t.technical[k], k);
}

const farm = await startFarm({ basePort: 0, referenceDate: "2026-11-20" });
const bad: Record<string, number> = {};
const checked: Record<string, number> = {};
try {
  for (const site of farm.sites) {
    if (site.hostile) continue;
    try {
      const r = await audit(site.baseUrl);
      compare(site.truth, r, bad, checked);
      console.log(`${site.truth.id}: ${r.pages.length} trang, ${r.freshness.items.length}/${site.truth.items.length} bài có ngày`);
    } catch (err) {
      bad.failed = (bad.failed ?? 0) + 1;
      console.log(`  ✗ ${site.truth.id}: audit failed: ${(err as Error).message.slice(0, 200)}`);
    }
  }
} finally {
  await farm.close();
}
console.log("\nfact          checked  disagree");
for (const k of Object.keys(checked)) console.log(`${k.padEnd(13)} ${String(checked[k]).padStart(7)}  ${String(bad[k] ?? 0).padStart(8)}`);
process.exitCode = Object.values(bad).some((n) => n > 0) ? 1 : 0;
