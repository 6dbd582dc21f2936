// Display helpers shared by server and client: Vietnamese labels, dates dd/mm/yyyy (Asia/Ho_Chi_Minh).
const TZ = "Asia/Ho_Chi_Minh";

// Formatters are built once: constructing Intl objects per call dominated page render time.
const DATE_FMT = new Intl.DateTimeFormat("en-GB", { timeZone: TZ, day: "2-digit", month: "2-digit", year: "numeric" });
const DATETIME_FMT = new Intl.DateTimeFormat("en-GB", {
  timeZone: TZ,
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});
const SCORE_FMT = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });

function parts(d: Date, withTime: boolean): Record<string, string> {
  const fmt = withTime ? DATETIME_FMT : DATE_FMT;
  const out: Record<string, string> = {};
  for (const p of fmt.formatToParts(d)) out[p.type] = p.value;
  return out;
}

function toDate(v: string | Date | null | undefined): Date | null {
  if (v == null || v === "") return null;
  if (v instanceof Date) return v;
  // Plain calendar dates ('YYYY-MM-DD') are shown as they are, with no time-zone shift.
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (m) return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], 5));
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function fmtDate(v: string | Date | null | undefined): string {
  const d = toDate(v);
  if (!d) return "—";
  const p = parts(d, false);
  return `${p.day}/${p.month}/${p.year}`;
}

export function fmtDateTime(v: string | Date | null | undefined): string {
  const d = toDate(v);
  if (!d) return "—";
  const p = parts(d, true);
  return `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}`;
}

export function fmtScore(v: number | null | undefined): string {
  if (v == null) return "—";
  return SCORE_FMT.format(Math.round(v * 100) / 100);
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
  accepted: "Chấp nhận",
  rejected: "Từ chối",
};

export const PERIOD_KIND_LABELS: Record<string, string> = { month: "Tháng", quarter: "Quý", half: "6 tháng", year: "Năm" };

export const IDENTITY_LABELS: Record<string, string> = {
  unitName: "Tên đơn vị",
  responsiblePerson: "Người chịu trách nhiệm",
  address: "Địa chỉ",
  phone: "Số điện thoại",
  email: "Thư điện tử",
};
