// What a criterion measured in a period, in words: shown beside the points lost, so that a
// loss is explained even where no single finding caused it (a 12-week average just below the
// full mark, a category present in some audits only).

const NUM = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
const PCT = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });

/** Units of the metrics the default rubric reads (others are shown bare). */
const METRIC_UNITS: Record<string, string> = {
  "freshness.postsPerWeek": "tin/tuần",
  "freshness.daysSinceLastPost": "ngày",
  "technical.axeSeriousViolations": "lỗi",
};

export interface MeasureLike {
  kind?: string;
  metric?: string;
  full?: number;
  zero?: number;
}

export interface DetailLike {
  share?: number | string | null;
  audits?: number | null;
  value?: number | string | null;
  numerator?: number | string | null;
  denominator?: number | string | null;
}

function num(v: unknown): number | null {
  if (v === null || v === undefined || v === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** One Vietnamese sentence, or null when the row holds no measurement (e.g. an imported row). */
export function measuredText(detail: DetailLike | null | undefined, measure: MeasureLike | null | undefined): string | null {
  if (!detail) return null;
  const share = num(detail.share);
  const audits = num(detail.audits);
  const over = audits ? ` (${NUM.format(audits)} lần kiểm tra)` : "";
  const kind = measure?.kind;
  if (kind === "threshold") {
    const value = num(detail.value);
    if (value === null) return share === null ? null : `Không đo được trong kỳ${over}.`;
    const unit = measure?.metric ? METRIC_UNITS[measure.metric] : undefined;
    const u = (n: number) => (unit ? `${NUM.format(n)} ${unit}` : NUM.format(n));
    const bounds = num(measure?.full) !== null && num(measure?.zero) !== null ? `; đủ điểm: ${u(Number(measure!.full))}, 0 điểm: ${u(Number(measure!.zero))}` : "";
    return `Số đo trung bình: ${u(value)}${bounds}${over}.`;
  }
  if (kind === "ratio") {
    const n = num(detail.numerator);
    const d = num(detail.denominator);
    if (n === null || d === null || d === 0) return share === null ? null : `Không có mục nào để đếm trong kỳ${over}.`;
    return `Đạt ${NUM.format(n)}/${NUM.format(d)} (${PCT.format((n / d) * 100)}%)${over}.`;
  }
  if (share === null) return null;
  if (kind === "category") return `Mức đạt của chuyên mục: ${PCT.format(share * 100)}%${over}.`;
  return `Đạt ở ${PCT.format(share * 100)}% số lần kiểm tra${over}.`;
}
