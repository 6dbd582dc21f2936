// Reading an uploaded .xlsx off the request thread: a worker thread (app/lib/xlsx-worker-thread.ts)
// checks the zip-bomb caps, parses the first worksheet with exceljs and streams its rows back in
// batches; here they come out one by one as an async iterable, row validation stays with the caller.
// One worker per import (its heap is capped and it is killed on a timeout, so a hostile file
// costs a thread, never the dashboard). Decision: docs/decisions/0021-import-worker.md.
//
// The worker's source is a .ts file run through tsx's loader. This module may run from source
// (tests, `--dev`) or bundled into the Vite server build (<build>/server/index.js), where
// import.meta.url no longer points into app/lib: the file is then looked up in the source tree
// above the build directory (`npm start` and the demo run from the repository, as tsx does).
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { NOT_XLSX, NOTHING_IMPORTED, SHEET_LIMITS, XlsxRefusal, type SheetLimits } from "./xlsx-worker-limits.ts";
import type { ToParent, ToWorker, WireRow, WorkerInput } from "./xlsx-worker-thread.ts";

export { XlsxRefusal } from "./xlsx-worker-limits.ts";

const WORKER_FILE = path.join("app", "lib", "xlsx-worker-thread.ts");
const BATCH_ROWS = 50;
const WINDOW = 8;

export interface SheetCell {
  value: string;
}

/** A worksheet row as text, with the two exceljs Row methods the import uses. */
export class SheetRow {
  constructor(
    readonly number: number,
    private readonly cells: [number, string][],
  ) {}

  getCell(col: number): SheetCell {
    for (const [c, v] of this.cells) if (c === col) return { value: v };
    return { value: "" };
  }

  eachCell(fn: (cell: SheetCell, col: number) => void): void {
    for (const [c, v] of this.cells) fn({ value: v }, c);
  }
}

let resolved: { entry: string; tsxApi: string } | null = null;

function workerFiles(): { entry: string; tsxApi: string } {
  if (resolved) return resolved;
  const here = path.dirname(fileURLToPath(import.meta.url));
  let entry = path.join(here, path.basename(WORKER_FILE));
  if (!fs.existsSync(entry)) {
    entry = "";
    for (let dir = here; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, WORKER_FILE);
      if (fs.existsSync(candidate)) {
        entry = candidate;
        break;
      }
      if (path.dirname(dir) === dir) break;
    }
    if (!entry) throw new Error(`${WORKER_FILE} not found above ${here}`);
  }
  // tsx's ESM entry of its register() API (its CommonJS build cannot register from a worker):
  // the path its package.json exports for `import "tsx/esm/api"`.
  const pkgPath = createRequire(entry).resolve("tsx/package.json");
  const pkg = JSON.parse(fs.readFileSync(pkgPath, "utf8")) as { exports: Record<string, { import: { default: string } }> };
  const tsxApi = pathToFileURL(path.join(path.dirname(pkgPath), pkg.exports["./esm/api"].import.default)).href;
  resolved = { entry, tsxApi };
  return resolved;
}

// Runs as CommonJS in the new thread: register tsx's loader there, then load the .ts worker.
const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
import(workerData.tsxApi).then((tsx) => {
  tsx.register();
  return import(workerData.entryUrl);
}).catch((e) => {
  require("node:worker_threads").parentPort.postMessage({ type: "crashed", message: String((e && e.stack) || e) });
});
`;

type Event = ToParent | { type: "crashed"; message: string } | { type: "exit"; oom: boolean } | { type: "timeout" };

/** A parsing thread; `listener` is the job currently reading its messages. */
interface Slot {
  worker: Worker;
  listener: ((e: Event) => void) | null;
  dead: boolean;
}

/** Parses running at once (2 cores); more imports wait for a thread. One idle thread is kept warm. */
const MAX_THREADS = 2;
let threads = 0;
let idle: Slot | null = null;
const waiting: (() => void)[] = [];
let nextJob = 1;

function spawn(maxHeapMb: number): Slot {
  const { entry, tsxApi } = workerFiles();
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    execArgv: [],
    workerData: { tsxApi, entryUrl: pathToFileURL(entry).href },
    resourceLimits: { maxOldGenerationSizeMb: maxHeapMb },
  });
  const slot: Slot = { worker, listener: null, dead: false };
  let oom = false;
  worker.on("message", (m: Event) => slot.listener?.(m));
  worker.on("error", (e: Error & { code?: string }) => {
    if (e.code === "ERR_WORKER_OUT_OF_MEMORY") oom = true;
    else slot.listener?.({ type: "crashed", message: String(e.stack ?? e) });
  });
  worker.on("exit", () => {
    slot.dead = true;
    if (idle === slot) {
      // Died while idle (a failed start): no job will release it.
      idle = null;
      threads--;
    }
    slot.listener?.({ type: "exit", oom });
  });
  worker.unref();
  return slot;
}

async function acquire(maxHeapMb: number): Promise<Slot> {
  for (;;) {
    if (idle && !idle.dead) {
      const s = idle;
      idle = null;
      return s;
    }
    if (threads < MAX_THREADS) {
      threads++;
      return spawn(maxHeapMb);
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
}

function release(slot: Slot, healthy: boolean): void {
  slot.listener = null;
  if (healthy && !slot.dead && !idle) {
    slot.worker.unref();
    idle = slot;
  } else {
    threads--;
    void slot.worker.terminate();
  }
  waiting.shift()?.();
}

/** Starts the parsing thread ahead of an upload (the import page's loader): its first start loads tsx and exceljs. */
export function prewarmXlsxWorker(limits: SheetLimits = SHEET_LIMITS): void {
  if (idle || threads > 0) return;
  threads++;
  idle = spawn(limits.maxHeapMb);
}

/**
 * The first worksheet's rows, in order. Throws XlsxRefusal (a Vietnamese message that says nothing
 * was imported) for a file over the caps or one that is not an .xlsx. `sheets` is known once the
 * iteration has ended (0: the workbook has no worksheet; 1 as soon as a row came). Stopping the
 * iteration early stops the thread.
 */
export function readFirstSheet(filePath: string, limits: SheetLimits = SHEET_LIMITS): AsyncIterable<SheetRow> & { readonly sheets: number } {
  const state = { sheets: 0 };
  async function* rows(): AsyncGenerator<SheetRow> {
    const slot = await acquire(limits.maxHeapMb);
    const id = nextJob++;
    const queue: Event[] = [];
    let wake: (() => void) | null = null;
    slot.listener = (e) => {
      if ("id" in e && e.id !== id) return;
      queue.push(e);
      wake?.();
      wake = null;
    };
    if (slot.dead) slot.listener({ type: "exit", oom: false });
    const timer = setTimeout(() => slot.listener?.({ type: "timeout" }), limits.timeoutMs);
    let healthy = false;
    slot.worker.ref();
    try {
      const input: WorkerInput = {
        id,
        file: filePath,
        limits: { zip: limits.zip, maxRows: limits.maxRows, maxCells: limits.maxCells },
        batchRows: BATCH_ROWS,
        window: WINDOW,
      };
      slot.worker.postMessage({ type: "job", input } satisfies ToWorker);
      for (;;) {
        while (!queue.length) await new Promise<void>((resolve) => (wake = resolve));
        const ev = queue.shift()!;
        switch (ev.type) {
          case "rows": {
            state.sheets = 1;
            slot.worker.postMessage({ type: "ack", id } satisfies ToWorker);
            for (const [n, cells] of ev.rows as WireRow[]) yield new SheetRow(n, cells);
            // Let other requests in between batches (several may be queued already).
            await new Promise<void>((resolve) => setImmediate(resolve));
            break;
          }
          case "end":
            state.sheets = ev.sheets;
            healthy = true;
            return;
          case "refused":
            // Refused by the thread itself (caps, not an .xlsx): it is ready for the next file.
            healthy = true;
            throw new XlsxRefusal(ev.message);
          case "timeout":
            throw new XlsxRefusal(`Tệp Excel bị từ chối: đọc tệp mất quá ${Math.round(limits.timeoutMs / 1000)} giây. ${NOTHING_IMPORTED}`);
          case "crashed":
            console.error(`Excel import worker failed: ${ev.message}`);
            throw new XlsxRefusal(NOT_XLSX);
          case "exit":
            if (ev.oom) {
              throw new XlsxRefusal(`Tệp Excel bị từ chối: đọc tệp cần quá nhiều bộ nhớ (tệp quá lớn hoặc bất thường). ${NOTHING_IMPORTED}`);
            }
            throw new XlsxRefusal(NOT_XLSX);
        }
      }
    } finally {
      clearTimeout(timer);
      release(slot, healthy);
    }
  }
  return {
    [Symbol.asyncIterator]: rows,
    get sheets() {
      return state.sheets;
    },
  };
}
