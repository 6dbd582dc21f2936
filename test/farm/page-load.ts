// Two pages on 127.0.0.1 for the page-load measurement (crawler/perf/): a fast one (a small
// Vietnamese page, no script) and a slow one (a large render-blocking script served late that
// blocks the main thread, then a large image). Under Lighthouse's mobile throttling the fast page
// is within the four budgets of the 2025 criteria and the slow one exceeds all four.
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface PageLoadFarm {
  origin: string;
  fastUrl: string;
  slowUrl: string;
  close(): Promise<void>;
}

const FAST_HTML = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sở Khoa học và Công nghệ — trang nhanh</title>
<style>body{font-family:sans-serif;margin:1rem}h1{font-size:1.4rem}</style></head>
<body><h1>Sở Khoa học và Công nghệ</h1><p>Trang chủ gọn nhẹ: văn bản, không có tập lệnh chặn hiển thị.</p>
<ul><li><a href="/nhanh/tin-tuc">Tin tức</a></li><li><a href="/nhanh/van-ban">Văn bản</a></li></ul></body></html>`;

const SLOW_HTML = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>UBND xã — trang chậm</title>
<script src="/cham/nang.js"></script></head>
<body><h1>Ủy ban nhân dân xã</h1><p>Trang chủ nặng: tập lệnh lớn chặn hiển thị và một ảnh lớn.</p>
<img src="/cham/anh.svg" width="360" height="640" alt="Ảnh bìa"></body></html>`;

/** Bytes of padding (a comment) that make a resource slow to transfer on a throttled link. */
function padded(body: string, bytes: number, comment: (s: string) => string): string {
  const filler = "tải chậm ".repeat(Math.ceil(bytes / 10));
  return `${body}\n${comment(filler)}`;
}

/** The blocking script: busy for `busyMs` on the main thread (Lighthouse counts it ×4 on mobile). */
function slowScript(busyMs: number, bytes: number): string {
  const code = `(function(){var t=Date.now();while(Date.now()-t<${busyMs}){}})();`;
  return padded(code, bytes, (s) => `/* ${s} */`);
}

function slowImage(bytes: number): string {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="360" height="640"><rect width="360" height="640" fill="#c33"/><text x="20" y="60" font-size="32" fill="#fff">UBND xã</text></svg>`;
  return padded(svg, bytes, (s) => `<!-- ${s} -->`);
}

export interface PageLoadFarmOptions {
  port?: number;
  /** Server delay of the slow page's script (default 1.5 s). */
  slowDelayMs?: number;
}

export async function startPageLoadFarm(opts: PageLoadFarmOptions = {}): Promise<PageLoadFarm> {
  const delay = opts.slowDelayMs ?? 1500;
  const script = slowScript(350, 1_200_000);
  const image = slowImage(1_500_000);
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    };
    if (path === "/" || path.startsWith("/nhanh")) return send(200, "text/html; charset=utf-8", FAST_HTML);
    if (path === "/cham/" || path === "/cham") return send(200, "text/html; charset=utf-8", SLOW_HTML);
    if (path === "/cham/nang.js") {
      setTimeout(() => send(200, "text/javascript; charset=utf-8", script), delay);
      return;
    }
    if (path === "/cham/anh.svg") return send(200, "image/svg+xml", image);
    send(404, "text/plain; charset=utf-8", "Không tìm thấy");
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    fastUrl: `${origin}/nhanh/`,
    slowUrl: `${origin}/cham/`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
