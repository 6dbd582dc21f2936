// npm run worker [-- --concurrency N] [--max-pages N] [--no-render] [--no-page-load] — runs site audits from the queue until stopped.
// DATABASE_URL picks the database (else the embedded one); WORKER_CONCURRENCY the default.
import { openDatabase } from "../db/index.ts";
import { ConfigError, runMain } from "../db/server.ts";
import { parseArgv } from "./audit/cli-args.ts";
import { stderrBar } from "./audit/progress-bar.ts";
import type { CrawlProgress } from "./audit/crawl-site.ts";
import { startWorker } from "./queue/index.ts";
import { startPageLoadWorker } from "./perf/queue.ts";

runMain(async () => {
  let args;
  try {
    args = parseArgv(process.argv.slice(2), new Set(["concurrency", "max-pages"]));
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const concurrency = Number(args.flags.concurrency ?? process.env.WORKER_CONCURRENCY ?? 2);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new ConfigError("--concurrency phải là số nguyên từ 1 đến 64");
  const maxPages = args.flags["max-pages"] === undefined ? undefined : Number(args.flags["max-pages"]);
  if (maxPages !== undefined && (!Number.isInteger(maxPages) || maxPages < 1)) throw new ConfigError("--max-pages phải là số nguyên ≥ 1");
  const render = !(args.flags["no-render"] || process.env.CRAWL_RENDER === "never");
  const db = await openDatabase({ migrate: true });
  const bar = stderrBar("Worker {label} [{bar}] {value}/{total} trang");
  const running = new Map<number, CrawlProgress>();
  let finished = 0;
  const redraw = () => {
    let done = 0;
    let planned = 0;
    for (const p of running.values()) {
      done += p.done;
      planned += Math.max(p.planned, p.done);
    }
    bar.update(done, planned, `${running.size} đang chạy, ${finished} xong`);
  };
  const worker = await startWorker({
    url: db.url,
    concurrency,
    maxPages,
    render,
    onAuditStart: (id) => {
      running.set(id, { planned: 1, done: 0, failed: 0 });
      redraw();
    },
    onProgress: (id, p) => {
      running.set(id, p);
      redraw();
    },
    onAuditEnd: (id, outcome) => {
      running.delete(id);
      finished++;
      bar.log(`Lượt kiểm tra #${id}: ${outcome.status}${outcome.error ? ` — ${outcome.error}` : ""}`);
      redraw();
    },
  });
  process.stderr.write(`Worker ${worker.name} đang chạy (đồng thời ${concurrency}).\n`);
  // Page-load measurement: its own queue, one page at a time (--no-page-load to leave it out).
  const pageLoad = args.flags["no-page-load"] ? null : await startPageLoadWorker({ url: db.url, onError: (id, err) => bar.log(`Đo tốc độ tải trang #${id}: ${err.message}`) });
  await new Promise<void>((resolve) => {
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => resolve());
  });
  bar.stop();
  process.stderr.write("Đang dừng worker…\n");
  await pageLoad?.stop();
  await worker.stop();
  await db.close();
  process.exit(0);
});
