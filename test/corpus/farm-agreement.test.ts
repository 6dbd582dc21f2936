// The checks against the fixture farm's ground truth, in-process (every page of every sample site
// as a full crawl would fetch it): categories, page encodings, dated items, identity, attribution.
import { describe, expect, it } from "vitest";
import { runSiteChecks } from "../../crawler/checks/index.ts";
import { workingDaysBetween } from "../../crawler/calendar/holidays.ts";
import { farmCases } from "./farm-snapshot.ts";

describe("checks agree with the farm's ground truth", () => {
  // The JavaScript-menu site needs a rendered page (the crawler's job): covered end to end elsewhere.
  const cases = farmCases().filter((c) => c.truth.layout !== "js");
  const results = cases.map((c) => ({ c, r: runSiteChecks(c.snapshot) }));

  it("on every category", () => {
    const wrong: string[] = [];
    for (const { c, r } of results) {
      for (const [id, t] of Object.entries(c.truth.categories)) {
        const got = r.categories.find((x) => x.id === id)?.status ?? "missing";
        if (got !== t.status) wrong.push(`${c.id} ${id}: ${t.status} ≠ ${got}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("on every page encoding", () => {
    const wrong: string[] = [];
    for (const { c, r } of results) {
      for (const p of c.truth.pages) {
        const got = r.pages.find((x) => x.url === p.url);
        if (!got) continue;
        for (const k of ["declared", "validUtf8", "legacy", "nfc", "compliant"] as const) {
          if (p.uncertain?.includes(k)) continue;
          if (got.encoding[k] !== p.encoding[k]) wrong.push(`${p.url} ${k}: ${p.encoding[k]} ≠ ${got.encoding[k]}`);
        }
        if ([...got.encoding.legacyFonts].sort().join() !== [...p.encoding.legacyFonts].sort().join()) wrong.push(`${p.url} fonts`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("on every dated item and document", () => {
    const wrong: string[] = [];
    for (const { c, r } of results) {
      const items = new Map(r.freshness.items.map((i) => [i.url, i]));
      for (const t of c.truth.items) {
        const g = items.get(t.url);
        if (!g || g.published !== t.published || g.categoryId !== t.categoryId) wrong.push(`${t.url}: ${t.published}/${t.categoryId} ≠ ${g?.published}/${g?.categoryId}`);
      }
      expect(r.freshness.latestPublished).toBe(c.truth.latestPublished);
      const docs = r.freshness.documents as { url: string; issued: string; posted: string; late: boolean }[];
      for (const d of c.truth.documents) {
        const g = docs.find((x) => x.url === d.url);
        // The farm counts weekdays only; the checks also skip public holidays (Tết, 30/4 …).
        const expectedLate = workingDaysBetween(d.issued, d.posted) > 2;
        if (!g || g.issued !== d.issued || g.posted !== d.posted || g.late !== expectedLate) wrong.push(`doc ${d.url}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("on identity, attribution and technical facts", () => {
    const wrong: string[] = [];
    for (const { c, r } of results) {
      if (c.truth.comparable.identity) {
        for (const k of Object.keys(c.truth.identity) as (keyof typeof c.truth.identity)[]) {
          if (r.identity[k] !== c.truth.identity[k]) wrong.push(`${c.id} identity.${k}`);
        }
      }
      for (const a of c.truth.attribution) {
        const noAuthor = r.findings.some((f) => f.code === "attribution.author-missing" && f.url === a.url);
        const noSource = r.findings.some((f) => f.code === "attribution.source-missing" && f.url === a.url);
        if (noAuthor === a.author || noSource === a.source) wrong.push(`${a.url} attribution`);
      }
      const t = r.metrics.technical;
      for (const k of ["viewport", "langVi", "search", "sitemapPage", "sitemapXml"] as const) {
        if (t[k] !== c.truth.technical[k]) wrong.push(`${c.id} technical.${k}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
