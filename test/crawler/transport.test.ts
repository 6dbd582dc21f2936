// Transport checks (issue 14 §3): HTTPS with a valid certificate and a redirect from HTTP, on
// loopback servers with a test CA and certificates made here (valid, expired, wrong host,
// self-signed). The sites keep their .gov.vn names: connections are mapped to loopback ports
// (connectTo, like curl --connect-to) or resolved by the loopback DNS server.
import { generateKeyPairSync } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import forge from "node-forge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDnsServer, type DnsTestServer } from "../helpers/dns-server.ts";
import { checkTransport } from "../../crawler/checks/transport.ts";
import { runSiteChecks } from "../../crawler/checks/index.ts";
import { checkDomainAndTransport } from "../../crawler/net/domain-transport.ts";
import { probeDomainTransport, type ProbeOptions } from "../../crawler/net/probe.ts";
import { UNVERIFIED_LABEL } from "../../crawler/audit/verdicts.ts";

// HD's ports: HTTPS 3331–3334, HTTP 3335–3336, 3337 a TCP server that never answers, 3339 closed; DNS 5335–5336.
const P = { valid: 3331, expired: 3332, wrongHost: 3333, selfSigned: 3334, httpRedirect: 3335, httpPlain: 3336, silent: 3337, closed: 3339 };
const DNS_PORT = 5335;
const DNS_DOWN = 5336;
const NAME = "so-tai-chinh.gialai.gov.vn";

// ---------- certificates (node-forge; keys from node:crypto, which is fast) ----------
interface Pem {
  cert: string;
  key: string;
}
function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = {
    priv: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    pub: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
  return { pem: pem.priv, privateKey: forge.pki.privateKeyFromPem(pem.priv), publicKey: forge.pki.publicKeyFromPem(pem.pub) };
}
let serial = 1;
function makeCert(opts: { cn: string; dns?: string[]; ca?: boolean; issuer?: { cert: forge.pki.Certificate; key: forge.pki.PrivateKey }; notBefore: Date; notAfter: Date }) {
  const kp = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = kp.publicKey;
  cert.serialNumber = String(100 + serial++);
  cert.validity.notBefore = opts.notBefore;
  cert.validity.notAfter = opts.notAfter;
  const subject = [{ name: "commonName", value: opts.cn }, { name: "organizationName", value: "Tuan Thu test" }];
  cert.setSubject(subject);
  cert.setIssuer(opts.issuer ? opts.issuer.cert.subject.attributes : subject);
  const ext: object[] = opts.ca
    ? [{ name: "basicConstraints", cA: true, critical: true }, { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true }]
    : [{ name: "basicConstraints", cA: false }, { name: "keyUsage", digitalSignature: true, keyEncipherment: true }, { name: "extKeyUsage", serverAuth: true }, { name: "subjectAltName", altNames: (opts.dns ?? []).map((value) => ({ type: 2, value })) }];
  cert.setExtensions(ext);
  cert.sign(opts.issuer ? (opts.issuer.key as forge.pki.rsa.PrivateKey) : kp.privateKey, forge.md.sha256.create());
  return { cert, key: kp.privateKey, pem: { cert: forge.pki.certificateToPem(cert), key: kp.pem } as Pem };
}

const day = 86_400_000;
const now = Date.now();
const ca = makeCert({ cn: "Tuan Thu Test CA", ca: true, notBefore: new Date(now - 30 * day), notAfter: new Date(now + 365 * day) });
const issuer = { cert: ca.cert, key: ca.key };
const certs = {
  valid: makeCert({ cn: NAME, dns: [NAME, "*.gialai.gov.vn"], issuer, notBefore: new Date(now - day), notAfter: new Date(now + 90 * day) }),
  expired: makeCert({ cn: NAME, dns: [NAME], issuer, notBefore: new Date(now - 400 * day), notAfter: new Date(now - 5 * day) }),
  wrongHost: makeCert({ cn: "cong.binhdinh.gov.vn", dns: ["cong.binhdinh.gov.vn"], issuer, notBefore: new Date(now - day), notAfter: new Date(now + 90 * day) }),
  selfSigned: makeCert({ cn: NAME, dns: [NAME], notBefore: new Date(now - day), notAfter: new Date(now + 90 * day) }),
  expiring: makeCert({ cn: NAME, dns: [NAME], issuer, notBefore: new Date(now - 80 * day), notAfter: new Date(now + 5 * day) }),
};

// ---------- servers ----------
const closers: (() => Promise<void>)[] = [];
function track(server: http.Server | https.Server) {
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  closers.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
}
async function listen(server: http.Server | https.Server, port: number) {
  track(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
}
const page = (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end("<!doctype html><html lang=vi><title>Sở Tài chính</title></html>");
};
let dns: DnsTestServer;
let plainHits = 0;
let silentSockets: Socket[] = [];

beforeAll(async () => {
  await listen(https.createServer({ ...certs.valid.pem, ca: ca.pem.cert }, page), P.valid);
  await listen(https.createServer(certs.expired.pem, page), P.expired);
  await listen(https.createServer(certs.wrongHost.pem, page), P.wrongHost);
  await listen(https.createServer(certs.selfSigned.pem, page), P.selfSigned);
  // HTTP that redirects in two hops (/ → /index.html → https://…), and HTTP that serves the page.
  await listen(
    http.createServer((req, res) => {
      if (req.url === "/") res.writeHead(302, { location: "/index.html" }).end();
      else res.writeHead(301, { location: `https://${req.headers.host?.replace(/:\d+$/, "")}/index.html` }).end();
    }),
    P.httpRedirect,
  );
  await listen(
    http.createServer((req, res) => {
      plainHits++;
      page(req, res);
    }),
    P.httpPlain,
  );
  // A TCP server that accepts and never speaks: the TLS handshake times out.
  const net = await import("node:net");
  const silent = net.createServer((s) => silentSockets.push(s));
  await new Promise<void>((r) => silent.listen(P.silent, "127.0.0.1", () => r()));
  closers.push(
    () =>
      new Promise<void>((r) => {
        for (const s of silentSockets) s.destroy();
        silentSockets = [];
        silent.close(() => r());
      }),
  );
  dns = await startDnsServer({ port: DNS_PORT, zone: { [NAME]: { A: ["127.0.0.1"] } } });
}, 60_000);
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  await dns?.close();
});

const at = (port: number) => `127.0.0.1:${port}`;
function opts(https443: number, http80: number, extra: Partial<ProbeOptions> = {}): ProbeOptions {
  return {
    resolver: { server: at(DNS_PORT), timeoutMs: 1500 },
    connectTo: { [`${NAME}:443`]: at(https443), [`${NAME}:80`]: at(http80) },
    ca: [ca.pem.cert],
    timeoutMs: 3000,
    ...extra,
  };
}
async function check(https443: number, http80: number, extra: Partial<ProbeOptions> = {}) {
  const p = await probeDomainTransport({ baseUrl: `https://${NAME}/`, allowPrivate: true }, opts(https443, http80, extra));
  expect(p).not.toBeNull();
  return { probe: p!, ...checkTransport(p!) };
}
const codes = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code).sort();

describe("HTTPS certificate", () => {
  it("valid (trusted CA, in date, right name): no finding, days left recorded", async () => {
    const r = await check(P.valid, P.httpRedirect);
    expect(r.metrics.httpsValid).toBe(true);
    expect(r.metrics.certDaysLeft).toBeGreaterThanOrEqual(88);
    expect(r.probe.https).toMatchObject({ ok: true, valid: true, problem: null, subject: NAME, issuer: "Tuan Thu Test CA" });
    expect(r.findings).toEqual([]);
  });

  it("expired: error with the expiry date dd/mm/yyyy", async () => {
    const r = await check(P.expired, P.httpRedirect);
    expect(r.metrics.httpsValid).toBe(false);
    expect(r.probe.https).toMatchObject({ ok: true, valid: false, problem: "expired", code: "CERT_HAS_EXPIRED" });
    const f = r.findings.find((x) => x.code === "transport.cert-invalid")!;
    expect(f.severity).toBe("error");
    const d = new Date(now - 5 * day);
    const dmy = `${String(d.getUTCDate()).padStart(2, "0")}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${d.getUTCFullYear()}`;
    expect(f.message).toContain(`đã hết hạn ngày ${dmy}`);
    expect(r.metrics.certDaysLeft).toBeLessThan(0);
  });

  it("wrong host: issued for another name", async () => {
    const r = await check(P.wrongHost, P.httpRedirect);
    expect(r.metrics.httpsValid).toBe(false);
    expect(r.probe.https).toMatchObject({ ok: true, problem: "wrong-host" });
    expect(r.findings.find((x) => x.code === "transport.cert-invalid")?.message).toBe(`Chứng chỉ HTTPS không cấp cho tên miền ${NAME} (cấp cho cong.binhdinh.gov.vn).`);
  });

  it("self-signed: not issued by a trusted CA", async () => {
    const r = await check(P.selfSigned, P.httpRedirect);
    expect(r.metrics.httpsValid).toBe(false);
    expect(r.probe.https).toMatchObject({ ok: true, problem: "self-signed", code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
    expect(r.findings.find((x) => x.code === "transport.cert-invalid")?.message).toContain("tự ký");
  });

  it("a certificate from a CA we do not trust is not valid either", async () => {
    const r = await check(P.valid, P.httpRedirect, { ca: [] });
    expect(r.metrics.httpsValid).toBe(false);
    expect(r.probe.https).toMatchObject({ ok: true, problem: "untrusted" });
  });

  it("no HTTPS at all (port closed): error, not unverified", async () => {
    const r = await check(P.closed, P.httpPlain);
    expect(r.metrics.httpsValid).toBe(false);
    expect(r.unverified).toEqual([]);
    expect(r.findings.find((x) => x.code === "transport.no-https")?.message).toContain("Trang không phục vụ HTTPS");
  });

  it("a handshake that never completes is unverified, not a failure", async () => {
    const r = await check(P.silent, P.httpRedirect, { timeoutMs: 500 });
    expect(r.metrics.httpsValid).toBeNull();
    expect(r.unverified.map((u) => [u.key, u.reason])).toEqual([["metrics:https", "timeout"]]);
    expect(r.findings.find((x) => x.code === "verdict.unverified")?.message).toMatch(new RegExp(`^${UNVERIFIED_LABEL}: Kết nối HTTPS`));
    expect(codes(r)).toEqual(["verdict.unverified"]);
  });
});

describe("redirect from HTTP to HTTPS", () => {
  it("present (two hops, the last to https://): no finding", async () => {
    const r = await check(P.valid, P.httpRedirect);
    expect(r.metrics.httpRedirect).toBe(true);
    expect(r.probe.http).toMatchObject({ ok: true, redirectsToHttps: true, location: `https://${NAME}/index.html` });
    expect(r.probe.http.ok && r.probe.http.chain).toEqual([`http://${NAME}/`, `http://${NAME}/index.html`]);
  });

  it("absent (HTTP serves the page): warning", async () => {
    const r = await check(P.valid, P.httpPlain);
    expect(r.metrics.httpRedirect).toBe(false);
    const f = r.findings.find((x) => x.code === "transport.no-https-redirect")!;
    expect(f.message).toBe(`Truy cập http://${NAME}/ không được chuyển hướng sang HTTPS (HTTP 200).`);
  });

  it("what the crawl already saw of plain HTTP is reused: no second request", async () => {
    const before = plainHits;
    const no = await check(P.valid, P.httpPlain, { knownHttpRedirect: false });
    expect(plainHits).toBe(before);
    expect(no.metrics.httpRedirect).toBe(false);
    expect(no.findings.find((x) => x.code === "transport.no-https-redirect")?.message).toBe(`Truy cập http://${NAME}/ không được chuyển hướng sang HTTPS.`);
    const yes = await check(P.valid, P.httpPlain, { knownHttpRedirect: true });
    expect(yes.metrics.httpRedirect).toBe(true);
    expect(plainHits).toBe(before);
    await check(P.valid, P.httpPlain);
    expect(plainHits).toBe(before + 1);
  });

  it("a plain-HTTP server that never answers: unverified, not a failure", async () => {
    const r = await check(P.valid, P.silent, { timeoutMs: 500 });
    expect(r.metrics.httpRedirect).toBeNull();
    expect(r.unverified.map((u) => [u.key, u.reason, u.metrics])).toEqual([["metrics:https-redirect", "timeout", ["transport.httpRedirect"]]]);
    expect(codes(r)).toEqual(["verdict.unverified"]);
  });

  it("absent (HTTP port closed): warning", async () => {
    const r = await check(P.valid, P.closed);
    expect(r.metrics.httpRedirect).toBe(false);
    expect(codes(r)).toEqual(["transport.no-https-redirect"]);
  });
});

describe("through the resolver, and when it is down", () => {
  it("the name resolves on the loopback DNS server and the probe connects there", async () => {
    const before = dns.queries.length;
    const p = await probeDomainTransport({ baseUrl: `https://${NAME}:${P.valid}/`, allowPrivate: true }, { resolver: { server: at(DNS_PORT), timeoutMs: 1500 }, ca: [ca.pem.cert], timeoutMs: 3000 });
    expect(p!.https).toMatchObject({ ok: true, valid: true, url: `https://${NAME}:${P.valid}/` });
    expect(dns.queries.slice(before).some((q) => q.name === NAME && q.type === "A")).toBe(true);
  });

  it("loopback is refused for a site that does not allow private addresses", async () => {
    const p = await probeDomainTransport({ baseUrl: `https://${NAME}:${P.valid}/`, allowPrivate: false }, { resolver: { server: at(DNS_PORT), timeoutMs: 1500 }, ca: [ca.pem.cert] });
    expect(p!.https).toMatchObject({ ok: false, kind: "transient" });
    expect(p!.https.ok === false && p!.https.error).toContain("loopback");
  });

  it("resolver down: HTTPS, redirect, IPv6 and DNSSEC all unverified, nothing counted against the unit", async () => {
    const res = await checkDomainAndTransport({ baseUrl: `https://${NAME}/`, allowPrivate: true }, { resolver: { server: at(DNS_DOWN), timeoutMs: 1000 }, ca: [ca.pem.cert] });
    expect(res!.metrics.transport).toEqual({ httpsValid: null, httpRedirect: null, certDaysLeft: null });
    expect(res!.metrics.domain).toEqual({ govVn: true, ipv6: null, dnssec: null });
    expect(res!.unverifiedMetrics.sort()).toEqual(["domain.dnssec", "domain.ipv6", "transport.httpRedirect", "transport.httpsValid"]);
    expect(codes(res!)).toEqual(["verdict.unverified", "verdict.unverified", "verdict.unverified", "verdict.unverified"]);
  });
});

describe("in the site checks", () => {
  it("runSiteChecks adds the transport metrics and findings when the crawl ran the probe", async () => {
    const res = await checkDomainAndTransport({ baseUrl: `https://${NAME}/`, allowPrivate: true }, opts(P.expired, P.httpPlain));
    const out = runSiteChecks({ baseUrl: `https://${NAME}/`, pages: [], referenceTime: new Date(), domainTransport: res!.probe });
    expect(out.metrics.transport).toMatchObject({ httpsValid: false, httpRedirect: false });
    expect(out.findings.filter((f) => f.check === "transport").map((f) => f.code).sort()).toEqual(["transport.cert-invalid", "transport.no-https-redirect"]);
    // Without a probe nothing changes (metrics absent: the criteria score them as met).
    const without = runSiteChecks({ baseUrl: `https://${NAME}/`, pages: [], referenceTime: new Date() });
    expect(without.metrics.transport).toBeUndefined();
    expect(without.metrics.domain).toBeUndefined();
  });

  it("a certificate expiring within 14 days is a warning, still valid", () => {
    const probe = {
      host: NAME,
      isIp: false,
      probedAt: new Date().toISOString(),
      resolver: null,
      aaaa: null,
      dnssec: null,
      https: { ok: true as const, valid: true, problem: null, code: null, subject: NAME, issuer: "CA", validFrom: null, validTo: certs.expiring.cert.validity.notAfter.toISOString(), daysLeft: 4, protocol: "TLSv1.3", url: `https://${NAME}/` },
      http: { ok: true as const, redirectsToHttps: true, status: 301, location: `https://${NAME}/`, chain: [`http://${NAME}/`], url: `http://${NAME}/` },
    };
    const r = checkTransport(probe);
    expect(r.metrics.httpsValid).toBe(true);
    expect(r.findings.map((f) => [f.code, f.severity])).toEqual([["transport.cert-expiring", "warning"]]);
    expect(r.findings[0].message).toMatch(/^Chứng chỉ HTTPS sẽ hết hạn sau 4 ngày \(\d{2}\/\d{2}\/\d{4}\)\.$/);
  });
});
