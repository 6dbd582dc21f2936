// A small province for scoring tests: units, sites, audits with metrics, findings, users.
import type { Knex } from "knex";
import type { AuditMetrics, CategoryStatus } from "../../crawler/types.ts";

export const ALL_CATEGORIES = [
  "gioi-thieu", "lanh-dao", "tin-tuc", "chi-dao-dieu-hanh", "lich-cong-tac", "pho-bien-phap-luat",
  "chien-luoc-quy-hoach", "van-ban", "du-an-dau-tu", "lay-y-kien", "thu-tuc-hanh-chinh", "hoi-dap",
  "lien-he", "thong-ke", "khoa-hoc", "cong-bao", "so-do-site", "tieng-anh",
];

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

/** A perfect audit, with overrides; `categoryStatus` overrides single categories. */
export function metrics(over: DeepPartial<AuditMetrics> = {}, categoryStatus: Record<string, CategoryStatus> = {}): AuditMetrics {
  const base: AuditMetrics = {
    categories: ALL_CATEGORIES.map((id) => ({ id, status: "present" as CategoryStatus, url: `https://x.gov.vn/${id}` })),
    encoding: { pagesChecked: 10, pagesCompliant: 10, legacySchemes: [] },
    identity: { unitName: true, responsiblePerson: true, address: true, phone: true, email: true },
    freshness: { latestPublished: null, daysSinceLastPost: 1, postsLast7Days: 5, postsLast30Days: 20, postsLast90Days: 60, postsPerWeek: 5, newSincePreviousAudit: null },
    deadlines: { documentsChecked: 4, documentsOnTime: 4 },
    attribution: { articlesChecked: 10, withAuthor: 10, withSource: 10 },
    technical: { https: true, httpsRedirect: true, sitemapXml: true, sitemapPage: true, search: true, viewport: true, langVi: true, imgAltRatio: 1, axeSeriousViolations: 0 },
  };
  const out = structuredClone(base) as unknown as Record<string, Record<string, unknown>>;
  for (const [k, v] of Object.entries(over)) {
    if (k === "categories") continue;
    out[k] = { ...out[k], ...(v as Record<string, unknown>) };
  }
  const m = out as unknown as AuditMetrics;
  m.categories = m.categories.map((c) => (categoryStatus[c.id] ? { ...c, status: categoryStatus[c.id] } : c));
  return m;
}

export async function seedGroups(knex: Knex): Promise<void> {
  await knex("unit_groups").insert([
    { code: "so-nganh", name: "Sở, ban, ngành", sort: 1 },
    { code: "huyen", name: "UBND cấp huyện", sort: 2 },
    { code: "xa", name: "UBND cấp xã", sort: 3 },
  ]).onConflict("code").ignore();
}

export async function addUnit(knex: Knex, code: string, name: string, unitType: string, group: string): Promise<{ unitId: number; siteId: number }> {
  const [{ id: unitId }] = await knex("units").insert({ code, name, unit_type: unitType, group_code: group }).returning("id");
  const [{ id: siteId }] = await knex("sites").insert({ unit_id: unitId, base_url: `https://${code}.binhdinh.gov.vn/` }).returning("id");
  return { unitId, siteId };
}

export interface FindingSpec {
  code: string;
  categoryId?: string;
  url?: string;
  message?: string;
  severity?: "error" | "warning" | "info";
}

/** A 'done' audit at the given reference time (ISO, e.g. '2026-10-05T02:00:00Z'), with findings. */
export async function addAudit(
  knex: Knex,
  unit: { unitId: number; siteId: number },
  referenceTime: string,
  m: AuditMetrics,
  findings: FindingSpec[] = [],
): Promise<{ auditId: number; findingIds: number[] }> {
  const [{ id: auditId }] = await knex("site_audits")
    .insert({ site_id: unit.siteId, unit_id: unit.unitId, status: "done", reference_time: referenceTime, finished_at: referenceTime, summary: JSON.stringify(m) })
    .returning("id");
  const findingIds: number[] = [];
  for (const f of findings) {
    const url = f.url ?? `https://u${unit.unitId}.gov.vn/`;
    const [{ id: pageId }] = await knex("pages")
      .insert({ site_audit_id: auditId, url, final_url: url, status: 200, kind: "home", fetched_at: referenceTime })
      .onConflict(["site_audit_id", "url"]).merge(["status"])
      .returning("id");
    const check = f.code.startsWith("deadline.") ? "freshness" : f.code.startsWith("category.") ? "categories" : f.code.split(".")[0];
    const [{ id }] = await knex("findings")
      .insert({
        site_audit_id: auditId, site_id: unit.siteId, unit_id: unit.unitId, check_id: check, code: f.code,
        category_id: f.categoryId ?? null, severity: f.severity ?? "error", message: f.message ?? `Lỗi ${f.code}`,
        page_id: pageId, url, snippet: null,
      })
      .returning("id");
    findingIds.push(id);
  }
  return { auditId, findingIds };
}

export async function addUser(knex: Knex, username: string, role: "inspector" | "unit_head" | "province", unitId?: number): Promise<number> {
  const [{ id }] = await knex("users").insert({ username, password_hash: "x", full_name: username, role, unit_id: unitId ?? null }).returning("id");
  return id;
}
