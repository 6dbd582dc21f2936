// Domain checks (issue 14 §3): .gov.vn, IPv6 (AAAA) and DNSSEC through a configurable resolver,
// against a DNS server on loopback that the test starts; a resolver that does not answer leaves
// the items "chưa xác minh được" (no points lost).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDnsServer, type DnsTestServer } from "../helpers/dns-server.ts";
import { checkDomain, isGovVn } from "../../crawler/checks/domain.ts";
import { runSiteChecks } from "../../crawler/checks/index.ts";
import { checkDomainAndTransport } from "../../crawler/net/domain-transport.ts";
import { probeDomainTransport } from "../../crawler/net/probe.ts";
import { parseServer, resolverFromEnv, type ResolverConfig } from "../../crawler/net/resolver.ts";
import { criterionInputSchema } from "../../db/scoring/measure.ts";
import { unknownMeasureNames } from "../../crawler/catalog/registry.ts";
import { TRANSPORT_CRITERIA } from "../../db/seeds/criteria-transport.ts";

// HD's ports: DNS 5330–5339, HTTP(S) 3330–3339 (nothing listens on 3339: every HTTP(S) probe here
// is refused at once, on loopback).
const PORT_NORMAL = 5330;
const PORT_VALIDATING = 5331;
const PORT_DOWN = 5332; // nothing listens
const PORT_SILENT = 5333;
const PORT_SERVFAIL = 5334;
const CLOSED = "127.0.0.1:3339";

const ZONE = {
  "so-tai-chinh.gialai.gov.vn": { A: ["127.0.0.1"], AAAA: ["::1"], signed: true },
  "ubnd-xa-an-nhon.gialai.gov.vn": { A: ["127.0.0.1"] },
  "sotaichinh-gialai.vn": { A: ["127.0.0.1"], AAAA: ["::1"] },
};

const servers: DnsTestServer[] = [];
beforeAll(async () => {
  servers.push(await startDnsServer({ port: PORT_NORMAL, zone: ZONE }));
  servers.push(await startDnsServer({ port: PORT_VALIDATING, zone: ZONE, validating: true }));
  servers.push(await startDnsServer({ port: PORT_SILENT, zone: ZONE, mode: "silent" }));
  servers.push(await startDnsServer({ port: PORT_SERVFAIL, zone: ZONE, mode: "servfail" }));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const resolver = (port: number, timeoutMs = 1500): ResolverConfig => ({ server: `127.0.0.1:${port}`, timeoutMs });
/** Every HTTP(S) connection of the probe goes to a closed loopback port: these tests are about DNS. */
const connectTo = (host: string) => ({ [`${host}:443`]: CLOSED, [`${host}:80`]: CLOSED });

async function probe(host: string, port: number, timeoutMs?: number) {
  const p = await probeDomainTransport({ baseUrl: `https://${host}/`, allowPrivate: true }, { resolver: resolver(port, timeoutMs), connectTo: connectTo(host) });
  expect(p).not.toBeNull();
  return p!;
}

describe("the .gov.vn domain", () => {
  it("accepts names under gov.vn and refuses look-alikes", () => {
    for (const h of ["so-tai-chinh.gialai.gov.vn", "gov.vn", "GIALAI.GOV.VN", "gialai.gov.vn."]) expect(isGovVn(h), h).toBe(true);
    for (const h of ["sotaichinh-gialai.vn", "xgov.vn", "gov.vn.example.com", "gialai.gov.vn.com", "127.0.0.1"]) expect(isGovVn(h), h).toBe(false);
  });

  it("yes: no domain finding for a .gov.vn site", async () => {
    const r = checkDomain(await probe("so-tai-chinh.gialai.gov.vn", PORT_NORMAL));
    expect(r.metrics.govVn).toBe(true);
    expect(r.findings.filter((f) => f.code === "domain.not-gov-vn")).toEqual([]);
  });

  it("no: a .vn site that is not under gov.vn gets a Vietnamese finding", async () => {
    const r = checkDomain(await probe("sotaichinh-gialai.vn", PORT_NORMAL));
    expect(r.metrics.govVn).toBe(false);
    const f = r.findings.find((x) => x.code === "domain.not-gov-vn");
    expect(f?.severity).toBe("error");
    expect(f?.message).toContain("không thuộc .gov.vn");
  });

  it("a site registered by IP address has no domain at all", async () => {
    const p = await probeDomainTransport({ baseUrl: "http://127.0.0.1:3339/", allowPrivate: true }, { resolver: resolver(PORT_DOWN) });
    const r = checkDomain(p!);
    expect(r.metrics).toEqual({ govVn: false, ipv6: false, dnssec: false });
    expect(r.findings.find((f) => f.code === "domain.not-gov-vn")?.message).toContain("địa chỉ IP 127.0.0.1");
    expect(r.unverified).toEqual([]);
  });

  it("a single-label name (localhost) is no public domain: DNS is not asked", async () => {
    const before = servers[0].queries.length;
    const p = await probeDomainTransport({ baseUrl: "http://localhost:3339/", allowPrivate: true }, { resolver: resolver(PORT_NORMAL), connectTo: { "localhost:443": CLOSED, "localhost:3339": CLOSED } });
    expect(servers[0].queries.length).toBe(before);
    const r = checkDomain(p!);
    expect(r.metrics).toEqual({ govVn: false, ipv6: false, dnssec: false });
    expect(r.findings.find((f) => f.code === "domain.not-gov-vn")?.message).toContain("tên máy nội bộ localhost");
  });
});

describe("IPv6 and DNSSEC through the configured resolver", () => {
  it("AAAA yes, DNSSEC yes (signed zone: RRSIG with the DO bit)", async () => {
    const before = servers[0].queries.length;
    const p = await probe("so-tai-chinh.gialai.gov.vn", PORT_NORMAL);
    expect(p.resolver).toBe(`127.0.0.1:${PORT_NORMAL}`);
    expect(p.aaaa).toEqual({ ok: true, addresses: ["::1"] });
    expect(p.dnssec).toMatchObject({ ok: true, rrsig: true, ad: false });
    const r = checkDomain(p);
    expect(r.metrics).toEqual({ govVn: true, ipv6: true, dnssec: true });
    expect(r.findings).toEqual([]);
    // The queries went to our loopback server, the DNSSEC one with the DO bit.
    const qs = servers[0].queries.slice(before).filter((q) => q.name === "so-tai-chinh.gialai.gov.vn");
    expect(qs.some((q) => q.type === "AAAA")).toBe(true);
    expect(qs.some((q) => q.type === "A" && q.dnssecOk)).toBe(true);
  });

  it("AAAA no, DNSSEC no: two warnings in Vietnamese", async () => {
    const r = checkDomain(await probe("ubnd-xa-an-nhon.gialai.gov.vn", PORT_NORMAL));
    expect(r.metrics).toEqual({ govVn: true, ipv6: false, dnssec: false });
    expect(r.findings.find((f) => f.code === "domain.no-ipv6")?.message).toContain("không có bản ghi AAAA");
    expect(r.findings.find((f) => f.code === "domain.no-dnssec")?.message).toContain("chưa được ký DNSSEC");
    expect(r.unverified).toEqual([]);
  });

  it("DNSSEC yes from a validating resolver's AD flag", async () => {
    const p = await probe("so-tai-chinh.gialai.gov.vn", PORT_VALIDATING);
    expect(p.dnssec).toMatchObject({ ok: true, ad: true });
    expect(checkDomain(p).metrics.dnssec).toBe(true);
    const unsigned = await probe("ubnd-xa-an-nhon.gialai.gov.vn", PORT_VALIDATING);
    expect(unsigned.dnssec).toMatchObject({ ok: true, ad: false, rrsig: false });
    expect(checkDomain(unsigned).metrics.dnssec).toBe(false);
  });
});

describe("a resolver that does not answer: chưa xác minh được", () => {
  for (const [what, port, reason] of [
    ["down (port closed)", PORT_DOWN, "transient"],
    ["silent (no answer)", PORT_SILENT, "timeout"],
    ["SERVFAIL", PORT_SERVFAIL, "transient"],
  ] as const) {
    it(`${what} → IPv6 and DNSSEC unverified, no failure`, async () => {
      const r = checkDomain(await probe("so-tai-chinh.gialai.gov.vn", port, 600));
      expect(r.metrics).toEqual({ govVn: true, ipv6: null, dnssec: null });
      expect(r.findings.filter((f) => f.code.startsWith("domain."))).toEqual([]);
      expect(r.unverified.map((u) => [u.key, u.reason, u.metrics])).toEqual([
        ["metrics:ipv6", reason, ["domain.ipv6"]],
        ["metrics:dnssec", reason, ["domain.dnssec"]],
      ]);
      const f = r.findings.filter((x) => x.code === "verdict.unverified");
      expect(f).toHaveLength(2);
      for (const x of f) {
        expect(x.severity).toBe("info");
        expect(x.message).toMatch(/^Chưa xác minh được: /);
        expect(x.message).toContain(`127.0.0.1:${port}`);
      }
    });
  }

  it("runSiteChecks scores nothing against the unit: the paths are in unverifiedMetrics", async () => {
    const res = await checkDomainAndTransport({ baseUrl: "https://so-tai-chinh.gialai.gov.vn/", allowPrivate: true }, { resolver: resolver(PORT_DOWN), connectTo: connectTo("so-tai-chinh.gialai.gov.vn") });
    const snapshot = { baseUrl: "https://so-tai-chinh.gialai.gov.vn/", pages: [], referenceTime: new Date("2026-11-30T00:00:00Z"), domainTransport: res!.probe };
    const out = runSiteChecks(snapshot);
    expect(out.metrics.domain).toEqual({ govVn: true, ipv6: null, dnssec: null });
    expect(out.metrics.unverifiedMetrics).toEqual(expect.arrayContaining(["domain.ipv6", "domain.dnssec"]));
    expect((out.probeUnverified as { key: string }[]).map((u) => u.key)).toEqual(expect.arrayContaining(["metrics:ipv6", "metrics:dnssec"]));
    expect(out.findings.some((f) => f.code === "domain.no-ipv6" || f.code === "domain.no-dnssec")).toBe(false);
  });
});

describe("configuration", () => {
  it("TT_DNS_RESOLVER names the resolver; a bad value falls back to the system's", () => {
    expect(resolverFromEnv({ TT_DNS_RESOLVER: "127.0.0.1:5330" })).toEqual({ server: "127.0.0.1:5330", timeoutMs: 3000 });
    expect(resolverFromEnv({ TT_DNS_RESOLVER: "[::1]:5330", TT_DNS_TIMEOUT_MS: "800" })).toEqual({ server: "[::1]:5330", timeoutMs: 800 });
    expect(resolverFromEnv({ TT_DNS_RESOLVER: "dns.example:53" }).server).toBeNull();
    expect(resolverFromEnv({}).server).toBeNull();
    expect(parseServer("10.0.0.2")).toEqual({ host: "10.0.0.2", port: 53 });
    expect(parseServer("127.0.0.1:99999")).toBeNull();
  });

  it("the rubric criteria name metrics and finding codes the registry knows", () => {
    expect(TRANSPORT_CRITERIA.map((c) => c.code)).toEqual(["ky-thuat.gov-vn", "ky-thuat.https-hop-le", "ky-thuat.chuyen-huong-https", "ky-thuat.ipv6", "ky-thuat.dnssec"]);
    for (const c of TRANSPORT_CRITERIA) {
      const parsed = criterionInputSchema.parse(c);
      expect(unknownMeasureNames(parsed.measure), c.code).toEqual([]);
      expect(parsed.legalBasis).toBeTruthy();
    }
  });
});

