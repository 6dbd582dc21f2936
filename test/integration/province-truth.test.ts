// Auditing the whole sample province agrees with the farm's ground truth on every category,
// encoding and date the farm declares. This is the accuracy test a unit's ranking relies on.
import { afterAll, beforeAll, expect, test } from "vitest";
import { loadChecks, type ChecksApi } from "../../crawler/audit/checks-adapter.ts";
import { crawlSite } from "../../crawler/audit/crawl-site.ts";
import { Fetcher } from "../../crawler/fetch/fetcher.ts";
import { Renderer } from "../../crawler/render/renderer.ts";
import type { SiteAuditResult } from "../../crawler/types.ts";
import { startFarm, type Farm, type GroundTruth } from "../farm/index.ts";

const REFERENCE_DATE = "2026-11-20";
let farm: Farm;
let checks: ChecksApi;
const audits = new Map<string, SiteAuditResult>();

beforeAll(async () => {
  farm = await startFarm({ include: "province", basePort: 0, referenceDate: REFERENCE_DATE, seed: 1 });
  checks = await loadChecks();
  const fetcher = new Fetcher({ totalTimeoutMs: 20_000 });
  const renderer = new Renderer({ maxPages: 2 });
  try {
    const queue = [...farm.sites];
    const work = async () => {
      for (let site = queue.shift(); site; site = queue.shift()) {
        const crawl = await crawlSite({
          baseUrl: site.baseUrl,
          allowPrivate: true,
          maxPages: 200,
          renderMode: "auto",
          fetcher,
          renderer,
          checks,
          referenceTime: new Date(`${REFERENCE_DATE}T12:00:00+07:00`),
          unitName: site.truth.name,
          unitType: site.truth.unitType ?? undefined,
        });
        audits.set(site.id, await checks.runSiteChecks(crawl.snapshot));
      }
    };
    await Promise.all([work(), work(), work(), work()]);
  } finally {
    await renderer.close();
    await fetcher.close();
  }
}, 600_000);

afterAll(async () => {
  await farm?.close();
});

interface Tally {
  compared: number;
  mismatches: string[];
}

function compareSite(truth: GroundTruth, audit: SiteAuditResult, tally: Record<string, Tally>): void {
  const t = (k: string) => (tally[k] ??= { compared: 0, mismatches: [] });
  if (truth.comparable.categories) {
    for (const [id, want] of Object.entries(truth.categories)) {
      const got = audit.categories.find((c) => c.id === id);
      t("categories").compared++;
      if ((got?.status ?? "missing") !== want.status) {
        t("categories").mismatches.push(`${truth.id} ${id}: want ${want.status}, got ${got?.status ?? "(none)"}`);
      }
    }
  }
  if (truth.comparable.encoding) {
    const byUrl = new Map(audit.pages.map((p) => [p.url, p]));
    for (const page of truth.pages) {
      const got = byUrl.get(page.url);
      if (!got) continue; // the crawler's budget may leave some pages out; those it read must agree
      for (const field of ["declared", "validUtf8", "legacy", "nfc", "compliant"] as const) {
        if (page.uncertain?.includes(field)) continue;
        t("encoding").compared++;
        const want = page.encoding[field];
        if (JSON.stringify(got.encoding[field]) !== JSON.stringify(want)) {
          t("encoding").mismatches.push(`${page.url} ${field}: want ${JSON.stringify(want)}, got ${JSON.stringify(got.encoding[field])}`);
        }
      }
    }
  }
  if (truth.comparable.dates) {
    const seen = new Map(audit.freshness.items.map((i) => [i.url, i.published]));
    for (const item of truth.items) {
      const got = seen.get(item.url);
      if (got === undefined) continue;
      t("dates").compared++;
      if (got !== item.published) t("dates").mismatches.push(`${item.url}: want ${item.published}, got ${got}`);
    }
    t("latest").compared++;
    if (audit.freshness.latestPublished !== truth.latestPublished) {
      t("latest").mismatches.push(`${truth.id}: want ${truth.latestPublished}, got ${audit.freshness.latestPublished}`);
    }
  }
  if (truth.comparable.identity) {
    for (const [k, want] of Object.entries(truth.identity)) {
      t("identity").compared++;
      const got = audit.identity[k as keyof SiteAuditResult["identity"]];
      if (got !== want) t("identity").mismatches.push(`${truth.id} ${k}: want ${want}, got ${got}`);
    }
  }
}

test("every site of the sample province is audited and agrees with the ground truth", () => {
  expect(farm.sites.length).toBeGreaterThanOrEqual(30);
  expect(audits.size).toBe(farm.sites.length);
  const tally: Record<string, Tally> = {};
  for (const site of farm.sites) compareSite(site.truth, audits.get(site.id)!, tally);
  for (const [k, v] of Object.entries(tally)) {
    console.log(`${k}: ${v.compared - v.mismatches.length}/${v.compared} agree`);
    for (const m of v.mismatches.slice(0, 15)) console.log(`  ✗ ${m}`);
  }
  expect(tally.categories?.compared ?? 0).toBeGreaterThan(300);
  expect(tally.encoding?.compared ?? 0).toBeGreaterThan(100);
  expect(tally.dates?.compared ?? 0).toBeGreaterThan(100);
  for (const v of Object.values(tally)) expect(v.mismatches).toEqual([]);
});
