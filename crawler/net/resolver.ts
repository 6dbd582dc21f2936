// The DNS client of the domain checks: which resolver to ask (TT_DNS_RESOLVER, default the
// system's), address and AAAA look-ups through node:dns, and the DNSSEC query (DO bit, AD flag,
// RRSIG records) through dns-packet over UDP (TCP when truncated), which node:dns cannot send.
// Never throws: a resolver that does not answer is a DnsFailure ("chưa xác minh được"), not a
// "no" about the domain.
import dgram from "node:dgram";
import dns from "node:dns";
import net from "node:net";
import dnsPacket from "dns-packet";

export interface ResolverConfig {
  /** "127.0.0.1:5330", "[::1]:53", "10.0.0.2"; null = the system resolver. */
  server: string | null;
  /** Per query (ms). */
  timeoutMs: number;
}

export const DEFAULT_DNS_TIMEOUT_MS = 3_000;

/** Why a look-up gave no answer: the resolver's fault or the network's, never the domain's. */
export type DnsFailureReason = "timeout" | "transient";

export interface DnsFailure {
  ok: false;
  reason: DnsFailureReason;
  /** Vietnamese sentence for the finding. */
  error: string;
  code: string;
}

export type DnsResult<T> = ({ ok: true } & T) | DnsFailure;

/** Reads TT_DNS_RESOLVER (host[:port]) and TT_DNS_TIMEOUT_MS; a bad value falls back to the system resolver. */
export function resolverFromEnv(env: Record<string, string | undefined> = process.env): ResolverConfig {
  const raw = env.TT_DNS_RESOLVER?.trim() || null;
  const timeout = Number(env.TT_DNS_TIMEOUT_MS);
  return {
    server: raw && parseServer(raw) ? raw : null,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? Math.min(timeout, 30_000) : DEFAULT_DNS_TIMEOUT_MS,
  };
}

/** "127.0.0.1:5330" → { host, port }; null when not an IP address with an optional port. */
export function parseServer(server: string): { host: string; port: number } | null {
  const s = server.trim();
  let host = s;
  let port = 53;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracketed) {
    host = bracketed[1];
    if (bracketed[2]) port = Number(bracketed[2]);
  } else if (net.isIP(s) !== 6) {
    const m = /^([^:]+):(\d+)$/.exec(s);
    if (m) {
      host = m[1];
      port = Number(m[2]);
    }
  }
  if (!net.isIP(host) || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host, port };
}

function describe(cfg: ResolverConfig): string {
  return cfg.server ? `máy chủ DNS ${cfg.server}` : "máy chủ DNS của hệ thống";
}

function nodeResolver(cfg: ResolverConfig): dns.promises.Resolver {
  const r = new dns.promises.Resolver({ timeout: cfg.timeoutMs, tries: 1 });
  if (cfg.server) r.setServers([cfg.server]);
  return r;
}

/** Codes that say the name has no such record (an answer about the domain). */
const NO_DATA = new Set(["ENODATA", "ENOTFOUND", "ENONAME"]);

function failure(cfg: ResolverConfig, code: string, what: string): DnsFailure {
  const timeout = code === "ETIMEOUT" || code === "ETIMEDOUT";
  return {
    ok: false,
    reason: timeout ? "timeout" : "transient",
    code,
    error: timeout
      ? `${describe(cfg)} không trả lời khi tra cứu ${what} (quá ${Math.round(cfg.timeoutMs / 100) / 10} giây)`
      : `${describe(cfg)} không trả lời được khi tra cứu ${what} (${code})`,
  };
}

/** The IPv6 addresses (AAAA records) of a name; an empty list when it has none. */
export async function resolveAaaa(name: string, cfg: ResolverConfig): Promise<DnsResult<{ addresses: string[] }>> {
  try {
    return { ok: true, addresses: await nodeResolver(cfg).resolve6(name) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "ERROR";
    if (NO_DATA.has(code)) return { ok: true, addresses: [] };
    return failure(cfg, code, `bản ghi AAAA của ${name}`);
  }
}

/** The addresses (A then AAAA) to connect to, through the configured resolver. */
export async function resolveAddresses(name: string, cfg: ResolverConfig): Promise<DnsResult<{ addresses: string[] }>> {
  if (!cfg.server) {
    try {
      const all = await dns.promises.lookup(name, { all: true, verbatim: true });
      return { ok: true, addresses: all.map((a) => a.address) };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "ERROR";
      if (NO_DATA.has(code)) return { ok: true, addresses: [] };
      return failure(cfg, code, `địa chỉ của ${name}`);
    }
  }
  const r = nodeResolver(cfg);
  const out: string[] = [];
  for (const q of [() => r.resolve4(name), () => r.resolve6(name)]) {
    try {
      out.push(...(await q()));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "ERROR";
      if (!NO_DATA.has(code)) return failure(cfg, code, `địa chỉ của ${name}`);
    }
  }
  return { ok: true, addresses: out };
}

export interface DnssecAnswer {
  /** The resolver validated the answer (AD flag). */
  ad: boolean;
  /** RRSIG records came with the answer (the zone is signed). */
  rrsig: boolean;
  rcode: string;
}

/**
 * Asks for the name's A record with the DO bit (and AD requested, RFC 6840 §5.7): a signed zone
 * answers with RRSIG records, a validating resolver sets AD.
 */
export async function queryDnssec(name: string, cfg: ResolverConfig): Promise<DnsResult<DnssecAnswer>> {
  const server = cfg.server ? parseServer(cfg.server) : parseServer(dns.getServers()[0] ?? "");
  if (!server) return { ok: false, reason: "transient", code: "ENOSERVER", error: "không có máy chủ DNS nào được cấu hình" };
  const query: dnsPacket.Packet = {
    type: "query",
    id: Math.floor(Math.random() * 65535),
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.AUTHENTIC_DATA,
    questions: [{ type: "A", name, class: "IN" }],
    additionals: [{ type: "OPT", name: ".", udpPayloadSize: 4096, flags: dnsPacket.DNSSEC_OK } as dnsPacket.Answer],
  };
  const what = `DNSSEC của ${name}`;
  try {
    let res = await udpExchange(query, server, cfg.timeoutMs);
    if (res.flag_tc) res = await tcpExchange(query, server, cfg.timeoutMs);
    const rcode = res.rcode ?? "NOERROR";
    if (rcode === "SERVFAIL" || rcode === "REFUSED") return failure(cfg, rcode, what);
    const records = [...(res.answers ?? []), ...(res.authorities ?? [])];
    return { ok: true, ad: !!res.flag_ad, rrsig: records.some((r) => r.type === "RRSIG"), rcode };
  } catch (err) {
    return failure(cfg, (err as NodeJS.ErrnoException).code ?? "ERROR", what);
  }
}

type Decoded = dnsPacket.DecodedPacket & { flag_ad?: boolean; flag_tc?: boolean; rcode?: string };

function timeoutError(): NodeJS.ErrnoException {
  return Object.assign(new Error("DNS timeout"), { code: "ETIMEOUT" });
}

function udpExchange(query: dnsPacket.Packet, server: { host: string; port: number }, timeoutMs: number): Promise<Decoded> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIP(server.host) === 6 ? "udp6" : "udp4");
    const done = (err: Error | null, packet?: Decoded) => {
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(packet!);
    };
    const timer = setTimeout(() => done(timeoutError()), timeoutMs);
    socket.on("error", (err) => done(err));
    socket.on("message", (msg) => {
      let packet: Decoded;
      try {
        packet = dnsPacket.decode(msg) as Decoded;
      } catch {
        return; // not a DNS answer: keep waiting for ours
      }
      if (packet.id !== query.id) return;
      done(null, packet);
    });
    // connect() makes an ICMP "port unreachable" surface as ECONNREFUSED instead of a timeout.
    socket.connect(server.port, server.host, () => socket.send(dnsPacket.encode(query)));
  });
}

function tcpExchange(query: dnsPacket.Packet, server: { host: string; port: number }, timeoutMs: number): Promise<Decoded> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: server.host, port: server.port });
    let buf = Buffer.alloc(0);
    const done = (err: Error | null, packet?: Decoded) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(packet!);
    };
    const timer = setTimeout(() => done(timeoutError()), timeoutMs);
    socket.on("error", (err) => done(err));
    socket.on("connect", () => socket.write(dnsPacket.streamEncode(query)));
    socket.on("data", (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 2 || buf.length < 2 + buf.readUInt16BE(0)) return;
      try {
        done(null, dnsPacket.streamDecode(buf) as Decoded);
      } catch (err) {
        done(err as Error);
      }
    });
    socket.on("end", () => done(Object.assign(new Error("DNS connection closed"), { code: "ECONNRESET" })));
  });
}
