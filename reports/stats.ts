// Figures for the statistics sheet, computed from the model alone.
import { NOT_AUDITED_LABEL, TIERS, type ReportModel, type UnitScoreRow } from "./model.ts";

export interface TierCounts {
  groupCode: string;
  /** Count per tier label (TIERS order, then any other label seen), plus NOT_AUDITED_LABEL. */
  counts: Record<string, number>;
  total: number;
  averageTotal: number | null;
}

export interface FailureCount {
  code: string;
  severity: string;
  /** Units with at least one such finding. */
  units: number;
  findings: number;
}

export function tierColumns(model: Pick<ReportModel, "units" | "tierOrder">): string[] {
  const labels: string[] = model.tierOrder.length ? [...model.tierOrder] : TIERS.map((t) => t.label);
  for (const u of model.units) if (u.tier && !labels.includes(u.tier)) labels.push(u.tier);
  labels.push(NOT_AUDITED_LABEL);
  return labels;
}

export function tierCounts(model: ReportModel): TierCounts[] {
  const columns = tierColumns(model);
  const byGroup = new Map<string, TierCounts & { sum: number; scored: number }>();
  for (const g of model.unitGroups) {
    byGroup.set(g.code, {
      groupCode: g.code,
      counts: Object.fromEntries(columns.map((c) => [c, 0])),
      total: 0,
      averageTotal: null,
      sum: 0,
      scored: 0,
    });
  }
  for (const u of model.units) {
    const row = byGroup.get(u.groupCode);
    if (!row) continue;
    const label = u.status === "not_audited" || !u.tier ? NOT_AUDITED_LABEL : u.tier;
    row.counts[label] = (row.counts[label] ?? 0) + 1;
    row.total += 1;
    if (u.status === "scored" && u.total != null) {
      row.sum += u.total;
      row.scored += 1;
    }
  }
  return [...byGroup.values()]
    .filter((r) => r.total > 0)
    .map(({ sum, scored, ...r }) => ({ ...r, averageTotal: scored ? round2(sum / scored) : null }));
}

/** The most common failures: by number of units affected, then number of findings, then code. */
export function commonFailures(model: ReportModel, limit = 20): FailureCount[] {
  const byCode = new Map<string, FailureCount>();
  for (const d of model.details) {
    const seen = new Set<string>();
    for (const f of d.findings) {
      // Accepted appeals and information-level items are not failures.
      if (!f.counted || f.severity === "info") continue;
      let c = byCode.get(f.code);
      if (!c) byCode.set(f.code, (c = { code: f.code, severity: f.severity, units: 0, findings: 0 }));
      c.findings += 1;
      if (!seen.has(f.code)) {
        seen.add(f.code);
        c.units += 1;
      }
    }
  }
  return [...byCode.values()]
    .sort((a, b) => b.units - a.units || b.findings - a.findings || a.code.localeCompare(b.code))
    .slice(0, limit);
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * Largest maximum per criterion group over the units, from the criteria themselves, so that drafts
 * and official reports print the same figure (null when no unit has criteria of the group).
 */
export function groupMaxima(model: ReportModel): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const g of model.criterionGroups) out[g.code] = null;
  for (const d of model.details) {
    const sums: Record<string, number> = {};
    for (const c of d.criteria) sums[c.groupCode] = (sums[c.groupCode] ?? 0) + c.maxPoints;
    for (const [k, v] of Object.entries(sums)) out[k] = Math.max(out[k] ?? 0, round2(v));
  }
  for (const g of model.criterionGroups) if (out[g.code] == null) out[g.code] = g.maxPoints;
  return out;
}

/** Maximum points per unit group and criterion group (criteria apply by unit type). */
export function maximaByUnitGroup(model: ReportModel): { groupCode: string; byCriterionGroup: Record<string, number>; total: number }[] {
  const unitGroup = new Map(model.units.map((u) => [u.unitId, u.groupCode]));
  const out = new Map<string, { groupCode: string; byCriterionGroup: Record<string, number>; total: number }>();
  for (const d of model.details) {
    const g = unitGroup.get(d.unitId);
    if (!g || out.has(g) || d.criteria.length === 0) continue;
    const by: Record<string, number> = {};
    for (const c of d.criteria) by[c.groupCode] = round2((by[c.groupCode] ?? 0) + c.maxPoints);
    out.set(g, { groupCode: g, byCriterionGroup: by, total: round2(Object.values(by).reduce((a, b) => a + b, 0)) });
  }
  return model.unitGroups.flatMap((g) => (out.has(g.code) ? [out.get(g.code)!] : []));
}

/** Units whose total changed most since the previous period (`limit` up and `limit` down). */
export function biggestChanges(model: ReportModel, limit = 10): { improved: UnitScoreRow[]; declined: UnitScoreRow[] } {
  const rows = model.units.filter((u) => u.status === "scored" && u.total != null && u.previousTotal != null);
  const delta = (u: UnitScoreRow) => (u.total ?? 0) - (u.previousTotal ?? 0);
  const byName = (a: UnitScoreRow, b: UnitScoreRow) => a.name.localeCompare(b.name, "vi") || a.unitId - b.unitId;
  return {
    improved: rows.filter((u) => delta(u) > 0).sort((a, b) => delta(b) - delta(a) || byName(a, b)).slice(0, limit),
    declined: rows.filter((u) => delta(u) < 0).sort((a, b) => delta(a) - delta(b) || byName(a, b)).slice(0, limit),
  };
}
