// The default rubric: 100 points in five groups, each criterion tied to the rule it checks.
// Explained criterion by criterion in docs/rubric.md. Idempotent: re-running returns the
// existing version (a published version is never changed in place).
// Versions by legal basis and effective date (docs/decisions/0017-rule-set-versions.md):
//   15/08/2022  NĐ 42/2022 + TT 32/2017                      DEFAULT_CRITERIA
//   05/04/2024  + TT 22/2023 (home-page links; identity)      TT22_2024_CRITERIA
//   05/04/2025  + EMC required, 2025 national criteria        CRITERIA_2025 (imports HD's and HS's lists)
// A period scores under the version in force on its first day (db/scoring/compute.ts).
import type { Knex } from "knex";
import { createRubricDraft, publishRubric } from "../queries/rubric.ts";
import type { CriterionInput } from "../scoring/measure.ts";
import { PAGE_LOAD_CRITERIA } from "./criteria-page-load.ts";
import { TRANSPORT_CRITERIA } from "./criteria-transport.ts";

export const DEFAULT_RUBRIC_NAME = "Bộ tiêu chí đánh giá trang thông tin điện tử";
/** ND 42/2022/NĐ-CP took effect on 15/08/2022. */
export const DEFAULT_RUBRIC_EFFECTIVE_FROM = "2022-08-15";
export const DEFAULT_RUBRIC_LEGAL_BASIS =
  "Nghị định 42/2022/NĐ-CP; Nghị định 43/2011/NĐ-CP (Điều 10, Điều 17); Thông tư 32/2017/TT-BTTTT (Điều 15–18); QĐ 72/2002/QĐ-TTg, TCVN 6909:2001; quy chế hoạt động Cổng/Trang TTĐT của tỉnh";

const ND42 = "NĐ 42/2022/NĐ-CP Điều 4; NĐ 43/2011/NĐ-CP Điều 10";

function category(code: string, name: string, points: number, extra: Partial<CriterionInput> = {}): CriterionInput {
  return {
    code: `noi-dung.${code}`,
    group: "noi-dung",
    name,
    maxPoints: points,
    measure: {
      kind: "category",
      category: code,
      emptyShare: 0.5,
      findingCodes: ["category.missing", "category.empty", "category.unreachable", "category.optional-missing"],
    },
    legalBasis: ND42,
    ...extra,
  };
}

export const DEFAULT_CRITERIA: CriterionInput[] = [
  // Nội dung (40): the required categories of rule set 1.
  category("gioi-thieu", "Giới thiệu, cơ cấu tổ chức, chức năng nhiệm vụ", 3),
  category("lanh-dao", "Thông tin lãnh đạo", 3),
  category("tin-tuc", "Tin tức, sự kiện", 4),
  category("chi-dao-dieu-hanh", "Thông tin chỉ đạo, điều hành", 3),
  // Not required of đơn vị sự nghiệp (rule sets: crawler/catalog/rulesets.ts).
  category("lich-cong-tac", "Lịch công tác của lãnh đạo", 2, { appliesTo: ["so", "ban", "ubnd_huyen", "ubnd_xa", "cong_tinh"] }),
  category("pho-bien-phap-luat", "Tuyên truyền, phổ biến pháp luật", 2),
  category("chien-luoc-quy-hoach", "Chiến lược, quy hoạch, kế hoạch", 2),
  category("van-ban", "Hệ thống văn bản quy phạm pháp luật", 4),
  category("du-an-dau-tu", "Dự án, đầu tư, đấu thầu, mua sắm công", 2),
  category("lay-y-kien", "Lấy ý kiến góp ý dự thảo văn bản", 2),
  category("thu-tuc-hanh-chinh", "Thủ tục hành chính, dịch vụ công trực tuyến", 3),
  category("hoi-dap", "Hỏi đáp, tiếp nhận phản ánh kiến nghị", 2),
  category("lien-he", "Thông tin liên hệ, danh bạ thư điện tử", 2),
  category("thong-ke", "Thông tin thống kê", 2),
  category("so-do-site", "Sơ đồ trang (site map)", 1, { legalBasis: "TT 32/2017/TT-BTTTT Điều 16 khoản 4 điểm b" }),
  category("tieng-anh", "Thông tin tiếng Anh (giới thiệu, liên hệ)", 1, { legalBasis: "NĐ 43/2011/NĐ-CP Điều 13" }),
  category("khoa-hoc", "Chương trình, đề tài khoa học", 1, { appliesTo: ["so", "ban", "cong_tinh"] }),
  category("cong-bao", "Công báo", 1, { appliesTo: ["cong_tinh"], legalBasis: "NĐ 42/2022/NĐ-CP; quy chế Cổng TTĐT tỉnh" }),

  // Cập nhật (20): rule set 4.
  {
    code: "cap-nhat.tan-suat",
    group: "cap-nhat",
    name: "Tần suất đăng tin (bài/tuần, trung bình 12 tuần)",
    maxPoints: 6,
    measure: { kind: "threshold", metric: "freshness.postsPerWeek", full: 5, zero: 0, nullShare: 0, findingCodes: ["freshness.low-frequency", "freshness.frequency", "freshness.no-dates"] },
    legalBasis: "NĐ 43/2011/NĐ-CP Điều 17; quy chế của tỉnh (tin thời sự hằng ngày; mỗi thành viên Ban biên tập ≥ 1 bài/tuần)",
  },
  {
    code: "cap-nhat.kip-thoi",
    group: "cap-nhat",
    name: "Tính kịp thời (số ngày từ bài mới nhất)",
    maxPoints: 6,
    measure: { kind: "threshold", metric: "freshness.daysSinceLastPost", full: 7, zero: 30, nullShare: 0, findingCodes: ["freshness.stale", "freshness.no-dates"] },
    legalBasis: "NĐ 42/2022/NĐ-CP (cập nhật kịp thời khi có thay đổi); quy chế của tỉnh (tin sự kiện trong 01 ngày làm việc)",
  },
  {
    code: "cap-nhat.van-ban-dung-han",
    group: "cap-nhat",
    name: "Văn bản đăng đúng thời hạn (ngày làm việc)",
    maxPoints: 8,
    measure: { kind: "ratio", numerator: "deadlines.documentsOnTime", denominator: "deadlines.documentsChecked", noneShare: 1, findingCodes: ["deadline.late-document"] },
    legalBasis: "NĐ 43/2011/NĐ-CP Điều 17; quy chế của tỉnh (văn bản: 02 ngày làm việc kể từ ngày ký với cơ quan ban hành)",
  },

  // Unicode (15): rule set 3.
  {
    code: "unicode.trang-dat-chuan",
    group: "unicode",
    name: "Tỷ lệ trang dùng Unicode TCVN 6909:2001 (UTF-8, không mã/phông cũ)",
    maxPoints: 15,
    measure: {
      kind: "ratio",
      numerator: "encoding.pagesCompliant",
      denominator: "encoding.pagesChecked",
      noneShare: 0,
      findingCodes: ["encoding.charset-not-utf8", "encoding.invalid-utf8", "encoding.legacy-text", "encoding.legacy-font"],
    },
    legalBasis: "QĐ 72/2002/QĐ-TTg; TCVN 6909:2001; TT 32/2017/TT-BTTTT; quy chế của tỉnh",
  },

  // Định danh (15): rule sets 2 and 5 (attribution).
  ...(
    [
      ["unit-name", "unitName", "Tên cơ quan chủ quản"],
      ["responsible-person", "responsiblePerson", "Người chịu trách nhiệm chính"],
      ["address", "address", "Địa chỉ liên hệ"],
      ["phone", "phone", "Số điện thoại"],
      ["email", "email", "Địa chỉ thư điện tử"],
    ] as const
  ).map(
    ([code, metric, name]): CriterionInput => ({
      code: `dinh-danh.${code}`,
      group: "dinh-danh",
      name: `Chân trang: ${name}`,
      maxPoints: 2,
      measure: { kind: "boolean", metric: `identity.${metric}`, nullShare: 0, findingCodes: [`identity.${code}`] },
      legalBasis: "TT 32/2017/TT-BTTTT Điều 16 khoản 3",
    }),
  ),
  {
    code: "dinh-danh.tac-gia",
    group: "dinh-danh",
    name: "Bài viết ghi tên tác giả",
    maxPoints: 2.5,
    measure: { kind: "ratio", numerator: "attribution.withAuthor", denominator: "attribution.articlesChecked", noneShare: 1, findingCodes: ["attribution.author-missing"] },
    legalBasis: "NĐ 43/2011/NĐ-CP Điều 5 khoản 3; quy chế của tỉnh",
  },
  {
    code: "dinh-danh.nguon-tin",
    group: "dinh-danh",
    name: "Bài viết ghi nguồn tin",
    maxPoints: 2.5,
    measure: { kind: "ratio", numerator: "attribution.withSource", denominator: "attribution.articlesChecked", noneShare: 1, findingCodes: ["attribution.source-missing"] },
    legalBasis: "NĐ 43/2011/NĐ-CP Điều 5 khoản 3; quy chế của tỉnh",
  },

  // Kỹ thuật (10): rule set 5.
  {
    code: "ky-thuat.https",
    group: "ky-thuat",
    name: "Kết nối an toàn HTTPS",
    maxPoints: 2,
    measure: { kind: "boolean", metric: "technical.https", nullShare: 0, findingCodes: ["technical.no-https", "technical.tls-error"] },
    legalBasis: "TT 32/2017/TT-BTTTT Điều 15",
  },
  {
    code: "ky-thuat.sitemap-xml",
    group: "ky-thuat",
    name: "Tệp sitemap.xml",
    maxPoints: 1,
    measure: { kind: "boolean", metric: "technical.sitemapXml", nullShare: 0, findingCodes: ["technical.no-sitemap-xml"] },
    legalBasis: "TT 32/2017/TT-BTTTT Điều 16 khoản 4 điểm b",
  },
  {
    code: "ky-thuat.tim-kiem",
    group: "ky-thuat",
    name: "Chức năng tìm kiếm",
    maxPoints: 2,
    measure: { kind: "boolean", metric: "technical.search", nullShare: 0, findingCodes: ["technical.no-search"] },
    legalBasis: "TT 32/2017/TT-BTTTT Điều 16 khoản 4",
  },
  {
    code: "ky-thuat.viewport",
    group: "ky-thuat",
    name: "Hiển thị trên thiết bị di động (viewport)",
    maxPoints: 1.5,
    measure: { kind: "boolean", metric: "technical.viewport", nullShare: 0, findingCodes: ["technical.no-viewport"] },
    legalBasis: "TT 32/2017/TT-BTTTT Điều 17",
  },
  {
    code: "ky-thuat.lang-vi",
    group: "ky-thuat",
    name: "Khai báo ngôn ngữ tiếng Việt (lang=\"vi\")",
    maxPoints: 0.5,
    measure: { kind: "boolean", metric: "technical.langVi", nullShare: 0, findingCodes: ["technical.lang-not-vi"] },
    legalBasis: "TT 32/2017/TT-BTTTT Điều 18",
  },
  {
    code: "ky-thuat.img-alt",
    group: "ky-thuat",
    name: "Ảnh có văn bản thay thế (alt)",
    maxPoints: 1.5,
    measure: { kind: "threshold", metric: "technical.imgAltRatio", full: 1, zero: 0.5, nullShare: 1, findingCodes: ["technical.img-alt"] },
    legalBasis: "TT 32/2017/TT-BTTTT Điều 17–18 (WCAG 2.0)",
  },
  {
    code: "ky-thuat.tiep-can",
    group: "ky-thuat",
    name: "Lỗi tiếp cận nghiêm trọng (axe-core)",
    maxPoints: 1.5,
    measure: { kind: "threshold", metric: "technical.axeSeriousViolations", full: 0, zero: 10, nullShare: 1, findingCodes: ["technical.axe"] },
    legalBasis: "TT 32/2017/TT-BTTTT Điều 17–18 (WCAG 2.0)",
  },
];

const TT22_IDENTITY = "TT 22/2023/TT-BTTTT (thông tin định danh ở chân trang; trước 05/04/2024: TT 32/2017/TT-BTTTT Điều 16 khoản 3)";

function withPoints(list: CriterionInput[], points: Record<string, number>): CriterionInput[] {
  return list.map((c) => (points[c.code] !== undefined ? { ...c, maxPoints: points[c.code] } : c));
}

/** Scales a list's points to a budget (2 decimals, the last criterion takes the rounding rest). */
export function scaleToBudget(list: CriterionInput[], budget: number): CriterionInput[] {
  const total = list.reduce((s, c) => s + c.maxPoints, 0);
  if (list.length === 0 || total <= 0) return list;
  let given = 0;
  return list.map((c, i) => {
    const p = i === list.length - 1 ? Math.round((budget - given) * 100) / 100 : Math.round(((c.maxPoints * budget) / total) * 100) / 100;
    given += p;
    return { ...c, maxPoints: p };
  });
}

const HOME_LINKS_CRITERION: CriterionInput = {
  code: "ky-thuat.lien-ket-trang-chu",
  group: "ky-thuat",
  name: "Trang chủ có các liên kết bắt buộc (Cổng DVC quốc gia, hệ thống giải quyết TTHC của tỉnh, Cổng TTĐT tỉnh)",
  maxPoints: 3,
  measure: { kind: "ratio", numerator: "homeLinks.present", denominator: "homeLinks.required", noneShare: 1, findingCodes: ["home-links.missing"] },
  legalBasis: "TT 22/2023/TT-BTTTT (liên kết bắt buộc trên trang chủ; hiệu lực 05/04/2024)",
};

const EMC_CRITERIA: CriterionInput[] = [
  {
    code: "ky-thuat.emc-ma-giam-sat",
    group: "ky-thuat",
    name: "Kết nối Hệ thống EMC: mã giám sát trên trang chủ",
    maxPoints: 3,
    measure: { kind: "boolean", metric: "emc.script", nullShare: 0, findingCodes: ["emc.missing", "emc.no-script", "emc.script-misplaced", "emc.label-without-script"] },
    legalBasis: "TT 22/2023/TT-BTTTT (kết nối Hệ thống EMC; cổng/trang đang vận hành: trước 05/04/2025)",
  },
  {
    code: "ky-thuat.emc-nhan",
    group: "ky-thuat",
    name: "Hiển thị nhãn EMC trên trang chủ",
    maxPoints: 1,
    measure: { kind: "boolean", metric: "emc.label", nullShare: 0, findingCodes: ["emc.missing", "emc.no-label", "emc.label-misplaced"] },
    legalBasis: "TT 22/2023/TT-BTTTT (hiển thị nhãn của Hệ thống EMC)",
  },
];

/**
 * From 05/04/2024 (TT 22/2023 in force): the required home-page links (3 points, taken from the
 * Unicode criterion, 15 → 12, which nearly every site meets now); identity cites TT 22/2023.
 * EMC is reported (warning) but not scored: sites in operation had until 05/04/2025.
 */
export const TT22_2024_CRITERIA: CriterionInput[] = [
  ...withPoints(DEFAULT_CRITERIA, { "unicode.trang-dat-chuan": 12 }).map((c) =>
    c.code.startsWith("dinh-danh.") && c.measure.kind === "boolean" ? { ...c, legalBasis: TT22_IDENTITY } : c,
  ),
  HOME_LINKS_CRITERION,
];

/** Points of the 2025 version's imported lists (HD: domain and transport; HS: page load). */
export const BUDGET_2025 = { transport: 5, pageLoad: 7 } as const;

/**
 * From 05/04/2025 (EMC required of every site; the 2025 national criteria): EMC code 3 + label 1,
 * .gov.vn/HTTPS/IPv6/DNSSEC 5 (HD's list replaces ky-thuat.https), page load 7 (HS's list).
 * Taken from: updating 15 → 13, Unicode 12 → 5, HTTPS 2 → (HD's list).
 */
export const CRITERIA_2025: CriterionInput[] = [
  ...withPoints(TT22_2024_CRITERIA, {
    "cap-nhat.tan-suat": 4,
    "cap-nhat.kip-thoi": 4,
    "cap-nhat.van-ban-dung-han": 5,
    "unicode.trang-dat-chuan": 5,
  }).filter((c) => c.code !== "ky-thuat.https"),
  ...EMC_CRITERIA,
  ...scaleToBudget(TRANSPORT_CRITERIA, BUDGET_2025.transport),
  ...scaleToBudget(PAGE_LOAD_CRITERIA, BUDGET_2025.pageLoad),
];

export interface DefaultRubricVersion {
  effectiveFrom: string;
  legalBasis: string;
  notes: string;
  criteria: CriterionInput[];
}

/** Every version of the default rubric, oldest first (each totals 100 points). */
export const DEFAULT_RUBRIC_VERSIONS: DefaultRubricVersion[] = [
  { effectiveFrom: DEFAULT_RUBRIC_EFFECTIVE_FROM, legalBasis: DEFAULT_RUBRIC_LEGAL_BASIS, notes: "Bộ tiêu chí mặc định (100 điểm), xem docs/rubric.md", criteria: DEFAULT_CRITERIA },
  {
    effectiveFrom: "2024-04-05",
    legalBasis: `Thông tư 22/2023/TT-BTTTT (hiệu lực 05/04/2024); ${DEFAULT_RUBRIC_LEGAL_BASIS}`,
    notes: "Bộ tiêu chí mặc định theo TT 22/2023 (100 điểm): thêm liên kết bắt buộc trên trang chủ, xem docs/rubric.md",
    criteria: TT22_2024_CRITERIA,
  },
  {
    effectiveFrom: "2025-04-05",
    legalBasis: `Thông tư 22/2023/TT-BTTTT (EMC bắt buộc từ 05/04/2025); Bộ tiêu chí đánh giá cổng/trang TTĐT năm 2025 (Bộ KH&CN); ${DEFAULT_RUBRIC_LEGAL_BASIS}`,
    notes: "Bộ tiêu chí mặc định 2025 (100 điểm): EMC, tên miền .gov.vn và HTTPS, tốc độ tải trang, xem docs/rubric.md",
    criteria: CRITERIA_2025,
  },
];

/**
 * Seeds every version of the default rubric (published, each with its effective date) that is not
 * there yet; returns their ids, oldest first. The demo uses it; seedDefaultRubric seeds the first only.
 */
export async function seedDefaultRubricVersions(knex: Knex): Promise<number[]> {
  const ids: number[] = [];
  for (const v of DEFAULT_RUBRIC_VERSIONS) {
    const existing = await knex("rubric_versions")
      .where({ name: DEFAULT_RUBRIC_NAME, status: "published" })
      .andWhere("effective_from", v.effectiveFrom)
      .orderBy("version")
      .first("id");
    if (existing) {
      ids.push(existing.id);
      continue;
    }
    const id = await createRubricDraft(knex, { name: DEFAULT_RUBRIC_NAME, legalBasis: v.legalBasis, notes: v.notes, criteria: v.criteria });
    await publishRubric(knex, { versionId: id, effectiveFrom: v.effectiveFrom });
    ids.push(id);
  }
  return ids;
}

/** Seed the default rubric (published, effective 15/08/2022); returns its version id. */
export async function seedDefaultRubric(knex: Knex): Promise<number> {
  const existing = await knex("rubric_versions").where({ name: DEFAULT_RUBRIC_NAME }).orderBy("version").first("id");
  if (existing) return existing.id;
  const id = await createRubricDraft(knex, {
    name: DEFAULT_RUBRIC_NAME,
    legalBasis: DEFAULT_RUBRIC_LEGAL_BASIS,
    notes: "Bộ tiêu chí mặc định (100 điểm), xem docs/rubric.md",
    criteria: DEFAULT_CRITERIA,
  });
  await publishRubric(knex, { versionId: id, effectiveFrom: DEFAULT_RUBRIC_EFFECTIVE_FROM });
  return id;
}
