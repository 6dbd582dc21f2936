// Rubric versions and their criteria. A published version is never changed in place
// (checked here and by the triggers of migration 20261122010500_scoring): editing means
// copy → draft → edit → publish with an effective date.
import type { Knex } from "knex";
import { ScoringError } from "../scoring/errors.ts";
import { criterionInputSchema, type Criterion, type CriterionInput, type Measure } from "../scoring/measure.ts";
import { drainRescoreRequests, requestRescore } from "../scoring/rescore.ts";
import { openPeriodCodes } from "../scoring/compute.ts";
import { parsePeriodCode } from "../scoring/period-codes.ts";
import { readRanks } from "./scores.ts";
import { unknownMeasureNames } from "../../crawler/catalog/registry.ts";

export interface RubricVersion {
  id: number;
  name: string;
  version: number;
  status: "draft" | "published" | "archived";
  effective_from: string | null;
  legal_basis: string | null;
  based_on_id: number | null;
  notes: string | null;
  created_by: number | null;
  created_at: Date;
  published_at: Date | null;
}

export interface RubricCriterion {
  id: number;
  rubric_version_id: number;
  code: string;
  group_code: string;
  name: string;
  max_points: number;
  measure: Measure;
  applies_to: string[];
  legal_basis: string | null;
  sort: number;
}

export interface Rubric {
  version: RubricVersion;
  criteria: RubricCriterion[];
  totalPoints: number;
}

function validateCriteria(input: CriterionInput[]): Criterion[] {
  const out: Criterion[] = [];
  const seen = new Set<string>();
  input.forEach((c, i) => {
    const parsed = criterionInputSchema.safeParse(c);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ScoringError("invalid", `Tiêu chí thứ ${i + 1} (${(c as { code?: string }).code ?? "?"}) không hợp lệ: ${issue.path.join(".")} — ${issue.message}`);
    }
    // Names must exist in the registries the checks share (a typo would cost every unit the points).
    const unknown = unknownMeasureNames(parsed.data.measure);
    if (unknown.length) throw new ScoringError("invalid", `Tiêu chí ${parsed.data.code} không hợp lệ: ${unknown.join("; ")}.`);
    if (seen.has(parsed.data.code)) throw new ScoringError("invalid", `Mã tiêu chí bị trùng: ${parsed.data.code}`);
    seen.add(parsed.data.code);
    out.push(parsed.data);
  });
  return out;
}

function criterionRow(versionId: number, c: Criterion, sort: number) {
  return {
    rubric_version_id: versionId,
    code: c.code,
    group_code: c.group,
    name: c.name,
    max_points: c.maxPoints,
    measure: JSON.stringify(c.measure),
    applies_to: c.appliesTo,
    legal_basis: c.legalBasis ?? null,
    sort: c.sort ?? sort,
  };
}

export async function getRubric(knex: Knex, versionId: number): Promise<Rubric> {
  const version: RubricVersion | undefined = await knex("rubric_versions").where({ id: versionId }).first();
  if (!version) throw new ScoringError("not_found", `Không tìm thấy phiên bản bộ tiêu chí #${versionId}`);
  const criteria: RubricCriterion[] = await knex("rubric_criteria")
    .where({ rubric_version_id: versionId })
    .orderBy([{ column: "sort" }, { column: "code" }]);
  const totalPoints = Math.round(criteria.reduce((s, c) => s + Number(c.max_points), 0) * 100) / 100;
  return { version, criteria, totalPoints };
}

export async function listRubricVersions(knex: Knex): Promise<(RubricVersion & { total_points: number; criteria_count: number })[]> {
  return knex("rubric_versions as v")
    .leftJoin("rubric_criteria as c", "c.rubric_version_id", "v.id")
    .groupBy("v.id")
    .orderBy([{ column: "v.name" }, { column: "v.version", order: "desc" }])
    .select("v.*", knex.raw("coalesce(sum(c.max_points), 0)::float8 as total_points"), knex.raw("count(c.id)::int as criteria_count"));
}

/** Create a new draft version with the given criteria (used by seeds and imports). */
export async function createRubricDraft(
  knex: Knex,
  opts: { name: string; legalBasis?: string | null; notes?: string | null; userId?: number | null; criteria: CriterionInput[] },
): Promise<number> {
  const criteria = validateCriteria(opts.criteria);
  return knex.transaction(async (trx) => {
    const [{ next }] = await trx("rubric_versions").where({ name: opts.name }).select(trx.raw("coalesce(max(version), 0) + 1 as next"));
    const [{ id }] = await trx("rubric_versions")
      .insert({ name: opts.name, version: next, status: "draft", legal_basis: opts.legalBasis ?? null, notes: opts.notes ?? null, created_by: opts.userId ?? null })
      .returning("id");
    if (criteria.length) await trx("rubric_criteria").insert(criteria.map((c, i) => criterionRow(id, c, (i + 1) * 10)));
    return id as number;
  });
}

/** Copy any version (usually the one in force) to a new draft of the same name. */
export async function copyRubric(knex: Knex, opts: { fromVersionId: number; userId?: number | null; notes?: string | null }): Promise<number> {
  return knex.transaction(async (trx) => {
    const from: RubricVersion | undefined = await trx("rubric_versions").where({ id: opts.fromVersionId }).first();
    if (!from) throw new ScoringError("not_found", `Không tìm thấy phiên bản bộ tiêu chí #${opts.fromVersionId}`);
    await trx.raw("select pg_advisory_xact_lock(hashtext('rubric:' || ?))", [from.name]);
    const [{ next }] = await trx("rubric_versions").where({ name: from.name }).select(trx.raw("coalesce(max(version), 0) + 1 as next"));
    const [{ id }] = await trx("rubric_versions")
      .insert({
        name: from.name,
        version: next,
        status: "draft",
        legal_basis: from.legal_basis,
        based_on_id: from.id,
        notes: opts.notes ?? null,
        created_by: opts.userId ?? null,
      })
      .returning("id");
    await trx.raw(
      `insert into rubric_criteria (rubric_version_id, code, group_code, name, max_points, measure, applies_to, legal_basis, sort)
       select ?, code, group_code, name, max_points, measure, applies_to, legal_basis, sort
         from rubric_criteria where rubric_version_id = ?`,
      [id, from.id],
    );
    await trx("audit_log").insert({
      user_id: opts.userId ?? null,
      action: "rubric.copy",
      entity: "rubric_version",
      entity_id: String(id),
      details: JSON.stringify({ from: from.id, name: from.name, version: next }),
    });
    return id as number;
  });
}

async function requireDraft(trx: Knex, versionId: number): Promise<RubricVersion> {
  const v: RubricVersion | undefined = await trx("rubric_versions").where({ id: versionId }).forUpdate().first();
  if (!v) throw new ScoringError("not_found", `Không tìm thấy phiên bản bộ tiêu chí #${versionId}`);
  if (v.status !== "draft")
    throw new ScoringError("frozen", `Phiên bản ${v.version} của "${v.name}" đã ban hành, không sửa trực tiếp được; hãy sao chép thành bản nháp mới.`);
  return v;
}

/** Edit a draft: upsert criteria by code and remove the listed codes; optionally its metadata. */
export async function updateDraftCriteria(
  knex: Knex,
  versionId: number,
  changes: { upsert?: CriterionInput[]; remove?: string[]; legalBasis?: string | null; notes?: string | null },
  userId?: number | null,
): Promise<Rubric> {
  const upserts = validateCriteria(changes.upsert ?? []);
  await knex.transaction(async (trx) => {
    await requireDraft(trx, versionId);
    if (changes.remove?.length) await trx("rubric_criteria").where({ rubric_version_id: versionId }).whereIn("code", changes.remove).delete();
    if (upserts.length) {
      const [{ maxSort }] = await trx("rubric_criteria").where({ rubric_version_id: versionId }).select(trx.raw("coalesce(max(sort), 0) as \"maxSort\""));
      await trx("rubric_criteria")
        .insert(upserts.map((c, i) => criterionRow(versionId, c, Number(maxSort) + (i + 1) * 10)))
        .onConflict(["rubric_version_id", "code"])
        .merge(["group_code", "name", "max_points", "measure", "applies_to", "legal_basis", ...(upserts.every((c) => c.sort !== undefined) ? ["sort"] : [])]);
    }
    const meta: Record<string, unknown> = {};
    if (changes.legalBasis !== undefined) meta.legal_basis = changes.legalBasis;
    if (changes.notes !== undefined) meta.notes = changes.notes;
    if (Object.keys(meta).length) await trx("rubric_versions").where({ id: versionId }).update(meta);
    await trx("audit_log").insert({
      user_id: userId ?? null,
      action: "rubric.edit",
      entity: "rubric_version",
      entity_id: String(versionId),
      details: JSON.stringify({ upsert: upserts.map((c) => c.code), remove: changes.remove ?? [] }),
    });
  });
  return getRubric(knex, versionId);
}

/** Publish a draft with the date it takes effect (YYYY-MM-DD). Periods starting on or after use it. */
export async function publishRubric(knex: Knex, opts: { versionId: number; effectiveFrom: string; userId?: number | null }): Promise<Rubric> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.effectiveFrom) || Number.isNaN(Date.parse(opts.effectiveFrom)))
    throw new ScoringError("invalid", `Ngày hiệu lực không hợp lệ: ${opts.effectiveFrom}`);
  await knex.transaction(async (trx) => {
    await requireDraft(trx, opts.versionId);
    const [{ n, total }] = await trx("rubric_criteria")
      .where({ rubric_version_id: opts.versionId })
      .select(trx.raw("count(*)::int as n"), trx.raw("coalesce(sum(max_points), 0)::float8 as total"));
    if (n === 0 || total <= 0) throw new ScoringError("invalid", "Bộ tiêu chí chưa có tiêu chí nào có điểm, không thể ban hành.");
    await trx("rubric_versions")
      .where({ id: opts.versionId })
      .update({ status: "published", effective_from: opts.effectiveFrom, published_at: trx.fn.now() });
    await trx("audit_log").insert({
      user_id: opts.userId ?? null,
      action: "rubric.publish",
      entity: "rubric_version",
      entity_id: String(opts.versionId),
      details: JSON.stringify({ effectiveFrom: opts.effectiveFrom, totalPoints: total }),
    });
    // Every open period that ends on or after the effective date may now score under this version.
    const affected = (await openPeriodCodes(trx)).filter((c) => parsePeriodCode(c).endsOn >= opts.effectiveFrom);
    if (affected.length) await requestRescore(trx, { periodCodes: affected, reason: `rubric.publish:${opts.versionId}` });
  });
  return getRubric(knex, opts.versionId);
}

/** The published version in force on a day: latest effective_from ≤ day (latest publication wins a tie). */
export async function getRubricVersionIdForDate(knex: Knex, day: string): Promise<number | null> {
  const row = await knex("rubric_versions")
    .where({ status: "published" })
    .andWhere("effective_from", "<=", day)
    .orderBy([{ column: "effective_from", order: "desc" }, { column: "published_at", order: "desc" }, { column: "id", order: "desc" }])
    .first("id");
  return row?.id ?? null;
}

export async function getRubricForDate(knex: Knex, day: string): Promise<Rubric | null> {
  const id = await getRubricVersionIdForDate(knex, day);
  return id === null ? null : getRubric(knex, id);
}

export interface PublishPreview {
  /** Open periods whose scores would be recomputed. */
  periods: string[];
  /** Unit-period scores compared, and how many would change total or rank. */
  compared: number;
  totalChanged: number;
  rankChanged: number;
  /** Distinct units with any change. */
  unitsChanged: number;
  largest: { unitId: number; unitName: string; periodCode: string; before: number | null; after: number | null; delta: number } | null;
}

async function openScores(knex: Knex | Knex.Transaction) {
  const rows: { code: string; period_id: number; unit_id: number; name: string; total: string | null; rank: number | null }[] = await knex("period_scores as ps")
    .join("periods as p", "p.id", "ps.period_id")
    .join("units as u", "u.id", "ps.unit_id")
    .whereNull("p.frozen_at")
    .select("p.code", "ps.period_id", "ps.unit_id", "u.name", "ps.total");
  const ranks = await readRanks(knex, [...new Set(rows.map((r) => r.period_id))]);
  for (const r of rows) r.rank = ranks.get(`${r.period_id}|${r.unit_id}`) ?? null;
  return new Map(rows.map((r) => [`${r.code}|${r.unit_id}`, r]));
}

/**
 * What publishing would change: the publication and the rescore of every open period are run
 * in a transaction that is rolled back, and the scores compared with those stored now.
 */
export async function previewRubricPublish(knex: Knex, opts: { versionId: number; effectiveFrom: string }): Promise<PublishPreview> {
  const before = await openScores(knex);
  let preview: PublishPreview | undefined;
  const ROLLBACK = "preview-rollback";
  await knex
    .transaction(async (trx) => {
      await publishRubric(trx as unknown as Knex, { versionId: opts.versionId, effectiveFrom: opts.effectiveFrom, userId: null });
      const drained = await drainRescoreRequests(trx as unknown as Knex);
      const after = await openScores(trx);
      const changedUnits = new Set<number>();
      let totalChanged = 0;
      let rankChanged = 0;
      let largest: PublishPreview["largest"] = null;
      for (const [key, a] of after) {
        const b = before.get(key);
        const tb = b?.total == null ? null : Number(b.total);
        const ta = a.total == null ? null : Number(a.total);
        if (tb !== ta) totalChanged++;
        if ((b?.rank ?? null) !== a.rank) rankChanged++;
        if (tb !== ta || (b?.rank ?? null) !== a.rank) changedUnits.add(a.unit_id);
        const delta = Math.round(((ta ?? 0) - (tb ?? 0)) * 100) / 100;
        if (tb !== null && ta !== null && (!largest || Math.abs(delta) > Math.abs(largest.delta))) {
          largest = { unitId: a.unit_id, unitName: a.name, periodCode: a.code, before: tb, after: ta, delta };
        }
      }
      preview = {
        periods: drained?.result.recomputed ?? [],
        compared: after.size,
        totalChanged,
        rankChanged,
        unitsChanged: changedUnits.size,
        largest: largest && (largest as { delta: number }).delta !== 0 ? largest : null,
      };
      throw new Error(ROLLBACK);
    })
    .catch((err) => {
      if ((err as Error).message !== ROLLBACK) throw err;
    });
  return preview!;
}
