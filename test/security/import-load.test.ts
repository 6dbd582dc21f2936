// The dashboard keeps answering while a large Excel import parses (issue 17 "bounded work"):
// the workbook is inflated and parsed in a worker thread (app/lib/xlsx-worker.ts), so the request
// thread only validates rows. Measured in this process, which runs the server:
// - the CPU time of the request (main) thread against the whole process's during a 5 MB import
//   (Linux per-thread counters): on a 2-core machine shared with other jobs, CPU time is what
//   stays comparable between runs, wall-clock stalls are not;
// - the ranking page during the import against a baseline taken in the same run.
// The full figure (10 MB, p95) is bench/README.md's.
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, send, startWorld, type Session, type World } from "./http.ts";

let w: World;
let inspector: Session;
let viewer: Session;

/** An .xlsx of about 5 MB: 4,500 rows with long random addresses, each one a row error (unknown type). */
async function bigWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Đơn vị");
  ws.addRow(["Tên đơn vị", "Loại", "Nhóm", "Website", "Email thủ trưởng"]);
  for (let i = 0; i < 4_500; i++) {
    ws.addRow([`UBND xã Số ${i}`, "Hợp tác xã", "UBND cấp xã", `https://x${i}.example.gov.vn/${randomBytes(1_000).toString("base64url")}`, null]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** CPU seconds of this process's main thread (its thread id is the process id), from /proc. */
function mainThreadCpu(): number {
  const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

function processCpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function importFile(file: Buffer): Promise<{ status: number; body: string }> {
  const fd = new FormData();
  fd.append("_csrf", inspector.csrf);
  fd.append("file", new Blob([new Uint8Array(file)]), "lon.xlsx");
  const res = await fetch(`${w.server.url}/quan-ly/nhap-excel`, { method: "POST", headers: { cookie: `tt_session=${inspector.token}` }, body: fd });
  return { status: res.status, body: await res.text() };
}

async function ranking(): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${w.server.url}/`, { headers: { cookie: `tt_session=${viewer.token}` } });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`ranking answered ${res.status}: ${body.replace(/<[^>]*>/g, " ").slice(0, 2000)}`);
  return performance.now() - t;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

beforeAll(async () => {
  w = await startWorld();
  inspector = await login(w, "kiemtra");
  viewer = await login(w, "tinh");
  await send(w, "GET", "/quan-ly/nhap-excel", { session: inspector }); // starts the parsing thread
}, 180_000);

afterAll(async () => {
  await w?.close();
});

describe("the dashboard during a large Excel import", () => {
  it.runIf(fs.existsSync(`/proc/self/task/${process.pid}/stat`))(
    "parses a 5 MB workbook off the request thread: most of the import's CPU time is spent on another thread",
    async () => {
      const file = await bigWorkbook();
      expect(file.length).toBeGreaterThan(4 * 1024 * 1024);
      const main0 = mainThreadCpu();
      const all0 = processCpu();
      const answer = await importFile(file);
      const main = mainThreadCpu() - main0;
      const all = processCpu() - all0;
      expect(answer.status).toBe(400);
      expect(answer.body).toContain("Có 4.500 dòng lỗi");
      console.log("import CPU seconds:", { mainThread: main.toFixed(2), process: all.toFixed(2), share: (main / all).toFixed(2) });
      // Before the worker the request thread parsed the XML itself: 0.61 of the CPU measured (the rest:
      // zlib in the libuv pool, GC threads); with it 0.26.
      expect(main / all).toBeLessThan(0.45);
    },
    180_000,
  );

  it("keeps answering the ranking page while the workbook parses", async () => {
    const file = await bigWorkbook();
    for (let i = 0; i < 5; i++) await ranking(); // warm up
    const baseline: number[] = [];
    for (let i = 0; i < 20; i++) baseline.push(await ranking());
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    let importing = true;
    const t0 = performance.now();
    const answer$ = importFile(file).finally(() => (importing = false));
    const during: number[] = [];
    try {
      while (importing) during.push(await ranking());
    } finally {
      await answer$.catch(() => undefined);
    }
    const answer = await answer$;
    delay.disable();
    expect(answer.status).toBe(400);
    const figures = {
      importMs: Math.round(performance.now() - t0),
      maxStallMs: Math.round(delay.max / 1e6),
      baselineP95: Math.round(pct(baseline, 95)),
      duringP95: Math.round(pct(during, 95)),
      requestsDuring: during.length,
    };
    console.log("ranking during the import:", figures);
    // Wall-clock bounds are loose on purpose (a shared 2-core machine); the CPU split above is the
    // discriminating check, bench/README.md has the p95 figure.
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(pct(during, 95)).toBeLessThan(Math.max(2_000, 4 * pct(baseline, 95)));
  }, 180_000);
});
