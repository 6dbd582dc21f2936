// Domain checks: the .gov.vn domain (2025 national criteria), IPv6 (an AAAA record) and DNSSEC
// (TT 32/2017/TT-BTTTT Điều 15 khoản 4), read from the probe (crawler/net/probe.ts). Pure.
// A resolver that did not answer leaves the metric unverified ("chưa xác minh được", decision 0013).
import type { AuditMetrics, FindingOut, UnverifiedItem } from "../types.ts";
import type { DomainTransportProbe } from "../net/probe.ts";
import type { DnsFailure } from "../net/resolver.ts";
import { UNVERIFIED_LABEL, UNVERIFIED_REASON_LABELS } from "../audit/verdicts.ts";

const CHECK = "domain";

export type DomainMetrics = NonNullable<AuditMetrics["domain"]>;

export interface ProbeCheckResult<M> {
  metrics: M;
  findings: FindingOut[];
  /** Items this check could not verify; their metric paths are to be listed in unverifiedMetrics. */
  unverified: UnverifiedItem[];
}

/** The government's second-level domain (Bộ tiêu chí 2025: "sử dụng tên miền .gov.vn"). */
export function isGovVn(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return h === "gov.vn" || h.endsWith(".gov.vn");
}

/** An unverified item and its "verdict.unverified" finding, for a look-up the network did not answer. */
export function unverifiedDns(check: string, key: string, label: string, metric: string, f: { reason: DnsFailure["reason"]; error: string }, url: string | null): { item: UnverifiedItem; finding: FindingOut } {
  const item: UnverifiedItem = { key, label, reason: f.reason, detail: `${capitalize(f.error)}.`, url, metrics: [metric], observed: null };
  return {
    item,
    finding: {
      check,
      code: "verdict.unverified",
      severity: "info",
      message: `${UNVERIFIED_LABEL}: ${label} — ${UNVERIFIED_REASON_LABELS[f.reason]}. ${item.detail}`,
      url,
      snippet: null,
      details: { key, reason: f.reason, observed: null, metrics: [metric] },
    },
  };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function checkDomain(probe: DomainTransportProbe): ProbeCheckResult<DomainMetrics> {
  const findings: FindingOut[] = [];
  const unverified: UnverifiedItem[] = [];
  const host = probe.host;
  const url = probe.https.url;
  const add = (code: string, severity: FindingOut["severity"], message: string, details: Record<string, unknown> = {}) =>
    findings.push({ check: CHECK, code, severity, message, url, snippet: null, details: { host, ...details } });

  // An IP address or a single-label name ("localhost") is no public domain.
  const noDomain = probe.isIp || !host.includes(".");
  const what = probe.isIp ? `địa chỉ IP ${host}` : `tên máy nội bộ ${host}`;
  const govVn = !noDomain && isGovVn(host);
  if (noDomain) add("domain.not-gov-vn", "error", `Trang được đăng ký bằng ${what}, không có tên miền .gov.vn (Bộ tiêu chí đánh giá năm 2025).`);
  else if (!govVn) add("domain.not-gov-vn", "error", `Tên miền ${host} không thuộc .gov.vn (Bộ tiêu chí đánh giá năm 2025 yêu cầu tên miền .gov.vn).`);

  let ipv6: boolean | null = false;
  let dnssec: boolean | null = false;
  if (noDomain) {
    add("domain.no-ipv6", "warning", `Không có tên miền để tra cứu bản ghi AAAA (IPv6): trang được đăng ký bằng ${what}.`);
    add("domain.no-dnssec", "warning", `Không có tên miền để kiểm tra DNSSEC: trang được đăng ký bằng ${what}.`);
  } else {
    const aaaa = probe.aaaa;
    if (aaaa && !aaaa.ok) {
      ipv6 = null;
      const u = unverifiedDns(CHECK, "metrics:ipv6", "IPv6 (bản ghi AAAA)", "domain.ipv6", aaaa, url);
      unverified.push(u.item);
      findings.push(u.finding);
    } else if (aaaa) {
      ipv6 = aaaa.addresses.length > 0;
      if (!ipv6) add("domain.no-ipv6", "warning", `Tên miền ${host} không có bản ghi AAAA: trang chưa truy cập được qua IPv6 (Thông tư 32/2017/TT-BTTTT, Điều 15 khoản 4).`);
    }
    const ds = probe.dnssec;
    if (ds && !ds.ok) {
      dnssec = null;
      const u = unverifiedDns(CHECK, "metrics:dnssec", "Ký số tên miền (DNSSEC)", "domain.dnssec", ds, url);
      unverified.push(u.item);
      findings.push(u.finding);
    } else if (ds) {
      dnssec = ds.ad || ds.rrsig;
      if (!dnssec)
        add("domain.no-dnssec", "warning", `Tên miền ${host} chưa được ký DNSSEC: câu trả lời DNS không có chữ ký RRSIG và không được xác thực (Thông tư 32/2017/TT-BTTTT, Điều 15 khoản 4).`, {
          ad: ds.ad,
          rrsig: ds.rrsig,
          rcode: ds.rcode,
        });
    }
  }
  return { metrics: { govVn, ipv6, dnssec }, findings, unverified };
}
