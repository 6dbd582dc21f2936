// Rule sets versioned by legal basis, with effective dates, per-unit-type applicability and
// the numbers of rule set 4 (freshness thresholds and deadlines). Every number is data.
// Versions (docs/decisions/0017-rule-set-versions.md): categories follow the decree in force
// (NĐ 43/2011, then NĐ 42/2022); structure and layout follow the circular (TT 32/2017, then
// TT 22/2023 from 05/04/2024, with EMC required of every site from 05/04/2025). An audit is
// checked under the version in force on its reference day, so old periods keep their rules.
import { HOME_LINK_RULES } from "./tt22-2023.ts";

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
  /** Structure and layout of the site (identity, home-page links, EMC): the circular in force. */
  site: SiteRules;
}

/** What the circular on structure and layout requires, as far as a crawler can observe it. */
export interface SiteRules {
  /** Legal basis cited by the identity findings (footer: name, responsible person, address, phone, email). */
  identityBasis: string;
  /**
   * EMC monitoring code and label (TT 22/2023): null = not required. "transitional" = required of new
   * sites only, existing ones have until the end of the transition: reported as a warning.
   */
  emc: { basis: string; stage: "transitional" | "required" } | null;
  /** Ids of HOME_LINK_RULES (crawler/catalog/tt22-2023.ts) the home page must carry; empty = none. */
  homeLinks: string[];
  homeLinksBasis: string | null;
}

const TT32: SiteRules = { identityBasis: "Thông tư 32/2017/TT-BTTTT, Điều 16 khoản 3", emc: null, homeLinks: [], homeLinksBasis: null };
const TT22_LINKS = HOME_LINK_RULES.map((r) => r.id);
const TT22_TRANSITION: SiteRules = {
  identityBasis: "Thông tư 22/2023/TT-BTTTT (thông tin định danh ở chân trang; trước đó TT 32/2017/TT-BTTTT Điều 16 khoản 3)",
  emc: { basis: "Thông tư 22/2023/TT-BTTTT (kết nối Hệ thống EMC; cổng/trang đang vận hành có đến 05/04/2025)", stage: "transitional" },
  homeLinks: TT22_LINKS,
  homeLinksBasis: "Thông tư 22/2023/TT-BTTTT (liên kết bắt buộc trên trang chủ)",
};
const TT22: SiteRules = {
  ...TT22_TRANSITION,
  emc: { basis: "Thông tư 22/2023/TT-BTTTT (kết nối Hệ thống EMC và hiển thị nhãn; hết hạn chuyển tiếp 05/04/2025)", stage: "required" },
};

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
    site: TT32,
  },
  {
    id: "nd42-2022",
    legalBasis: "Nghị định 42/2022/NĐ-CP (Điều 4 và các điều liên quan)",
    effectiveFrom: "2022-08-15",
    effectiveTo: "2024-04-04",
    categories: COMMON,
    documentDeadlineWorkingDays: 2,
    site: TT32,
  },
  {
    id: "nd42-tt22-2024",
    legalBasis: "Nghị định 42/2022/NĐ-CP (Điều 4 và các điều liên quan); Thông tư 22/2023/TT-BTTTT (hiệu lực 05/04/2024)",
    effectiveFrom: "2024-04-05",
    effectiveTo: "2025-04-04",
    categories: COMMON,
    documentDeadlineWorkingDays: 2,
    site: TT22_TRANSITION,
  },
  {
    id: "nd42-tt22-2025",
    legalBasis: "Nghị định 42/2022/NĐ-CP (Điều 4 và các điều liên quan); Thông tư 22/2023/TT-BTTTT (EMC bắt buộc từ 05/04/2025)",
    effectiveFrom: "2025-04-05",
    effectiveTo: null,
    categories: COMMON,
    documentDeadlineWorkingDays: 2,
    site: TT22,
  },
];

/**
 * The rule set in force on a date (YYYY-MM-DD, or a Date read as the day in Vietnam, UTC+7, as
 * periods are); the newest when none matches.
 */
export function ruleSetFor(date: Date | string): RuleSet {
  const d = typeof date === "string" ? date : new Date(date.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
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
