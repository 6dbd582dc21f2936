// Vietnamese wording for the stable finding codes, categories, severities and appeal outcomes.
import type { AppealOutcome } from "./model.ts";

export const FINDING_LABELS: Record<string, string> = {
  "category.missing": "Thiếu chuyên mục bắt buộc",
  "category.empty": "Chuyên mục không có nội dung",
  "category.unreachable": "Chuyên mục không truy cập được",
  "category.optional-missing": "Chưa có chuyên mục không bắt buộc",
  "encoding.charset-not-utf8": "Bảng mã khai báo không phải UTF-8",
  "encoding.invalid-utf8": "Dữ liệu không hợp lệ theo UTF-8",
  "encoding.legacy-text": "Văn bản dùng bảng mã cũ (không phải Unicode TCVN 6909)",
  "encoding.legacy-font": "Dùng phông chữ bảng mã cũ",
  "encoding.nfd": "Văn bản Unicode tổ hợp (chưa dựng sẵn)",
  "freshness.stale": "Chuyên mục chậm cập nhật",
  "freshness.low-frequency": "Tần suất cập nhật thấp",
  "freshness.frequency": "Tần suất đăng tin (số đo)",
  "freshness.no-dates": "Tin bài không ghi ngày đăng",
  "deadline.late-document": "Văn bản đăng quá thời hạn",
  "identity.unit-name": "Chân trang thiếu tên đơn vị",
  "identity.responsible-person": "Chân trang thiếu người chịu trách nhiệm",
  "identity.address": "Chân trang thiếu địa chỉ",
  "identity.phone": "Chân trang thiếu số điện thoại",
  "identity.email": "Chân trang thiếu thư điện tử",
  "attribution.author-missing": "Tin bài không ghi tác giả",
  "attribution.source-missing": "Tin bài không ghi nguồn",
  "technical.no-https": "Không hỗ trợ HTTPS",
  "technical.no-https-redirect": "Không chuyển hướng sang HTTPS",
  "technical.tls-error": "Lỗi chứng chỉ TLS",
  "technical.no-sitemap-xml": "Thiếu tệp sitemap.xml",
  "technical.no-sitemap-page": "Thiếu trang sơ đồ site",
  "technical.no-search": "Thiếu chức năng tìm kiếm",
  "technical.no-viewport": "Không tương thích thiết bị di động",
  "technical.lang-not-vi": "Không khai báo ngôn ngữ tiếng Việt",
  "technical.img-alt": "Ảnh thiếu văn bản thay thế",
  "technical.axe": "Lỗi hỗ trợ tiếp cận (WCAG)",
  "crawl.fetch-error": "Không tải được trang",
  "crawl.render-failed": "Không hiển thị được trang",
  "crawl.robots-disallowed": "Bị chặn bởi robots.txt",
  "crawl.timeout": "Quá thời gian chờ",
  "crawl.too-large": "Trang quá lớn",
};

export const CATEGORY_LABELS: Record<string, string> = {
  "gioi-thieu": "Giới thiệu",
  "lanh-dao": "Lãnh đạo",
  "tin-tuc": "Tin tức, sự kiện",
  "chi-dao-dieu-hanh": "Chỉ đạo điều hành",
  "lich-cong-tac": "Lịch công tác",
  "pho-bien-phap-luat": "Phổ biến pháp luật",
  "chien-luoc-quy-hoach": "Chiến lược, quy hoạch, kế hoạch",
  "van-ban": "Văn bản",
  "du-an-dau-tu": "Dự án, đầu tư, đấu thầu",
  "lay-y-kien": "Lấy ý kiến dự thảo",
  "thu-tuc-hanh-chinh": "Thủ tục hành chính",
  "hoi-dap": "Hỏi đáp",
  "lien-he": "Liên hệ",
  "thong-ke": "Thống kê",
  "khoa-hoc": "Chương trình, đề tài khoa học",
  "cong-bao": "Công báo",
  "so-do-site": "Sơ đồ site",
  "tieng-anh": "Tiếng Anh",
};

export const SEVERITY_LABELS: Record<string, string> = {
  error: "Lỗi",
  warning: "Cảnh báo",
  info: "Thông tin",
};

export function findingLabel(code: string, categoryId: string | null): string {
  const base = FINDING_LABELS[code] ?? code;
  if (categoryId) return `${base}: ${CATEGORY_LABELS[categoryId] ?? categoryId}`;
  return base;
}

export function appealSummary(appeal: AppealOutcome | null): string {
  if (!appeal) return "";
  switch (appeal.status) {
    case "pending":
      return "Đã giải trình, đang chờ xem xét";
    case "accepted":
      return "Giải trình được chấp nhận (không tính lỗi)";
    case "rejected":
      return "Giải trình không được chấp nhận";
  }
}
