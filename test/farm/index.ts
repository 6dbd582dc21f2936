/**
 * The fixture farm: a sample province of Vietnamese government sites on 127.0.0.1, one port per
 * site, deterministic from a seed and a reference date, each site knowing its ground truth.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { buildBenchSite, type BenchOptions } from "./bench.ts";
import { parseHttpDate, parseYmd } from "./dates.ts";
import { HOSTILE_KINDS, handleHostile, hostileTruth, type HostileContext } from "./hostile.ts";
import { provinceSpecs } from "./province.ts";
import { buildSite, type BuiltSite } from "./render.ts";
import type { FarmResponse, GroundTruth, HostileKind, SiteSpec } from "./types.ts";
import type { CategoryId } from "./categories.ts";
import { buildTt22Site, tt22GroundTruth, tt22Specs } from "./tt22.ts";

export type * from "./types.ts";
export { CATEGORY_IDS, OPTIONAL_CATEGORIES, type CategoryId } from "./categories.ts";
export { HOSTILE_KINDS, BOMB_INFLATED, HUGE_BYTES } from "./hostile.ts";
export type { BenchOptions } from "./bench.ts";

/** Builds the province's sites without serving them (every route's bytes and the truth), for tests. */
export function buildProvince(seed: number, referenceDate: string, originOf: (index: number) => string, only?: string[]): BuiltSite[] {
  parseYmd(referenceDate);
  return provinceSpecs()
    .map((spec, i) => ({ spec, i }))
    .filter(({ spec }) => !only || only.includes(spec.id))
    .map(({ spec, i }) => buildSite(spec, seed, referenceDate, originOf(i)));
}

export interface FarmOptions {
  seed?: number;
  /** YYYY-MM-DD; item dates are relative to it. */
  referenceDate?: string;
  host?: "127.0.0.1";
  /** 0 = a random free port per site; N = site i listens on N + i. */
  basePort?: number;
  /** 'province' = the normal sites; 'all' = plus the hostile ones. Ignored in bench mode. */
  include?: "province" | "all";
  /** Bench mode: only generated sites (N × M pages). */
  bench?: BenchOptions;
  /** How long the "slow" hostile site waits before its headers (default 30 s). */
  slowMs?: number;
  /** Also serve the TT 22/2023 sites (test/farm/tt22.ts: EMC and required home-page links). */
  tt22?: boolean;
}

export interface FarmSite {
  id: string;
  name: string;
  port: number;
  baseUrl: string;
  hostile?: HostileKind;
  truth: GroundTruth;
}

export interface FarmStats {
  requests: number;
  byHost: Record<string, number>;
  conditionalHits: number;
}

/** One request as the farm saw it (for politeness and robots tests); `at` is performance.now() in ms. */
export interface FarmRequest {
  host: string;
  path: string;
  method: string;
  at: number;
  conditional: boolean;
}

const LOG_LIMIT = 200_000;

/**
 * A change to one province site between audit rounds (season tests). Cleared with
 * `setOverride(id, null)`; without overrides every site is served as built.
 */
export interface SiteOverride {
  /** The site is down: every connection is reset before any response. */
  down?: true;
  /** This category's page still exists but lists nothing (in addition to the spec's empty ones). */
  emptyCategory?: CategoryId;
  /** (HV) Each path answers 503 this many times before it is served; "inner" spares / and /robots.txt. */
  flaky503?: { times: number; paths: "all" | "inner" };
  /** (HV) A WAF: requests whose User-Agent contains `pattern` get 403; "inner" spares / and /robots.txt. */
  blockUserAgent?: { pattern: string; paths: "all" | "inner" };
}

/** (HV) Wraps a site's handler with the transient faults of an override (503s, a WAF). */
function withFaults(handler: Handler, o: SiteOverride | undefined): Handler {
  if (!o?.flaky503 && !o?.blockUserAgent) return handler;
  const served = new Map<string, number>();
  const applies = (paths: "all" | "inner", url: string) => paths === "all" || (url !== "/" && url !== "/robots.txt");
  return (req, res) => {
    const url = req.url ?? "/";
    const waf = o.blockUserAgent;
    if (waf && applies(waf.paths, url) && String(req.headers["user-agent"] ?? "").includes(waf.pattern)) {
      res.writeHead(403, { "content-type": "text/html; charset=utf-8" });
      res.end("<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body><h1>Access denied</h1></body></html>");
      return;
    }
    const flaky = o.flaky503;
    if (flaky && applies(flaky.paths, url)) {
      const n = served.get(url) ?? 0;
      served.set(url, n + 1);
      if (n < flaky.times) {
        res.writeHead(503, { "content-type": "text/plain", "retry-after": "0" });
        res.end("Service Unavailable\n");
        return;
      }
    }
    handler(req, res);
  };
}

export interface Farm {
  sites: FarmSite[];
  /** The current reference date (moved by setReferenceDate). */
  readonly referenceDate: string;
  seed: number;
  truth(): GroundTruth[];
  siteUrl(id: string): string;
  stats(): FarmStats;
  /** Requests in arrival order (the last 200 000), with the host (`127.0.0.1:port`) and path. */
  requestLog(): FarmRequest[];
  /** Clears the counters and the request log. */
  resetStats(): void;
  /**
   * Moves the reference date of the running farm: every province site is rebuilt (same seed,
   * same ports) with its content dated relative to `day` (YYYY-MM-DD); truths are updated.
   */
  setReferenceDate(day: string): void;
  /** Overrides one province site until changed again (null clears it); the site is rebuilt. */
  setOverride(siteId: string, override: SiteOverride | null): void;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const PNG_1x1 = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" + "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
  "hex",
);

const NOT_FOUND = Buffer.from(
  `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Không tìm thấy trang</title></head><body><h1>404 - Không tìm thấy trang</h1><p><a href="/">Về trang chủ</a></p></body></html>`,
  "utf8",
);

async function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      reject(new Error(e.code === "EADDRINUSE" ? `Cổng ${port} đang được sử dụng.` : `Không mở được cổng ${port}: ${e.message}`));
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      const addr = server.address();
      resolve(typeof addr === "object" && addr ? addr.port : port);
    });
  });
}

export async function startFarm(opts: FarmOptions = {}): Promise<Farm> {
  const seed = opts.seed ?? 1;
  let referenceDate = opts.referenceDate ?? "2026-11-20";
  parseYmd(referenceDate);
  const host = opts.host ?? "127.0.0.1";
  const basePort = opts.basePort ?? 0;
  const stats: FarmStats = { requests: 0, byHost: {}, conditionalHits: 0 };
  let log: FarmRequest[] = [];
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const hostileCtx: HostileContext = { timers: new Set(), slowMs: opts.slowMs ?? 30_000, seed };
  const sites: FarmSite[] = [];
  // Province sites, rebuildable (season tests move the reference date and override sites).
  const province = new Map<string, { spec: SiteSpec; origin: string; setHandler: (h: Handler) => void; site: FarmSite }>();
  const overrides = new Map<string, SiteOverride>();

  const serveResponse = (req: IncomingMessage, res: ServerResponse, r: FarmResponse): void => {
    const headers: Record<string, string> = { ...r.headers };
    if (r.etag) headers.etag = r.etag;
    if (r.lastModified) headers["last-modified"] = r.lastModified;
    if (r.status === 200 && (r.etag || r.lastModified)) {
      const inm = req.headers["if-none-match"];
      const ims = req.headers["if-modified-since"];
      let notModified = false;
      if (inm !== undefined) notModified = !!r.etag && (inm.trim() === "*" || inm.split(",").some((t) => t.trim().replace(/^W\//, "") === r.etag));
      else if (ims && r.lastModified) {
        const since = parseHttpDate(ims);
        const lm = parseHttpDate(r.lastModified);
        notModified = since !== null && lm !== null && lm <= since;
      }
      if (notModified) {
        stats.conditionalHits++;
        res.writeHead(304, headers);
        res.end();
        return;
      }
    }
    headers["content-length"] = String(r.body.length);
    res.writeHead(r.status, headers);
    res.end(req.method === "HEAD" ? undefined : r.body);
  };

  const makeHandler = (resolve: (path: string) => FarmResponse | null, latencyMs: number): Handler => {
    return (req, res) => {
      const url = req.url ?? "/";
      const respond = () => {
        if (req.method !== "GET" && req.method !== "HEAD") {
          res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" });
          res.end("Method not allowed\n");
          return;
        }
        let r = resolve(url);
        if (!r && url.length > 1 && url.endsWith("/")) r = resolve(url.slice(0, -1));
        if (!r && url.startsWith("/images/")) r = { status: 200, headers: { "content-type": "image/png" }, body: PNG_1x1, etag: `"png1x1"` };
        if (!r) r = { status: 404, headers: { "content-type": "text/html; charset=utf-8" }, body: NOT_FOUND };
        serveResponse(req, res, r);
      };
      if (latencyMs > 0) {
        const t = setTimeout(() => {
          hostileCtx.timers.delete(t);
          if (!res.destroyed) respond();
        }, latencyMs);
        hostileCtx.timers.add(t);
      } else respond();
    };
  };

  const open = async (handler: Handler, index: number): Promise<{ port: number; origin: string; setHandler: (h: Handler) => void }> => {
    let current: Handler = handler;
    const server = createServer((req, res) => {
      res.sendDate = false; // no clock in responses: same seed, same bytes
      stats.requests++;
      const h = req.headers.host ?? "";
      stats.byHost[h] = (stats.byHost[h] ?? 0) + 1;
      if (log.length >= LOG_LIMIT) log = log.slice(LOG_LIMIT / 2);
      log.push({
        host: h,
        path: req.url ?? "/",
        method: req.method ?? "GET",
        at: performance.now(),
        conditional: req.headers["if-none-match"] !== undefined || req.headers["if-modified-since"] !== undefined,
      });
      try {
        current(req, res);
      } catch (e) {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end(`farm error: ${(e as Error).message}\n`);
      }
    });
    server.keepAliveTimeout = 5_000;
    server.on("connection", (s) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    servers.push(server);
    const port = await listen(server, host, basePort === 0 ? 0 : basePort + index);
    return { port, origin: `http://${host}:${port}`, setHandler: (h) => (current = h) };
  };

  const placeholder: Handler = (_req, res) => {
    res.writeHead(503);
    res.end();
  };

  try {
    if (opts.bench) {
      for (let i = 0; i < opts.bench.sites; i++) {
        const { port, origin, setHandler } = await open(placeholder, i);
        const b = buildBenchSite(i, opts.bench, seed, referenceDate, origin);
        setHandler(makeHandler(b.resolve, b.latencyMs));
        sites.push({ id: b.id, name: b.truth.name, port, baseUrl: `${origin}/`, truth: b.truth });
      }
    } else {
      const specs = provinceSpecs();
      let i = 0;
      for (const spec of specs) {
        const { port, origin, setHandler } = await open(placeholder, i++);
        const built = buildSite(spec, seed, referenceDate, origin);
        setHandler(makeHandler((p) => built.routes.get(p) ?? null, 0));
        const site: FarmSite = { id: spec.id, name: spec.name, port, baseUrl: `${origin}/`, truth: built.truth };
        sites.push(site);
        province.set(spec.id, { spec, origin, setHandler, site });
      }
      if (opts.include === "all") {
        for (const kind of HOSTILE_KINDS) {
          const { port, origin, setHandler } = await open(placeholder, i++);
          setHandler((req, res) => handleHostile(kind, req, res, hostileCtx));
          const truth = hostileTruth(kind, origin);
          sites.push({ id: truth.id, name: truth.name, port, baseUrl: `${origin}/`, hostile: kind, truth });
        }
      }
      if (opts.tt22) {
        for (const spec of tt22Specs()) {
          const { port, origin, setHandler } = await open(placeholder, i++);
          const routes = buildTt22Site(spec);
          setHandler(makeHandler((p) => routes.get(p) ?? null, 0));
          sites.push({ id: spec.id, name: spec.name, port, baseUrl: `${origin}/`, truth: tt22GroundTruth(spec, origin) });
        }
      }
    }
  } catch (e) {
    await closeAll();
    throw e;
  }

  async function closeAll(): Promise<void> {
    for (const t of hostileCtx.timers) clearTimeout(t);
    hostileCtx.timers.clear();
    for (const s of sockets) s.destroy();
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }

  const resetConnection: Handler = (req) => {
    req.socket.destroy();
  };
  const rebuild = (id: string): void => {
    const p = province.get(id)!;
    const o = overrides.get(id);
    const spec: SiteSpec =
      o?.emptyCategory && !p.spec.empty.includes(o.emptyCategory)
        ? {
            ...p.spec,
            empty: [...p.spec.empty, o.emptyCategory],
            missing: p.spec.missing.filter((c) => c !== o.emptyCategory),
            unreachable: p.spec.unreachable.filter((c) => c !== o.emptyCategory),
          }
        : p.spec;
    const built = buildSite(spec, seed, referenceDate, p.origin);
    p.site.truth = built.truth;
    p.setHandler(o?.down ? resetConnection : withFaults(makeHandler((path) => built.routes.get(path) ?? null, 0), o));
  };

  const byId = new Map(sites.map((s) => [s.id, s]));
  return {
    sites,
    seed,
    get referenceDate() {
      return referenceDate;
    },
    truth: () => sites.map((s) => s.truth),
    siteUrl: (id) => {
      const s = byId.get(id);
      if (!s) throw new Error(`Không có trang nào mang mã ${id} trong trang trại.`);
      return s.baseUrl;
    },
    stats: () => ({ requests: stats.requests, byHost: { ...stats.byHost }, conditionalHits: stats.conditionalHits }),
    requestLog: () => log.slice(),
    resetStats: () => {
      log = [];
      stats.requests = 0;
      stats.byHost = {};
      stats.conditionalHits = 0;
    },
    setReferenceDate: (day) => {
      parseYmd(day);
      if (province.size === 0) throw new Error("Trang trại này không có trang của tỉnh để đổi ngày tham chiếu.");
      referenceDate = day;
      for (const id of province.keys()) rebuild(id);
    },
    setOverride: (siteId, override) => {
      if (!province.has(siteId)) throw new Error(`Không có trang nào của tỉnh mang mã ${siteId} trong trang trại.`);
      if (override) overrides.set(siteId, { ...override });
      else overrides.delete(siteId);
      rebuild(siteId);
    },
    close: closeAll,
  };
}
