// Display helpers shared by server and client: Vietnamese labels, scores, and dates dd/mm/yyyy
// in Vietnam time (the dates and period labels come from db/time.ts, the one home for time).
import { formatPeriodLabel, formatVietnamDate, formatVietnamDateTime } from "../../db/time.ts";

// Two decimals always, as the Excel reports show them: the same number reads the same everywhere.
const SCORE_FMT = new Intl.NumberFormat("vi-VN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** dd/mm/yyyy: a 'YYYY-MM-DD' day as it is, an instant by its Vietnam day. */
export const fmtDate = formatVietnamDate;
/** "HH:MM dd/mm/yyyy" in Vietnam time. */
export const fmtDateTime = formatVietnamDateTime;
/** "Tháng 11/2026", "Quý IV/2026", "6 tháng đầu năm 2026", "Năm 2026". */
export const fmtPeriod = formatPeriodLabel;

export function fmtScore(v: number | string | null | undefined): string {
  if (v == null || v === "") return "—";
  const n = Number(v);
  if (!Number.isFinite(n)) return "—";
  return SCORE_FMT.format(Math.round(n * 100) / 100);
}

/** Points out of their maximum, "18,5/20" ("—" when not scored). */
export function fmtPointsOf(points: number | null | undefined, max: number | null | undefined): string {
  if (points == null) return "—";
  return max == null ? fmtScore(points) : `${fmtScore(points)}/${fmtScore(max)}`;
}

export const ROLE_LABELS: Record<string, string> = {
  inspector: "Cán bộ kiểm tra",
  unit_head: "Thủ trưởng đơn vị",
  province: "UBND tỉnh",
};

export const GROUP_LABELS: Record<string, string> = {
  "so-nganh": "Sở, ban, ngành",
  huyen: "UBND cấp huyện",
  xa: "UBND cấp xã",
};

export const UNIT_TYPE_LABELS: Record<string, string> = {
  so: "Sở",
  ban: "Ban",
  ubnd_huyen: "UBND cấp huyện",
  ubnd_xa: "UBND cấp xã",
  don_vi_su_nghiep: "Đơn vị sự nghiệp",
  cong_tinh: "Cổng tỉnh",
};

export const CRITERION_GROUP_LABELS: Record<string, string> = {
  "noi-dung": "Nội dung",
  "cap-nhat": "Cập nhật",
  unicode: "Unicode",
  "dinh-danh": "Định danh",
  "ky-thuat": "Kỹ thuật",
};
export const CRITERION_GROUPS = ["noi-dung", "cap-nhat", "unicode", "dinh-danh", "ky-thuat"] as const;

export const CATEGORY_LABELS: Record<string, string> = {
  "gioi-thieu": "Giới thiệu",
  "lanh-dao": "Lãnh đạo",
  "tin-tuc": "Tin tức",
  "chi-dao-dieu-hanh": "Chỉ đạo điều hành",
  "lich-cong-tac": "Lịch công tác",
  "pho-bien-phap-luat": "Phổ biến pháp luật",
  "chien-luoc-quy-hoach": "Chiến lược, quy hoạch",
  "van-ban": "Văn bản",
  "du-an-dau-tu": "Dự án, đầu tư",
  "lay-y-kien": "Lấy ý kiến",
  "thu-tuc-hanh-chinh": "Thủ tục hành chính",
  "hoi-dap": "Hỏi đáp",
  "lien-he": "Liên hệ",
  "thong-ke": "Thống kê",
  "khoa-hoc": "Khoa học",
  "cong-bao": "Công báo",
  "so-do-site": "Sơ đồ site",
  "tieng-anh": "Tiếng Anh",
};

export const CATEGORY_STATUS_LABELS: Record<string, string> = {
  present: "Có",
  empty: "Trống",
  missing: "Thiếu",
  unreachable: "Không truy cập được",
};

export const AUDIT_STATUS_LABELS: Record<string, string> = {
  queued: "Đang chờ",
  running: "Đang chạy",
  done: "Hoàn thành",
  failed: "Lỗi",
  cancelled: "Đã hủy",
};

export const SEVERITY_LABELS: Record<string, string> = { error: "Lỗi", warning: "Cảnh báo", info: "Thông tin" };

export const APPEAL_STATUS_LABELS: Record<string, string> = {
  pending: "Chờ xử lý",
  under_review: "Đang xem xét",
  accepted: "Chấp nhận",
  rejected: "Từ chối",
  expired: "Hết hiệu lực",
};

export const PERIOD_KIND_LABELS: Record<string, string> = { month: "Tháng", quarter: "Quý", half: "6 tháng", year: "Năm" };

export const IDENTITY_LABELS: Record<string, string> = {
  unitName: "Tên đơn vị",
  responsiblePerson: "Người chịu trách nhiệm",
  address: "Địa chỉ",
  phone: "Số điện thoại",
  email: "Thư điện tử",
};
