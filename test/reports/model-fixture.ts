// Synthetic report models for builder tests and the benchmark.
import { CRITERION_GROUPS, DEFAULT_ISSUER, type FindingRow, type ReportModel, type UnitDetail, type UnitScoreRow } from "../../reports/model.ts";

const GROUPS = [
  { code: "so-nganh", name: "Sở, ban, ngành", sort: 1 },
  { code: "huyen", name: "UBND cấp huyện", sort: 2 },
  { code: "xa", name: "UBND cấp xã", sort: 3 },
];
const TIER_LABELS = ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"];
const CODES = ["category.missing", "freshness.stale", "identity.email", "technical.no-search", "attribution.author-missing", "encoding.legacy-text"];
const GROUP_MAX: Record<string, number> = { "noi-dung": 40, "cap-nhat": 20, unicode: 15, "dinh-danh": 15, "ky-thuat": 10 };

export interface SyntheticOptions {
  units: number;
  findingsPerUnit: number;
  frozenAt?: Date;
  notAuditedEvery?: number;
  /** Findings worded like the demo's (a sentence, a quoted snippet, the page title and a long URL). */
  demoText?: boolean;
}

// Findings as the demo crawl of the sample province words them (reports of October 2026).
const DEMO_FINDINGS = [
  { message: "Bài viết không ghi tên tác giả.", snippet: "Thông báo về việc thông báo kết quả cuộc họp đến các thành viên", title: "175/TB-KHCN - Sở Khoa học và Công nghệ tỉnh Bình Định", path: "bai-viet/thong-bao-ket-qua-cuoc-hop-den-cac-744" },
  { message: "Văn bản ban hành ngày 30/09/2026 được đăng ngày 16/10/2026: 12 ngày làm việc (quá hạn 2 ngày làm việc).", snippet: "Ngày ban hành: 30/09/2026 Ngày đăng: 16/10/2026 Người ký", title: "240/BC-NV - Sở Nội vụ tỉnh Bình Định", path: "bai-viet/truong-hop-can-thiet-ban-bien-tap-hop-283" },
  { message: "Bài viết không ghi nguồn tin.", snippet: "Kế hoạch về việc quản lý và tổ chức hoạt động của các biên tập viên, phóng viên", title: "158/KH-CT - Sở Công Thương tỉnh Bình Định", path: "Pages/van-ban/quan-ly-va-to-chuc-hoat-dong-cua-558.aspx" },
  { message: 'Trang khai báo bảng mã "windows-1258" thay vì UTF-8 (Unicode TCVN 6909:2001).', snippet: "Content-Type: text/html; charset=windows-1258", title: "Sở Thông tin và Truyền thông xây dựng quy định về thực hiện chế - UBND huyện Vân Canh", path: "bai-viet/so-thong-tin-va-truyen-thong-xay-dung-875" },
  { message: "Trang không khai báo bảng mã (charset) UTF-8 trong HTTP header hoặc thẻ <meta>.", snippet: null, title: "Trực tiếp triển khai các hoạt động của Ban Biên tập trang thành phần - UBND huyện Vĩnh Thạnh", path: "thong-ke/truc-tiep-trien-khai-cac-hoat-dong-cua-322.html" },
  { message: "Văn bản dùng bảng mã cũ VNI (phông VNI-Times), không phải Unicode TCVN 6909:2001.", snippet: "Sitemap - UBND xaõ Phöôùc Sôn  UBND XAÕ PHÖÔÙC SÔN Tìm Gioi thieu Lanh dao Tin tuc - Su kien Thong tin chi dao dieu hanh Lich lam viec", title: "Sitemap - UBND xã Phước Sơn", path: "index.php/chi-dao-dieu-hanh/571-truong-hop-can-thiet-ban-bien-tap-hop" },
];

export function syntheticModel(opts: SyntheticOptions): ReportModel {
  const frozenAt = opts.frozenAt ?? new Date("2027-01-05T03:00:00Z");
  const units: UnitScoreRow[] = [];
  const details: UnitDetail[] = [];
  for (let i = 1; i <= opts.units; i++) {
    const group = i <= Math.min(40, opts.units) ? GROUPS[0] : i <= Math.min(60, opts.units) ? GROUPS[1] : GROUPS[2];
    const notAudited = opts.notAuditedEvery ? i % opts.notAuditedEvery === 0 : false;
    const groupPoints: Record<string, number | null> = {};
    let total = 0;
    for (const g of CRITERION_GROUPS) {
      const v = notAudited ? null : Math.round(((i * 37 + g.code.length * 11) % 100) * GROUP_MAX[g.code]) / 100;
      groupPoints[g.code] = v;
      total += v ?? 0;
    }
    units.push({
      unitId: i,
      code: `DV${String(i).padStart(4, "0")}`,
      name: `${group.code === "xa" ? "UBND xã" : group.code === "huyen" ? "UBND huyện" : "Sở"} Đơn vị số ${i}`,
      groupCode: group.code,
      websites: [`https://dv${i}.binhdinh.gov.vn`],
      status: notAudited ? "not_audited" : "scored",
      auditsCount: notAudited ? 0 : 52,
      groupPoints,
      total: notAudited ? null : Math.round(total * 100) / 100,
      maxTotal: 100,
      tier: notAudited ? null : TIER_LABELS[Math.min(4, Math.floor((100 - total) / 15))],
      rank: null,
      previousTotal: notAudited ? null : Math.round((total - 3.25) * 100) / 100,
      previousRank: null,
    });
    const findings: FindingRow[] = [];
    for (let k = 0; k < (notAudited ? 0 : opts.findingsPerUnit); k++) {
      const code = CODES[(i + k) % CODES.length];
      findings.push({
        id: i * 1000 + k,
        checkId: code.split(".")[0],
        code,
        categoryId: code.startsWith("category") || code.startsWith("freshness") ? "van-ban" : null,
        severity: k % 3 === 0 ? "warning" : "error",
        ...(opts.demoText
          ? (() => {
              const d = DEMO_FINDINGS[(i + k) % DEMO_FINDINGS.length];
              return { message: d.message, url: `http://127.0.0.1:47${String(i % 100).padStart(2, "0")}/${d.path}`, pageTitle: d.title, snippet: d.snippet };
            })()
          : {
              message: `Phát hiện lỗi ${code} tại trang số ${k}`,
              url: `https://dv${i}.binhdinh.gov.vn/tin-tuc/bai-${k}.html`,
              pageTitle: `Tin tức – bài viết số ${k}`,
              snippet: k % 2 ? "Nội dung trích dẫn của trang" : null,
            }),
        firstSeen: new Date("2026-01-06T02:00:00Z"),
        lastSeen: new Date("2026-12-28T02:00:00Z"),
        occurrences: 1 + (k % 52),
        counted: true,
        appeal:
          k === 1
            ? { status: "rejected", filedAt: new Date("2026-10-01T02:00:00Z"), explanation: "Đã bổ sung", decidedAt: new Date("2026-10-05T02:00:00Z"), decisionReason: "Chưa bổ sung đủ" }
            : null,
        pageId: i * 1000 + k,
        criterionCodes: [`${CRITERION_GROUPS[(i + k) % CRITERION_GROUPS.length].code}-1`],
      });
    }
    details.push({
      unitId: i,
      criteria: CRITERION_GROUPS.map((g) => ({
        code: `${g.code}-1`,
        groupCode: g.code,
        name: `Tiêu chí ${g.name}`,
        points: groupPoints[g.code],
        maxPoints: GROUP_MAX[g.code],
      })),
      findings,
      findingsTotal: findings.length,
    });
  }
  // Rank within group by total, ties share a rank.
  for (const g of GROUPS) {
    const members = units.filter((u) => u.groupCode === g.code && u.total != null).sort((a, b) => b.total! - a.total!);
    members.forEach((u, idx) => {
      u.rank = idx > 0 && members[idx - 1].total === u.total ? members[idx - 1].rank : idx + 1;
      u.previousRank = ((u.rank ?? 0) % 7) + 1;
    });
  }
  return {
    kind: "province",
    period: { code: "2026", kind: "year", startsOn: "2026-01-01", endsOn: "2026-12-31", frozenAt },
    draft: false,
    issuedAt: frozenAt,
    issuer: DEFAULT_ISSUER,
    rubric: { name: "Bộ tiêu chí mặc định", version: 1 },
    unitGroups: GROUPS,
    tierOrder: TIER_LABELS,
    tierThresholds: TIER_LABELS.map((tier, k) => ({ tier, min: [90, 80, 65, 50, 0][k] })),
    assessment: null,
    evidenceBaseUrl: "https://tuanthu.binhdinh.gov.vn",
    criterionGroups: CRITERION_GROUPS.map((g) => ({ ...g, maxPoints: GROUP_MAX[g.code] })),
    units,
    details,
    unitId: null,
  };
}
