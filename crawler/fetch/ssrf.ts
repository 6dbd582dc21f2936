// Target safety: the crawler only talks to the hosts registered for a site, and never to
// addresses inside the operator's network unless the site is explicitly allowed to
// (the sample province and the tests run on loopback).
import dns from "node:dns";
import net from "node:net";

export interface TargetPolicy {
  /** host or host:port entries (lower case). An entry without a port matches any port. */
  allowedHosts: string[];
  /** Allow loopback and private (RFC 1918, ULA, CGNAT) addresses. */
  allowPrivate: boolean;
}

export class BlockedTargetError extends Error {
  readonly code = "ERR_TARGET_BLOCKED";
  constructor(message: string) {
    super(message);
    this.name = "BlockedTargetError";
  }
}

// Never reachable, whatever the site's settings: link-local (cloud metadata 169.254.169.254),
// "this network", multicast, reserved and broadcast ranges.
const ALWAYS_BLOCKED = new net.BlockList();
ALWAYS_BLOCKED.addSubnet("0.0.0.0", 8, "ipv4");
ALWAYS_BLOCKED.addSubnet("169.254.0.0", 16, "ipv4");
ALWAYS_BLOCKED.addSubnet("224.0.0.0", 4, "ipv4");
ALWAYS_BLOCKED.addSubnet("240.0.0.0", 4, "ipv4");
ALWAYS_BLOCKED.addAddress("::", "ipv6");
ALWAYS_BLOCKED.addSubnet("fe80::", 10, "ipv6");
ALWAYS_BLOCKED.addSubnet("ff00::", 8, "ipv6");

// Reachable only for sites with allow_private.
const PRIVATE = new net.BlockList();
PRIVATE.addSubnet("127.0.0.0", 8, "ipv4");
PRIVATE.addSubnet("10.0.0.0", 8, "ipv4");
PRIVATE.addSubnet("172.16.0.0", 12, "ipv4");
PRIVATE.addSubnet("192.168.0.0", 16, "ipv4");
PRIVATE.addSubnet("100.64.0.0", 10, "ipv4");
PRIVATE.addSubnet("198.18.0.0", 15, "ipv4");
PRIVATE.addAddress("::1", "ipv6");
PRIVATE.addSubnet("fc00::", 7, "ipv6");

function unmapIpv4(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1] : address;
}

/** Why an address may not be connected to, or null when it may. */
export function addressRefusal(address: string, allowPrivate: boolean): string | null {
  const a = unmapIpv4(address.replace(/^\[|\]$/g, ""));
  const family = net.isIP(a);
  if (family === 0) return `không phải địa chỉ IP: ${address}`;
  const type = family === 4 ? "ipv4" : "ipv6";
  if (ALWAYS_BLOCKED.check(a, type)) return `địa chỉ ${a} bị cấm (link-local/multicast/không xác định)`;
  if (!allowPrivate && PRIVATE.check(a, type)) return `địa chỉ ${a} là địa chỉ nội bộ/loopback, không được phép`;
  return null;
}

export function hostKey(url: URL): string {
  return url.host.toLowerCase();
}

interface CompiledHosts {
  /** Entries with a port: exact host:port. */
  hostPorts: Set<string>;
  /** Entries without a port: any port. */
  hostnames: Set<string>;
}

const compiled = new WeakMap<TargetPolicy, { source: string[]; hosts: CompiledHosts }>();

function compile(policy: TargetPolicy): CompiledHosts {
  const hit = compiled.get(policy);
  if (hit && hit.source === policy.allowedHosts) return hit.hosts;
  const hosts: CompiledHosts = { hostPorts: new Set(), hostnames: new Set() };
  for (const entry of policy.allowedHosts) {
    const e = entry.toLowerCase().trim();
    // "[::1]:8080" and "host:8080" carry a port; a bare IPv6 literal does not.
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(e);
    if (bracketed) {
      if (bracketed[2]) hosts.hostPorts.add(`[${bracketed[1]}]:${bracketed[2]}`);
      else hosts.hostnames.add(bracketed[1]);
    } else if (net.isIP(e) === 6) hosts.hostnames.add(e);
    else if (e.includes(":")) hosts.hostPorts.add(e);
    else hosts.hostnames.add(e);
  }
  compiled.set(policy, { source: policy.allowedHosts, hosts });
  return hosts;
}

/** Whether the URL's host is one of the site's registered hosts. */
export function hostAllowed(url: URL, policy: TargetPolicy): boolean {
  const hosts = compile(policy);
  const host = url.host.toLowerCase();
  if (hosts.hostPorts.has(host)) return true;
  return hosts.hostnames.has(url.hostname.toLowerCase().replace(/^\[|\]$/g, ""));
}

/**
 * The decision made before any connection: scheme, registered host, and (for literal IPs)
 * the address itself. Names are checked again at connect time by guardedLookup.
 * Returns the refusal reason, or null when the URL may be fetched.
 */
export function urlRefusal(url: URL, policy: TargetPolicy): string | null {
  if (url.protocol !== "http:" && url.protocol !== "https:") return `giao thức ${url.protocol} không được hỗ trợ`;
  if (url.username || url.password) return "URL chứa thông tin đăng nhập";
  if (!hostAllowed(url, policy)) return `máy chủ ${url.host} không thuộc trang được đăng ký`;
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(hostname)) return addressRefusal(hostname, policy.allowPrivate);
  return null;
}

/** Full check including DNS resolution (used for the start URL and by tests). */
export async function checkTarget(url: URL, policy: TargetPolicy): Promise<string | null> {
  const first = urlRefusal(url, policy);
  if (first) return first;
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(hostname)) return null;
  try {
    const addrs = await dns.promises.lookup(hostname, { all: true, verbatim: true });
    for (const a of addrs) {
      const why = addressRefusal(a.address, policy.allowPrivate);
      if (why) return why;
    }
    return addrs.length ? null : `không phân giải được ${hostname}`;
  } catch (err) {
    return `không phân giải được ${hostname} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A dns.lookup replacement for the socket: resolves all addresses and refuses the connection
 * when any is not allowed, so that the address checked is the address connected to
 * (no DNS rebinding between the check and the connect).
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: dns.LookupOptions | number | undefined, callback: LookupCallback): void => {
    const opts = typeof options === "object" && options ? options : {};
    dns.lookup(hostname, { all: true, verbatim: true, family: opts.family }, (err, addrs) => {
      if (err) return callback(err, []);
      for (const a of addrs) {
        const why = addressRefusal(a.address, allowPrivate);
        if (why) return callback(new BlockedTargetError(why), []);
      }
      if (!addrs.length) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
      if (opts.all) return callback(null, addrs);
      callback(null, addrs[0].address, addrs[0].family);
    });
  };
}
