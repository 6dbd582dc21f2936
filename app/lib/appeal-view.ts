// Labels of the appeal workflow (shared by the queue, the detail page and the unit page).
import { formatVietnamDate, vietnamToday } from "../../db/time.ts";

export const APPEAL_STEP_LABELS: Record<string, string> = {
  pending: "Đã gửi",
  under_review: "Đang xem xét",
  accepted: "Được chấp nhận",
  rejected: "Bị từ chối",
  expired: "Hết hiệu lực",
};

export const SCOPE_OPTIONS: { value: string; label: string }[] = [
  { value: "finding", label: "Phát hiện này (cùng lỗi, cùng địa chỉ, ở các lần kiểm tra sau)" },
  { value: "page", label: "Trang này (mọi phát hiện trên cùng địa chỉ)" },
  { value: "site", label: "Toàn website (cùng loại phát hiện ở mọi trang)" },
  { value: "criterion", label: "Tiêu chí (mọi phát hiện của tiêu chí này)" },
];

export function displayStatus(a: { status: string; expires_on: string | null }, today = vietnamToday()): string {
  return a.status === "accepted" && a.expires_on && a.expires_on < today ? "expired" : a.status;
}

/** "Quá hạn" when an open appeal is past its due date. */
export function dueText(a: { status: string; due_on: string | null }, today = vietnamToday()): string {
  if (!a.due_on) return "—";
  const open = a.status === "pending" || a.status === "under_review";
  return `${formatVietnamDate(a.due_on)}${open && a.due_on < today ? " (quá hạn)" : ""}`;
}
