// The default rubric: 100 points in five groups, each criterion tied to the rule it checks.
// Explained criterion by criterion in docs/rubric.md. Idempotent: re-running returns the
// existing version (a published version is never changed in place).
import type { Knex } from "knex";
import { createRubricDraft, publishRubric } from "../queries/rubric.ts";
import type { CriterionInput } from "../scoring/measure.ts";

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
  category("lich-cong-tac", "Lịch công tác của lãnh đạo", 2),
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
