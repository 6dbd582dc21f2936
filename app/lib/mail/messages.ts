// The text of each notification, in Vietnamese, dates dd/mm/yyyy. Plain text: every client reads it.
import { formatVietnamDate } from "../../../db/time.ts";

const SIGN = "\n\n—\nTuân Thủ · hệ thống kiểm tra trang thông tin điện tử.\nĐổi loại thư nhận được tại trang Tài khoản (/tai-khoan).";

export function link(base: string | null, path: string): string {
  return base ? `${base}${path}` : path;
}

const fmtDay = (d: string | null) => (d ? formatVietnamDate(d) : "—");

export const SCOPE_LABELS: Record<string, string> = {
  finding: "chỉ phát hiện này (cùng mã, cùng địa chỉ)",
  page: "mọi phát hiện trên trang này",
  site: "phát hiện cùng loại trên toàn website",
  criterion: "mọi phát hiện của tiêu chí này",
};

export function appealFiledMail(a: { id: number; unitName: string; findingMessage: string; explanation: string; dueOn: string | null; attachments: number; base: string | null }) {
  return {
    subject: `[Tuân Thủ] Giải trình mới #${a.id} của ${a.unitName}`,
    body:
      `${a.unitName} đã gửi giải trình #${a.id} về phát hiện: “${a.findingMessage}”.\n\n` +
      `Nội dung: ${a.explanation}\n` +
      `Tệp đính kèm: ${a.attachments}\n` +
      `Hạn xử lý: ${fmtDay(a.dueOn)}\n\n` +
      `Xem và quyết định: ${link(a.base, `/giai-trinh/${a.id}`)}` +
      SIGN,
  };
}

export function appealDecidedMail(a: {
  id: number;
  unitName: string;
  findingMessage: string;
  accepted: boolean;
  reason: string;
  scope: string;
  expiresOn: string | null;
  base: string | null;
}) {
  const outcome = a.accepted ? "ĐƯỢC CHẤP NHẬN" : "BỊ TỪ CHỐI";
  return {
    subject: `[Tuân Thủ] Giải trình #${a.id} ${a.accepted ? "được chấp nhận" : "bị từ chối"}`,
    body:
      `Giải trình #${a.id} của ${a.unitName} về phát hiện “${a.findingMessage}” đã ${outcome}.\n\n` +
      `Lý do: ${a.reason}\n` +
      (a.accepted ? `Phạm vi áp dụng: ${SCOPE_LABELS[a.scope] ?? a.scope}\nHiệu lực đến: ${a.expiresOn ? fmtDay(a.expiresOn) : "không thời hạn"}\n` : "") +
      `\nXem chi tiết: ${link(a.base, `/giai-trinh/${a.id}`)}` +
      SIGN,
  };
}

export function newFindingsMail(a: { unitName: string; siteUrl: string; auditDay: string; findings: { message: string; url: string | null }[]; unitId: number; base: string | null }) {
  const lines = a.findings.slice(0, 30).map((f) => `- ${f.message}${f.url ? ` (${f.url})` : ""}`);
  if (a.findings.length > 30) lines.push(`… và ${a.findings.length - 30} phát hiện khác.`);
  return {
    subject: `[Tuân Thủ] ${a.findings.length} phát hiện mới làm mất điểm: ${a.unitName}`,
    body:
      `Lượt kiểm tra ngày ${fmtDay(a.auditDay)} website ${a.siteUrl} có ${a.findings.length} phát hiện mới làm mất điểm:\n\n${lines.join("\n")}\n\n` +
      `Xem chi tiết và gửi giải trình: ${link(a.base, `/don-vi/${a.unitId}`)}` +
      SIGN,
  };
}

export function auditProblemMail(a: { unitName: string; siteUrl: string; auditDay: string; failed: boolean; detail: string; unitId: number; base: string | null }) {
  return {
    subject: `[Tuân Thủ] Lượt kiểm tra ${a.failed ? "thất bại" : "có mục không xác minh được"}: ${a.unitName}`,
    body:
      `Lượt kiểm tra ngày ${fmtDay(a.auditDay)} website ${a.siteUrl} ${a.failed ? "thất bại" : "có mục không xác minh được"}.\n\n${a.detail}\n\n` +
      `Xem chi tiết: ${link(a.base, `/don-vi/${a.unitId}`)}` +
      SIGN,
  };
}

export function periodClosedMail(a: { periodLabel: string; closedBy: string; base: string | null }) {
  return {
    subject: `[Tuân Thủ] Đã chốt ${a.periodLabel}: báo cáo chính thức`,
    body:
      `${a.periodLabel} đã được chốt bởi ${a.closedBy}. Điểm và thứ hạng của kỳ không còn thay đổi; báo cáo chính thức gửi UBND tỉnh đã được lưu.\n\n` +
      `Tải báo cáo: ${link(a.base, "/bao-cao")}` +
      SIGN,
  };
}

export function digestMail(a: {
  unitName: string;
  periodLabel: string;
  total: number | null;
  maxTotal: number | null;
  rank: number | null;
  groupSize: number;
  groupName: string;
  lost: { name: string; lost: number; howTo: string }[];
  unitId: number;
  periodCode: string;
  base: string | null;
}) {
  const fmt = (n: number) => n.toLocaleString("vi-VN", { maximumFractionDigits: 2 });
  const score = a.total === null ? "chưa được chấm (không có lượt kiểm tra trong kỳ)" : `${fmt(a.total)}/${fmt(a.maxTotal ?? 100)} điểm`;
  const rank = a.rank === null ? "chưa xếp hạng" : `hạng ${a.rank}/${a.groupSize} trong nhóm ${a.groupName}`;
  const lost = a.lost.length
    ? a.lost.map((l) => `- ${l.name}: mất ${fmt(l.lost)} điểm. Cách khắc phục: ${l.howTo}`).join("\n")
    : "- Không mất điểm ở tiêu chí nào.";
  return {
    subject: `[Tuân Thủ] Bản tin ${a.periodLabel}: ${a.unitName}`,
    body:
      `Kết quả ${a.periodLabel} của ${a.unitName}:\n\nĐiểm: ${score}\nThứ hạng: ${rank}\n\nĐiểm bị trừ và cách khắc phục:\n${lost}\n\n` +
      `Xem chi tiết: ${link(a.base, `/don-vi/${a.unitId}?ky=${a.periodCode}`)}` +
      SIGN,
  };
}
