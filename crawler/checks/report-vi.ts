// Readable Vietnamese text report of one site audit (the `audit` command without --json).
import type { SiteAuditResult } from "../types.ts";
import { CATEGORY_BY_ID } from "../catalog/categories.ts";
import { vietnamWallClock } from "../../db/time.ts";

const STATUS_VI: Record<string, string> = { present: "Có", empty: "Có nhưng chưa có nội dung", missing: "Không có", unreachable: "Không truy cập được" };
const SEVERITY_VI: Record<string, string> = { error: "Lỗi", warning: "Cảnh báo", info: "Thông tin" };
const CHECK_VI: Record<string, string> = {
  categories: "Chuyên mục thông tin bắt buộc",
  encoding: "Bộ mã Unicode TCVN 6909:2001",
  freshness: "Cập nhật thông tin, thời hạn đăng văn bản",
  identity: "Thông tin chân trang",
  attribution: "Tác giả, nguồn tin",
  technical: "Kỹ thuật",
  emc: "Kết nối Hệ thống EMC (TT 22/2023)",
  "home-links": "Liên kết bắt buộc trên trang chủ (TT 22/2023)",
  domain: "Tên miền .gov.vn, IPv6, DNSSEC",
  transport: "HTTPS, chứng chỉ, chuyển hướng HTTP→HTTPS",
  crawl: "Thu thập trang",
};

function fmtDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const [y, m, d] = iso.slice(0, 10).split("-");
  return `${d}/${m}/${y}`;
}

function fmtDateTime(iso: string): string {
  const t = vietnamWallClock(new Date(iso)).toISOString();
  return `${fmtDate(t)} ${t.slice(11, 16)}`;
}

const yes = (b: boolean | null | undefined) => (b === null || b === undefined ? "không xác định" : b ? "Có" : "Không");

export function formatReportVi(result: SiteAuditResult): string {
  const lines: string[] = [];
  const add = (s = "") => lines.push(s);
  add(`KẾT QUẢ KIỂM TRA TRANG THÔNG TIN ĐIỆN TỬ: ${result.site}`);
  add(`Thời điểm kiểm tra: ${fmtDateTime(result.auditedAt)} (giờ Việt Nam)`);
  const rs = result.ruleSet as { legalBasis?: string } | undefined;
  if (rs?.legalBasis) add(`Căn cứ: ${rs.legalBasis}`);
  add(`Số trang đã kiểm tra: ${result.pages.length}`);
  add();

  add("1. Chuyên mục thông tin bắt buộc");
  for (const c of result.categories) {
    const name = CATEGORY_BY_ID.get(c.id)?.name ?? c.id;
    add(`   - ${name}: ${STATUS_VI[c.status] ?? c.status}${c.url ? ` — ${c.url}` : ""}`);
    if (c.status !== "present" && c.snippet) add(`       Trích: "${c.snippet.slice(0, 120)}"`);
  }
  add();

  add("2. Bộ mã Unicode TCVN 6909:2001");
  const e = result.encoding;
  add(`   - Trang đạt yêu cầu: ${e.pagesCompliant}/${e.pagesChecked}${e.legacySchemes.length ? `; bảng mã cũ phát hiện: ${e.legacySchemes.join(", ")}` : ""}`);
  const bad = result.pages.filter((p) => !p.encoding.compliant);
  for (const p of bad.slice(0, 10)) {
    const why: string[] = [];
    if (p.encoding.declared !== "utf-8") why.push(`khai báo ${p.encoding.declared ?? "không có"}`);
    if (!p.encoding.validUtf8) why.push("byte không hợp lệ UTF-8");
    if (p.encoding.legacy) why.push(`văn bản mã ${p.encoding.legacy}`);
    if (p.encoding.legacyFonts.length) why.push(`phông ${p.encoding.legacyFonts.join(", ")}`);
    add(`     • ${p.url}: ${why.join("; ")}`);
    if (p.encoding.preview) add(`       Chuyển đổi thử: "${p.encoding.preview.slice(0, 100)}"`);
  }
  if (bad.length > 10) add(`     … và ${bad.length - 10} trang khác`);
  add();

  add(`3. Thông tin chân trang (${rs?.legalBasis?.includes("22/2023") ? "Thông tư 22/2023/TT-BTTTT" : "Thông tư 32/2017/TT-BTTTT, Điều 16"})`);
  const id = result.identity;
  add(`   - Tên đơn vị: ${yes(id.unitName)}; Người chịu trách nhiệm: ${yes(id.responsiblePerson)}; Địa chỉ: ${yes(id.address)}; Điện thoại: ${yes(id.phone)}; Email: ${yes(id.email)}`);
  add();

  add("4. Cập nhật thông tin");
  const f = result.freshness as SiteAuditResult["freshness"] & {
    postsLast7Days?: number;
    postsPerWeek?: number;
    newSincePreviousAudit?: number | null;
    byCategory?: { id: string; latestPublished: string | null; last30Days: number }[];
    documents?: { url: string; issued: string; posted: string; workingDays: number; late: boolean }[];
  };
  add(`   - Tin mới nhất: ${fmtDate(f.latestPublished)}; 7 ngày qua: ${f.postsLast7Days ?? "—"}; 30 ngày qua: ${f.postsLast30Days}; trung bình ${f.postsPerWeek ?? "—"} tin/tuần`);
  if (f.newSincePreviousAudit !== undefined && f.newSincePreviousAudit !== null) add(`   - Bài mới từ lần kiểm tra trước: ${f.newSincePreviousAudit}`);
  for (const c of f.byCategory ?? []) {
    add(`     • ${CATEGORY_BY_ID.get(c.id)?.name ?? c.id}: mới nhất ${fmtDate(c.latestPublished)}, ${c.last30Days} bài trong 30 ngày`);
  }
  const docs = f.documents ?? [];
  if (docs.length) {
    add(`   - Văn bản: ${docs.filter((d) => !d.late).length}/${docs.length} đăng đúng hạn (tính theo ngày làm việc)`);
    for (const d of docs.filter((x) => x.late).slice(0, 5)) add(`     • ${d.url}: ban hành ${fmtDate(d.issued)}, đăng ${fmtDate(d.posted)} (${d.workingDays} ngày làm việc)`);
  }
  add();

  const t = result.technical as Record<string, unknown> | undefined;
  if (t) {
    add("5. Kỹ thuật");
    add(`   - HTTPS: ${yes(t.https as boolean)}; chuyển hướng HTTP→HTTPS: ${yes(t.httpsRedirect as boolean | null)}; sitemap.xml: ${yes(t.sitemapXml as boolean)}; trang sơ đồ site: ${yes(t.sitemapPage as boolean)}`);
    const ratio = t.imgAltRatio as number | null;
    add(`   - Tìm kiếm: ${yes(t.search as boolean)}; viewport di động: ${yes(t.viewport as boolean)}; lang="vi": ${yes(t.langVi as boolean)}; ảnh có alt: ${ratio === null ? "—" : `${Math.round(ratio * 100)}%`}`);
    const m = result.metrics as { emc?: { script: boolean; label: boolean }; homeLinks?: { required: number; present: number } } | undefined;
    if (m?.emc) add(`   - EMC: mã giám sát trên trang chủ: ${yes(m.emc.script)}; nhãn EMC trên trang chủ: ${yes(m.emc.label)}`);
    if (m?.homeLinks?.required) add(`   - Liên kết bắt buộc trên trang chủ: ${m.homeLinks.present}/${m.homeLinks.required}`);
    add();
  }

  const errors = result.findings.filter((x) => x.severity === "error").length;
  const warnings = result.findings.filter((x) => x.severity === "warning").length;
  add(`6. Các phát hiện (${errors} lỗi, ${warnings} cảnh báo)`);
  const groups = new Map<string, typeof result.findings>();
  for (const x of result.findings) groups.set(x.check, [...(groups.get(x.check) ?? []), x]);
  for (const [check, list] of groups) {
    add(`   ${CHECK_VI[check] ?? check} (${list.length}):`);
    for (const x of list.slice(0, 15)) {
      add(`   [${SEVERITY_VI[x.severity] ?? x.severity}] ${x.message}`);
      if (x.url) add(`        ${x.url}`);
      if (x.snippet) add(`        Trích: "${x.snippet.replace(/\s+/g, " ").slice(0, 140)}"`);
    }
    if (list.length > 15) add(`   … và ${list.length - 15} phát hiện khác`);
  }
  return lines.join("\n") + "\n";
}
