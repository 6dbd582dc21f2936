// Plain-HTTP probe: does http://host/ send the visitor to HTTPS? Follows redirects that stay on
// plain HTTP (at most 5), each hop to the address the caller resolves; reads no body.
import http from "node:http";

export type HttpProbe =
  | { ok: true; redirectsToHttps: boolean; status: number; location: string | null; chain: string[] }
  /** Port closed: nothing to redirect from. */
  | { ok: false; kind: "closed"; code: string; error: string }
  | { ok: false; kind: "timeout" | "transient"; code: string; error: string };

export interface HttpProbeOptions {
  url: string;
  /** Where to connect for a URL (null: refused, with the reason). */
  resolve: (url: URL) => Promise<{ address: string; port: number } | { error: string; kind: "timeout" | "transient" | "closed" }>;
  userAgent?: string;
  timeoutMs?: number;
}

function once(url: URL, address: string, port: number, ua: string, timeoutMs: number): Promise<{ status: number; location: string | null } | { code: string }> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: address,
        port,
        method: "GET",
        path: url.pathname + url.search,
        headers: { host: url.host, "user-agent": ua, accept: "text/html" },
        timeout: timeoutMs,
      },
      (res) => {
        const loc = res.headers.location ?? null;
        res.destroy();
        resolve({ status: res.statusCode ?? 0, location: loc });
      },
    );
    const abort = () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" }));
    // A hard bound on the whole exchange: a server trickling its headers cannot hold the probe.
    const hard = setTimeout(abort, timeoutMs);
    req.on("timeout", abort);
    req.on("close", () => clearTimeout(hard));
    req.on("error", (err: NodeJS.ErrnoException) => resolve({ code: err.code ?? "ERROR" }));
    req.end();
  });
}

export async function probeHttpRedirect(opts: HttpProbeOptions): Promise<HttpProbe> {
  const ua = opts.userAgent ?? "TuanThuBot/0.1 (+kiem tra tuan thu)";
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let url = new URL(opts.url);
  const chain: string[] = [];
  for (let hop = 0; hop < 6; hop++) {
    const target = await opts.resolve(url);
    if ("error" in target) return { ok: false, kind: target.kind, code: target.kind.toUpperCase(), error: target.error };
    const r = await once(url, target.address, target.port, ua, timeoutMs);
    if ("code" in r) {
      if (hop > 0) return { ok: false, kind: "transient", code: r.code, error: `không theo được chuyển hướng tới ${url.href} (${r.code})` };
      if (r.code === "ECONNREFUSED") return { ok: false, kind: "closed", code: r.code, error: `cổng ${target.port} không nhận kết nối HTTP` };
      if (r.code === "ETIMEDOUT") return { ok: false, kind: "timeout", code: r.code, error: `quá thời gian chờ khi truy cập ${url.href}` };
      return { ok: false, kind: "transient", code: r.code, error: `lỗi kết nối khi truy cập ${url.href} (${r.code})` };
    }
    chain.push(url.href);
    if (r.status >= 300 && r.status < 400 && r.location) {
      let next: URL;
      try {
        next = new URL(r.location, url);
      } catch {
        return { ok: true, redirectsToHttps: false, status: r.status, location: r.location, chain };
      }
      if (next.protocol === "https:") return { ok: true, redirectsToHttps: true, status: r.status, location: next.href, chain };
      if (next.protocol !== "http:" || chain.includes(next.href)) return { ok: true, redirectsToHttps: false, status: r.status, location: next.href, chain };
      url = next;
      continue;
    }
    return { ok: true, redirectsToHttps: false, status: r.status, location: r.location, chain };
  }
  return { ok: true, redirectsToHttps: false, status: 0, location: null, chain };
}
