// The per-site entry point of the domain and transport checks: probe the network once
// (crawler/net/probe.ts), then read the probe with the two pure checks. The crawl stores the
// probe as SiteSnapshot.domainTransport; runSiteChecks evaluates it (crawler/checks/index.ts).
import type { AuditMetrics, FindingOut, UnverifiedItem } from "../types.ts";
import { checkDomain } from "../checks/domain.ts";
import { checkTransport } from "../checks/transport.ts";
import { type DomainTransportProbe, type ProbeOptions, type ProbeSite, probeDomainTransport } from "./probe.ts";

export interface DomainTransportResult {
  probe: DomainTransportProbe;
  metrics: { domain: NonNullable<AuditMetrics["domain"]>; transport: NonNullable<AuditMetrics["transport"]> };
  findings: FindingOut[];
  /** Look-ups the network did not answer: "chưa xác minh được", no points lost. */
  unverified: UnverifiedItem[];
  /** Metric paths of the unverified items (to add to AuditMetrics.unverifiedMetrics). */
  unverifiedMetrics: string[];
}

/** Reads a stored probe (pure). */
export function evaluateDomainTransport(probe: DomainTransportProbe): DomainTransportResult {
  const d = checkDomain(probe);
  const t = checkTransport(probe);
  const unverified = [...d.unverified, ...t.unverified];
  return {
    probe,
    metrics: { domain: d.metrics, transport: t.metrics },
    findings: [...d.findings, ...t.findings],
    unverified,
    unverifiedMetrics: unverified.flatMap((u) => u.metrics ?? []),
  };
}

/** Probes one site and checks it; null when its URL is not an http(s) URL. */
export async function checkDomainAndTransport(site: ProbeSite, opts: ProbeOptions = {}): Promise<DomainTransportResult | null> {
  const probe = await probeDomainTransport(site, opts);
  return probe ? evaluateDomainTransport(probe) : null;
}
