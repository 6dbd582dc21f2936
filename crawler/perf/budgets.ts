// The page-load budgets of the 2025 national criteria for portals and sites (Bộ KH&CN, 05/2025):
// first content < 3 s, largest content < 4 s, full display < 5.8 s, each task < 0.6 s — read as
// Lighthouse's mobile thresholds for FCP, LCP, Speed Index and Total Blocking Time
// (docs/decisions/0019-page-load.md). Kept as data: a later text changes only this table.

export const PAGE_LOAD_LEGAL_BASIS =
  "Bộ tiêu chí đánh giá cổng/trang thông tin điện tử năm 2025 (Bộ KH&CN, 05/2025): tốc độ tải trang đo bằng công cụ tự động, nhiều lần vào các thời điểm khác nhau";

export const PAGE_LOAD_METRICS = ["fcpMs", "lcpMs", "speedIndexMs", "tbtMs"] as const;
export type PageLoadMetric = (typeof PAGE_LOAD_METRICS)[number];

export interface PageLoadBudget {
  metric: PageLoadMetric;
  /** The Lighthouse audit that measures it. */
  audit: string;
  /** Strict upper bound in milliseconds: a value is within budget when below it. */
  limitMs: number;
  /** Vietnamese name, as the criteria word it. */
  label: string;
  /** Lighthouse's name. */
  lighthouseName: string;
}

export const PAGE_LOAD_BUDGETS: readonly PageLoadBudget[] = [
  { metric: "fcpMs", audit: "first-contentful-paint", limitMs: 3000, label: "Hiển thị nội dung đầu tiên", lighthouseName: "First Contentful Paint" },
  { metric: "lcpMs", audit: "largest-contentful-paint", limitMs: 4000, label: "Hiển thị nội dung lớn nhất", lighthouseName: "Largest Contentful Paint" },
  { metric: "speedIndexMs", audit: "speed-index", limitMs: 5800, label: "Hiển thị đầy đủ", lighthouseName: "Speed Index" },
  { metric: "tbtMs", audit: "total-blocking-time", limitMs: 600, label: "Thời gian chặn của các tác vụ", lighthouseName: "Total Blocking Time" },
];

export function budgetOf(metric: PageLoadMetric): PageLoadBudget {
  return PAGE_LOAD_BUDGETS.find((b) => b.metric === metric)!;
}

/** Whether a value is within its budget (strictly below the limit); null when not measured. */
export function withinBudget(metric: PageLoadMetric, value: number | null | undefined): boolean | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return value < budgetOf(metric).limitMs;
}

/** Seconds with a decimal comma, as Vietnamese write them ("2,45 giây"; "0,604 giây" under a second, so that 604 ms does not read as the 0,60 s limit). */
export function formatSeconds(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  return `${(ms / 1000).toFixed(Math.abs(ms) < 1000 ? 3 : 2).replace(".", ",")} giây`;
}
