// Transport checks: HTTPS with a valid certificate (trusted, in date, issued for the site's
// name) and a redirect from plain HTTP to HTTPS, read from the probe (crawler/net/probe.ts).
// Pure. A handshake or request that timed out or was cut is unverified, not a failure.
import type { AuditMetrics, FindingOut, UnverifiedItem } from "../types.ts";
import type { DomainTransportProbe } from "../net/probe.ts";
import type { CertProblem } from "../net/tls-probe.ts";
import { type ProbeCheckResult, unverifiedDns } from "./domain.ts";

const CHECK = "transport";

export type TransportMetrics = NonNullable<AuditMetrics["transport"]>;

/** A certificate expiring within this many days is reported (warning, no points lost). */
export const CERT_EXPIRY_WARNING_DAYS = 14;

function dmy(iso: string | null): string {
  if (!iso) return "không rõ";
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

const PROBLEM_TEXT: Record<CertProblem, (host: string, c: { subject: string | null; issuer: string | null; validTo: string | null; validFrom: string | null }) => string> = {
  expired: (_h, c) => `Chứng chỉ HTTPS đã hết hạn ngày ${dmy(c.validTo)}: trình duyệt cảnh báo kết nối không an toàn.`,
  "not-yet-valid": (_h, c) => `Chứng chỉ HTTPS chưa đến ngày có hiệu lực (${dmy(c.validFrom)}).`,
  "wrong-host": (h, c) => `Chứng chỉ HTTPS không cấp cho tên miền ${h}${c.subject ? ` (cấp cho ${c.subject})` : ""}.`,
  "self-signed": (_h, c) => `Chứng chỉ HTTPS tự ký${c.issuer ? ` (${c.issuer})` : ""}, không do tổ chức chứng thực tin cậy cấp: trình duyệt cảnh báo kết nối không an toàn.`,
  untrusted: (_h, c) => `Chứng chỉ HTTPS không kiểm tra được tới tổ chức chứng thực tin cậy${c.issuer ? ` (bên cấp: ${c.issuer})` : ""}: thiếu chứng chỉ trung gian hoặc bên cấp không được tin cậy.`,
  invalid: () => "Chứng chỉ HTTPS không hợp lệ.",
};

export function checkTransport(probe: DomainTransportProbe): ProbeCheckResult<TransportMetrics> {
  const findings: FindingOut[] = [];
  const unverified: UnverifiedItem[] = [];
  const host = probe.host;
  const add = (code: string, severity: FindingOut["severity"], message: string, url: string, details: Record<string, unknown> = {}) =>
    findings.push({ check: CHECK, code, severity, message, url, snippet: null, details: { host, ...details } });

  let httpsValid: boolean | null;
  let certDaysLeft: number | null = null;
  const t = probe.https;
  if (t.ok) {
    httpsValid = t.valid;
    certDaysLeft = t.daysLeft;
    const certDetails = { problem: t.problem, code: t.code, subject: t.subject, issuer: t.issuer, validFrom: t.validFrom, validTo: t.validTo, protocol: t.protocol };
    if (!t.valid && t.problem) add("transport.cert-invalid", "error", PROBLEM_TEXT[t.problem](host, t), t.url, certDetails);
    else if (t.daysLeft !== null && t.daysLeft < CERT_EXPIRY_WARNING_DAYS)
      add("transport.cert-expiring", "warning", `Chứng chỉ HTTPS sẽ hết hạn sau ${Math.max(0, t.daysLeft)} ngày (${dmy(t.validTo)}).`, t.url, certDetails);
  } else if (t.kind === "no-https") {
    httpsValid = false;
    add("transport.no-https", "error", `Trang không phục vụ HTTPS tại ${t.url}: ${t.error}.`, t.url, { code: t.code });
  } else {
    httpsValid = null;
    const u = unverifiedDns(CHECK, "metrics:https", "Kết nối HTTPS và chứng chỉ", "transport.httpsValid", { reason: t.kind, error: t.error }, t.url);
    unverified.push(u.item);
    findings.push(u.finding);
  }

  let httpRedirect: boolean | null;
  const h = probe.http;
  if (h.ok) {
    httpRedirect = h.redirectsToHttps;
    if (!httpRedirect)
      add("transport.no-https-redirect", "warning", `Truy cập ${h.url} không được chuyển hướng sang HTTPS${h.status ? ` (HTTP ${h.status}${h.location ? `, chuyển tới ${h.location}` : ""})` : ""}.`, h.url, {
        status: h.status,
        location: h.location,
        chain: h.chain,
      });
  } else if (h.kind === "closed") {
    httpRedirect = false;
    add("transport.no-https-redirect", "warning", `Truy cập ${h.url} không được chuyển hướng sang HTTPS: ${h.error}.`, h.url, { code: h.code });
  } else {
    httpRedirect = null;
    const u = unverifiedDns(CHECK, "metrics:https-redirect", "Chuyển hướng HTTP sang HTTPS", "transport.httpRedirect", { reason: h.kind, error: h.error }, h.url);
    unverified.push(u.item);
    findings.push(u.finding);
  }
  return { metrics: { httpsValid, httpRedirect, certDaysLeft }, findings, unverified };
}
