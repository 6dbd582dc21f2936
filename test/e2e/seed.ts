// A small, realistic world for the dashboard tests: three units in two groups, users of each
// role, a published rubric, two monthly periods with scores, audits with pages, snapshots and
// findings, and one audit still running.
import { createHash } from "node:crypto";
import { brotliCompressSync } from "node:zlib";
import { hash } from "@node-rs/argon2";
import type { Knex } from "knex";

export const PASSWORD = "mat-khau-thu-nghiem-2026";

export interface SeedResult {
  units: { soA: number; soB: number; huyen: number };
  users: { inspector: string; province: string; headA: string; headB: string };
  periods: { oct: number; nov: number };
  pages: { homeA: number; homeB: number };
  findings: { missingA: number; legacyA: number; emailA: number; missingB: number };
  siteA: number;
  runningAuditId: number;
}

async function snapshot(knex: Knex, html: string): Promise<string> {
  const raw = Buffer.from(html, "utf8");
  const h = createHash("sha256").update(raw).digest("hex");
  await knex("snapshots")
    .insert({ hash: h, body: brotliCompressSync(raw), compression: "br", size_bytes: raw.length })
    .onConflict("hash")
    .ignore();
  return h;
}

const metrics = (over: Record<string, unknown> = {}) => ({
  categories: [
    { id: "gioi-thieu", status: "present", url: "https://soa.example.gov.vn/gioi-thieu" },
    { id: "tin-tuc", status: "present", url: "https://soa.example.gov.vn/tin-tuc" },
    { id: "van-ban", status: "empty", url: "https://soa.example.gov.vn/van-ban" },
    { id: "lich-cong-tac", status: "missing", url: null },
    { id: "hoi-dap", status: "unreachable", url: "https://soa.example.gov.vn/hoi-dap" },
  ],
  encoding: { pagesChecked: 10, pagesCompliant: 9, legacySchemes: ["TCVN3"] },
  identity: { unitName: true, responsiblePerson: true, address: true, phone: true, email: false },
  freshness: {
    latestPublished: "2026-11-18",
    daysSinceLastPost: 2,
    postsLast7Days: 3,
    postsLast30Days: 12,
    postsLast90Days: 30,
    postsPerWeek: 2.5,
    newSincePreviousAudit: 4,
    items: [
      { url: "https://soa.example.gov.vn/tin-tuc/hoi-nghi", published: "2026-11-18", title: "Hội nghị tổng kết công tác chuyển đổi số" },
      { url: "https://soa.example.gov.vn/tin-tuc/tap-huan", published: "2026-11-10", title: "Tập huấn nghiệp vụ văn thư" },
      { url: "https://soa.example.gov.vn/tin-tuc/kiem-tra", published: "2026-11-03", title: "Đoàn kiểm tra liên ngành làm việc tại huyện" },
    ],
  },
  deadlines: { documentsChecked: 4, documentsOnTime: 3 },
  attribution: { articlesChecked: 10, withAuthor: 9, withSource: 8 },
  technical: {
    https: true,
    httpsRedirect: true,
    sitemapXml: true,
    sitemapPage: false,
    search: true,
    viewport: true,
    langVi: true,
    imgAltRatio: 0.9,
    axeSeriousViolations: 0,
  },
  ...over,
});

export async function seedDashboard(knex: Knex): Promise<SeedResult> {
  const pw = await hash(PASSWORD);
  await knex("unit_groups")
    .insert([
      { code: "so-nganh", name: "Sở, ban, ngành", sort: 1 },
      { code: "huyen", name: "UBND cấp huyện", sort: 2 },
      { code: "xa", name: "UBND cấp xã", sort: 3 },
    ])
    .onConflict("code")
    .ignore();
  const [soA] = await knex("units")
    .insert({ code: "SO-TTTT", name: "Sở Thông tin và Truyền thông", unit_type: "so", group_code: "so-nganh", head_email: "giamdoc@soa.example.gov.vn" })
    .returning("id");
  const [soB] = await knex("units")
    .insert({ code: "SO-TC", name: "Sở Tài chính", unit_type: "so", group_code: "so-nganh" })
    .returning("id");
  const [huyen] = await knex("units")
    .insert({ code: "H-DL", name: "UBND huyện Đức Linh", unit_type: "ubnd_huyen", group_code: "huyen" })
    .returning("id");
  const [siteA] = await knex("sites").insert({ unit_id: soA.id, base_url: "https://soa.example.gov.vn/" }).returning("id");
  const [siteB] = await knex("sites").insert({ unit_id: soB.id, base_url: "https://sotc.example.gov.vn/" }).returning("id");
  const [siteH] = await knex("sites").insert({ unit_id: huyen.id, base_url: "https://ducl.example.gov.vn/" }).returning("id");

  await knex("users").insert([
    { username: "kiemtra", password_hash: pw, full_name: "Nguyễn Văn Kiểm", role: "inspector" },
    { username: "tinh", password_hash: pw, full_name: "Trần Thị Tỉnh", role: "province" },
    { username: "thutruong.a", password_hash: pw, full_name: "Lê Văn An", role: "unit_head", unit_id: soA.id },
    { username: "thutruong.b", password_hash: pw, full_name: "Phạm Thị Bình", role: "unit_head", unit_id: soB.id },
  ]);

  const [rubric] = await knex("rubric_versions")
    .insert({ name: "Bộ tiêu chí NĐ 42/2022", version: 1, status: "draft", effective_from: "2026-01-01", legal_basis: "Nghị định 42/2022/NĐ-CP" })
    .returning("id");
  const criteria = [
    { code: "noi-dung.danh-muc", group_code: "noi-dung", name: "Đủ các chuyên mục bắt buộc", max_points: 40 },
    { code: "cap-nhat.tan-suat", group_code: "cap-nhat", name: "Tần suất cập nhật tin bài", max_points: 20 },
    { code: "unicode.tcvn6909", group_code: "unicode", name: "Dùng Unicode TCVN 6909:2001", max_points: 15 },
    { code: "dinh-danh.chan-trang", group_code: "dinh-danh", name: "Thông tin định danh ở chân trang", max_points: 10 },
    { code: "ky-thuat.co-ban", group_code: "ky-thuat", name: "Yêu cầu kỹ thuật cơ bản", max_points: 15 },
  ];
  await knex("rubric_criteria").insert(
    criteria.map((c, i) => ({ ...c, rubric_version_id: rubric.id, measure: JSON.stringify({ kind: "boolean", metric: "technical.https", nullShare: 0, findingCodes: [] }), sort: i })),
  );
  await knex("rubric_versions").where({ id: rubric.id }).update({ status: "published", published_at: knex.fn.now() });
  const [oct] = await knex("periods")
    .insert({ kind: "month", code: "2026-10", starts_on: "2026-10-01", ends_on: "2026-10-31", rubric_version_id: rubric.id })
    .returning("id");
  const [nov] = await knex("periods")
    .insert({ kind: "month", code: "2026-11", starts_on: "2026-11-01", ends_on: "2026-11-30", rubric_version_id: rubric.id })
    .returning("id");

  const [round] = await knex("audit_rounds").insert({ trigger: "test", reference_time: "2026-11-20T02:00:00Z" }).returning("id");
  const homeHtml = (name: string) =>
    `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${name}</title></head><body><h1>${name}</h1><p>ViÖt Nam Céng hßa</p><script>parent.postMessage('snapshot-script-ran','*')</script><footer>${name} · Địa chỉ: 01 Trần Hưng Đạo · ĐT: 0252 3822 000</footer></body></html>`;
  const mkAudit = async (siteId: number, unitId: number, name: string, finishedAt: string) => {
    const [a] = await knex("site_audits")
      .insert({
        round_id: round.id,
        site_id: siteId,
        unit_id: unitId,
        status: "done",
        reference_time: finishedAt,
        queued_at: finishedAt,
        started_at: finishedAt,
        finished_at: finishedAt,
        pages_planned: 10,
        pages_done: 10,
        summary: JSON.stringify(metrics()),
      })
      .returning("id");
    const h = await snapshot(knex, homeHtml(name));
    const [p] = await knex("pages")
      .insert({
        site_audit_id: a.id,
        url: `https://${name === "Sở Tài chính" ? "sotc" : "soa"}.example.gov.vn/`,
        final_url: null,
        status: 200,
        kind: "home",
        fetched_at: finishedAt,
        content_type: "text/html; charset=utf-8",
        charset_declared: "utf-8",
        content_hash: h,
        size_bytes: 300,
        title: name,
      })
      .returning("id");
    return { auditId: a.id as number, pageId: p.id as number };
  };
  const aA = await mkAudit(siteA.id, soA.id, "Sở Thông tin và Truyền thông", "2026-11-20T02:10:00Z");
  const aB = await mkAudit(siteB.id, soB.id, "Sở Tài chính", "2026-11-20T02:20:00Z");

  const finding = async (auditId: number, siteId: number, unitId: number, pageId: number, f: Record<string, unknown>) => {
    const [r] = await knex("findings")
      .insert({ site_audit_id: auditId, site_id: siteId, unit_id: unitId, page_id: pageId, details: JSON.stringify(f.details ?? {}), ...f, ...(f.details ? { details: JSON.stringify(f.details) } : {}) })
      .returning("id");
    return r.id as number;
  };
  const missingA = await finding(aA.auditId, siteA.id, soA.id, aA.pageId, {
    check_id: "categories", code: "category.missing", category_id: "lich-cong-tac", severity: "error",
    message: "Thiếu chuyên mục Lịch công tác", url: "https://soa.example.gov.vn/",
  });
  const legacyA = await finding(aA.auditId, siteA.id, soA.id, aA.pageId, {
    check_id: "encoding", code: "encoding.legacy-text", severity: "error", message: "Văn bản dùng bảng mã TCVN3 (không phải Unicode)",
    url: "https://soa.example.gov.vn/", snippet: "ViÖt Nam Céng hßa", details: { scheme: "TCVN3", preview: "Việt Nam Cộng hòa" },
  });
  const emailA = await finding(aA.auditId, siteA.id, soA.id, aA.pageId, {
    check_id: "identity", code: "identity.email", severity: "error", message: "Chân trang thiếu thư điện tử", url: "https://soa.example.gov.vn/",
  });
  const missingB = await finding(aB.auditId, siteB.id, soB.id, aB.pageId, {
    check_id: "categories", code: "category.missing", category_id: "hoi-dap", severity: "error",
    message: "Thiếu chuyên mục Hỏi đáp", url: "https://sotc.example.gov.vn/",
  });

  const scores: Record<number, { total: number; groups: Record<string, number>; tier: string; rank: number; group: string; prev: number | null }> = {
    [soA.id]: { total: 78.5, groups: { "noi-dung": 32, "cap-nhat": 16, unicode: 10, "dinh-danh": 8, "ky-thuat": 12.5 }, tier: "Khá", rank: 2, group: "so-nganh", prev: 75 },
    [soB.id]: { total: 86, groups: { "noi-dung": 36, "cap-nhat": 18, unicode: 15, "dinh-danh": 6, "ky-thuat": 11 }, tier: "Tốt", rank: 1, group: "so-nganh", prev: 88 },
    [huyen.id]: { total: 64, groups: { "noi-dung": 28, "cap-nhat": 10, unicode: 15, "dinh-danh": 4, "ky-thuat": 7 }, tier: "Trung bình", rank: 1, group: "huyen", prev: null },
  };
  for (const [periodId, factor] of [[oct.id, 0.95], [nov.id, 1]] as const) {
    for (const [unitIdStr, s] of Object.entries(scores)) {
      const unitId = Number(unitIdStr);
      await knex("period_scores").insert({
        period_id: periodId, unit_id: unitId, rubric_version_id: rubric.id, group_code: s.group, status: "scored",
        audits_count: 1, total: Math.round(s.total * factor * 100) / 100, max_total: 100, group_points: JSON.stringify(
          // As scoring writes it: points and the applicable maximum per criterion group.
          Object.fromEntries(Object.entries(s.groups).map(([g, points]) => [g, { points, max: criteria.find((c) => c.group_code === g)?.max_points ?? null }])),
        ),
        tier: s.tier, rank: s.rank, previous_total: periodId === nov.id ? s.prev : null, previous_rank: periodId === nov.id ? s.rank : null,
      });
      for (const c of criteria) {
        const pts = s.groups[c.group_code];
        const ids = unitId === soA.id && periodId === nov.id
          ? c.group_code === "noi-dung" ? [missingA] : c.group_code === "unicode" ? [legacyA] : c.group_code === "dinh-danh" ? [emailA] : []
          : unitId === soB.id && periodId === nov.id && c.group_code === "noi-dung" ? [missingB] : [];
        await knex("criterion_scores").insert({
          period_id: periodId, unit_id: unitId, criterion_code: c.code, group_code: c.group_code, points: pts, max_points: c.max_points,
          detail: JSON.stringify({}), finding_ids: ids,
        });
      }
    }
  }

  const [running] = await knex("site_audits")
    .insert({ round_id: null, site_id: siteH.id, unit_id: huyen.id, status: "running", started_at: knex.fn.now(), heartbeat_at: knex.fn.now(), pages_planned: 40, pages_done: 17, pages_failed: 1 })
    .returning("id");
  await knex("site_audits").insert({ round_id: null, site_id: siteA.id, unit_id: soA.id, status: "queued" });
  await knex("settings").insert({ key: "audit_schedule", value: JSON.stringify("0 2 * * 1") }).onConflict("key").merge();

  return {
    units: { soA: soA.id, soB: soB.id, huyen: huyen.id },
    users: { inspector: "kiemtra", province: "tinh", headA: "thutruong.a", headB: "thutruong.b" },
    periods: { oct: oct.id, nov: nov.id },
    pages: { homeA: aA.pageId, homeB: aB.pageId },
    findings: { missingA, legacyA, emailA, missingB },
    siteA: siteA.id,
    runningAuditId: running.id,
  };
}
