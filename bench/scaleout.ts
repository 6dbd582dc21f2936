// The scale-out run: one scheduler, one dashboard and 1, 2, 3 workers as separate processes on one
// PostgreSQL, crawling the generated 300-site farm. Prints the round time per worker count and
// checks that no site was audited twice.
//   npm run bench -- scaleout [--sites 300] [--pages 100] [--budget 30] [--delay-ms 100]
import { createKnex, migrate } from "../db/index.ts";
import { seedGroupsAndSettings, seedUnits } from "../db/seeds/sample-province.ts";
import { startServer, withDatabase } from "../db/server.ts";
import { closeQueues, enqueueRound, waitForRound } from "../crawler/queue/index.ts";
import { spawnTs, startBenchFarm, stopProcess, waitForOutput } from "./lib/processes.ts";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const SITES = arg("sites", 300);
const PAGES = arg("pages", 100);
const BUDGET = arg("budget", 30);
const DELAY = arg("delay-ms", 100);
const WORKER_CONCURRENCY = 4;

const server = await startServer({ dataDir: ".data/bench-pg", port: 54360 });
const dbName = "tt_scaleout";
const admin = createKnex(server.url, { max: 1 });
await admin.raw(`drop database if exists ${dbName} with (force)`);
await admin.raw(`create database ${dbName}`);
await admin.destroy();
const url = withDatabase(server.url, dbName);
const knex = createKnex(url, { max: 5 });
await migrate(knex);

console.log(`Farm: ${SITES} sites × ${PAGES} pages, robots Crawl-delay ${DELAY} ms; budget ${BUDGET} pages/site; workers ×${WORKER_CONCURRENCY} audits each`);
const farm = await startBenchFarm(SITES, PAGES, ["--crawl-delay-ms", String(DELAY)]);
await seedGroupsAndSettings(knex);
await seedUnits(
  knex,
  farm.bases.map((b, i) => ({ code: `SO-${String(i).padStart(3, "0")}`, name: `Đơn vị ${i + 1}`, unitType: "so", group: "so-nganh", baseUrl: b, allowPrivate: true })),
);
await knex("sites").update({ max_pages: BUDGET });

const env = { DATABASE_URL: url, PORT: "3310", CRAWL_RENDER: "never" };
const scheduler = spawnTs("crawler/scheduler-cli.ts", [], env);
await waitForOutput(scheduler, "Lịch kiểm tra");
const dashboard = spawnTs("app/cli/start.ts", [], env);
await waitForOutput(dashboard, "http://", 300_000);
console.log("scheduler and dashboard up (separate processes)");

const rows: { workers: number; seconds: number; audits: number; done: number; duplicates: number; pages: number }[] = [];
try {
  for (const n of [1, 2, 3]) {
    const workers = Array.from({ length: n }, () => spawnTs("crawler/worker-cli.ts", ["--concurrency", String(WORKER_CONCURRENCY), "--no-render"], env));
    await Promise.all(workers.map((w) => waitForOutput(w, "đang chạy")));
    const t0 = performance.now();
    const roundId = await enqueueRound(knex, { trigger: "bench" });
    const progress = await waitForRound(knex, roundId, 30 * 60_000);
    const seconds = (performance.now() - t0) / 1000;
    await Promise.all(workers.map((w) => stopProcess(w)));
    const [{ audits, done, workers_used }] = (
      await knex.raw(
        `select count(*)::int as audits, count(*) filter (where status = 'done')::int as done, count(distinct worker)::int as workers_used
           from site_audits where round_id = ?`,
        [roundId],
      )
    ).rows;
    const [{ duplicates }] = (
      await knex.raw(
        `select count(*)::int as duplicates from (select site_id from site_audits where round_id = ? group by site_id having count(*) > 1) d`,
        [roundId],
      )
    ).rows;
    const dashboardOk = await fetch("http://127.0.0.1:3310/dang-nhap").then((r) => r.status, () => 0);
    rows.push({ workers: n, seconds, audits, done, duplicates, pages: progress.pagesDone });
    console.log(
      `${n} worker(s): ${seconds.toFixed(1)} s, ${audits} audits (${done} done, ${workers_used} worker processes used), ${duplicates} sites audited twice, ${progress.pagesDone} pages; dashboard HTTP ${dashboardOk}`,
    );
  }
} finally {
  await stopProcess(dashboard);
  await stopProcess(scheduler);
  await stopProcess(farm.child);
  await closeQueues();
  await knex.destroy();
  await server.stop();
}

const base = rows[0].seconds;
console.log("\nworkers | round time | speed-up vs 1 | audits | audited twice");
for (const r of rows) {
  console.log(`${String(r.workers).padStart(7)} | ${r.seconds.toFixed(1).padStart(8)} s | ${(base / r.seconds).toFixed(2).padStart(12)}× | ${String(r.audits).padStart(6)} | ${r.duplicates}`);
}
process.exit(rows.every((r) => r.duplicates === 0 && r.audits === SITES) ? 0 : 1);
