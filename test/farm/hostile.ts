/** Sites that misbehave, one per port, to prove the crawler's limits. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { CATEGORY_IDS, OPTIONAL_CATEGORIES } from "./categories.ts";
import { Rng } from "./prng.ts";
import type { GroundTruth, HostileKind } from "./types.ts";

export const HOSTILE_KINDS: HostileKind[] = [
  "slow",
  "endless",
  "huge",
  "redirect-loop",
  "error-500",
  "wrong-content-type",
  "invalid-bytes",
  "gzip-bomb",
  "robots-disallow-all",
  "deep-nesting",
  "never-settles",
  "redirect-forbidden",
];

const NAMES: Record<HostileKind, string> = {
  slow: "Trang thử: phản hồi rất chậm",
  endless: "Trang thử: nội dung không bao giờ kết thúc",
  huge: "Trang thử: trang 50 MB",
  "redirect-loop": "Trang thử: chuyển hướng vòng lặp",
  "error-500": "Trang thử: lỗi 500 mọi nơi",
  "wrong-content-type": "Trang thử: sai Content-Type",
  "invalid-bytes": "Trang thử: dữ liệu rác",
  "gzip-bomb": "Trang thử: bom gzip",
  "robots-disallow-all": "Trang thử: robots.txt chặn toàn bộ",
  "deep-nesting": "Trang thử: 100.000 thẻ div lồng nhau",
  "never-settles": "Trang thử: tập lệnh và tải không bao giờ dừng",
  "redirect-forbidden": "Trang thử: chuyển hướng tới cổng nội bộ bị cấm",
};

/** Depth of the deep-nesting home page. */
export const DEEP_NESTING = 100_000;
/** Text only the forbidden canary serves: it must never appear in anything the audit stores. */
export const CANARY_SECRET = "NOI-BO-BI-MAT-canary";

/**
 * The forbidden internal service: a loopback port no farm site is allowed to reach. It counts
 * every connection and request; the redirect-forbidden site points the crawler and Chromium at it.
 */
interface Canary {
  port: number;
  hits: string[];
  connections: number;
}
let canary: Promise<Canary> | null = null;

export function forbiddenCanary(): Promise<Canary> {
  canary ??= new Promise<Canary>((resolve, reject) => {
    const state: Canary = { port: 0, hits: [], connections: 0 };
    const server = createServer((req, res) => {
      state.hits.push(req.url ?? "/");
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!DOCTYPE html><html><head><title>${CANARY_SECRET}</title></head><body><h1>${CANARY_SECRET}</h1></body></html>`);
    });
    server.on("connection", () => state.connections++);
    server.on("upgrade", (req, socket) => {
      state.hits.push(`upgrade ${req.url ?? "/"}`);
      socket.destroy();
    });
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      state.port = (server.address() as AddressInfo).port;
      // Never keeps a test process alive.
      server.unref();
      resolve(state);
    });
  });
  return canary;
}

export const HUGE_BYTES = 50 * 1024 * 1024;
/** Inflated size of the gzip bomb: 64 gzip members × 16 MiB of zeros = 1 GiB. */
export const BOMB_INFLATED = 64 * 16 * 1024 * 1024;

let bomb: Buffer | null = null;
/** ~1 MB of concatenated gzip members; built once in memory, never written to disk. */
export function gzipBomb(): Buffer {
  if (!bomb) {
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
    bomb = Buffer.concat(Array.from({ length: BOMB_INFLATED / (16 * 1024 * 1024) }, () => member));
  }
  return bomb;
}

export interface HostileContext {
  timers: Set<NodeJS.Timeout>;
  slowMs: number;
  seed: number;
}

const SMALL_HTML = (title: string, body: string) =>
  `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;

export function handleHostile(kind: HostileKind, req: IncomingMessage, res: ServerResponse, ctx: HostileContext): void {
  const path = (req.url ?? "/").split("?")[0];
  if (path === "/robots.txt") {
    if (kind === "robots-disallow-all") {
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      res.end("User-agent: *\nDisallow: /\n");
    } else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not found\n");
    }
    return;
  }
  switch (kind) {
    case "slow": {
      const t = setTimeout(() => {
        ctx.timers.delete(t);
        if (res.destroyed) return;
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(SMALL_HTML("Trang chậm", "<p>Cuối cùng cũng trả lời.</p>"));
      }, ctx.slowMs);
      ctx.timers.add(t);
      res.on("close", () => {
        clearTimeout(t);
        ctx.timers.delete(t);
      });
      return;
    }
    case "endless": {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.write("<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Vô tận</title></head><body>");
      const chunk = Buffer.from("<p>Nội dung đang được cập nhật liên tục và không bao giờ kết thúc.</p>\n".repeat(200), "utf8");
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {
          /* keep writing until the socket buffer is full */
        }
      };
      res.on("drain", pump);
      pump();
      return;
    }
    case "huge": {
      const unit = Buffer.from("<p>Trang rất lớn: danh sách văn bản quy phạm pháp luật được lặp lại nhiều lần.</p>\n", "utf8");
      const head = Buffer.from(`<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Trang lớn</title></head><body>`, "utf8");
      const block = Buffer.concat(Array.from({ length: Math.ceil(65536 / unit.length) }, () => unit));
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": String(HUGE_BYTES) });
      if (req.method === "HEAD") return void res.end();
      let sent = 0;
      const pump = () => {
        while (!res.destroyed && sent < HUGE_BYTES) {
          let part = sent === 0 ? head : block;
          if (sent + part.length > HUGE_BYTES) part = part.subarray(0, HUGE_BYTES - sent);
          sent += part.length;
          const more = res.write(part);
          if (sent >= HUGE_BYTES) return void res.end();
          if (!more) return;
        }
      };
      res.on("drain", pump);
      pump();
      return;
    }
    case "redirect-loop": {
      const to = path === "/a" ? "/b" : "/a";
      res.writeHead(302, { location: to, "content-type": "text/html; charset=utf-8" });
      res.end(`<a href="${to}">${to}</a>`);
      return;
    }
    case "error-500":
      res.writeHead(500, { "content-type": "text/html; charset=utf-8" });
      res.end(SMALL_HTML("500 Internal Server Error", "<p>Lỗi máy chủ.</p>"));
      return;
    case "wrong-content-type": {
      const html = SMALL_HTML("Sai kiểu nội dung", `<p>Trang HTML nhưng khai báo sai Content-Type.</p><a href="/gioi-thieu">Giới thiệu</a><a href="/tin-tuc">Tin tức</a>`);
      res.writeHead(200, { "content-type": path === "/" ? "application/octet-stream" : "image/png" });
      res.end(html);
      return;
    }
    case "invalid-bytes": {
      const rng = Rng.derive(ctx.seed, `hostile-bytes${path}`);
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(Buffer.concat([Buffer.from("<html><body>"), rng.bytes(64 * 1024)]));
      return;
    }
    case "gzip-bomb": {
      const b = gzipBomb();
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-encoding": "gzip", "content-length": String(b.length) });
      res.end(req.method === "HEAD" ? undefined : b);
      return;
    }
    case "deep-nesting": {
      // 100,000 nested <div> (1.1 MB): parse time must stay linear (budgeted) and the render bounded.
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      if (path !== "/") return void res.end(SMALL_HTML(NAMES[kind], "<p>Trang con.</p>"));
      res.end(
        `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>${NAMES[kind]}</title></head><body><h1>${NAMES[kind]}</h1>` +
          `<ul><li><a href="/gioi-thieu">Giới thiệu</a></li></ul>` +
          "<div>".repeat(DEEP_NESTING) + "Nội dung sâu" + "</div>".repeat(DEEP_NESTING) + "</body></html>",
      );
      return;
    }
    case "never-settles": {
      // In a browser: a request whose body never ends (the network never goes idle), then a
      // script that never returns (the page's main thread is busy for good, after "load").
      if (path === "/vo-tan") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        const chunk = "<p>.</p>\n".repeat(100);
        const t = setInterval(() => {
          if (res.destroyed) return;
          res.write(chunk);
        }, 200);
        ctx.timers.add(t as unknown as NodeJS.Timeout);
        res.on("close", () => {
          clearInterval(t);
          ctx.timers.delete(t as unknown as NodeJS.Timeout);
        });
        return;
      }
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        SMALL_HTML(
          NAMES[kind],
          `<ul><li><a href="/gioi-thieu">Giới thiệu</a></li></ul>` +
            `<script>fetch("/vo-tan").then(function (r) { var rd = r.body.getReader(); (function pump() { rd.read().then(pump); })(); }).catch(function () {});` +
            `setTimeout(function () { for (;;) {} }, 300);</script>`,
        ),
      );
      return;
    }
    case "redirect-forbidden": {
      // The page itself is fine for the fetcher; in a browser it goes to /chuyen (refresh and
      // script), which redirects to the forbidden canary, and writes what it got into the title.
      if (path === "/chuyen" || path === "/chuyen-tiep") {
        void forbiddenCanary().then((c) => {
          if (res.destroyed) return;
          res.writeHead(302, { location: `http://127.0.0.1:${c.port}/noi-bo${path}` });
          res.end();
        });
        return;
      }
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        SMALL_HTML(
          NAMES[kind],
          `<ul><li><a href="/chuyen">Giới thiệu</a></li></ul>` +
            `<script>fetch("/chuyen-tiep").then(function (r) { return r.text(); }).then(function (t) { document.title = t; document.body.insertAdjacentHTML("beforeend", t); }).catch(function () {});` +
            `setTimeout(function () { location.href = "/chuyen"; }, 200);</script>`,
        ),
      );
      return;
    }
    case "robots-disallow-all": {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(SMALL_HTML(NAMES[kind], `<ul><li><a href="/gioi-thieu">Giới thiệu</a></li><li><a href="/tin-tuc">Tin tức</a></li></ul>`));
      return;
    }
  }
}

export function hostileTruth(kind: HostileKind, origin: string): GroundTruth {
  const categories = Object.fromEntries(
    CATEGORY_IDS.map((id) => [id, { status: "missing" as const, url: null, required: !OPTIONAL_CATEGORIES.includes(id) }]),
  ) as GroundTruth["categories"];
  return {
    id: `hostile-${kind}`,
    code: `BDH-T-${kind.toUpperCase()}`,
    name: NAMES[kind],
    unitType: null,
    group: null,
    baseUrl: `${origin}/`,
    layout: "text",
    hostile: kind,
    robotsDisallowAll: kind === "robots-disallow-all",
    robots: kind === "robots-disallow-all" ? { crawlDelay: null, disallow: ["/"] } : null,
    hasRss: false,
    rssUrl: null,
    hasSitemap: false,
    sitemapIndex: false,
    jsMenu: false,
    activity: null,
    siteEncoding: null,
    categories,
    pages: [],
    items: [],
    latestPublished: null,
    documents: [],
    identity: { unitName: false, responsiblePerson: false, address: false, phone: false, email: false },
    attribution: [],
    technical: { https: false, viewport: false, langVi: false, search: false, sitemapPage: false, sitemapXml: false, homeImages: 0, homeImagesWithAlt: 0 },
    comparable: { categories: false, encoding: false, dates: false, identity: false },
    notes: ["Hostile site: the audit must end with a recorded error within its time bound."],
  };
}
