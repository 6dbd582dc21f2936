// Rule set 5 — technical: HTTPS, HTTP→HTTPS redirect, sitemap.xml and sitemap page, search,
// mobile viewport, lang="vi", image alt ratio, and axe-core violations (interpreted only).
import type { AuditMetrics, FindingOut, Severity } from "../types.ts";
import type { SiteContext } from "./context.ts";
import { matchCategory } from "../catalog/match.ts";

const CHECK = "technical";

export function checkTechnical(ctx: SiteContext, sitemapPagePresent: boolean): { metrics: AuditMetrics["technical"]; findings: FindingOut[] } {
  const snap = ctx.snapshot;
  const findings: FindingOut[] = [];
  const home = ctx.home;
  const homeUrl = home ? home.page.finalUrl || home.page.url : snap.baseUrl;
  const parsed = home?.parsed ?? null;
  const https = /^https:/i.test(homeUrl) && !snap.tlsError;
  const add = (code: string, severity: Severity, message: string, url: string | null, details: Record<string, unknown> = {}, snippet: string | null = null) =>
    findings.push({ check: CHECK, code, severity, message, url, snippet, details });

  if (snap.tlsError) add("technical.tls-error", "error", `Lỗi chứng chỉ/kết nối TLS: ${snap.tlsError}.`, homeUrl, { error: snap.tlsError });
  if (!/^https:/i.test(homeUrl)) add("technical.no-https", "error", "Trang không dùng giao thức HTTPS.", homeUrl);
  const httpsRedirect = snap.httpRedirectsToHttps ?? null;
  if (httpsRedirect === false) add("technical.no-https-redirect", "warning", "Truy cập bằng HTTP không được chuyển hướng sang HTTPS.", homeUrl);

  const sitemapXml = ctx.entries.some((e) => {
    if (!e.ok) return false;
    let path = "";
    try {
      path = new URL(e.page.finalUrl || e.page.url).pathname;
    } catch {
      return false;
    }
    if (e.page.kind !== "sitemap" && !/site-?map[^/]*\.xml(?:\.gz)?$/i.test(path)) return false;
    const head = e.page.body?.subarray(0, 2048).toString("utf8") ?? "";
    return /<(?:urlset|sitemapindex)\b/i.test(head);
  });
  if (!sitemapXml) add("technical.no-sitemap-xml", "warning", "Không có tệp sitemap.xml hợp lệ.", null);
  const sitemapPage = sitemapPagePresent || !!parsed?.links.some((l) => matchCategory(l.text, l.href).includes("so-do-site"));
  if (!sitemapPage) add("technical.no-sitemap-page", "warning", "Không có trang sơ đồ site (Thông tư 32/2017/TT-BTTTT, Điều 16 khoản 4).", null);

  const search = ctx.entries.some((e) => e.parsed?.hasSearchForm);
  if (!search) add("technical.no-search", "warning", "Không tìm thấy chức năng tìm kiếm.", homeUrl);

  const viewport = !!parsed?.viewport && /width\s*=\s*device-width/i.test(parsed.viewport);
  if (parsed && !viewport) add("technical.no-viewport", "warning", "Trang chủ không khai báo viewport cho thiết bị di động.", homeUrl, { viewport: parsed.viewport });

  const lang = parsed?.lang ?? null;
  const langVi = !!lang && /^vi(?:-|$)/i.test(lang);
  if (parsed && !langVi) add("technical.lang-not-vi", "warning", `Thẻ <html> không khai báo lang="vi"${lang ? ` (đang là "${lang}")` : ""}.`, homeUrl, { lang });

  let total = 0;
  let withAlt = 0;
  for (const e of ctx.entries) {
    if (!e.parsed || !e.ok) continue;
    total += e.parsed.images.total;
    withAlt += e.parsed.images.withAlt;
  }
  const imgAltRatio = total ? withAlt / total : null;
  if (imgAltRatio !== null && imgAltRatio < 0.9) {
    add("technical.img-alt", "warning", `${total - withAlt}/${total} ảnh không có văn bản thay thế (alt).`, homeUrl, { total, withAlt, ratio: Number(imgAltRatio.toFixed(3)) });
  }

  let axeSerious: number | null = null;
  if (snap.axe) {
    axeSerious = 0;
    for (const v of snap.axe.violations) {
      const impact = v.impact ?? "minor";
      if (impact === "serious" || impact === "critical") axeSerious++;
      const severity: Severity = impact === "critical" || impact === "serious" ? "error" : impact === "moderate" ? "warning" : "info";
      add("technical.axe", severity, `Khả năng tiếp cận (axe-core): ${v.help} — ${v.nodes} phần tử.`, homeUrl, { rule: v.id, impact, nodes: v.nodes });
    }
  }
  return {
    metrics: { https, httpsRedirect, sitemapXml, sitemapPage, search, viewport, langVi, imgAltRatio, axeSeriousViolations: axeSerious },
    findings,
  };
}
