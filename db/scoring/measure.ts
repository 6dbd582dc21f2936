// How a rubric criterion is measured (rubric_criteria.measure). Every kind reads plain
// numbers/booleans from the audit metrics (site_audits.summary, see crawler/types.ts
// AuditMetrics) so that scoring stays set-based in SQL.
import { z } from "zod";

export const CRITERION_GROUPS = ["noi-dung", "cap-nhat", "unicode", "dinh-danh", "ky-thuat"] as const;
export type CriterionGroup = (typeof CRITERION_GROUPS)[number];

export const GROUP_LABELS: Record<CriterionGroup, string> = {
  "noi-dung": "Nội dung thông tin bắt buộc",
  "cap-nhat": "Cập nhật thông tin, thời hạn",
  unicode: "Unicode TCVN 6909:2001",
  "dinh-danh": "Định danh và nguồn tin",
  "ky-thuat": "Kỹ thuật và tiếp cận",
};

export const UNIT_TYPES = ["so", "ban", "ubnd_huyen", "ubnd_xa", "don_vi_su_nghiep", "cong_tinh"] as const;

const metricPath = z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)+$/, "metric path like technical.https");
const share = z.number().min(0).max(1);
const codes = z.array(z.string().regex(/^[a-z-]+\.[a-z0-9-]+$/)).default([]);

/** Category: present = 1, empty = emptyShare (default 0.5), missing/unreachable/not reported = 0. */
export const categoryMeasure = z.object({
  kind: z.literal("category"),
  category: z.string().regex(/^[a-z-]+$/),
  emptyShare: share.default(0.5),
  findingCodes: codes,
});
/** Boolean metric: true = 1, false = 0, null/absent = nullShare (default 0). */
export const booleanMeasure = z.object({
  kind: z.literal("boolean"),
  metric: metricPath,
  nullShare: share.default(0),
  findingCodes: codes,
});
/** Linear between `zero` (share 0) and `full` (share 1), clamped; works both directions. */
export const thresholdMeasure = z
  .object({
    kind: z.literal("threshold"),
    metric: metricPath,
    full: z.number(),
    zero: z.number(),
    nullShare: share.default(0),
    findingCodes: codes,
  })
  .refine((m) => m.full !== m.zero, "full and zero must differ");
/** Pooled ratio over the period: sum(numerator) / sum(denominator); none checked = noneShare. */
export const ratioMeasure = z.object({
  kind: z.literal("ratio"),
  numerator: metricPath,
  denominator: metricPath,
  noneShare: share.default(1),
  findingCodes: codes,
});

export const measureSchema = z.union([categoryMeasure, booleanMeasure, thresholdMeasure, ratioMeasure]);
export type Measure = z.infer<typeof measureSchema>;
export type MeasureInput = z.input<typeof measureSchema>;

export const criterionInputSchema = z.object({
  code: z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/, "criterion code: lower-case words joined by - and ."),
  group: z.enum(CRITERION_GROUPS),
  name: z.string().trim().min(1).max(300),
  maxPoints: z.number().min(0).max(1000),
  measure: measureSchema,
  appliesTo: z.array(z.enum(UNIT_TYPES)).default([]),
  legalBasis: z.string().trim().max(500).nullable().optional(),
  sort: z.number().int().optional(),
});
export type CriterionInput = z.input<typeof criterionInputSchema>;
export type Criterion = z.infer<typeof criterionInputSchema>;
