// Where a probe connects for host:port: an explicit mapping (like curl --connect-to; the tests and
// the fixture farm map real-looking .gov.vn names to loopback ports), an IP literal, or the
// addresses the configured resolver gives. Every address passes the crawler's target guard.
import net from "node:net";
import { addressRefusal } from "../fetch/ssrf.ts";
import { type DnsFailure, type ResolverConfig, resolveAddresses } from "./resolver.ts";

/** "host:port" → "address:port" (e.g. "so-tai-chinh.gialai.gov.vn:443" → "127.0.0.1:3331"). */
export type ConnectMap = Record<string, string>;

export type ConnectTarget =
  | { ok: true; address: string; port: number }
  | { ok: false; kind: "dns"; failure: DnsFailure }
  | { ok: false; kind: "refused"; error: string };

function splitHostPort(s: string): { host: string; port: number } | null {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(s.trim());
  return m ? { host: m[1], port: Number(m[2]) } : null;
}

export async function connectTarget(
  hostname: string,
  port: number,
  opts: { connectTo?: ConnectMap; resolver: ResolverConfig; allowPrivate: boolean },
): Promise<ConnectTarget> {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const mapped = opts.connectTo?.[`${host}:${port}`];
  let address: string;
  let toPort = port;
  if (mapped) {
    const hp = splitHostPort(mapped);
    if (!hp || !net.isIP(hp.host)) return { ok: false, kind: "refused", error: `ánh xạ kết nối không hợp lệ: ${mapped}` };
    address = hp.host;
    toPort = hp.port;
  } else if (net.isIP(host)) {
    address = host;
  } else {
    const r = await resolveAddresses(host, opts.resolver);
    if (!r.ok) return { ok: false, kind: "dns", failure: r };
    if (!r.addresses.length) return { ok: false, kind: "refused", error: `tên miền ${host} không có địa chỉ IP` };
    address = r.addresses[0];
    for (const a of r.addresses) {
      const why = addressRefusal(a, opts.allowPrivate);
      if (why) return { ok: false, kind: "refused", error: why };
    }
  }
  const why = addressRefusal(address, opts.allowPrivate);
  if (why) return { ok: false, kind: "refused", error: why };
  return { ok: true, address, port: toPort };
}
