// npm run bench -- crawl [--sites 300] [--pages 100] [--reaudit-sites 60] [--worker-sites 24] [--no-workers] [--full-parse]
// Crawl throughput on a generated loopback farm (served by a separate process): our crawler,
// Crawlee's CheerioCrawler and the raw limit (undici + htmlparser2, nothing stored), each in
// its own process for a clean peak RSS, with the same per-host concurrency (2), global
// concurrency and page budget. Then a re-audit of the unchanged farm (conditional GETs), and
// one vs two worker processes on the real queue when sites impose a per-host delay.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import { Parser } from "htmlparser2";
import { Agent, request } from "undici";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PER_HOST = 2;
const GLOBAL = 64;

interface PhaseResult {
  name: string;
  pages: number;
  seconds: number;
  p50: number;
  p95: number;
  peakRssMb: number;
  notModified?: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return {
    stop() {
      clearInterval(t);
      return Math.round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024);
    },
  };
}

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (i < items.length) await fn(items[i++]);
    }),
  );
}

// ---------------------------------------------------------------- phases (child processes)

async function phaseOurs(bases: string[], budget: number, reauditSites: number): Promise<PhaseResult[]> {
  const { Fetcher } = await import("../crawler/fetch/fetcher.ts");
  const { crawlSite } = await import("../crawler/audit/crawl-site.ts");
  const { loadChecks } = await import("../crawler/audit/checks-adapter.ts");
  const checks = await loadChecks();
  const crawlChecks = { matchCategory: checks.matchCategory, needsRendering: () => false };
  const fetcher = new Fetcher({ perHostConcurrency: PER_HOST, globalConcurrency: GLOBAL });
  const keepFor = new Set(bases.slice(0, reauditSites));
  // What a database would hold between audits: validators per URL, bodies once per hash.
  const previous = new Map<string, Map<string, { etag: string | null; lastModified: string | null; contentHash: string | null; status: number; headers: Record<string, string> }>>();
  const bodies = new Map<string, Buffer>();
  const seedsOf = new Map<string, { url: string; kind: import("../crawler/types.ts").PageKind | null; depth: number }[]>();
  const run = async (sites: string[], reaudit: boolean, keepBodies = false, parse?: "full"): Promise<PhaseResult> => {
    const latencies: number[] = [];
    let pages = 0;
    let notModified = 0;
    const rss = rssSampler();
    const t0 = performance.now();
    await pool(sites, Math.ceil(GLOBAL / PER_HOST), async (base) => {
      const prev = reaudit ? previous.get(base) : undefined;
      const keep = !reaudit && keepBodies && keepFor.has(base) ? new Map() : null;
      if (keep) {
        previous.set(base, keep);
        seedsOf.set(base, []);
      }
      const r = await crawlSite({
        baseUrl: base,
        allowPrivate: true,
        maxPages: budget,
        renderMode: "never",
        runAxe: false,
        fetcher,
        checks: crawlChecks,
        previous: prev ? { pages: prev, seeds: seedsOf.get(base), loadBody: async (h) => (bodies.has(h) ? zlib.brotliDecompressSync(bodies.get(h)!) : null) } : null,
        retainBodies: false,
        // The domain/transport probe (DNS, TLS) is not crawling: compared crawlers do not do it.
        probeDomainTransport: false,
        // "full": each page parsed as the worker parses it (discovery and the checks' parse in one pass).
        parse,
        onPage: (p) => {
          if (reaudit || !keep) return;
          seedsOf.get(base)!.push({ url: p.url, kind: p.kind ?? null, depth: p.depth ?? 0 });
          if (!p.contentHash || p.error) return;
          keep.set(p.url, { etag: p.headers.etag ?? null, lastModified: p.headers["last-modified"] ?? null, contentHash: p.contentHash, status: p.status, headers: p.headers, title: p.title, rendered: p.rendered });
          if (!bodies.has(p.contentHash)) bodies.set(p.contentHash, zlib.brotliCompressSync(p.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } }));
        },
      });
      pages += r.stats.fetched;
      notModified += r.stats.notModified;
      for (const p of r.pages) if (p.kind !== "robots" && p.durationMs != null) latencies.push(p.durationMs);
    });
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    return { name: reaudit ? "ours-reaudit" : "ours", pages, seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), peakRssMb: rss.stop(), notModified };
  };
  const first = await run(bases, false);
  const subsetFirst = await run(bases.slice(0, reauditSites), false, true);
  subsetFirst.name = "ours-subset-first";
  const again = await run(bases.slice(0, reauditSites), true);
  const out = [first, subsetFirst, again];
  if (process.argv.includes("--full-parse")) {
    const full = await run(bases, false, false, "full");
    full.name = "ours-full-parse";
    out.push(full);
  }
  await fetcher.close();
  return out;
}

async function phaseRaw(bases: string[], budget: number): Promise<PhaseResult[]> {
  const agent = new Agent({ connections: PER_HOST * 2, keepAliveTimeout: 4000 });
  const latencies: number[] = [];
  let pages = 0;
  let inflightGlobal = 0;
  const waiters: (() => void)[] = [];
  const acquire = async () => {
    if (inflightGlobal >= GLOBAL) await new Promise<void>((r) => waiters.push(r));
    inflightGlobal++;
  };
  const release = () => {
    inflightGlobal--;
    waiters.shift()?.();
  };
  const rss = rssSampler();
  const t0 = performance.now();
  await pool(bases, Math.ceil(GLOBAL / PER_HOST), async (base) => {
    const seen = new Set<string>([base]);
    const queue = [base];
    let taken = 0;
    const worker = async () => {
      while (taken < budget) {
        const url = queue.shift();
        if (!url) {
          if (active === 0) return;
          await new Promise((r) => setTimeout(r, 1));
          continue;
        }
        taken++;
        active++;
        await acquire();
        const t = performance.now();
        try {
          const res = await request(url, { dispatcher: agent, headers: { "accept-encoding": "identity" } });
          const body = Buffer.from(await res.body.arrayBuffer());
          latencies.push(performance.now() - t);
          pages++;
          if ((res.headers["content-type"] ?? "").toString().includes("html")) {
            const parser = new Parser({
              onopentag(name, attrs) {
                if (name !== "a" || !attrs.href) return;
                try {
                  const u = new URL(attrs.href, url);
                  u.hash = "";
                  const s = u.toString();
                  if (u.origin === new URL(base).origin && !seen.has(s)) {
                    seen.add(s);
                    queue.push(s);
                  }
                } catch {
                  // ignore bad links
                }
              },
            });
            parser.write(body.toString("utf8"));
            parser.end();
          }
        } catch {
          pages++;
        } finally {
          release();
          active--;
        }
      }
    };
    let active = 0;
    await Promise.all(Array.from({ length: PER_HOST }, worker));
  });
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  await agent.close();
  return [{ name: "raw", pages, seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), peakRssMb: rss.stop() }];
}

async function phaseCrawlee(bases: string[], budget: number): Promise<PhaseResult[]> {
  const { CheerioCrawler, Configuration, log } = await import("@crawlee/cheerio");
  log.setLevel(log.LEVELS.OFF);
  const config = new Configuration({ persistStorage: false, purgeOnStart: true, availableMemoryRatio: 0.9 });
  const seenBySite = new Map<string, Set<string>>();
  const started = new Map<string, number>();
  const latencies: number[] = [];
  let pages = 0;
  const rss = rssSampler();
  const t0 = performance.now();
  const crawler = new CheerioCrawler(
    {
      maxConcurrency: GLOBAL,
      minConcurrency: Math.min(GLOBAL, 32),
      maxRequestRetries: 0,
      maxRequestsPerCrawl: bases.length * budget,
      requestHandlerTimeoutSecs: 30,
      navigationTimeoutSecs: 30,
      preNavigationHooks: [
        ({ request: req }) => {
          started.set(req.url, performance.now());
        },
      ],
      async requestHandler({ request: req, enqueueLinks }) {
        latencies.push(performance.now() - (started.get(req.url) ?? performance.now()));
        pages++;
        const origin = new URL(req.url).origin;
        await enqueueLinks({
          strategy: "same-origin",
          transformRequestFunction: (r) => {
            // Count unique URLs only (Crawlee de-duplicates the queue itself).
            let seen = seenBySite.get(origin);
            if (!seen) seenBySite.set(origin, (seen = new Set([`${origin}/`])));
            if (seen.has(r.url)) return r;
            if (seen.size >= budget) return false;
            seen.add(r.url);
            return r;
          },
        });
      },
      failedRequestHandler() {
        pages++;
      },
    },
    config,
  );
  await crawler.run(bases);
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return [{ name: "crawlee", pages, seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), peakRssMb: rss.stop() }];
}

// ---------------------------------------------------------------- orchestration

/** Starts the farm on a random port range, trying another range if one is taken. */
async function startFarmProcess(args: string[]): Promise<{ child: ChildProcess; bases: string[] }> {
  for (let attempt = 0; ; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    try {
      return await startFarmOnce(["--port", String(port), ...args]);
    } catch (err) {
      if (attempt >= 4) throw err;
    }
  }
}

async function startFarmOnce(args: string[]): Promise<{ child: ChildProcess; bases: string[] }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/farm/cli.ts", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  child.stderr!.resume();
  let out = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("Ctrl+C")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`farm exited (${code}): ${out.slice(-500)}`)));
  });
  const bases = [...out.matchAll(/^(http:\/\/127\.0\.0\.1:\d+\/)/gm)].map((m) => m[1]);
  return { child, bases };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => {
    child.once("exit", () => r());
    child.kill("SIGTERM");
  });
}

function runPhase(phase: string, bases: string[], budget: number, extra: string[] = []): Promise<PhaseResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--phase", phase, "--budget", String(budget), ...extra], {
      cwd: ROOT,
      stdio: ["pipe", "pipe", "inherit"],
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stdin!.end(JSON.stringify(bases));
    child.on("exit", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(line) as PhaseResult[]);
      } catch {
        reject(new Error(`phase ${phase} failed (${code}): ${out.slice(-400)}`));
      }
    });
  });
}

async function workersBench(sites: number, pages: number, delayMs: number): Promise<{ one: number; two: number; pagesDone: number }> {
  const { createKnex, migrate } = await import("../db/index.ts");
  const { startServer, withDatabase } = await import("../db/server.ts");
  const { seedGroupsAndSettings, seedUnits } = await import("../db/seeds/sample-province.ts");
  const { enqueueRound, waitForRound, closeQueues } = await import("../crawler/queue/index.ts");
  const farm = await startFarmProcess(["--bench-sites", String(sites), "--bench-pages", String(pages), "--crawl-delay-ms", String(delayMs)]);
  const server = await startServer();
  const name = `tt_bench_${randomBytes(4).toString("hex")}`;
  const admin = createKnex(server.url, { max: 1 });
  await admin.raw(`create database ${name}`);
  const url = withDatabase(server.url, name);
  const knex = createKnex(url, { max: 4 });
  try {
    await migrate(knex);
    await seedGroupsAndSettings(knex);
    await seedUnits(
      knex,
      farm.bases.map((b, i) => ({ code: `BENCH-${i}`, name: `Đơn vị thử ${i}`, unitType: "so", group: "so-nganh", baseUrl: b, allowPrivate: true })),
    );
    await knex("sites").update({ max_pages: pages });
    const timeRound = async (workers: number): Promise<number> => {
      await knex.raw("truncate findings, pages, site_audits, audit_rounds restart identity cascade");
      const children = Array.from({ length: workers }, () =>
        spawn(process.execPath, ["--import", "tsx", "crawler/worker-cli.ts", "--concurrency", "4", "--no-render"], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: url },
          stdio: ["ignore", "ignore", "pipe"],
        }),
      );
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              let err = "";
              c.stderr!.on("data", (d) => {
                err += d;
                if (err.includes("đang chạy")) resolve();
              });
            }),
        ),
      );
      const t0 = performance.now();
      const round = await enqueueRound(knex, { trigger: "bench" });
      await waitForRound(knex, round, 30 * 60_000);
      const s = (performance.now() - t0) / 1000;
      if (process.env.BENCH_DEBUG) {
        const rows = await knex("site_audits").select("site_id", "queued_at", "started_at", "finished_at", "pages_done", "worker");
        for (const r of rows) console.error(r.site_id, r.worker, new Date(r.started_at).getTime() - new Date(r.queued_at).getTime(), new Date(r.finished_at).getTime() - new Date(r.started_at).getTime(), r.pages_done);
      }
      await Promise.all(children.map(stop));
      return s;
    };
    const one = await timeRound(1);
    const two = await timeRound(2);
    const done = await knex("site_audits").sum<{ s: number }[]>({ s: "pages_done" });
    return { one, two, pagesDone: Number(done[0].s) };
  } finally {
    await closeQueues();
    await knex.destroy();
    await admin.raw(`drop database if exists ${name} with (force)`).catch(() => undefined);
    await admin.destroy();
    await server.stop();
    await stop(farm.child);
  }
}

function fmt(n: number, d = 1): string {
  return n.toFixed(d);
}

async function main(): Promise<void> {
  const phaseIdx = process.argv.indexOf("--phase");
  if (phaseIdx >= 0) {
    const phase = process.argv[phaseIdx + 1];
    const budget = arg("budget", 100);
    const input = await new Promise<string>((r) => {
      let s = "";
      process.stdin.on("data", (d) => (s += d));
      process.stdin.on("end", () => r(s));
    });
    const bases = JSON.parse(input) as string[];
    const result =
      phase === "ours" ? await phaseOurs(bases, budget, arg("reaudit-sites", 60)) : phase === "raw" ? await phaseRaw(bases, budget) : await phaseCrawlee(bases, budget);
    process.stdout.write(`\n${JSON.stringify(result)}\n`);
    process.exit(0);
  }
  const sites = arg("sites", 300);
  const pages = arg("pages", 100);
  const reauditSites = Math.min(sites, arg("reaudit-sites", 60));
  const workerSites = arg("worker-sites", 32);
  if (process.argv.includes("--only-workers")) {
    const w = await workersBench(workerSites, 20, 250);
    console.log(`2 workers / 1 worker: ${fmt(w.one / w.two, 2)}× (${fmt(w.one)} s vs ${fmt(w.two)} s, ${w.pagesDone} pages)`);
    return;
  }
  console.error(`Farm: ${sites} sites × ${pages} pages on loopback (separate process); per-host concurrency ${PER_HOST}, global ${GLOBAL}, budget ${pages}/site.`);
  const farm = await startFarmProcess(["--bench-sites", String(sites), "--bench-pages", String(pages)]);
  const results: PhaseResult[] = [];
  try {
    const only = process.argv.includes("--quick") ? ["raw", "ours"] : ["raw", "crawlee", "ours"];
    for (const phase of only) {
      console.error(`… ${phase}`);
      results.push(...(await runPhase(phase, farm.bases, pages, ["--reaudit-sites", String(reauditSites), ...(process.argv.includes("--full-parse") ? ["--full-parse"] : [])])));
    }
  } finally {
    await stop(farm.child);
  }
  if (process.argv.includes("--quick")) {
    for (const r of results) console.log(`${r.name.padEnd(18)} ${r.pages} pages ${fmt(r.seconds)} s ${fmt(r.pages / r.seconds, 0)} p/s p50 ${fmt(r.p50)} p95 ${fmt(r.p95)} RSS ${r.peakRssMb} MB`);
    return;
  }
  const skipWorkers = process.argv.includes("--no-workers");
  if (!skipWorkers) console.error(`… workers (${workerSites} sites × 20 pages, Crawl-delay 250 ms, 1 vs 2 worker processes × concurrency 4)`);
  const workers = skipWorkers ? null : await workersBench(workerSites, 20, 250);

  const get = (n: string) => results.find((r) => r.name === n)!;
  const ours = get("ours");
  const raw = get("raw");
  const crawlee = get("crawlee");
  const subset = get("ours-subset-first");
  const reaudit = get("ours-reaudit");
  const rows = [
    ["crawler", "pages", "seconds", "pages/s", "p50 ms", "p95 ms", "peak RSS MB"],
    ...[ours, crawlee, raw, subset, reaudit].map((r) => [r.name, String(r.pages), fmt(r.seconds), fmt(r.pages / r.seconds, 0), fmt(r.p50), fmt(r.p95), String(r.peakRssMb)]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")).join("\n"));
  const rate = (r: PhaseResult) => r.pages / r.seconds;
  console.log("");
  console.log(`ours / Crawlee pages/s:        ${fmt(rate(ours) / rate(crawlee), 2)}× (target ≥ 2×)`);
  console.log(`ours / raw limit pages/s:      ${fmt((100 * rate(ours)) / rate(raw), 0)} % (target ≥ 60 %)`);
  console.log(`ours peak RSS:                 ${ours.peakRssMb} MB (target ≤ 400 MB)`);
  const full = results.find((r) => r.name === "ours-full-parse");
  if (full) {
    console.log(`ours-full-parse                ${full.pages} pages ${fmt(full.seconds)} s ${fmt(rate(full), 0)} p/s RSS ${full.peakRssMb} MB`);
    console.log(`  full parse / Crawlee:        ${fmt(rate(full) / rate(crawlee), 2)}×; / raw: ${fmt((100 * rate(full)) / rate(raw), 0)} %`);
  }
  console.log(`re-audit speed-up (${reauditSites} sites):  ${fmt(subset.seconds / reaudit.seconds, 2)}× (${reaudit.notModified} of ${reaudit.pages} pages answered 304; target ≥ 3×)`);
  if (workers) console.log(`2 workers / 1 worker:          ${fmt(workers.one / workers.two, 2)}× (${fmt(workers.one)} s vs ${fmt(workers.two)} s, ${workers.pagesDone} pages; target ≥ 1.7×)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
