// A round over the sample province and the hostile sites with rendering ON (issue 17 §2–3):
// the worker renders home pages in Chromium and runs axe, while the hostile pages try to stall
// it — 100,000 nested <div>, a page whose network and script never settle, and a page that
// sends the browser (redirect, refresh, script) to a forbidden loopback port. A worker is
// SIGKILLed once mid-round. Afterwards: every audit ended within its bound, the stalled one as
// "chưa xác minh được" with its true reason, the canary was never reached and nothing of it is
// stored, ordinary sites were not held up, and no "Timeout acquiring a connection".
// Runs with its own PostgreSQL: `npm run test:faults`.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type { Knex } from "knex";
import { afterAll, beforeAll, expect, test } from "vitest";
import { closeQueues, enqueueRound, waitForRound } from "../../crawler/queue/index.ts";
import { findChromium } from "../../crawler/render/renderer.ts";
import { createKnex, migrate } from "../../db/index.ts";
import { seedDefaultRubric } from "../../db/seeds/rubric-default.ts";
import { REPO_ROOT, startServer as startPostgres, withDatabase, type ServerHandle } from "../../db/server.ts";
import { CANARY_SECRET, forbiddenCanary } from "../farm/hostile.ts";
import { startFarm, type Farm } from "../farm/index.ts";
import { seedFarmSites } from "../crawler/farm-seed.ts";

const REFERENCE_TIME = new Date("2026-11-20T12:00:00+07:00");
/** Render bounds given to the worker: navigation 8 s, axe 8 s → one render ≤ 8+3+8+5 = 24 s. */
const RENDER_TIMEOUT_MS = 8000;
const RENDER_BOUND_MS = RENDER_TIMEOUT_MS + 3000 + RENDER_TIMEOUT_MS + 5000;
const dataDir = path.join(REPO_ROOT, ".data", `faults-render-pg-${process.pid}`);
let pg: ServerHandle;
let farm: Farm;
let knex: Knex;
let siteIds: Map<string, number>;
const children: ChildProcess[] = [];
const logs: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port: p } = s.address() as net.AddressInfo;
      s.close(() => resolve(p));
    });
  });
}

function spawnWorker(url: string): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "crawler/worker-cli.ts", "--concurrency", "4"], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: url,
      AUDIT_STALE_SECONDS: "30",
      AUDIT_RETRY_DELAY: "1",
      RENDER_TIMEOUT_MS: String(RENDER_TIMEOUT_MS),
      RENDER_AXE_TIMEOUT_MS: String(RENDER_TIMEOUT_MS),
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const file = path.join(REPO_ROOT, ".data", `faults-render-worker-${process.pid}-${children.length}.log`);
  logs.push(file);
  const log = fs.createWriteStream(file);
  child.stderr?.pipe(log);
  child.once("exit", (code, signal) => log.write(`\n[exit ${code ?? ""} ${signal ?? ""}]\n`));
  children.push(child);
  return child;
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill(signal);
  await exited;
}

async function waitUntil(what: string, cond: () => Promise<boolean>, timeoutMs = 300_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond().catch(() => false))) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  delete process.env.DATABASE_URL;
  fs.rmSync(dataDir, { recursive: true, force: true });
  pg = await startPostgres({ dataDir, port: await freePort() });
  farm = await startFarm({ include: "all", referenceDate: "2026-11-20", slowMs: 4000 });
  const admin = createKnex(pg.url, { max: 1 });
  await admin.raw("create database tt_render_faults");
  await admin.destroy();
  knex = createKnex(withDatabase(pg.url, "tt_render_faults"), { max: 4 });
  await migrate(knex);
  siteIds = await seedFarmSites(knex, farm.sites, 40);
  await seedDefaultRubric(knex);
  // The hostile pages are rendered whatever their markup says.
  for (const id of ["hostile-deep-nesting", "hostile-never-settles", "hostile-redirect-forbidden"]) {
    await knex("sites").where({ id: siteIds.get(id) }).update({ render_mode: "always" });
  }
}, 300_000);

afterAll(async () => {
  await Promise.all(children.map((c) => kill(c, "SIGTERM")));
  await closeQueues();
  await knex?.destroy().catch(() => undefined);
  await farm?.close();
  await pg?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test.skipIf(!findChromium())("a rendered round with hostile pages ends within bounds, reaches no forbidden port and holds no site up", async () => {
  const canary = await forbiddenCanary();
  const url = withDatabase(pg.url, "tt_render_faults");
  let worker = spawnWorker(url);
  const started = Date.now();
  const roundId = await enqueueRound(knex, { trigger: "test", referenceTime: REFERENCE_TIME });
  const done = async () => {
    const [{ n }] = await knex("site_audits").where({ round_id: roundId }).whereIn("status", ["done", "failed"]).count({ n: "*" });
    return Number(n);
  };
  // One SIGKILL mid-round: Chromium goes with the worker, the audit is retried.
  await waitUntil("3 audits done", async () => (await done()) >= 3);
  await kill(worker, "SIGKILL");
  worker = spawnWorker(url);
  await waitForRound(knex, roundId, 900_000);
  const roundMs = Date.now() - started;

  const audits: { site_id: number; status: string; error: string | null; started_at: Date; finished_at: Date; summary: { unverified?: { reason: string; detail: string }[] } | null }[] =
    await knex("site_audits").where({ round_id: roundId }).select("site_id", "status", "error", "started_at", "finished_at", "summary");
  expect(audits.length).toBe(farm.sites.length);
  const took = (a: (typeof audits)[number]) => new Date(a.finished_at).getTime() - new Date(a.started_at).getTime();
  const bySite = (id: string) => audits.find((a) => a.site_id === siteIds.get(id))!;
  for (const a of audits) expect(["done", "failed"], String(a.site_id)).toContain(a.status);

  // The forbidden port was never reached, and nothing it serves is stored anywhere.
  expect(canary.hits).toEqual([]);
  expect(canary.connections).toBe(0);
  for (const table of ["pages", "findings", "site_audits"]) {
    const [{ n }] = (await knex.raw(`select count(*)::int as n from ${table} t where t::text like ?`, [`%${CANARY_SECRET}%`])).rows;
    expect(n, table).toBe(0);
  }

  // The stalled render ended within its bound, as "chưa xác minh được" with its true reason.
  const stalled = bySite("hostile-never-settles");
  expect(stalled.status).toBe("done");
  const stalledHome = await knex("pages").where({ site_audit_id: knex("site_audits").where({ round_id: roundId, site_id: stalled.site_id }).select("id"), kind: "home" }).first("error");
  expect(stalledHome?.error).toMatch(/giây|không đóng được/);
  expect((stalled.summary?.unverified ?? []).some((u) => u.reason === "render-failed" && /giây|không đóng được/.test(u.detail))).toBe(true);
  expect(took(stalled)).toBeLessThan(3 * RENDER_BOUND_MS + 60_000);

  // The deep page was parsed within its budget; the redirecting page's render was refused.
  expect(took(bySite("hostile-deep-nesting"))).toBeLessThan(3 * RENDER_BOUND_MS + 60_000);
  const redirectHome = await knex("pages")
    .where({ site_audit_id: knex("site_audits").where({ round_id: roundId, site_id: siteIds.get("hostile-redirect-forbidden") }).select("id"), kind: "home" })
    .first("error");
  expect(redirectHome?.error ?? "").toMatch(/không được phép|không thuộc/);

  // Ordinary sites were not held up by the hostile ones: each finished within a bound that
  // does not depend on them (a few renders of its own plus its crawl).
  const ordinary = audits.filter((a) => !farm.sites.find((s) => siteIds.get(s.id) === a.site_id)?.hostile);
  const slowest = Math.max(...ordinary.map(took));
  console.info(`render faults: round ${Math.round(roundMs / 1000)} s, slowest ordinary audit ${Math.round(slowest / 1000)} s, stalled audit ${Math.round(took(stalled) / 1000)} s`);
  expect(slowest).toBeLessThan(4 * RENDER_BOUND_MS + 60_000);
  for (const a of ordinary) expect(a.status, String(a.site_id)).toBe("done");

  // No audit or worker ran out of database connections while rendering.
  for (const a of audits) expect(a.error ?? "").not.toMatch(/Timeout acquiring a connection/);
  await kill(worker, "SIGTERM");
  for (const file of logs) expect(fs.readFileSync(file, "utf8"), file).not.toMatch(/Timeout acquiring a connection/);
}, 1_500_000);
