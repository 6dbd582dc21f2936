// Readable Vietnamese text report of one site audit (the `audit` command without --json).
import type { SiteAuditResult } from "../types.ts";
import { CATEGORY_BY_ID } from "../catalog/categories.ts";

const STATUS_VI: Record<string, string> = { present: "Có", empty: "Có nhưng trống", missing: "Không có", unreachable: "Không truy cập được" };
const SEVERITY_VI: Record<string, string> = { error: "Lỗi", warning: "Cảnh báo", info: "Thông tin" };

function fmtDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const [y, m, d] = iso.slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}

function fmtDateTime(iso: string): string {
  const t = new Date(Date.parse(iso) + 7 * 3600_000).toISOString();
  return `${fmtDate(t)} ${t.slice(11, 16)}`;
}

const yes = (b: boolean) => (b ? "Có" : "Không");

export function formatReportVi(result: SiteAuditResult): string {
  const lines: string[] = [];
  lines.push(`KẾT QUẢ KIỂM TRA TRANG THÔNG TIN ĐIỆN TỬ: ${result.site}`);
  lines.push(`Thời điểm kiểm tra: ${fmtDateTime(result.auditedAt)} (giờ Việt Nam)`);
  lines.push(`Số trang đã kiểm tra: ${result.pages.length}`);
  lines.push("");
  lines.push("1. Chuyên mục thông tin bắt buộc");
  for (const c of result.categories) {
    const name = CATEGORY_BY_ID.get(c.id)?.name ?? c.id;
    lines.push(`   - ${name}: ${STATUS_VI[c.status] ?? c.status}${c.url ? ` (${c.url})` : ""}`);
  }
  lines.push("");
  lines.push("2. Bộ mã Unicode TCVN 6909:2001");
  const e = result.encoding;
  lines.push(`   - Trang đạt: ${e.pagesCompliant}/${e.pagesChecked}${e.legacySchemes.length ? `; bảng mã cũ phát hiện: ${e.legacySchemes.join(", ")}` : ""}`);
  lines.push("");
  lines.push("3. Thông tin chân trang (Thông tư 32/2017/TT-BTTTT)");
  const id = result.identity;
  lines.push(`   - Tên đơn vị: ${yes(id.unitName)}; Người chịu trách nhiệm: ${yes(id.responsiblePerson)}; Địa chỉ: ${yes(id.address)}; Điện thoại: ${yes(id.phone)}; Email: ${yes(id.email)}`);
  lines.push("");
  lines.push("4. Cập nhật thông tin");
  lines.push(`   - Tin mới nhất: ${fmtDate(result.freshness.latestPublished)}; số tin trong 30 ngày: ${result.freshness.postsLast30Days}; số bài có ngày đăng: ${result.freshness.items.length}`);
  lines.push("");
  const errors = result.findings.filter((f) => f.severity === "error").length;
  const warnings = result.findings.filter((f) => f.severity === "warning").length;
  lines.push(`5. Các phát hiện (${errors} lỗi, ${warnings} cảnh báo)`);
  for (const f of result.findings) {
    lines.push(`   [${SEVERITY_VI[f.severity] ?? f.severity}] ${f.message}${f.url ? `\n        ${f.url}` : ""}${f.snippet ? `\n        Trích: "${f.snippet.slice(0, 140)}"` : ""}`);
  }
  return lines.join("\n") + "\n";
}
