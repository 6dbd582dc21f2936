// Loading the report model and archiving generated reports.
// Scores are read through ./scores.ts (the one read side): a frozen period through
// getFrozenReportModel (frozen rows and snapshots only);
// a period that is not frozen can be read live, for a draft ("bản nháp").
import type { Knex } from "knex";
import {
  DEFAULT_ISSUER,
  tierLabel,
  type CriterionGroupInfo,
  type FindingRow,
  type ReportAssessment,
  type ReportIssuer,
  type ReportModel,
  type UnitDetail,
  type UnitScoreRow,
  type RubricBasis,
} from "../report-model.ts";
import { findingEvidenceSql, type FindingEvidence } from "../scoring/evidence.ts";
import { CRITERION_GROUPS, GROUP_LABELS } from "../scoring/measure.ts";
import { parsePeriodCode, PeriodCodeError, type PeriodSpec } from "../scoring/period-codes.ts";
import { getTierThresholds } from "../scoring/tiers.ts";
import { getFrozenReportModel, readScores, type FrozenReportModel } from "./scores.ts";
import { compareFindings } from "../scoring/finding-order.ts";
import { getPeriodReportTexts, loadDashboardUrl, loadIssuerSettings } from "./report-texts.ts";

export type ReportErrorCode = "bad_period" | "unknown_period" | "not_scored" | "not_frozen" | "unknown_unit";

/** A request that cannot give a report; the message is one clear Vietnamese line for users. */
export class ReportError extends Error {
  constructor(
    readonly code: ReportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ReportError";
  }
}

export interface LoadReportOptions {
  periodCode: string;
  unitId?: number;
  /** Build from live scores when the period is not frozen (the model is then marked draft). */
  allowDraft?: boolean;
  /** The date on a draft (a frozen report is dated by its freeze time). */
  now?: Date;
  /** Findings listed per unit sheet; the rest are counted. */
  maxFindingsPerUnit?: number;
}

export const DEFAULT_MAX_FINDINGS_PER_UNIT = 1000;
/** Unit ids are PostgreSQL integers. */
export const MAX_UNIT_ID = 2_147_483_647;

export interface PeriodState {
  id: number;
  code: string;
  frozen: boolean;
  frozenAt: Date | null;
  hasScores: boolean;
}

export function parseReportPeriod(code: string): PeriodSpec {
  try {
    return parsePeriodCode(code);
  } catch (e) {
    // The message names the code as typed ("2026-13"), never an internal form.
    if (e instanceof PeriodCodeError) throw new ReportError("bad_period", new PeriodCodeError(String(code ?? "").trim()).message);
    throw e;
  }
}

export async function getPeriodState(knex: Knex, periodCode: string): Promise<PeriodState | null> {
  const spec = parseReportPeriod(periodCode);
  const row = await knex("periods").where({ code: spec.code }).first("id", "code", "frozen_at");
  if (!row) return null;
  const any = await knex("period_scores").where({ period_id: row.id }).first(knex.raw("1 as x"));
  return { id: row.id, code: row.code, frozen: row.frozen_at != null, frozenAt: row.frozen_at ?? null, hasScores: !!any };
}

/** The issuing body and signer from settings (department_name, province_name, report_*). */
export const loadIssuer = loadIssuerSettings;

/** The report model for a period (province report) or for one unit in it (unit report). */
export async function loadReportModel(knex: Knex, opts: LoadReportOptions): Promise<ReportModel> {
  const spec = parseReportPeriod(opts.periodCode);
  if (opts.unitId !== undefined) {
    if (!Number.isInteger(opts.unitId) || opts.unitId <= 0 || opts.unitId > MAX_UNIT_ID) throw new ReportError("unknown_unit", `Mã đơn vị không hợp lệ: ${opts.unitId}`);
    const unit = await knex("units").where({ id: opts.unitId }).first("id");
    if (!unit) throw new ReportError("unknown_unit", `Không có đơn vị số ${opts.unitId}.`);
  }
  const state = await getPeriodState(knex, spec.code);
  if (!state || !state.hasScores) throw new ReportError("not_scored", `Kỳ ${spec.code} chưa được tính điểm.`);
  let source: ReportSource;
  if (state.frozen) {
    source = fromFrozen(await getFrozenReportModel(knex, spec.code, opts.unitId));
  } else {
    if (!opts.allowDraft) {
      throw new ReportError("not_frozen", `Kỳ ${spec.code} chưa được chốt điểm: chốt điểm trước, hoặc tạo bản nháp.`);
    }
    source = await loadLive(knex, spec, state.id, opts.unitId);
  }
  const texts = await getPeriodReportTexts(knex, state.id);
  const rubricBasis = await loadRubricBasis(knex, state.id);
  return assemble({ ...source, rubricBasis }, {
    spec,
    issuer: texts?.letterhead ?? (await loadIssuerSettings(knex)),
    assessment: texts?.assessment ?? null,
    evidenceBaseUrl: await loadDashboardUrl(knex),
    unitId: opts.unitId ?? null,
    now: opts.now ?? new Date(),
    maxFindings: opts.maxFindingsPerUnit ?? DEFAULT_MAX_FINDINGS_PER_UNIT,
  });
}

// ---------------------------------------------------------------------------------------
// One shape for frozen and live data, then one assembly into the report model.

interface ReportSource {
  frozenAt: Date | null;
  rubric: { name: string; version: number } | null;
  rubricBasis?: RubricBasis | null;
  tierOrder: string[];
  tierThresholds: { tier: string; min: number }[];
  unitGroups: { code: string; name: string; sort: number }[];
  criterionGroups: CriterionGroupInfo[];
  units: UnitScoreRow[];
  details: { unitId: number; criteria: UnitDetail["criteria"]; findings: FindingRow[] }[];
}

function fromFrozen(m: FrozenReportModel): ReportSource {
  return {
    frozenAt: new Date(m.period.frozenAt),
    rubric: { name: m.rubric.name, version: m.rubric.version },
    tierOrder: m.tierThresholds.map((t) => t.tier),
    tierThresholds: m.tierThresholds.map((t) => ({ tier: t.tier, min: t.min })),
    unitGroups: m.unitGroups,
    criterionGroups: m.criterionGroups.map((g) => ({ code: g.code, name: g.name, maxPoints: g.maxPoints })),
    units: m.units.map((u) => ({
      unitId: u.unitId,
      code: u.code,
      name: u.name,
      groupCode: u.groupCode,
      websites: u.websites,
      status: u.status,
      auditsCount: u.auditsCount,
      groupPoints: u.groupPoints,
      total: u.total,
      maxTotal: u.maxTotal,
      tier: tierLabel(u.tier),
      rank: u.rank,
      previousTotal: u.previousTotal,
      previousRank: u.previousRank,
    })),
    details: m.details.map((d) => ({
      unitId: d.unitId,
      criteria: d.criteria.map((c) => ({ code: c.code, groupCode: c.groupCode, name: c.name, points: c.points, maxPoints: c.maxPoints })),
      findings: d.findings.map((f) => ({
        id: f.id,
        checkId: f.checkId,
        code: f.code,
        categoryId: f.categoryId,
        severity: f.severity,
        message: f.message,
        url: f.url,
        pageTitle: f.pageTitle,
        snippet: f.snippet,
        firstSeen: new Date(f.firstSeen),
        lastSeen: new Date(f.lastSeen),
        occurrences: f.occurrences,
        counted: f.counted,
        appeal: appealOf(f.appeal),
        pageId: f.evidence.pageId,
        criterionCodes: f.criterionCodes,
      })),
    })),
  };
}

function appealOf(a: FindingEvidence["appeal"]): FindingRow["appeal"] {
  if (!a) return null;
  return {
    status: a.status,
    filedAt: new Date(a.filedAt),
    explanation: a.explanation,
    decidedAt: a.decidedAt ? new Date(a.decidedAt) : null,
    decisionReason: a.reason,
  };
}

/** The legal basis of the period's rubric version and of each of its criteria, in rubric order. */
async function loadRubricBasis(knex: Knex, periodId: number): Promise<RubricBasis | null> {
  const { rows } = await knex.raw(
    `select rv.legal_basis as rubric_basis, rc.code, rc.name, rc.group_code, rc.max_points, rc.legal_basis
       from periods p
       join rubric_versions rv on rv.id = p.rubric_version_id
       join rubric_criteria rc on rc.rubric_version_id = rv.id
      where p.id = ?
      order by rc.sort, rc.code`,
    [periodId],
  );
  if (!rows.length) return null;
  return {
    legalBasis: rows[0].rubric_basis ?? null,
    criteria: rows.map((r: Record<string, string | null>) => ({
      code: String(r.code),
      name: String(r.name),
      groupCode: String(r.group_code),
      maxPoints: Number(r.max_points),
      legalBasis: r.legal_basis ?? null,
    })),
  };
}

async function loadLive(knex: Knex, spec: PeriodSpec, periodId: number, unitId: number | undefined): Promise<ReportSource> {
  const period = await knex("periods").where({ id: periodId }).first("rubric_version_id");
  const rubric = period?.rubric_version_id
    ? await knex("rubric_versions").where({ id: period.rubric_version_id }).first("name", "version")
    : null;
  const unitGroups = await knex("unit_groups").orderBy([{ column: "sort" }, { column: "code" }]).select("code", "name", "sort");
  const groupMax: Record<string, number | null> = {};
  const units: UnitScoreRow[] = (await readScores(knex, periodId)).map((r) => {
    const scored = r.status === "scored";
    const groupPoints: Record<string, number | null> = {};
    for (const g of CRITERION_GROUPS) {
      const v = r.groupPoints[g];
      groupPoints[g] = scored ? (v?.points ?? null) : null;
      if (v?.max != null) groupMax[g] = Math.max(groupMax[g] ?? 0, v.max);
    }
    return {
      unitId: r.unitId,
      code: r.unitCode,
      name: r.unitName,
      groupCode: r.groupCode,
      websites: r.websites,
      status: r.status,
      auditsCount: r.auditsCount,
      groupPoints,
      total: r.total,
      maxTotal: r.maxTotal,
      tier: tierLabel(r.tier),
      rank: r.rank,
      previousTotal: r.previousTotal,
      previousRank: r.previousRank,
    };
  });
  const { rows: critRows } = await knex.raw(
    `select cs.unit_id, cs.criterion_code, cs.group_code, cs.points, cs.max_points, coalesce(cs.detail->>'name', rc.name) as name,
            coalesce((select jsonb_agg(${findingEvidenceSql("f.id = any(cs.finding_ids)")} order by f.id)
                        from findings f join site_audits sa on sa.id = f.site_audit_id
                       where f.id = any(cs.finding_ids || coalesce(array(select jsonb_array_elements_text(cs.detail->'acceptedFindingIds')::bigint), '{}'))),
                     '[]'::jsonb) as findings
       from criterion_scores cs
       left join rubric_criteria rc on rc.rubric_version_id = ? and rc.code = cs.criterion_code
      where cs.period_id = ? ${unitId !== undefined ? "and cs.unit_id = ?" : ""}
      order by cs.unit_id, rc.sort nulls last, cs.criterion_code`,
    unitId !== undefined ? [period?.rubric_version_id ?? null, periodId, unitId] : [period?.rubric_version_id ?? null, periodId],
  );
  const byUnit = new Map<number, { criteria: UnitDetail["criteria"]; evidence: { e: FindingEvidence; criterion: string }[] }>();
  for (const r of critRows as Record<string, any>[]) {
    let d = byUnit.get(r.unit_id);
    if (!d) byUnit.set(r.unit_id, (d = { criteria: [], evidence: [] }));
    d.criteria.push({ code: r.criterion_code, groupCode: r.group_code, name: r.name ?? r.criterion_code, points: r.points, maxPoints: r.max_points });
    for (const e of r.findings as FindingEvidence[]) d.evidence.push({ e, criterion: r.criterion_code });
  }
  const detailUnits = unitId !== undefined ? units.filter((u) => u.unitId === unitId) : units;
  const thresholds = await getTierThresholds(knex);
  return {
    frozenAt: null,
    rubric: rubric ? { name: rubric.name, version: rubric.version } : null,
    tierOrder: thresholds.map((t) => t.tier),
    tierThresholds: thresholds.map((t) => ({ tier: t.tier, min: t.min })),
    unitGroups,
    criterionGroups: CRITERION_GROUPS.map((code) => ({ code, name: GROUP_LABELS[code], maxPoints: groupMax[code] ?? null })),
    units,
    details: detailUnits.map((u) => {
      const d = byUnit.get(u.unitId);
      return { unitId: u.unitId, criteria: d?.criteria ?? [], findings: dedupeEvidence(d?.evidence ?? []) };
    }),
  };
}

/** One row per (code, category, url) over the period's audits, counted findings first. */
export function dedupeEvidence(evidence: { e: FindingEvidence; criterion: string }[]): FindingRow[] {
  const byId = new Map<number, FindingEvidence>();
  const criteriaOf = new Map<number, Set<string>>();
  for (const { e, criterion } of evidence) {
    byId.set(e.id, e);
    const set = criteriaOf.get(e.id) ?? new Set<string>();
    set.add(criterion);
    criteriaOf.set(e.id, set);
  }
  const groups = new Map<string, FindingEvidence[]>();
  for (const e of byId.values()) {
    const key = JSON.stringify([e.code, e.categoryId, e.url]);
    const list = groups.get(key);
    if (list) list.push(e);
    else groups.set(key, [e]);
  }
  const rows: FindingRow[] = [];
  for (const list of groups.values()) {
    list.sort((a, b) => a.auditTime.localeCompare(b.auditTime) || a.id - b.id);
    const latest = list[list.length - 1];
    const appeal = [...list].reverse().find((x) => x.appeal)?.appeal ?? null;
    rows.push({
      id: latest.id,
      checkId: latest.checkId,
      code: latest.code,
      categoryId: latest.categoryId,
      severity: latest.severity,
      message: latest.message,
      url: latest.url,
      pageTitle: latest.page?.title ?? null,
      snippet: latest.snippet,
      firstSeen: new Date(list[0].auditTime),
      lastSeen: new Date(latest.auditTime),
      occurrences: list.length,
      counted: list.some((x) => x.counted),
      appeal: appealOf(appeal),
      pageId: latest.page?.id ?? null,
      criterionCodes: [...new Set(list.flatMap((x) => [...(criteriaOf.get(x.id) ?? [])]))].sort(),
    });
  }
  return rows.sort(compareFindings);
}

function assemble(
  src: ReportSource,
  ctx: {
    spec: PeriodSpec;
    issuer: ReportIssuer;
    assessment: ReportAssessment | null;
    evidenceBaseUrl: string | null;
    unitId: number | null;
    now: Date;
    maxFindings: number;
  },
): ReportModel {
  let units = src.units;
  if (ctx.unitId !== null) {
    const unit = units.find((u) => u.unitId === ctx.unitId);
    if (!unit) throw new ReportError("unknown_unit", `Đơn vị số ${ctx.unitId} không có kết quả trong kỳ ${ctx.spec.code}.`);
    units = units.filter((u) => u.groupCode === unit.groupCode);
  }
  const details: UnitDetail[] = src.details
    .filter((d) => ctx.unitId === null || d.unitId === ctx.unitId)
    .map((d) => ({
      unitId: d.unitId,
      criteria: d.criteria,
      findings: d.findings.slice(0, ctx.maxFindings),
      findingsTotal: d.findings.length,
    }));
  const draft = src.frozenAt === null;
  return {
    kind: ctx.unitId === null ? "province" : "unit",
    period: { code: ctx.spec.code, kind: ctx.spec.kind, startsOn: ctx.spec.startsOn, endsOn: ctx.spec.endsOn, frozenAt: src.frozenAt },
    draft,
    issuedAt: src.frozenAt ?? ctx.now,
    issuer: ctx.issuer,
    rubric: src.rubric,
    rubricBasis: src.rubricBasis ?? null,
    unitGroups: src.unitGroups,
    criterionGroups: src.criterionGroups,
    tierOrder: src.tierOrder,
    tierThresholds: src.tierThresholds,
    assessment: ctx.assessment,
    evidenceBaseUrl: ctx.evidenceBaseUrl,
    units,
    details,
    unitId: ctx.unitId,
  };
}

// ---------------------------------------------------------------------------------------
// The archive: every generated file, with who and when.

export interface ArchivedReportInfo {
  id: number;
  periodCode: string;
  unitId: number | null;
  kind: "province" | "unit";
  fileName: string;
  sha256: string;
  sizeBytes: number;
  createdBy: number | null;
  createdAt: Date;
  /** Archived by closing the period (no draft stamp). */
  official: boolean;
  /** Set when the period was reopened after this official report. */
  supersededAt: Date | null;
  supersededReason: string | null;
}

export async function archiveReport(
  knex: Knex,
  r: { periodCode: string; unitId: number | null; fileName: string; content: Buffer; sha256: string; userId: number | null },
): Promise<number> {
  const period = await knex("periods").where({ code: r.periodCode }).first("id");
  if (!period) throw new ReportError("unknown_period", `Không có kỳ ${r.periodCode}.`);
  const [row] = await knex("reports")
    .insert({
      period_id: period.id,
      unit_id: r.unitId,
      kind: r.unitId === null ? "province" : "unit",
      file_name: r.fileName,
      content: r.content,
      sha256: r.sha256,
      created_by: r.userId,
    })
    .returning("id");
  return row.id;
}

const INFO_COLUMNS = [
  "r.id",
  "p.code as periodCode",
  "r.unit_id as unitId",
  "r.kind",
  "r.file_name as fileName",
  "r.sha256",
  "r.created_by as createdBy",
  "r.created_at as createdAt",
  "r.official",
  "r.superseded_at as supersededAt",
  "r.superseded_reason as supersededReason",
];

export async function listReports(knex: Knex, opts: { periodCode?: string; unitId?: number; limit?: number } = {}): Promise<ArchivedReportInfo[]> {
  const q = knex("reports as r")
    .join("periods as p", "p.id", "r.period_id")
    .select(...INFO_COLUMNS, knex.raw("octet_length(r.content) as \"sizeBytes\""))
    .orderBy([{ column: "r.created_at", order: "desc" }, { column: "r.id", order: "desc" }])
    .limit(opts.limit ?? 100);
  if (opts.periodCode) q.where("p.code", parseReportPeriod(opts.periodCode).code);
  if (opts.unitId !== undefined) q.where("r.unit_id", opts.unitId);
  return q;
}

export async function getArchivedReport(knex: Knex, id: number): Promise<(ArchivedReportInfo & { content: Buffer }) | null> {
  const row = await knex("reports as r")
    .join("periods as p", "p.id", "r.period_id")
    .where("r.id", id)
    .first(...INFO_COLUMNS, "r.content", knex.raw("octet_length(r.content) as \"sizeBytes\""));
  return row ?? null;
}
