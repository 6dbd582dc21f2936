// The dashboard's HTTP server: express + the Remix request handler, given an open knex.
// Used by `npm run start`, the demo, the end-to-end tests and the benchmark.
//
// By default it serves the production build in build/, building it first (remix vite:build,
// once, under a lock) when it is missing or older than the sources, so that `npm run demo`
// works right after `npm ci`. mode "dev" serves from source through Vite's middleware instead.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import "./lib/context.server.ts";
import express from "express";
import type { Knex } from "knex";
import { startRescoreSweeper } from "../db/scoring/rescore.ts";
import { remixHandler, sendRefusal } from "./edge/remix.ts";
import { urlRefusal } from "./edge/url-check.ts";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE_DIRS = ["app", "db", "reports", "crawler"];

export interface StartServerOptions {
  knex: Knex;
  /** 0 picks a free port. Default: env PORT or 3000. */
  port?: number;
  host?: string;
  mode?: "build" | "dev";
  /** Print build progress and the listening URL. */
  log?: (line: string) => void;
  /** Called when each response has been sent: path and server time (arrival → last byte written). */
  onTiming?: (path: string, ms: number) => void;
}

export interface DashboardServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function buildDir(): string {
  return path.resolve(REPO_ROOT, process.env.TT_BUILD_DIR ?? "build");
}

function newestSourceMtime(): number {
  let newest = 0;
  const visit = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      const base = path.basename(p);
      if (base === "node_modules" || base.startsWith(".")) return;
      for (const e of fs.readdirSync(p)) visit(path.join(p, e));
    } else if (/\.(tsx?|css|json)$/.test(p) && !/\.test\.tsx?$/.test(p)) {
      newest = Math.max(newest, st.mtimeMs);
    }
  };
  for (const d of SOURCE_DIRS) visit(path.join(REPO_ROOT, d));
  visit(path.join(REPO_ROOT, "vite.config.ts"));
  visit(path.join(REPO_ROOT, "package-lock.json"));
  return newest;
}

function buildIsFresh(): boolean {
  try {
    return fs.statSync(path.join(buildDir(), "server", "index.js")).mtimeMs >= newestSourceMtime();
  } catch {
    return false;
  }
}

function runViteBuild(log: (l: string) => void): Promise<void> {
  const cli = path.join(REPO_ROOT, "node_modules", "@remix-run", "dev", "dist", "cli.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "vite:build"], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`Building the dashboard failed (remix vite:build exited ${code}):\n${out.slice(-4000)}`));
    });
    log("Đang dựng giao diện (remix vite:build)…");
  });
}

/** Build once when build/ is missing or stale; concurrent processes wait on one lock. */
export async function ensureBuild(log: (l: string) => void = () => undefined): Promise<string> {
  const lock = `${buildDir()}.lock`;
  // TT_BUILD_DIR may point under a directory that does not exist yet (.cache/build-x): without
  // it mkdirSync(lock) fails forever and looks like someone else building.
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    if (buildIsFresh()) return buildDir();
    try {
      fs.mkdirSync(lock);
    } catch {
      // Someone else is building; a lock older than 10 minutes is left over from a crash.
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 600_000) fs.rmSync(lock, { recursive: true, force: true });
      } catch {
        /* lock vanished meanwhile */
      }
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    try {
      if (!buildIsFresh()) await runViteBuild(log);
      return buildDir();
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }
}

function securityHeaders(_req: express.Request, res: express.Response, next: express.NextFunction) {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "SAMEORIGIN");
  next();
}

export async function startServer(opts: StartServerOptions): Promise<DashboardServer> {
  const log = opts.log ?? (() => undefined);
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(securityHeaders);
  // Malformed %-escapes or NUL in the request line: 400 before static files or Remix see it.
  app.use((req, res, next) => {
    const refused = urlRefusal(req.originalUrl);
    if (!refused) return next();
    sendRefusal(res, refused, req.path.startsWith("/api/")).catch(next);
  });
  if (opts.onTiming) {
    const report = opts.onTiming;
    app.use((req, res, next) => {
      const start = process.hrtime.bigint();
      res.on("finish", () => report(req.path, Number(process.hrtime.bigint() - start) / 1e6));
      next();
    });
  }

  const getLoadContext = (req: express.Request): AppLoadContext => ({
    knex: opts.knex,
    ip: req.ip ?? req.socket.remoteAddress ?? null,
    secure: req.secure || String(req.headers["x-forwarded-proto"] ?? "").split(",")[0].trim() === "https",
  });

  let closeVite: (() => Promise<void>) | undefined;
  if (opts.mode === "dev") {
    const vite = await import("vite");
    const devServer = await vite.createServer({
      root: REPO_ROOT,
      server: { middlewareMode: true, hmr: false },
      appType: "custom",
    });
    closeVite = () => devServer.close();
    app.use(devServer.middlewares);
    app.all("*", remixHandler(async () => (await devServer.ssrLoadModule("virtual:remix/server-build")) as unknown as ServerBuild, "development", getLoadContext));
  } else {
    // React and Remix pick their production code paths from NODE_ENV when first loaded (the
    // server build is imported just below); under tsx it is unset, which would mean the slow
    // development build of React for every server render.
    process.env.NODE_ENV ??= "production";
    const dir = await ensureBuild(log);
    const serverEntry = path.join(dir, "server", "index.js");
    const build = (await import(`${pathToFileURL(serverEntry).href}?v=${fs.statSync(serverEntry).mtimeMs}`)) as ServerBuild;
    app.use("/assets", express.static(path.join(dir, "client", "assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(path.join(dir, "client"), { maxAge: "1h" }));
    app.all("*", remixHandler(build, "production", getLoadContext));
  }
  // Anything thrown past Remix: a Vietnamese 500 without the stack (logged instead).
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    console.error(err);
    if (res.headersSent) return res.end();
    res.status(500).type("text/plain; charset=utf-8").send("Lỗi máy chủ. Vui lòng thử lại sau.");
  });

  const server = http.createServer(app);
  const port = opts.port ?? Number(process.env.PORT ?? 3000);
  const host = opts.host ?? process.env.HOST ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${actual}`;
  log(`Bảng điều khiển: ${url}`);
  // Score requests left by a process that died before draining them (docs/decisions/0009-rescoring.md).
  const sweeper = startRescoreSweeper(opts.knex);
  return {
    url,
    port: actual,
    async close() {
      sweeper.stop();
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
      await closeVite?.();
    },
  };
}
