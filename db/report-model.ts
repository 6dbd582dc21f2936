// The typed report model: everything a report builder (reports/) needs, already loaded. It is
// defined here, on the database side, because db/queries/reports.ts assembles it and db/ must
// not import reports/; reports/model.ts re-exports it for the builders.

export type PeriodKind = "month" | "quarter" | "half" | "year";
export type ReportKind = "province" | "unit";

export interface ReportPeriod {
  code: string;
  kind: PeriodKind;
  /** 'YYYY-MM-DD' */
  startsOn: string;
  /** 'YYYY-MM-DD' */
  endsOn: string;
  frozenAt: Date | null;
}

export interface ReportIssuer {
  /** The body above the issuer, e.g. "UBND TỈNH BÌNH ĐỊNH". */
  parentBody: string;
  /** The issuing department, e.g. "SỞ KHOA HỌC VÀ CÔNG NGHỆ". */
  department: string;
  /** Place in the date line, e.g. "Bình Định". */
  place: string;
  /** Signature block: the signer's position and name (name may be empty: signed by hand). */
  signerTitle: string;
  signerName: string;
  /** The issuer's abbreviation in the number line "Số: …/BC-SKHCN". */
  abbreviation: string;
  /** "Nơi nhận" lines, without the leading dash. */
  recipients: string[];
}

/** The written assessment of a report (drafted from the data, edited by the inspector, frozen at closing). */
export interface ReportAssessment {
  overview: string;
  results: string;
  shortcomings: string;
  proposals: string;
}

export interface UnitGroupInfo {
  code: string;
  name: string;
  sort: number;
}

export interface CriterionGroupInfo {
  code: string;
  name: string;
  /** Largest max points of the group over the units (criteria applicability differs by unit type). */
  maxPoints: number | null;
}

export type UnitStatus = "scored" | "not_audited";

export interface UnitScoreRow {
  unitId: number;
  code: string;
  name: string;
  groupCode: string;
  websites: string[];
  status: UnitStatus;
  auditsCount: number;
  /** Points per criterion group code (null when not audited). */
  groupPoints: Record<string, number | null>;
  total: number | null;
  maxTotal: number | null;
  /** Tier label as shown, e.g. "Xuất sắc" (null when not audited). */
  tier: string | null;
  rank: number | null;
  previousTotal: number | null;
  previousRank: number | null;
}

export interface CriterionScoreRow {
  code: string;
  groupCode: string;
  name: string;
  points: number | null;
  maxPoints: number;
}

export type AppealStatus = "pending" | "accepted" | "rejected";

export interface AppealOutcome {
  status: AppealStatus;
  filedAt: Date;
  explanation: string;
  decidedAt: Date | null;
  decisionReason: string | null;
}

export interface FindingRow {
  /** Id of the latest occurrence. */
  id: number;
  checkId: string;
  code: string;
  categoryId: string | null;
  severity: "error" | "warning" | "info";
  message: string;
  url: string | null;
  pageTitle: string | null;
  snippet: string | null;
  firstSeen: Date;
  lastSeen: Date;
  /** How many audits of the period recorded it. */
  occurrences: number;
  /** False when an accepted appeal took it out of the count. */
  counted: boolean;
  appeal: AppealOutcome | null;
  /** The stored page (evidence on the dashboard, /bang-chung/:pageId), when known. */
  pageId: number | null;
  /** Criteria whose points this finding took away. */
  criterionCodes: string[];
}

export interface UnitDetail {
  unitId: number;
  criteria: CriterionScoreRow[];
  findings: FindingRow[];
  /** Findings of the period before the per-unit cap; findings.length when nothing was cut. */
  findingsTotal: number;
}

export interface RubricBasis {
  legalBasis: string | null;
  criteria: { code: string; name: string; groupCode: string; maxPoints: number; legalBasis: string | null }[];
}

export interface ReportModel {
  kind: ReportKind;
  period: ReportPeriod;
  /** A draft is built from scores that are not frozen: marked "BẢN NHÁP" everywhere. */
  draft: boolean;
  /** The date on the document: the freeze time for a frozen period. */
  issuedAt: Date;
  issuer: ReportIssuer;
  rubric: { name: string; version: number } | null;
  /**
   * The legal basis of the rubric the period is scored with, and of each criterion (published
   * rubric versions never change, so a closed period reads the same text later).
   */
  rubricBasis?: RubricBasis | null;
  unitGroups: UnitGroupInfo[];
  criterionGroups: CriterionGroupInfo[];
  /** Tier labels from best to worst (the configured thresholds at freeze time). */
  tierOrder: string[];
  /** Tier thresholds (minimum total per tier), best first. */
  tierThresholds: { tier: string; min: number }[];
  /** The written assessment stored for the period, or null (then drafted from the data). */
  assessment: ReportAssessment | null;
  /** Dashboard base URL for evidence links (…/bang-chung/:pageId), or null for none. */
  evidenceBaseUrl: string | null;
  /** All ranked rows of the report's scope (for a unit report: the unit's group, for its rank "x/N"). */
  units: UnitScoreRow[];
  /** One per unit that gets its own sheet. */
  details: UnitDetail[];
  /** For a unit report: the unit. */
  unitId: number | null;
}

export const DEFAULT_ISSUER: ReportIssuer = {
  parentBody: "UBND TỈNH BÌNH ĐỊNH",
  department: "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
  place: "Bình Định",
  signerTitle: "GIÁM ĐỐC",
  signerName: "",
  abbreviation: "SKHCN",
  recipients: ["UBND tỉnh (để báo cáo)", "Các cơ quan, đơn vị", "Lưu: VT"],
};

/** Tiers from best to worst, with the labels the reports show. */
export const TIERS: readonly { code: string; label: string }[] = [
  { code: "xuat-sac", label: "Xuất sắc" },
  { code: "tot", label: "Tốt" },
  { code: "kha", label: "Khá" },
  { code: "trung-binh", label: "Trung bình" },
  { code: "yeu", label: "Yếu" },
];

/** Maps a stored tier (code like "xuat-sac" or a label like "Xuất sắc") to its label. */
export function tierLabel(tier: string | null | undefined): string | null {
  if (!tier) return null;
  const norm = tier.trim().toLowerCase().replace(/_/g, "-");
  const found = TIERS.find((t) => t.code === norm || t.label.toLowerCase() === norm);
  return found ? found.label : tier.trim();
}
