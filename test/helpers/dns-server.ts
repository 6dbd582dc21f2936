// A DNS server on loopback for the domain and transport tests (UDP and TCP, ports 5330–5339 of
// helper HD): answers A and AAAA from a zone table, signs a zone on request (RRSIG records when
// the query has the DO bit, as a signed zone's authoritative server does), sets the AD flag
// like a validating resolver when asked to, and can answer SERVFAIL or stay silent.
import dgram from "node:dgram";
import net from "node:net";
import dnsPacket from "dns-packet";

export interface ZoneName {
  A?: string[];
  AAAA?: string[];
  /** The zone is signed: RRSIG records come with the answers when the query has the DO bit. */
  signed?: boolean;
}

export interface DnsServerOptions {
  port: number;
  /** Lower-case names without the final dot. */
  zone: Record<string, ZoneName>;
  /** Behave as a validating resolver: AD flag on answers from signed names. */
  validating?: boolean;
  /** "servfail": every answer is SERVFAIL; "silent": no answer at all (a dead resolver). */
  mode?: "normal" | "servfail" | "silent";
}

export interface DnsTestServer {
  address: string;
  port: number;
  /** Queries received: name, type, DO bit. */
  queries: { name: string; type: string; dnssecOk: boolean; transport: "udp" | "tcp" }[];
  close(): Promise<void>;
}

function rrsig(name: string, typeCovered: string): dnsPacket.Answer {
  const now = Math.floor(Date.now() / 1000);
  return {
    type: "RRSIG",
    name,
    ttl: 300,
    class: "IN",
    data: {
      typeCovered,
      algorithm: 13,
      labels: name.split(".").length,
      originalTTL: 300,
      expiration: now + 30 * 86400,
      inception: now - 86400,
      keyTag: 12345,
      signersName: name.split(".").slice(-3).join("."),
      signature: Buffer.alloc(64, 7),
    },
  } as dnsPacket.Answer;
}

function answer(query: dnsPacket.DecodedPacket, opts: DnsServerOptions, log: DnsTestServer["queries"], transport: "udp" | "tcp"): Buffer | null {
  const q = query.questions?.[0];
  const opt = (query.additionals ?? []).find((a) => a.type === "OPT") as (dnsPacket.Answer & { flag_do?: boolean; flags?: number }) | undefined;
  const dnssecOk = !!opt && (!!opt.flag_do || ((opt.flags ?? 0) & dnsPacket.DNSSEC_OK) !== 0);
  if (q) log.push({ name: q.name.toLowerCase(), type: q.type, dnssecOk, transport });
  if (opts.mode === "silent") return null;
  const base = {
    type: "response" as const,
    id: query.id,
    questions: query.questions,
    additionals: opt ? [{ type: "OPT", name: ".", udpPayloadSize: 4096, flags: dnssecOk ? dnsPacket.DNSSEC_OK : 0 } as dnsPacket.Answer] : [],
  };
  const RD_RA = dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE;
  if (!q || opts.mode === "servfail") return dnsPacket.encode({ ...base, flags: RD_RA | 2 /* SERVFAIL */ });
  const name = q.name.toLowerCase().replace(/\.$/, "");
  const entry = opts.zone[name];
  if (!entry) return dnsPacket.encode({ ...base, flags: RD_RA | 3 /* NXDOMAIN */ });
  const answers: dnsPacket.Answer[] = [];
  if (q.type === "A" || q.type === "AAAA") {
    for (const data of entry[q.type] ?? []) answers.push({ type: q.type, name, ttl: 300, class: "IN", data });
    if (answers.length && entry.signed && dnssecOk) answers.push(rrsig(name, q.type));
  }
  const ad = !!opts.validating && !!entry.signed;
  return dnsPacket.encode({ ...base, flags: RD_RA | (ad ? dnsPacket.AUTHENTIC_DATA : 0), answers });
}

export async function startDnsServer(opts: DnsServerOptions): Promise<DnsTestServer> {
  const queries: DnsTestServer["queries"] = [];
  const udp = dgram.createSocket("udp4");
  udp.on("message", (msg, rinfo) => {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return;
    }
    const out = answer(query, opts, queries, "udp");
    if (out) udp.send(out, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    udp.once("error", reject);
    udp.bind(opts.port, "127.0.0.1", () => resolve());
  });
  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    let buf = Buffer.alloc(0);
    socket.on("error", () => undefined);
    socket.on("data", (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const len = buf.readUInt16BE(0);
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        let query: dnsPacket.DecodedPacket;
        try {
          query = dnsPacket.decode(msg);
        } catch {
          continue;
        }
        const out = answer(query, opts, queries, "tcp");
        if (out) {
          const head = Buffer.alloc(2);
          head.writeUInt16BE(out.length);
          socket.write(Buffer.concat([head, out]));
        }
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(opts.port, "127.0.0.1", () => resolve());
  });
  return {
    address: "127.0.0.1",
    port: opts.port,
    queries,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([new Promise<void>((r) => udp.close(() => r())), new Promise<void>((r) => tcp.close(() => r()))]);
    },
  };
}
