// Rule sets versioned by legal basis, with effective dates, per-unit-type applicability and
// the numbers of rule set 4 (freshness thresholds and deadlines). Every number is data.

export type UnitType = "so" | "ban" | "ubnd_huyen" | "ubnd_xa" | "don_vi_su_nghiep" | "cong_tinh";

export interface CategoryRule {
  id: string;
  /** Unit types the category is required for; undefined = every unit type. */
  unitTypes?: UnitType[];
  /** Optional categories are reported when present but never produce "missing". */
  optional?: boolean;
  /** The newest item older than this many days is "stale" (freshness.stale); undefined = not checked. */
  staleAfterDays?: number;
  /** Fewer posts per week than this (average over 12 weeks) is "low frequency". */
  minPostsPerWeek?: number;
  /** Working days allowed between signing and posting (documents). */
  postingDeadlineWorkingDays?: number;
}

export interface RuleSet {
  id: string;
  legalBasis: string;
  effectiveFrom: string;
  /** Last day in force (inclusive); null = still in force. */
  effectiveTo: string | null;
  categories: CategoryRule[];
  /** Default working days between "Ngày ban hành" and posting for the issuing agency. */
  documentDeadlineWorkingDays: number;
}

const ALL_BUT_PORTAL: UnitType[] = ["so", "ban", "ubnd_huyen", "ubnd_xa", "don_vi_su_nghiep"];

const COMMON: CategoryRule[] = [
  { id: "gioi-thieu" },
  { id: "lanh-dao" },
  { id: "tin-tuc", staleAfterDays: 7, minPostsPerWeek: 1 },
  { id: "chi-dao-dieu-hanh", staleAfterDays: 90 },
  { id: "lich-cong-tac", staleAfterDays: 14, unitTypes: ["so", "ban", "ubnd_huyen", "ubnd_xa", "cong_tinh"] },
  { id: "pho-bien-phap-luat", staleAfterDays: 90 },
  { id: "chien-luoc-quy-hoach" },
  { id: "van-ban", staleAfterDays: 90, postingDeadlineWorkingDays: 2 },
  { id: "du-an-dau-tu" },
  { id: "lay-y-kien" },
  { id: "thu-tuc-hanh-chinh" },
  { id: "hoi-dap" },
  { id: "lien-he" },
  { id: "thong-ke", staleAfterDays: 120 },
  { id: "khoa-hoc", optional: true },
  { id: "cong-bao", unitTypes: ["cong_tinh"] },
  { id: "so-do-site" },
  { id: "tieng-anh", optional: true },
];

export const RULE_SETS: RuleSet[] = [
  {
    id: "nd43-2011",
    legalBasis: "Nghị định 43/2011/NĐ-CP (Điều 10, 13, 17)",
    effectiveFrom: "2011-06-13",
    effectiveTo: "2022-08-14",
    // ND 43 Đ13 requires the English version of the introduction and contacts.
    categories: COMMON.map((c) => (c.id === "tieng-anh" ? { ...c, optional: false, unitTypes: ALL_BUT_PORTAL.concat("cong_tinh") } : c)),
    documentDeadlineWorkingDays: 2,
  },
  {
    id: "nd42-2022",
    legalBasis: "Nghị định 42/2022/NĐ-CP (Điều 4 và các điều liên quan)",
    effectiveFrom: "2022-08-15",
    effectiveTo: null,
    categories: COMMON,
    documentDeadlineWorkingDays: 2,
  },
];

/** The rule set in force on a date (YYYY-MM-DD or Date); the newest when none matches. */
export function ruleSetFor(date: Date | string): RuleSet {
  const d = typeof date === "string" ? date : date.toISOString().slice(0, 10);
  for (const rs of RULE_SETS) {
    if (d >= rs.effectiveFrom && (rs.effectiveTo === null || d <= rs.effectiveTo)) return rs;
  }
  return RULE_SETS[RULE_SETS.length - 1];
}

/** Categories that apply to a unit type under a rule set (required or optional). */
export function applicableCategories(ruleSet: RuleSet, unitType?: string): CategoryRule[] {
  // Without a unit type, apply what a Sở-level component site must have (no Công báo).
  const type = (unitType ?? "so") as UnitType;
  return ruleSet.categories.filter((c) => !c.unitTypes || c.unitTypes.includes(type));
}
