// The network half of the domain and transport checks, for one site: DNS (AAAA, DNSSEC) through
// the configured resolver, one TLS handshake, one plain-HTTP request. Returns plain data (stored
// with the audit as SiteSnapshot.domainTransport); crawler/checks/domain.ts and transport.ts
// read it. Never throws.
import { type ConnectMap, connectTarget } from "./connect.ts";
import { type HttpProbe, probeHttpRedirect } from "./http-probe.ts";
import { type DnsResult, type DnssecAnswer, type ResolverConfig, queryDnssec, resolveAaaa, resolverFromEnv } from "./resolver.ts";
import { type TlsProbe, probeTls } from "./tls-probe.ts";

export interface DomainTransportProbe {
  /** The site's host name as configured (lower case, no port). */
  host: string;
  /** The configured address is an IP literal: there is no domain name to check. */
  isIp: boolean;
  probedAt: string;
  /** The resolver asked ("127.0.0.1:5330"), or null for the system resolver. */
  resolver: string | null;
  /** Null for an IP literal. */
  aaaa: DnsResult<{ addresses: string[] }> | null;
  dnssec: DnsResult<DnssecAnswer> | null;
  https: TlsProbe & { url: string };
  http: HttpProbe & { url: string };
}

export interface ProbeSite {
  baseUrl: string;
  allowPrivate?: boolean;
}

export interface ProbeOptions {
  /** Default: resolverFromEnv() (TT_DNS_RESOLVER). */
  resolver?: ResolverConfig;
  /** "host:port" → "address:port", like curl --connect-to (tests, fixture farm). */
  connectTo?: ConnectMap;
  /** Extra trusted CA certificates (PEM). */
  ca?: string[];
  timeoutMs?: number;
  userAgent?: string;
  now?: Date;
  /**
   * What the crawl already saw of plain HTTP (SiteSnapshot.httpRedirectsToHttps): when a boolean,
   * no HTTP request is made (the site is not asked twice for its home page).
   */
  knownHttpRedirect?: boolean | null;
}

/** The HTTPS and HTTP addresses of a site: the configured URL's port for its own scheme, the default for the other. */
export function probeUrls(base: URL): { https: URL; http: URL } {
  const https = new URL(base.origin);
  const http = new URL(base.origin);
  https.protocol = "https:";
  http.protocol = "http:";
  if (base.protocol === "https:") http.port = "";
  else https.port = "";
  if (base.port) (base.protocol === "https:" ? https : http).port = base.port;
  return { https, http };
}

export async function probeDomainTransport(site: ProbeSite, opts: ProbeOptions = {}): Promise<DomainTransportProbe | null> {
  let base: URL;
  try {
    base = new URL(site.baseUrl);
  } catch {
    return null;
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") return null;
  const resolver = opts.resolver ?? resolverFromEnv();
  const host = base.hostname.replace(/^\[|\]$/g, "").toLowerCase().replace(/\.$/, "");
  const isIp = /^[\d.]+$/.test(host) || host.includes(":");
  const urls = probeUrls(base);
  const allowPrivate = !!site.allowPrivate;
  const timeoutMs = opts.timeoutMs ?? 10_000;

  // An IP address or a single-label name ("localhost") is no public domain: nothing to ask DNS.
  const dnsPart = isIp || !host.includes(".") ? Promise.resolve([null, null] as const) : Promise.all([resolveAaaa(host, resolver), queryDnssec(host, resolver)]);

  const httpsPart = (async (): Promise<TlsProbe> => {
    const t = await connectTarget(host, Number(urls.https.port || 443), { connectTo: opts.connectTo, resolver, allowPrivate });
    if (!t.ok) {
      if (t.kind === "dns") return { ok: false, kind: t.failure.reason, code: t.failure.code, error: t.failure.error };
      return { ok: false, kind: "transient", code: "BLOCKED", error: t.error };
    }
    return probeTls({ address: t.address, port: t.port, hostname: host, ca: opts.ca, timeoutMs, now: opts.now });
  })();

  const known = opts.knownHttpRedirect;
  const httpPart: Promise<HttpProbe> =
    typeof known === "boolean"
      ? Promise.resolve({ ok: true, redirectsToHttps: known, status: 0, location: null, chain: [] })
      : probeHttpRedirect({
    url: urls.http.href,
    userAgent: opts.userAgent,
    timeoutMs,
    resolve: async (u) => {
      const t = await connectTarget(u.hostname, Number(u.port || 80), { connectTo: opts.connectTo, resolver, allowPrivate });
      if (t.ok) return { address: t.address, port: t.port };
      if (t.kind === "dns") return { kind: t.failure.reason, error: t.failure.error };
      return { kind: "transient", error: t.error };
    },
  });

  const [[aaaa, dnssec], https, http] = await Promise.all([dnsPart, httpsPart, httpPart]);
  return {
    host,
    isIp,
    probedAt: (opts.now ?? new Date()).toISOString(),
    resolver: resolver.server,
    aaaa,
    dnssec,
    https: { ...https, url: urls.https.href },
    http: { ...http, url: urls.http.href },
  };
}
