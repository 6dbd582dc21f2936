// The renderer's network boundary: a loopback HTTP proxy, one per rendered page, that applies
// the fetcher's target policy (crawler/fetch/ssrf.ts) to every request Chromium makes —
// navigations and each redirect hop, subresources, iframes, workers, fetch/XHR, beacons and
// WebSockets (tunnelled with CONNECT). Names are resolved here, at connect time, with the
// fetcher's guarded lookup, and the socket connects to the address that was checked: Chromium
// itself never resolves a name nor opens a connection to a site (no DNS rebinding window).
import http from "node:http";
import net from "node:net";
import { guardedLookup, urlRefusal, type TargetPolicy } from "../fetch/ssrf.ts";

export interface Refusal {
  url: string;
  reason: string;
}

export interface GuardProxy {
  /** "http://127.0.0.1:<port>", for Playwright's context proxy option. */
  server: string;
  /** Requests refused by the policy, in order. */
  refused: Refusal[];
  /** Requests forwarded (method and URL; CONNECT as host:port). */
  forwarded: string[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "proxy-authenticate",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** Bytes a proxied exchange may stall before it is dropped (the renderer's own bound is shorter). */
const IDLE_MS = 60_000;

/** The URL a CONNECT tunnel would reach, for the policy: https on 443, http otherwise (ports kept). */
export function connectTarget(authority: string): URL | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:/\s[\]]+):(\d{1,5})$/.exec(authority);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) return null;
  try {
    return new URL(`${m[2] === "443" ? "https" : "http"}://${m[1]}:${m[2]}/`);
  } catch {
    return null;
  }
}

export async function startGuardProxy(policy: TargetPolicy): Promise<GuardProxy> {
  const refused: Refusal[] = [];
  const forwarded: string[] = [];
  const sockets = new Set<net.Socket>();
  const lookup = guardedLookup(policy.allowPrivate);
  const refuse = (url: string, reason: string) => {
    refused.push({ url: url.slice(0, 500), reason });
  };

  const server = http.createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? "");
    } catch {
      refuse(req.url ?? "", "không phải URL tuyệt đối");
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8", connection: "close" });
      return void res.end("Yêu cầu không hợp lệ.\n");
    }
    const why = urlRefusal(target, policy);
    if (why) {
      refuse(target.href, why);
      res.writeHead(403, { "content-type": "text/plain; charset=utf-8", "x-tt-refused": "1" });
      return void res.end(`Bị chặn: ${why}\n`);
    }
    forwarded.push(`${req.method} ${target.href}`);
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
    headers.host = target.host;
    const upstream = http.request(
      {
        protocol: "http:",
        hostname: target.hostname.replace(/^\[|\]$/g, ""),
        port: target.port || 80,
        method: req.method,
        path: target.pathname + target.search,
        headers,
        lookup: lookup as unknown as net.LookupFunction,
        agent: false,
        timeout: IDLE_MS,
      },
      (up) => {
        const out: http.OutgoingHttpHeaders = {};
        for (const [k, v] of Object.entries(up.headers)) if (!HOP_BY_HOP.has(k) && k !== "x-tt-refused" && v !== undefined) out[k] = v;
        res.writeHead(up.statusCode ?? 502, out);
        up.pipe(res);
        up.on("error", () => res.destroy());
      },
    );
    upstream.on("timeout", () => upstream.destroy(new Error("timeout")));
    upstream.on("error", (err) => {
      if ((err as NodeJS.ErrnoException).code === "ERR_TARGET_BLOCKED") refuse(target.href, err.message);
      if (res.headersSent) return void res.destroy();
      res.writeHead(502, { "content-type": "text/plain; charset=utf-8", "x-tt-refused": (err as NodeJS.ErrnoException).code === "ERR_TARGET_BLOCKED" ? "1" : "0" });
      res.end(`Không kết nối được: ${err.message}\n`);
    });
    // The browser gave up on the request: so does the proxy.
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });

  // https and WebSockets (ws and wss alike) come as CONNECT tunnels.
  server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    client.on("error", () => undefined);
    const target = connectTarget(req.url ?? "");
    const why = target ? urlRefusal(target, policy) : "đích CONNECT không hợp lệ";
    if (!target || why) {
      refuse(`CONNECT ${req.url ?? ""}`, why ?? "");
      return void client.end("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
    }
    forwarded.push(`CONNECT ${req.url}`);
    const upstream = net.connect({
      host: target.hostname.replace(/^\[|\]$/g, ""),
      port: Number(target.port || (target.protocol === "https:" ? 443 : 80)),
      lookup: lookup as unknown as net.LookupFunction,
    });
    sockets.add(upstream);
    upstream.setTimeout(IDLE_MS, () => upstream.destroy());
    upstream.once("connect", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", (err) => {
      if ((err as NodeJS.ErrnoException).code === "ERR_TARGET_BLOCKED") refuse(`CONNECT ${req.url}`, err.message);
      if (!client.destroyed) client.end("HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
    });
    upstream.on("close", () => client.destroy());
    client.on("close", () => upstream.destroy());
  });
  // A proxy never upgrades a plain request in place (WebSockets use CONNECT).
  server.on("upgrade", (req: http.IncomingMessage, socket: net.Socket) => {
    refuse(req.url ?? "", "nâng cấp kết nối không qua CONNECT");
    socket.destroy();
  });
  server.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("clientError", (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    server: `http://127.0.0.1:${port}`,
    refused,
    forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
