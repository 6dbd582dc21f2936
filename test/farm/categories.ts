/** The 18 category ids of domain.md rule set 1 with the labels and slugs real sites use. */

export const CATEGORY_IDS = [
  "gioi-thieu",
  "lanh-dao",
  "tin-tuc",
  "chi-dao-dieu-hanh",
  "lich-cong-tac",
  "pho-bien-phap-luat",
  "chien-luoc-quy-hoach",
  "van-ban",
  "du-an-dau-tu",
  "lay-y-kien",
  "thu-tuc-hanh-chinh",
  "hoi-dap",
  "lien-he",
  "thong-ke",
  "khoa-hoc",
  "cong-bao",
  "so-do-site",
  "tieng-anh",
] as const;

export type CategoryId = (typeof CATEGORY_IDS)[number];

/** Categories not every unit must have (khoa-hoc: not every unit; cong-bao: province portal only; tieng-anh). */
export const OPTIONAL_CATEGORIES: readonly CategoryId[] = ["khoa-hoc", "cong-bao", "tieng-anh"];

export type CategoryKind = "static" | "listing" | "documents";

export interface CategoryDef {
  id: CategoryId;
  kind: CategoryKind;
  /** Menu labels (synonyms from domain.md), first = most common. */
  labels: string[];
  /** URL slugs seen for this category. */
  slugs: string[];
  /** Parent menu for nested layouts. */
  parent: CategoryId | null;
  /** Numeric id used by `?cat=N` CMSs. */
  catNo: number;
}

export const CATEGORIES: Record<CategoryId, CategoryDef> = {
  "gioi-thieu": { id: "gioi-thieu", kind: "static", labels: ["Giới thiệu", "Cơ cấu tổ chức", "Chức năng nhiệm vụ"], slugs: ["gioi-thieu", "co-cau-to-chuc"], parent: null, catNo: 12 },
  "lanh-dao": { id: "lanh-dao", kind: "static", labels: ["Lãnh đạo", "Ban giám đốc", "Thường trực UBND"], slugs: ["lanh-dao", "ban-giam-doc"], parent: "gioi-thieu", catNo: 13 },
  "tin-tuc": { id: "tin-tuc", kind: "listing", labels: ["Tin tức", "Tin tức - Sự kiện", "Tin hoạt động"], slugs: ["tin-tuc", "tin-tuc-su-kien", "tin-hoat-dong"], parent: null, catNo: 21 },
  "chi-dao-dieu-hanh": { id: "chi-dao-dieu-hanh", kind: "listing", labels: ["Chỉ đạo điều hành", "Thông tin chỉ đạo điều hành"], slugs: ["chi-dao-dieu-hanh"], parent: "tin-tuc", catNo: 22 },
  "lich-cong-tac": { id: "lich-cong-tac", kind: "listing", labels: ["Lịch công tác", "Lịch làm việc"], slugs: ["lich-cong-tac", "lich-lam-viec"], parent: "tin-tuc", catNo: 23 },
  "pho-bien-phap-luat": { id: "pho-bien-phap-luat", kind: "listing", labels: ["Phổ biến giáo dục pháp luật", "Tuyên truyền, phổ biến pháp luật"], slugs: ["pho-bien-giao-duc-phap-luat", "tuyen-truyen-pho-bien-phap-luat"], parent: "tin-tuc", catNo: 24 },
  "chien-luoc-quy-hoach": { id: "chien-luoc-quy-hoach", kind: "listing", labels: ["Chiến lược, quy hoạch", "Quy hoạch - Kế hoạch", "Kế hoạch phát triển"], slugs: ["chien-luoc-quy-hoach", "quy-hoach-ke-hoach"], parent: null, catNo: 31 },
  "van-ban": { id: "van-ban", kind: "documents", labels: ["Văn bản", "Hệ thống văn bản", "Văn bản quy phạm pháp luật"], slugs: ["van-ban", "he-thong-van-ban", "van-ban-phap-luat"], parent: null, catNo: 41 },
  "du-an-dau-tu": { id: "du-an-dau-tu", kind: "listing", labels: ["Dự án đầu tư", "Đấu thầu - Mua sắm công", "Dự án"], slugs: ["du-an-dau-tu", "dau-thau-mua-sam-cong"], parent: "chien-luoc-quy-hoach", catNo: 32 },
  "lay-y-kien": { id: "lay-y-kien", kind: "listing", labels: ["Lấy ý kiến dự thảo", "Góp ý dự thảo văn bản", "Dự thảo văn bản"], slugs: ["lay-y-kien", "gop-y-du-thao"], parent: "van-ban", catNo: 42 },
  "thu-tuc-hanh-chinh": { id: "thu-tuc-hanh-chinh", kind: "static", labels: ["Thủ tục hành chính", "Dịch vụ công trực tuyến"], slugs: ["thu-tuc-hanh-chinh", "dich-vu-cong"], parent: null, catNo: 51 },
  "hoi-dap": { id: "hoi-dap", kind: "listing", labels: ["Hỏi đáp", "Hỏi - Đáp", "Phản ánh kiến nghị"], slugs: ["hoi-dap", "phan-anh-kien-nghi"], parent: "thu-tuc-hanh-chinh", catNo: 52 },
  "lien-he": { id: "lien-he", kind: "static", labels: ["Liên hệ", "Thông tin liên hệ", "Danh bạ"], slugs: ["lien-he", "danh-ba"], parent: null, catNo: 61 },
  "thong-ke": { id: "thong-ke", kind: "listing", labels: ["Thống kê", "Số liệu thống kê", "Báo cáo thống kê"], slugs: ["thong-ke", "so-lieu-thong-ke"], parent: "chien-luoc-quy-hoach", catNo: 33 },
  "khoa-hoc": { id: "khoa-hoc", kind: "listing", labels: ["Chương trình, đề tài khoa học"], slugs: ["de-tai-khoa-hoc"], parent: "chien-luoc-quy-hoach", catNo: 34 },
  "cong-bao": { id: "cong-bao", kind: "listing", labels: ["Công báo"], slugs: ["cong-bao"], parent: "van-ban", catNo: 43 },
  "so-do-site": { id: "so-do-site", kind: "static", labels: ["Sơ đồ site", "Sơ đồ cổng", "Sitemap"], slugs: ["so-do-site", "sitemap"], parent: null, catNo: 71 },
  "tieng-anh": { id: "tieng-anh", kind: "static", labels: ["English", "Tiếng Anh"], slugs: ["en", "english"], parent: null, catNo: 81 },
};
