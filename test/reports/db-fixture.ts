// A small province with frozen scores for 2026-Q3 and live (not frozen) scores for 2026-Q4,
// inserted directly in the shape scoring writes (period_scores.unit_snapshot, periods.frozen_settings,
// criterion_scores.detail.findings), so that report tests do not depend on the scoring computation.
import type { Knex } from "knex";
import { findingEvidenceSql } from "../../db/scoring/evidence.ts";

export const HOSTILE_NAME = '=HYPERLINK("http://x","y")';
export const HOSTILE_TITLE = "@SUM(1)";
export const BRACKET_NAME = "[Sở]:*? Tư pháp/\\'";
export const LONG_MESSAGE = "Văn bản dùng bảng mã TCVN3: " + "ViÖt Nam ".repeat(4_500);
export const FROZEN_AT = "2026-10-05T03:00:00Z";

export interface Province {
  units: { sokhcn: number; hostile: number; bracket: number; huyen: number };
  inspectorId: number;
  findings: { missingVanBan: number; email: number; legacy: number };
}

const GROUPS = [
  { code: "noi-dung", name: "Nội dung thông tin", maxPoints: 40 },
  { code: "cap-nhat", name: "Cập nhật, thời hạn", maxPoints: 20 },
  { code: "unicode", name: "Unicode TCVN 6909", maxPoints: 15 },
  { code: "dinh-danh", name: "Định danh, nguồn tin", maxPoints: 15 },
  { code: "ky-thuat", name: "Kỹ thuật, tiếp cận", maxPoints: 10 },
];

/** Expected per unit (hand-written): group points, total, tier, rank. */
export const EXPECTED = {
  sokhcn: { points: [38.5, 18, 15, 12, 9.25], total: 92.75, tier: "Xuất sắc", rank: 1, prevTotal: 88.5, prevRank: 2 },
  hostile: { points: [30, 15, 5, 15, 8], total: 73, tier: "Khá", rank: 3, prevTotal: null, prevRank: null },
  bracket: { points: [36, 16, 15, 10, 8], total: 85, tier: "Tốt", rank: 2, prevTotal: 90, prevRank: 1 },
};

export async function insertProvince(knex: Knex): Promise<Province> {
  await knex("unit_groups").insert([
    { code: "so-nganh", name: "Sở, ban, ngành", sort: 1 },
    { code: "huyen", name: "UBND cấp huyện", sort: 2 },
  ]);
  await knex("settings").insert([
    { key: "province_name", value: JSON.stringify("Bình Định") },
    { key: "department_name", value: JSON.stringify("SỞ KHOA HỌC VÀ CÔNG NGHỆ") },
  ]).onConflict("key").merge();
  const unit = async (code: string, name: string, type: string, group: string, url: string) => {
    const [{ id }] = await knex("units").insert({ code, name, unit_type: type, group_code: group }).returning("id");
    const [{ id: siteId }] = await knex("sites").insert({ unit_id: id, base_url: url }).returning("id");
    return { id, siteId };
  };
  const sokhcn = await unit("SKHCN", "Sở Khoa học và Công nghệ", "so", "so-nganh", "https://skhcn.binhdinh.gov.vn");
  const hostile = await unit("EVIL", HOSTILE_NAME, "so", "so-nganh", "https://evil.binhdinh.gov.vn");
  const bracket = await unit("STP", BRACKET_NAME, "so", "so-nganh", "https://stp.binhdinh.gov.vn");
  const huyen = await unit("TUYPHUOC", "UBND huyện Tuy Phước", "ubnd_huyen", "huyen", "https://tuyphuoc.binhdinh.gov.vn");
  const [{ id: inspectorId }] = await knex("users")
    .insert({ username: "thanhtra", password_hash: "x", full_name: "Thanh tra", role: "inspector" })
    .returning("id");
  const [{ id: headId }] = await knex("users")
    .insert({ username: "truongdv", password_hash: "x", full_name: "Trưởng đơn vị", role: "unit_head", unit_id: sokhcn.id })
    .returning("id");
  const [{ id: rubricId }] = await knex("rubric_versions")
    .insert({ name: "Bộ tiêu chí mặc định", version: 1, status: "published", effective_from: "2026-01-01" })
    .returning("id");

  const audit = async (u: { id: number; siteId: number }, at: string) => {
    const [{ id }] = await knex("site_audits")
      .insert({ site_id: u.siteId, unit_id: u.id, status: "done", reference_time: at, finished_at: at })
      .returning("id");
    return id as number;
  };
  const a1 = await audit(sokhcn, "2026-07-06T02:00:00Z");
  const a2 = await audit(sokhcn, "2026-09-28T02:00:00Z");
  const a3 = await audit(hostile, "2026-09-28T02:00:00Z");
  const a4 = await audit(bracket, "2026-09-28T02:00:00Z");
  const [{ id: hostilePage }] = await knex("pages")
    .insert({ site_audit_id: a3, url: "https://evil.binhdinh.gov.vn/=cmd|' /C calc'!A0", status: 200, title: HOSTILE_TITLE })
    .returning("id");
  const finding = async (auditId: number, u: { id: number; siteId: number }, f: Record<string, unknown>) => {
    const [{ id }] = await knex("findings")
      .insert({ site_audit_id: auditId, site_id: u.siteId, unit_id: u.id, severity: "error", ...f })
      .returning("id");
    return id as number;
  };
  const missing1 = await finding(a1, sokhcn, { check_id: "categories", code: "category.missing", category_id: "van-ban", message: "Không tìm thấy chuyên mục Văn bản", url: "https://skhcn.binhdinh.gov.vn/" });
  const missing2 = await finding(a2, sokhcn, { check_id: "categories", code: "category.missing", category_id: "van-ban", message: "Không tìm thấy chuyên mục Văn bản", url: "https://skhcn.binhdinh.gov.vn/" });
  const email = await finding(a2, sokhcn, { check_id: "identity", code: "identity.email", message: "Chân trang không có thư điện tử", url: "https://skhcn.binhdinh.gov.vn/" });
  const legacy = await finding(a3, hostile, {
    check_id: "encoding",
    code: "encoding.legacy-text",
    message: LONG_MESSAGE,
    page_id: hostilePage,
    url: "https://evil.binhdinh.gov.vn/=cmd|' /C calc'!A0",
    snippet: "-2+3+cmd|' /C calc'!A0",
  });
  const stale = await finding(a4, bracket, { check_id: "freshness", code: "freshness.stale", category_id: "tin-tuc", severity: "error", message: "Tin tức không cập nhật 45 ngày", url: "https://stp.binhdinh.gov.vn/tin-tuc" });
  await knex("appeals").insert({
    finding_id: email,
    unit_id: sokhcn.id,
    filed_by: headId,
    filed_at: "2026-09-29T02:00:00Z",
    explanation: "Đã bổ sung thư điện tử ở chân trang",
    status: "rejected",
    decided_by: inspectorId,
    decided_at: "2026-09-30T02:00:00Z",
    decision_reason: "Chưa thấy thư điện tử trên trang chủ",
  });

  const unitGroups = [
    { code: "so-nganh", name: "Sở, ban, ngành", sort: 1 },
    { code: "huyen", name: "UBND cấp huyện", sort: 2 },
  ];
  const frozenSettings = {
    frozenAt: FROZEN_AT,
    tierThresholds: [
      { tier: "Xuất sắc", min: 90 },
      { tier: "Tốt", min: 80 },
      { tier: "Khá", min: 65 },
      { tier: "Trung bình", min: 50 },
      { tier: "Yếu", min: 0 },
    ],
    rubric: { id: rubricId, name: "Bộ tiêu chí mặc định", version: 1, effectiveFrom: "2026-01-01", legalBasis: null, totalPoints: 100 },
    criteria: GROUPS.map((g, i) => ({ code: `${g.code}-1`, group: g.code, name: `Tiêu chí ${g.name}`, maxPoints: g.maxPoints, appliesTo: [], legalBasis: null, sort: i })),
    criterionGroups: GROUPS,
    unitGroups,
  };
  const [{ id: q3 }] = await knex("periods")
    .insert({ kind: "quarter", code: "2026-Q3", starts_on: "2026-07-01", ends_on: "2026-09-30", frozen_at: FROZEN_AT, frozen_by: inspectorId, rubric_version_id: rubricId, frozen_settings: JSON.stringify(frozenSettings) })
    .returning("id");
  const [{ id: q4 }] = await knex("periods")
    .insert({ kind: "quarter", code: "2026-Q4", starts_on: "2026-10-01", ends_on: "2026-12-31", rubric_version_id: rubricId })
    .returning("id");

  const findingIds: Record<string, Record<string, number[]>> = {
    sokhcn: { "noi-dung": [missing1, missing2], "dinh-danh": [email] },
    hostile: { unicode: [legacy] },
    bracket: { "cap-nhat": [stale] },
  };
  const units = { sokhcn, hostile, bracket } as const;
  for (const [periodId, frozen] of [[q3, true], [q4, false]] as const) {
    for (const key of ["sokhcn", "hostile", "bracket"] as const) {
      const e = EXPECTED[key];
      const u = units[key];
      await knex("period_scores").insert({
        period_id: periodId,
        unit_id: u.id,
        rubric_version_id: rubricId,
        group_code: "so-nganh",
        status: "scored",
        audits_count: key === "sokhcn" ? 2 : 1,
        total: e.total,
        max_total: 100,
        group_points: JSON.stringify(Object.fromEntries(GROUPS.map((g, i) => [g.code, { points: e.points[i], max: g.maxPoints }]))),
        tier: e.tier,
        rank: e.rank,
        previous_total: e.prevTotal,
        previous_rank: e.prevRank,
        frozen,
        unit_snapshot: frozen ? JSON.stringify(await snapshot(knex, u.id)) : null,
      });
      for (const [i, g] of GROUPS.entries()) {
        await knex("criterion_scores").insert({
          period_id: periodId,
          unit_id: u.id,
          criterion_code: `${g.code}-1`,
          group_code: g.code,
          points: e.points[i],
          max_points: g.maxPoints,
          detail: JSON.stringify({ name: `Tiêu chí ${g.name}` }),
          finding_ids: findingIds[key][g.code] ?? [],
        });
      }
    }
    await knex("period_scores").insert({
      period_id: periodId,
      unit_id: huyen.id,
      rubric_version_id: rubricId,
      group_code: "huyen",
      status: "not_audited",
      audits_count: 0,
      frozen,
      unit_snapshot: frozen ? JSON.stringify(await snapshot(knex, huyen.id)) : null,
    });
  }
  // What freezing stores: the evidence of every finding, copied into the criterion rows.
  await knex.raw(
    `update criterion_scores cs set detail = cs.detail || jsonb_build_object('findings', coalesce(
       (select jsonb_agg(${findingEvidenceSql("true")} order by f.id)
          from findings f join site_audits sa on sa.id = f.site_audit_id where f.id = any(cs.finding_ids)), '[]'::jsonb))
      where cs.period_id = ?`,
    [q3],
  );
  return {
    units: { sokhcn: sokhcn.id, hostile: hostile.id, bracket: bracket.id, huyen: huyen.id },
    inspectorId,
    findings: { missingVanBan: missing2, email, legacy },
  };
}

async function snapshot(knex: Knex, unitId: number): Promise<Record<string, unknown>> {
  const u = await knex("units as u").join("unit_groups as g", "g.code", "u.group_code").where("u.id", unitId).first("u.*", "g.name as group_name", "g.sort as group_sort");
  const sites = await knex("sites").where({ unit_id: unitId }).orderBy("id").pluck("base_url");
  return { code: u.code, name: u.name, shortName: u.short_name, unitType: u.unit_type, groupName: u.group_name, groupSort: u.group_sort, websites: sites };
}
