// A worker process killed with SIGKILL mid-round is replaced; the round completes with
// exactly one result per site and nothing left from the killed attempt.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { closeQueues, enqueueRound, waitForRound } from "../../crawler/queue/index.ts";
import { startFarm, type Farm } from "../farm/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { seedFarmSites } from "./farm-seed.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
let db: TestDatabase;
let farm: Farm;
const children: ChildProcess[] = [];

function spawnWorker(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "crawler/worker-cli.ts", "--concurrency", "2", "--no-render"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db.url, AUDIT_STALE_SECONDS: "4", AUDIT_RETRY_DELAY: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.resume();
  children.push(child);
  return child;
}

beforeAll(async () => {
  db = await createTestDatabase();
  farm = await startFarm({ include: "province" });
  const ids = await seedFarmSites(db.knex, farm.sites.slice(0, 5), 20);
  // A politeness delay makes each audit last a few seconds, so the kill lands mid-audit.
  await db.knex("sites").whereIn("id", [...ids.values()]).update({ crawl_delay_ms: 150 });
  process.env.AUDIT_RETRY_DELAY = "1";
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once("exit", r)))));
  await closeQueues();
  await farm?.close();
  await db?.drop();
});

it("replaces a killed worker and completes the round with one result per site", async () => {
  const first = spawnWorker();
  const roundId = await enqueueRound(db.knex, { trigger: "test" });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const running = await db.knex("site_audits").where({ round_id: roundId, status: "running" }).where("pages_done", ">=", 3).first("id");
    if (running) break;
    if (Date.now() > deadline) throw new Error("no audit started");
    await new Promise((r) => setTimeout(r, 100));
  }
  first.kill("SIGKILL");
  await new Promise((r) => first.once("exit", r));
  const interrupted = await db.knex("site_audits").where({ round_id: roundId, status: "running" }).select("id");
  expect(interrupted.length).toBeGreaterThan(0);

  spawnWorker();
  const progress = await waitForRound(db.knex, roundId, 100_000);
  expect(progress.total).toBe(5);
  expect(progress.done).toBe(5);

  const audits = await db.knex("site_audits").where({ round_id: roundId }).select("*");
  expect(new Set(audits.map((a) => a.site_id)).size).toBe(5);
  const retried = audits.filter((a) => interrupted.some((i) => i.id === a.id));
  for (const a of retried) expect(a.attempts).toBeGreaterThanOrEqual(2);
  for (const a of audits) {
    expect(a.status).toBe("done");
    const pages = await db.knex("pages").where({ site_audit_id: a.id }).whereNot({ kind: "robots" }).select("fetched_at");
    expect(pages.length).toBe(a.pages_done);
    // Nothing from the killed attempt survives.
    for (const p of pages) expect(new Date(p.fetched_at).getTime()).toBeGreaterThanOrEqual(new Date(a.started_at).getTime() - 1000);
    const dupes = await db.knex("findings").where({ site_audit_id: a.id }).groupBy("code", "url", "category_id", "message").havingRaw("count(*) > 1").select("code");
    expect(dupes).toEqual([]);
  }
}, 150_000);
