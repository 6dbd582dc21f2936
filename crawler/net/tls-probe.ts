// One TLS handshake with the site: whether it serves HTTPS, and whether its certificate is
// valid (trusted chain, in its validity period, issued for the host). The certificate is read
// even when invalid (rejectUnauthorized off, nothing is sent over the connection).
import tls from "node:tls";

export type CertProblem = "expired" | "not-yet-valid" | "self-signed" | "untrusted" | "wrong-host" | "invalid";

export type TlsProbe =
  | {
      ok: true;
      valid: boolean;
      problem: CertProblem | null;
      /** OpenSSL/Node code of the problem (CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID…). */
      code: string | null;
      subject: string | null;
      issuer: string | null;
      validFrom: string | null;
      validTo: string | null;
      /** Whole days until expiry at probe time (negative once expired). */
      daysLeft: number | null;
      protocol: string | null;
    }
  /** The site answered but not with HTTPS: port closed, or no TLS handshake possible. */
  | { ok: false; kind: "no-https"; code: string; error: string }
  /** Our side or the network: no verdict about the site. */
  | { ok: false; kind: "timeout" | "transient"; code: string; error: string };

const CODE_PROBLEM: Record<string, CertProblem> = {
  CERT_HAS_EXPIRED: "expired",
  CERT_NOT_YET_VALID: "not-yet-valid",
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed",
  // The chain ends in a root nobody trusts (a private CA): untrusted, not the site's own self-signed certificate.
  SELF_SIGNED_CERT_IN_CHAIN: "untrusted",
  UNABLE_TO_GET_ISSUER_CERT: "untrusted",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "untrusted",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "untrusted",
  CERT_UNTRUSTED: "untrusted",
  ERR_TLS_CERT_ALTNAME_INVALID: "wrong-host",
  HOSTNAME_MISMATCH: "wrong-host",
};

function dn(x: Record<string, string | string[]> | undefined): string | null {
  if (!x) return null;
  const v = x.CN ?? x.O;
  return v ? (Array.isArray(v) ? v.join(", ") : v) : null;
}

export interface TlsProbeOptions {
  /** Connect here (the site's resolved or mapped address). */
  address: string;
  port: number;
  /** The site's host name: SNI and the identity checked. */
  hostname: string;
  /** Extra trusted CA certificates (PEM), added to Node's root store (tests: the test CA). */
  ca?: string[];
  timeoutMs?: number;
  now?: Date;
}

export function probeTls(opts: TlsProbeOptions): Promise<TlsProbe> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const isIp = /^[\d.]+$|:/.test(opts.hostname);
  return new Promise((resolve) => {
    let settled = false;
    const socket = tls.connect({
      host: opts.address,
      port: opts.port,
      servername: isIp ? undefined : opts.hostname,
      ca: opts.ca?.length ? [...tls.rootCertificates, ...opts.ca] : undefined,
      rejectUnauthorized: false,
      // The identity is checked below (checkServerIdentity), against the site's name, not the address.
      checkServerIdentity: () => undefined,
    });
    const finish = (r: TlsProbe) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(
      () => finish({ ok: false, kind: "timeout", code: "ETIMEDOUT", error: `máy chủ không hoàn tất kết nối TLS trong ${Math.round(timeoutMs / 1000)} giây` }),
      timeoutMs,
    );
    socket.on("secureConnect", () => {
      const cert = socket.getPeerCertificate();
      let code: string | null = socket.authorized ? null : String(socket.authorizationError ?? "CERT_INVALID");
      if (!code && cert && Object.keys(cert).length) {
        const idErr = tls.checkServerIdentity(opts.hostname, cert) as (Error & { code?: string }) | undefined;
        if (idErr) code = idErr.code ?? "ERR_TLS_CERT_ALTNAME_INVALID";
      }
      const validTo = cert?.valid_to ? new Date(cert.valid_to) : null;
      const now = opts.now ?? new Date();
      finish({
        ok: true,
        valid: !code,
        problem: code ? (CODE_PROBLEM[code] ?? "invalid") : null,
        code,
        subject: dn(cert?.subject as never),
        issuer: dn(cert?.issuer as never),
        validFrom: cert?.valid_from ? new Date(cert.valid_from).toISOString() : null,
        validTo: validTo && !Number.isNaN(validTo.getTime()) ? validTo.toISOString() : null,
        daysLeft: validTo && !Number.isNaN(validTo.getTime()) ? Math.floor((validTo.getTime() - now.getTime()) / 86_400_000) : null,
        protocol: socket.getProtocol() ?? null,
      });
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      const code = err.code ?? "ERROR";
      if (code === "ECONNREFUSED") finish({ ok: false, kind: "no-https", code, error: `cổng ${opts.port} không nhận kết nối HTTPS` });
      else if (code === "ETIMEDOUT") finish({ ok: false, kind: "timeout", code, error: `quá thời gian chờ kết nối tới cổng ${opts.port}` });
      else if (code === "ECONNRESET" || code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "EPIPE")
        finish({ ok: false, kind: "transient", code, error: `kết nối tới cổng ${opts.port} bị ngắt (${code})` });
      else finish({ ok: false, kind: "no-https", code, error: `không bắt tay TLS được trên cổng ${opts.port} (${code})` });
    });
  });
}
