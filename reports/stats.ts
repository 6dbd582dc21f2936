// Figures for the statistics sheet, computed from the model alone.
import { NOT_AUDITED_LABEL, TIERS, type ReportModel } from "./model.ts";

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
      if (!f.counted) continue;
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
