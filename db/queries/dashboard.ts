// Read models of the dashboard: ranking, trend, unit detail, evidence. Reads the tables
// scoring and the crawler fill (period_scores, criterion_scores, site_audits, findings, pages).
import type { Knex } from "knex";

export interface PeriodItem {
  id: number;
  kind: string;
  code: string;
  starts_on: string;
  ends_on: string;
  frozen_at: Date | null;
}

export async function listPeriodsWithScores(knex: Knex): Promise<PeriodItem[]> {
  return knex("periods as p")
    .whereExists(knex("period_scores as s").whereRaw("s.period_id = p.id").select(knex.raw("1")))
    .select("p.id", "p.kind", "p.code", "p.starts_on", "p.ends_on", "p.frozen_at")
    .orderBy([{ column: "p.starts_on", order: "desc" }, { column: "p.kind" }]);
}

export async function listAllPeriods(knex: Knex): Promise<PeriodItem[]> {
  return knex("periods").select("id", "kind", "code", "starts_on", "ends_on", "frozen_at").orderBy([{ column: "starts_on", order: "desc" }, { column: "kind" }]);
}

export async function getPeriodByCode(knex: Knex, code: string): Promise<PeriodItem | undefined> {
  return knex("periods").where({ code }).first("id", "kind", "code", "starts_on", "ends_on", "frozen_at");
}

export async function getPeriodById(knex: Knex, id: number): Promise<PeriodItem | undefined> {
  return knex("periods").where({ id }).first("id", "kind", "code", "starts_on", "ends_on", "frozen_at");
}

export interface RankingRow {
  unit_id: number;
  unit_name: string;
  group_code: string;
  website: string | null;
  status: string;
  total: number | null;
  max_total: number | null;
  group_points: Record<string, number>;
  tier: string | null;
  rank: number | null;
  previous_total: number | null;
  previous_rank: number | null;
}

export interface RankingFilter {
  group?: string | null;
  tier?: string | null;
  q?: string | null;
  /** Rows per group (first page). */
  limit: number;
  offset?: number;
}

export interface RankingGroup {
  code: string;
  name: string;
  total: number;
  rows: RankingRow[];
}

/**
 * Ranking per group, filtered, with at most `limit` rows per group (server-side paging).
 * The window runs over narrow rows (unit, group, rank); the wide columns (group points,
 * website) are read only for the rows shown.
 */
export async function getRankingPage(knex: Knex, periodId: number, f: RankingFilter): Promise<RankingGroup[]> {
  const params: (string | number)[] = [periodId];
  let where = "s.period_id = ?";
  let join = "";
  if (f.group) {
    where += " and s.group_code = ?";
    params.push(f.group);
  }
  if (f.tier) {
    where += " and s.tier = ?";
    params.push(f.tier);
  }
  if (f.q) {
    join = "join units su on su.id = s.unit_id";
    where += " and (su.name ilike ? or su.code ilike ?)";
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    params.push(like, like);
  }
  const offset = f.offset ?? 0;
  const { rows } = await knex.raw(
    `with ranked as (
       select s.unit_id, s.group_code,
              row_number() over (partition by s.group_code order by s.rank nulls last, s.unit_id) as rn,
              count(*) over (partition by s.group_code) as group_total
         from period_scores s ${join}
        where ${where}
     )
     select r.unit_id, r.group_code, r.rn, r.group_total, u.name as unit_name, s.status, s.total, s.max_total, s.group_points,
            s.tier, s.rank, s.previous_total, s.previous_rank, g.name as group_name,
            (select base_url from sites si where si.unit_id = r.unit_id and si.active
              order by si.is_primary desc, si.id limit 1) as website
       from ranked r
       join period_scores s on s.period_id = ? and s.unit_id = r.unit_id
       join units u on u.id = r.unit_id
       left join unit_groups g on g.code = r.group_code
      where r.rn > ? and r.rn <= ?
      order by g.sort nulls last, r.group_code, r.rn`,
    [...params, periodId, offset, offset + f.limit],
  );
  const groups = new Map<string, RankingGroup>();
  for (const r of rows) {
    let g = groups.get(r.group_code);
    if (!g) {
      g = { code: r.group_code, name: r.group_name ?? r.group_code, total: Number(r.group_total), rows: [] };
      groups.set(r.group_code, g);
    }
    g.rows.push({
      unit_id: r.unit_id,
      unit_name: r.unit_name,
      group_code: r.group_code,
      website: r.website,
      status: r.status,
      total: r.total,
      max_total: r.max_total,
      group_points: r.group_points ?? {},
      tier: r.tier,
      rank: r.rank,
      previous_total: r.previous_total,
      previous_rank: r.previous_rank,
    });
  }
  return [...groups.values()];
}

export async function listTiers(knex: Knex, periodId: number): Promise<string[]> {
  const rows = await knex("period_scores").where({ period_id: periodId }).whereNotNull("tier").distinct("tier");
  const order = ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"];
  return rows.map((r) => r.tier as string).sort((a, b) => (order.indexOf(a) + 99 * +(order.indexOf(a) < 0)) - (order.indexOf(b) + 99 * +(order.indexOf(b) < 0)));
}

export async function listGroups(knex: Knex): Promise<{ code: string; name: string }[]> {
  return knex("unit_groups").select("code", "name").orderBy("sort");
}

/** The province average of scored units for the last periods of one kind, oldest first. */
export async function getProvinceAverageTrend(
  knex: Knex,
  kind: string,
  untilStartsOn: string,
  count = 12,
): Promise<{ code: string; average: number | null; units: number }[]> {
  const { rows } = await knex.raw(
    `select p.code, a.average, a.units
       from (select id, code, starts_on from periods where kind = ? and starts_on <= ? order by starts_on desc limit ?) p
       cross join lateral (select round(avg(s.total)::numeric, 2) as average, count(*) as units
                             from period_scores s where s.period_id = p.id and s.status = 'scored') a
      order by p.starts_on`,
    [kind, untilStartsOn, count],
  );
  return rows.map((r: { code: string; average: string | number | null; units: string | number }) => ({
    code: r.code,
    average: r.average == null ? null : Number(r.average),
    units: Number(r.units),
  }));
}

export interface UnitInfo {
  id: number;
  code: string;
  name: string;
  short_name: string | null;
  unit_type: string;
  group_code: string;
  group_name: string | null;
  head_email: string | null;
  active: boolean;
}

export async function getUnitInfo(knex: Knex, unitId: number): Promise<UnitInfo | undefined> {
  return knex("units as u")
    .leftJoin("unit_groups as g", "g.code", "u.group_code")
    .where("u.id", unitId)
    .first("u.id", "u.code", "u.name", "u.short_name", "u.unit_type", "u.group_code", "g.name as group_name", "u.head_email", "u.active");
}

export async function getUnitSites(knex: Knex, unitId: number) {
  return knex("sites").where({ unit_id: unitId }).orderBy([{ column: "is_primary", order: "desc" }, { column: "id" }]);
}

export async function getUnitPeriodScore(knex: Knex, periodId: number, unitId: number) {
  return knex("period_scores").where({ period_id: periodId, unit_id: unitId }).first();
}

export interface CriterionLine {
  criterion_code: string;
  group_code: string;
  name: string;
  points: number | null;
  max_points: number;
  finding_ids: number[];
  detail: Record<string, unknown>;
  /** The rubric's measure of the criterion (null when the rubric no longer has it). */
  measure: Record<string, unknown> | null;
}

export async function getUnitCriterionScores(knex: Knex, periodId: number, unitId: number): Promise<CriterionLine[]> {
  return knex("criterion_scores as c")
    .join("period_scores as s", function () {
      this.on("s.period_id", "c.period_id").andOn("s.unit_id", "c.unit_id");
    })
    .leftJoin("rubric_criteria as r", function () {
      this.on("r.rubric_version_id", "s.rubric_version_id").andOn("r.code", "c.criterion_code");
    })
    .where({ "c.period_id": periodId, "c.unit_id": unitId })
    .select(
      "c.criterion_code",
      "c.group_code",
      knex.raw("coalesce(r.name, c.criterion_code) as name"),
      "c.points",
      "c.max_points",
      "c.finding_ids",
      "c.detail",
      "r.measure",
    )
    .orderByRaw("r.sort nulls last, c.criterion_code");
}

export interface FindingRow {
  id: number;
  site_audit_id: number;
  check_id: string;
  code: string;
  category_id: string | null;
  severity: string;
  message: string;
  page_id: number | null;
  url: string | null;
  snippet: string | null;
  details: Record<string, unknown>;
  created_at: Date;
  appeal_status: string | null;
}

const findingColumns = (knex: Knex) => [
  "f.id",
  "f.site_audit_id",
  "f.check_id",
  "f.code",
  "f.category_id",
  "f.severity",
  "f.message",
  "f.page_id",
  "f.url",
  "f.snippet",
  "f.details",
  "f.created_at",
  knex.raw(`(select a.status from appeals a where a.finding_id = f.id order by a.filed_at desc limit 1) as appeal_status`),
];

export async function getFindingsByIds(knex: Knex, unitId: number, ids: number[]): Promise<FindingRow[]> {
  if (ids.length === 0) return [];
  return knex("findings as f").whereIn("f.id", ids).andWhere("f.unit_id", unitId).select(findingColumns(knex));
}

export async function getAuditFindings(knex: Knex, auditIds: number[]): Promise<FindingRow[]> {
  if (auditIds.length === 0) return [];
  return knex("findings as f")
    .whereIn("f.site_audit_id", auditIds)
    .select(findingColumns(knex))
    .orderByRaw("case f.severity when 'error' then 0 when 'warning' then 1 else 2 end, f.check_id, f.id")
    .limit(500);
}

export async function getFinding(knex: Knex, findingId: number) {
  return knex("findings").where({ id: findingId }).first();
}

export interface AuditRow {
  id: number;
  site_id: number;
  base_url: string;
  status: string;
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  pages_planned: number;
  pages_done: number;
  pages_failed: number;
  error: string | null;
  findings_count: number;
}

export async function getUnitAuditHistory(knex: Knex, unitId: number, limit = 20): Promise<AuditRow[]> {
  return knex("site_audits as a")
    .join("sites as s", "s.id", "a.site_id")
    .where("a.unit_id", unitId)
    .select(
      "a.id",
      "a.site_id",
      "s.base_url",
      "a.status",
      "a.queued_at",
      "a.started_at",
      "a.finished_at",
      "a.pages_planned",
      "a.pages_done",
      "a.pages_failed",
      "a.error",
      knex.raw("(select count(*)::int from findings f where f.site_audit_id = a.id) as findings_count"),
    )
    .orderByRaw("coalesce(a.finished_at, a.started_at, a.queued_at) desc")
    .limit(limit);
}

/** The newest finished audit of each of the unit's sites, optionally not after a date. */
export async function getLatestUnitAudits(
  knex: Knex,
  unitId: number,
  until?: string | null,
): Promise<{ id: number; site_id: number; base_url: string; finished_at: Date; summary: Record<string, any> | null }[]> {
  const { rows } = await knex.raw(
    `select distinct on (a.site_id) a.id, a.site_id, s.base_url, a.finished_at, a.summary
       from site_audits a join sites s on s.id = a.site_id
      where a.unit_id = ? and a.status = 'done' ${until ? "and a.reference_time < (?::date + 1)" : ""}
      order by a.site_id, a.finished_at desc`,
    until ? [unitId, until] : [unitId],
  );
  return rows;
}

/** Summaries of finished audits between two dates, for the freshness chart. */
export async function getUnitAuditSummaries(knex: Knex, unitId: number, from: string, to: string) {
  return knex("site_audits")
    .where({ unit_id: unitId, status: "done" })
    .andWhere("reference_time", ">=", from)
    .andWhereRaw("reference_time < (?::date + 1)", [to])
    .select("id", "finished_at", "reference_time", "summary")
    .orderBy("reference_time");
}

export interface EvidencePage {
  id: number;
  unit_id: number;
  unit_name: string;
  site_audit_id: number;
  url: string;
  final_url: string | null;
  status: number | null;
  kind: string | null;
  fetched_at: Date;
  content_type: string | null;
  charset_declared: string | null;
  content_hash: string | null;
  size_bytes: number | null;
  rendered: boolean;
  title: string | null;
  error: string | null;
}

export async function getEvidencePage(knex: Knex, pageId: number): Promise<EvidencePage | undefined> {
  return knex("pages as p")
    .join("site_audits as a", "a.id", "p.site_audit_id")
    .join("units as u", "u.id", "a.unit_id")
    .where("p.id", pageId)
    .first(
      "p.id",
      "a.unit_id",
      "u.name as unit_name",
      "p.site_audit_id",
      "p.url",
      "p.final_url",
      "p.status",
      "p.kind",
      "p.fetched_at",
      "p.content_type",
      "p.charset_declared",
      "p.content_hash",
      "p.size_bytes",
      "p.rendered",
      "p.title",
      "p.error",
    );
}

export async function getPageFindings(knex: Knex, pageId: number): Promise<FindingRow[]> {
  return knex("findings as f").where("f.page_id", pageId).select(findingColumns(knex)).orderBy("f.id");
}

export async function getSnapshot(knex: Knex, hash: string): Promise<{ body: Buffer; compression: string } | undefined> {
  return knex("snapshots").where({ hash }).first("body", "compression");
}
