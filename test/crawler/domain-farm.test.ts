// Domain and transport checks on the fixture farm's sites (issue 14 §3): the farm serves every
// site on 127.0.0.1 over plain HTTP; the loopback DNS server gives two of them .gov.vn names, so
// the probe resolves the unit's configured name through the configured resolver and connects
// to the farm. A crawl of a farm site, then the probe with what the crawl saw of HTTP, then the
// site checks: the farm is not asked twice for its home page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadChecks, type ChecksApi } from "../../crawler/audit/checks-adapter.ts";
import { crawlSite } from "../../crawler/audit/crawl-site.ts";
import { runSiteChecks } from "../../crawler/checks/index.ts";
import { Fetcher } from "../../crawler/fetch/fetcher.ts";
import { checkDomainAndTransport } from "../../crawler/net/domain-transport.ts";
import { probeDomainTransport } from "../../crawler/net/probe.ts";
import { startFarm, type Farm, type FarmSite } from "../farm/index.ts";
import { startDnsServer, type DnsTestServer } from "../helpers/dns-server.ts";

const DNS_PORT = 5337;
const CLOSED = "127.0.0.1:3339";
let farm: Farm;
let dns: DnsTestServer;
let checks: ChecksApi;
let signedSite: FarmSite;
let plainSite: FarmSite;
const nameOf = (s: FarmSite) => `${s.id}.gialai.gov.vn`;
const resolver = { server: `127.0.0.1:${DNS_PORT}`, timeoutMs: 1500 };

beforeAll(async () => {
  farm = await startFarm({ include: "province", basePort: 0, referenceDate: "2026-11-20", seed: 1 });
  [signedSite, plainSite] = farm.sites;
  dns = await startDnsServer({
    port: DNS_PORT,
    zone: {
      [nameOf(signedSite)]: { A: ["127.0.0.1"], AAAA: ["::1"], signed: true },
      [nameOf(plainSite)]: { A: ["127.0.0.1"] },
    },
  });
  checks = await loadChecks();
}, 120_000);
afterAll(async () => {
  await dns?.close();
  await farm?.close();
});

describe("farm sites under .gov.vn names", () => {
  it("resolves the name on the loopback resolver and reads the farm site: .gov.vn, AAAA, DNSSEC yes; HTTP only", async () => {
    const host = nameOf(signedSite);
    const url = `http://${host}:${signedSite.port}/`;
    farm.resetStats();
    const r = await checkDomainAndTransport({ baseUrl: url, allowPrivate: true }, { resolver, connectTo: { [`${host}:443`]: CLOSED }, timeoutMs: 3000 });
    expect(r!.metrics.domain).toEqual({ govVn: true, ipv6: true, dnssec: true });
    expect(r!.metrics.transport).toEqual({ httpsValid: false, httpRedirect: false, certDaysLeft: null });
    expect(r!.findings.map((f) => f.code).sort()).toEqual(["transport.no-https", "transport.no-https-redirect"]);
    // The farm saw the probe's request for the home page, under the site's name.
    expect(farm.requestLog().some((q) => q.path === "/" && q.host === `${host}:${signedSite.port}`)).toBe(true);
  });

  it("a commune site without AAAA and unsigned: IPv6 and DNSSEC findings", async () => {
    const host = nameOf(plainSite);
    const r = await checkDomainAndTransport({ baseUrl: `http://${host}:${plainSite.port}/`, allowPrivate: true }, { resolver, connectTo: { [`${host}:443`]: CLOSED }, timeoutMs: 3000 });
    expect(r!.metrics.domain).toEqual({ govVn: true, ipv6: false, dnssec: false });
    expect(r!.findings.map((f) => f.code).sort()).toEqual(["domain.no-dnssec", "domain.no-ipv6", "transport.no-https", "transport.no-https-redirect"]);
  });
});

describe("after a crawl of a farm site", () => {
  it("reuses the crawl's HTTP result and adds the metrics to the site checks", async () => {
    const fetcher = new Fetcher({ totalTimeoutMs: 20_000 });
    try {
      const crawl = await crawlSite({ baseUrl: signedSite.baseUrl, allowPrivate: true, maxPages: 3, renderMode: "never", fetcher, checks });
      expect(crawl.startError).toBeNull();
      expect(crawl.snapshot.httpRedirectsToHttps).toBe(false);
      farm.resetStats();
      crawl.snapshot.domainTransport = await probeDomainTransport(
        { baseUrl: signedSite.baseUrl, allowPrivate: true },
        { resolver, knownHttpRedirect: crawl.snapshot.httpRedirectsToHttps, connectTo: { [`127.0.0.1:443`]: CLOSED }, timeoutMs: 3000 },
      );
      expect(farm.stats().requests).toBe(0);
      const result = runSiteChecks(crawl.snapshot);
      // The farm's configured URL is an IP address: no .gov.vn, no name to look up.
      expect(result.metrics.domain).toEqual({ govVn: false, ipv6: false, dnssec: false });
      expect(result.metrics.transport).toMatchObject({ httpsValid: false, httpRedirect: false });
      expect(result.findings.filter((f) => f.check === "domain" || f.check === "transport").map((f) => f.code).sort()).toEqual([
        "domain.no-dnssec",
        "domain.no-ipv6",
        "domain.not-gov-vn",
        "transport.no-https",
        "transport.no-https-redirect",
      ]);
    } finally {
      await fetcher.close();
    }
  });
});
