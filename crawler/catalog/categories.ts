// Required content categories (rule set 1 of docs/domain.md) as data: ids, Vietnamese names,
// synonyms (menu texts seen on real sites) and URL slugs.

export interface CategoryDef {
  id: string;
  /** Name shown in reports (Vietnamese). */
  name: string;
  /** Menu/heading texts that name the category (with diacritics; matching folds them). */
  synonyms: string[];
  /** Texts that contain a synonym but name something else ("Giới thiệu sách"). */
  exclusions?: string[];
  /** URL path segments (folded, words separated by spaces) that name the category. */
  slugs: string[];
}

export const CATEGORIES: CategoryDef[] = [
  {
    id: "gioi-thieu",
    name: "Giới thiệu",
    synonyms: ["Giới thiệu", "Giới thiệu chung", "Cơ cấu tổ chức", "Chức năng nhiệm vụ", "Chức năng, nhiệm vụ", "Chức năng, nhiệm vụ, quyền hạn", "Sơ đồ tổ chức", "Lịch sử hình thành", "Quá trình hình thành và phát triển", "Tổ chức bộ máy", "Bộ máy tổ chức", "Về chúng tôi"],
    exclusions: ["giới thiệu sách", "giới thiệu sản phẩm", "giới thiệu việc làm", "giới thiệu văn bản", "giới thiệu luật"],
    slugs: ["gioi thieu", "gioithieu", "gioi thieu chung", "co cau to chuc", "cocautochuc", "chuc nang nhiem vu", "so do to chuc", "lich su hinh thanh", "to chuc bo may", "about", "about us", "introduction"],
  },
  {
    id: "lanh-dao",
    name: "Lãnh đạo",
    synonyms: ["Lãnh đạo", "Lãnh đạo Sở", "Lãnh đạo UBND", "Ban giám đốc", "Ban Lãnh đạo", "Thường trực UBND", "Thường trực HĐND", "Lãnh đạo đơn vị", "Lãnh đạo huyện", "Lãnh đạo xã"],
    exclusions: ["lãnh đạo tỉnh tiếp", "lãnh đạo tỉnh làm việc", "lãnh đạo tỉnh thăm"],
    slugs: ["lanh dao", "lanhdao", "lanh dao so", "ban giam doc", "ban lanh dao", "thuong truc ubnd", "leaders", "leadership"],
  },
  {
    id: "tin-tuc",
    name: "Tin tức – sự kiện",
    synonyms: ["Tin tức", "Tin tức – sự kiện", "Tin tức sự kiện", "Tin hoạt động", "Tin tức hoạt động", "Hoạt động của đơn vị", "Tin trong tỉnh", "Tin tổng hợp", "Tin nổi bật", "Sự kiện"],
    slugs: ["tin tuc", "tintuc", "tin tuc su kien", "tin hoat dong", "tin tong hop", "news", "su kien"],
  },
  {
    id: "chi-dao-dieu-hanh",
    name: "Thông tin chỉ đạo, điều hành",
    synonyms: ["Chỉ đạo điều hành", "Chỉ đạo, điều hành", "Thông tin chỉ đạo điều hành", "Thông tin chỉ đạo, điều hành", "Ý kiến chỉ đạo", "Chỉ đạo của lãnh đạo"],
    slugs: ["chi dao dieu hanh", "chidaodieuhanh", "thong tin chi dao dieu hanh", "y kien chi dao"],
  },
  {
    id: "lich-cong-tac",
    name: "Lịch công tác",
    synonyms: ["Lịch công tác", "Lịch làm việc", "Lịch công tác tuần", "Lịch làm việc của lãnh đạo", "Lịch công tác của lãnh đạo"],
    slugs: ["lich cong tac", "lichcongtac", "lich lam viec", "lich cong tac tuan", "lich tuan"],
  },
  {
    id: "pho-bien-phap-luat",
    name: "Tuyên truyền, phổ biến pháp luật",
    synonyms: ["Phổ biến pháp luật", "Tuyên truyền, phổ biến pháp luật", "Phổ biến giáo dục pháp luật", "Phổ biến, giáo dục pháp luật", "Tuyên truyền pháp luật", "Tuyên truyền phổ biến giáo dục pháp luật", "Hỏi đáp pháp luật", "PBGDPL"],
    slugs: ["pho bien phap luat", "phobienphapluat", "pho bien giao duc phap luat", "tuyen truyen phap luat", "pbgdpl", "tuyen truyen pho bien phap luat"],
  },
  {
    id: "chien-luoc-quy-hoach",
    name: "Chiến lược, quy hoạch, kế hoạch",
    synonyms: ["Chiến lược", "Quy hoạch", "Kế hoạch", "Chiến lược, quy hoạch", "Quy hoạch, kế hoạch", "Chiến lược, định hướng, quy hoạch, kế hoạch phát triển", "Kế hoạch phát triển", "Quy hoạch - Kế hoạch"],
    exclusions: ["kế hoạch tổ chức", "kế hoạch số"],
    slugs: ["chien luoc", "quy hoach", "ke hoach", "quy hoach ke hoach", "chien luoc quy hoach", "chien luoc phat trien", "ke hoach phat trien"],
  },
  {
    id: "van-ban",
    name: "Văn bản",
    synonyms: ["Văn bản", "Văn bản pháp luật", "Văn bản quy phạm pháp luật", "Văn bản chỉ đạo điều hành", "Hệ thống văn bản", "Văn bản pháp quy", "Văn bản mới", "Văn bản QPPL", "Cơ sở dữ liệu văn bản", "Văn bản điều hành"],
    exclusions: ["dự thảo văn bản", "góp ý dự thảo văn bản", "lấy ý kiến dự thảo văn bản"],
    slugs: ["van ban", "vanban", "van ban phap luat", "van ban quy pham phap luat", "van ban chi dao dieu hanh", "he thong van ban", "vbpq", "vbqppl", "van ban moi", "documents", "legal documents"],
  },
  {
    id: "du-an-dau-tu",
    name: "Dự án, đầu tư, đấu thầu, mua sắm công",
    synonyms: ["Dự án", "Đầu tư", "Đấu thầu", "Mua sắm công", "Dự án đầu tư", "Thông tin đấu thầu", "Dự án, đầu tư, đấu thầu, mua sắm công", "Thu hút đầu tư", "Xúc tiến đầu tư", "Các dự án", "Mua sắm tài sản công", "Mua sắm tài sản", "Đấu thầu, mua sắm công", "Thông tin đầu tư, đấu thầu, mua sắm công"],
    slugs: ["du an", "duan", "dau tu", "dau thau", "mua sam cong", "du an dau tu", "dau thau mua sam cong", "du an dau tu dau thau", "thong tin dau thau", "xuc tien dau tu", "mua sam tai san cong", "projects"],
  },
  {
    id: "lay-y-kien",
    name: "Lấy ý kiến góp ý",
    synonyms: ["Lấy ý kiến", "Dự thảo văn bản", "Góp ý dự thảo", "Lấy ý kiến dự thảo", "Góp ý dự thảo văn bản", "Lấy ý kiến nhân dân", "Xin ý kiến dự thảo", "Dự thảo"],
    slugs: ["lay y kien", "layykien", "du thao van ban", "gop y du thao", "du thao", "lay y kien du thao", "xin y kien"],
  },
  {
    id: "thu-tuc-hanh-chinh",
    name: "Thủ tục hành chính",
    synonyms: ["Thủ tục hành chính", "Dịch vụ công", "Dịch vụ công trực tuyến", "TTHC", "Bộ thủ tục hành chính", "Cải cách hành chính"],
    slugs: ["thu tuc hanh chinh", "thutuchanhchinh", "tthc", "dich vu cong", "dichvucong", "dich vu cong truc tuyen", "dvc", "procedures"],
  },
  {
    id: "hoi-dap",
    name: "Hỏi đáp, góp ý",
    synonyms: ["Hỏi đáp", "Hỏi – đáp", "Hỏi - đáp", "Phản ánh kiến nghị", "Phản ánh, kiến nghị", "Góp ý", "Hỏi đáp trực tuyến", "Hỏi đáp - Góp ý", "Tiếp nhận phản ánh kiến nghị", "Giải đáp thắc mắc", "Trao đổi - Góp ý"],
    exclusions: ["góp ý dự thảo", "hỏi đáp pháp luật"],
    slugs: ["hoi dap", "hoidap", "phan anh kien nghi", "gop y", "hoi dap truc tuyen", "faq", "qa"],
  },
  {
    id: "lien-he",
    name: "Thông tin liên hệ",
    synonyms: ["Liên hệ", "Danh bạ", "Thông tin liên hệ", "Danh bạ thư điện tử", "Danh bạ điện thoại", "Liên hệ công tác", "Danh bạ cơ quan", "Contact"],
    slugs: ["lien he", "lienhe", "danh ba", "danhba", "thong tin lien he", "danh ba dien thoai", "danh ba thu dien tu", "contact", "contact us"],
  },
  {
    id: "thong-ke",
    name: "Thống kê",
    synonyms: ["Thống kê", "Số liệu thống kê", "Báo cáo thống kê", "Thông tin thống kê", "Số liệu", "Niên giám thống kê"],
    exclusions: ["thống kê truy cập", "lượt truy cập"],
    slugs: ["thong ke", "thongke", "so lieu thong ke", "bao cao thong ke", "so lieu", "statistics"],
  },
  {
    id: "khoa-hoc",
    name: "Chương trình, đề tài khoa học",
    synonyms: ["Chương trình, đề tài khoa học", "Đề tài khoa học", "Chương trình khoa học", "Nghiên cứu khoa học", "Khoa học công nghệ", "Đề tài, dự án khoa học", "Chương trình, đề tài nghiên cứu khoa học"],
    slugs: ["de tai khoa hoc", "chuong trinh de tai khoa hoc", "nghien cuu khoa hoc", "khoa hoc cong nghe", "de tai", "khcn"],
  },
  {
    id: "cong-bao",
    name: "Công báo",
    synonyms: ["Công báo", "Công báo tỉnh", "Công báo điện tử"],
    slugs: ["cong bao", "congbao"],
  },
  {
    id: "so-do-site",
    name: "Sơ đồ site",
    synonyms: ["Sơ đồ site", "Sơ đồ cổng", "Sơ đồ trang", "Sơ đồ website", "Sitemap", "Site map", "Bản đồ site"],
    slugs: ["so do site", "sodosite", "so do cong", "so do trang", "so do website", "sitemap", "site map"],
  },
  {
    id: "tieng-anh",
    name: "Tiếng Anh",
    synonyms: ["English", "Tiếng Anh", "EN", "English version"],
    slugs: ["en", "english", "tieng anh"],
  },
];

export const CATEGORY_BY_ID = new Map(CATEGORIES.map((c) => [c.id, c]));
