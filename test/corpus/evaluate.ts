// Runs the labelled corpus (cases.json + fixtures/) through the checks and measures precision
// and recall per check. Labels are compared as sets per case: TP = expected ∩ predicted.
import { readFileSync } from "node:fs";
import type { FetchedPage, SiteSnapshot } from "../../crawler/types.ts";
import { parsePage } from "../../crawler/parse/page.ts";
import { checkPageEncoding } from "../../crawler/checks/encoding.ts";
import { runSiteChecks } from "../../crawler/checks/index.ts";
import { checkIdentityOnPage } from "../../crawler/checks/identity.ts";
import { checkArticleAttribution } from "../../crawler/checks/attribution.ts";
import { matchCategory } from "../../crawler/catalog/match.ts";
import { lunarToSolar, tetDate, workingDaysBetween } from "../../crawler/calendar/holidays.ts";
import type { CorpusCase, PageSpec } from "./types.ts";

const HERE = new URL(".", import.meta.url).pathname;

export function loadCases(): CorpusCase[] {
  return JSON.parse(readFileSync(HERE + "cases.json", "utf8")) as CorpusCase[];
}

function fetched(p: PageSpec, at: Date): FetchedPage {
  return {
    url: p.url,
    finalUrl: p.url,
    status: p.status,
    headers: p.headers,
    body: p.file ? readFileSync(HERE + "fixtures/" + p.file) : Buffer.alloc(0),
    renderedHtml: p.renderedFile ? readFileSync(HERE + "fixtures/" + p.renderedFile, "utf8") : undefined,
    fetchedAt: at,
    kind: p.kind,
    error: p.error,
  };
}

function snapshotOf(c: CorpusCase): SiteSnapshot {
  const s = c.site!;
  const ref = new Date(s.referenceTime);
  return {
    baseUrl: s.baseUrl,
    referenceTime: ref,
    pages: s.pages.map((p) => fetched(p, ref)),
    httpRedirectsToHttps: s.httpRedirectsToHttps,
    tlsError: s.tlsError,
    axe: s.axe,
  };
}

/** The labels the checks produce for a case (in the case's own vocabulary). */
export function predict(c: CorpusCase): string[] {
  switch (c.check) {
    case "encoding": {
      const page = fetched(c.page!, new Date());
      const r = checkPageEncoding(page, parsePage(page));
      const out: string[] = [];
      if (r.result.legacy) out.push(`legacy:${r.result.legacy}`);
      for (const f of r.result.legacyFonts) out.push(`font:${f.toLowerCase()}`);
      for (const f of r.findings) {
        if (f.code === "encoding.charset-not-utf8") out.push("charset-not-utf8");
        if (f.code === "encoding.invalid-utf8") out.push("invalid-utf8");
        if (f.code === "encoding.nfd") out.push("nfd");
      }
      return out;
    }
    case "categories": {
      const r = runSiteChecks(snapshotOf(c));
      const ids = new Set(c.expect.map((l) => l.split(":")[0]));
      return r.categories.filter((x) => ids.has(x.id)).map((x) => `${x.id}:${x.status}`);
    }
    case "freshness": {
      const r = runSiteChecks(snapshotOf(c));
      return r.freshness.items.map((i) => `${i.url}@${i.published}`);
    }
    case "deadline": {
      const r = runSiteChecks(snapshotOf(c));
      const docs = (r.freshness.documents ?? []) as { url: string; late: boolean; workingDays: number }[];
      return docs.map((d) => `${d.url}:${d.late ? "late" : "ontime"}:${d.workingDays}`);
    }
    case "identity": {
      const r = checkIdentityOnPage(parsePage(fetched(c.page!, new Date())));
      return (["unitName", "responsiblePerson", "address", "phone", "email"] as const).map((k) => `${k}:${r[k].found}`);
    }
    case "attribution": {
      const r = checkArticleAttribution(parsePage(fetched(c.page!, new Date())), c.page!.url);
      return [`author:${r.author}`, `source:${r.source}`];
    }
    case "technical": {
      const r = runSiteChecks(snapshotOf(c));
      const t = r.metrics.technical;
      const all: Record<string, string> = {
        viewport: `viewport:${t.viewport}`,
        langVi: `langVi:${t.langVi}`,
        search: `search:${t.search}`,
        sitemapXml: `sitemapXml:${t.sitemapXml}`,
        sitemapPage: `sitemapPage:${t.sitemapPage}`,
        imgAlt: `imgAlt:${t.imgAltRatio === null ? "none" : t.imgAltRatio >= 0.9 ? "ok" : "low"}`,
        https: `https:${t.https}`,
        httpsRedirect: `httpsRedirect:${t.httpsRedirect}`,
        axe: `axe:${t.axeSeriousViolations}`,
      };
      return c.expect.map((l) => all[l.split(":")[0]]).filter(Boolean);
    }
    case "calendar": {
      const i = c.input!;
      if (i.tet) return [`tet:${tetDate(Number(i.tet))}`];
      if (i.gioTo) return [`gioto:${lunarToSolar(10, 3, Number(i.gioTo))}`];
      return [`wd:${workingDaysBetween(String(i.from), String(i.to))}`];
    }
    case "match": {
      const ids = matchCategory(String(c.input!.text ?? ""), c.input!.href ? String(c.input!.href) : undefined);
      return ids.length ? ids.map((id) => `id:${id}`) : ["none"];
    }
  }
}

export interface Score {
  check: string;
  cases: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  failures: { id: string; missing: string[]; unexpected: string[] }[];
}

export function evaluate(cases: CorpusCase[]): Score[] {
  const scores = new Map<string, Score>();
  for (const c of cases) {
    const s = scores.get(c.check) ?? { check: c.check, cases: 0, tp: 0, fp: 0, fn: 0, precision: 1, recall: 1, failures: [] };
    scores.set(c.check, s);
    s.cases++;
    let got: string[];
    try {
      got = predict(c);
    } catch (e) {
      got = [`error:${(e as Error).message}`];
    }
    const expected = new Set(c.expect);
    const predicted = new Set(got);
    const missing = [...expected].filter((l) => !predicted.has(l));
    const unexpected = [...predicted].filter((l) => !expected.has(l));
    s.tp += [...expected].filter((l) => predicted.has(l)).length;
    s.fn += missing.length;
    s.fp += unexpected.length;
    if (missing.length || unexpected.length) s.failures.push({ id: c.id, missing, unexpected });
  }
  for (const s of scores.values()) {
    s.precision = s.tp + s.fp ? s.tp / (s.tp + s.fp) : 1;
    s.recall = s.tp + s.fn ? s.tp / (s.tp + s.fn) : 1;
  }
  return [...scores.values()];
}

export function formatScores(scores: Score[]): string {
  const lines = ["check         cases   TP   FP   FN  precision  recall"];
  for (const s of scores) {
    lines.push(
      `${s.check.padEnd(13)} ${String(s.cases).padStart(5)} ${String(s.tp).padStart(4)} ${String(s.fp).padStart(4)} ${String(s.fn).padStart(4)}  ${s.precision.toFixed(3).padStart(9)}  ${s.recall.toFixed(3).padStart(6)}`,
    );
  }
  return lines.join("\n");
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const scores = evaluate(loadCases());
  console.log(formatScores(scores));
  for (const s of scores) for (const f of s.failures) console.log(`  ✗ ${f.id}: missing ${JSON.stringify(f.missing)} unexpected ${JSON.stringify(f.unexpected)}`);
}
