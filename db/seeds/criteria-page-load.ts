// The page-load criteria of the 2025 national criteria (issue 14 §2), for HT to compose into the
// rubric version that applies them (db/seeds/rubric-default.ts). One criterion per budget, each
// reading the month's median of the site's Lighthouse runs (worst measured page) stamped onto its
// audits (db/queries/page-load.ts). A site never measured keeps its points (nullShare 1); a month
// whose every run failed is "chưa xác minh được" (unverifiedMetrics) until an inspector decides.
import type { CriterionInput } from "../scoring/measure.ts";
import { PAGE_LOAD_BUDGETS, PAGE_LOAD_LEGAL_BASIS, type PageLoadMetric } from "../../crawler/perf/budgets.ts";

const CODE: Record<PageLoadMetric, string> = {
  fcpMs: "fcp",
  lcpMs: "lcp",
  speedIndexMs: "speed-index",
  tbtMs: "tbt",
};

/** Metric path of a budget's boolean ("pageLoad.fcpOk"). */
export function okPath(metric: PageLoadMetric): string {
  return `pageLoad.${metric.replace(/Ms$/, "")}Ok`;
}

function seconds(ms: number): string {
  return String(ms / 1000).replace(".", ",");
}

export const PAGE_LOAD_CRITERIA: CriterionInput[] = PAGE_LOAD_BUDGETS.map((b) => ({
  code: `ky-thuat.tai-trang-${CODE[b.metric]}`,
  group: "ky-thuat",
  name: `Tốc độ tải trang: ${b.label.toLowerCase()} dưới ${seconds(b.limitMs)} giây (${b.lighthouseName}, di động)`,
  maxPoints: 1,
  measure: { kind: "boolean", metric: okPath(b.metric), nullShare: 1, findingCodes: [`page-load.${CODE[b.metric]}`] },
  legalBasis: PAGE_LOAD_LEGAL_BASIS,
}));
