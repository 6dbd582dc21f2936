// The parsing worker (a node:worker_threads thread started by app/lib/xlsx-worker.ts): checks
// the upload against the zip-bomb caps, then reads the first worksheet with exceljs's streaming
// reader and posts its rows back in batches, as plain text per cell. All of the CPU-heavy work
// (inflating, XML parsing) happens here, so the dashboard's event loop stays free.
// Flow control: at most `window` batches are in flight; the main thread acks each one it takes.
// The thread stays up between imports (loading tsx and exceljs costs seconds) and runs one job at
// a time; a job stopped early or gone wrong is ended by terminating the thread.
import fs from "node:fs";
import { parentPort } from "node:worker_threads";
import ExcelJS from "exceljs";
import { cellText } from "./xlsx-worker-cell.ts";
import { NOT_XLSX, NOTHING_IMPORTED, XlsxRefusal, type SheetLimits } from "./xlsx-worker-limits.ts";
import { checkCentralDirectory, checkInflatedSizes } from "./xlsx-worker-zip.ts";

export interface WorkerInput {
  id: number;
  file: string;
  limits: Omit<SheetLimits, "timeoutMs" | "maxHeapMb">;
  batchRows: number;
  window: number;
}

/** One row: its number in the sheet and its non-empty cells as [column (1-based), text]. */
export type WireRow = [number, [number, string][]];

export type ToParent =
  | { type: "rows"; id: number; rows: WireRow[] }
  | { type: "end"; id: number; sheets: number }
  | { type: "refused"; id: number; message: string };

export type ToWorker = { type: "job"; input: WorkerInput } | { type: "ack"; id: number };

const READ_CHUNK_BYTES = 64 * 1024;

let inFlight = 0;
let wake: (() => void) | null = null;

async function run(port: NonNullable<typeof parentPort>, input: WorkerInput): Promise<void> {
  inFlight = 0;
  const post = (m: ToParent) => port.postMessage(m);

  const central = checkCentralDirectory(input.file, input.limits.zip);
  await checkInflatedSizes(input.file, central, input.limits.zip);

  const stream = fs.createReadStream(input.file, { highWaterMark: READ_CHUNK_BYTES });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    worksheets: "emit",
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "ignore",
    entries: "ignore",
  });
  let batch: WireRow[] = [];
  const flush = async () => {
    if (!batch.length) return;
    post({ type: "rows", id: input.id, rows: batch });
    batch = [];
    inFlight++;
    while (inFlight >= input.window) await new Promise<void>((resolve) => (wake = resolve));
  };
  let sheets = 0;
  let rows = 0;
  let cells = 0;
  const { maxRows, maxCells } = input.limits;
  try {
    for await (const ws of reader) {
      sheets++;
      for await (const row of ws) {
        if (++rows > maxRows) {
          throw new XlsxRefusal(
            `Trang tính đầu tiên có hơn ${maxRows.toLocaleString("vi-VN")} dòng (kể cả dòng trống); hãy chia thành nhiều tệp nhỏ hơn. ${NOTHING_IMPORTED}`,
          );
        }
        const texts: [number, string][] = [];
        row.eachCell((cell, c) => {
          texts.push([c, cellText(cell.value)]);
        });
        cells += texts.length;
        if (cells > maxCells) {
          throw new XlsxRefusal(
            `Trang tính đầu tiên có hơn ${maxCells.toLocaleString("vi-VN")} ô dữ liệu; hãy chia thành nhiều tệp nhỏ hơn. ${NOTHING_IMPORTED}`,
          );
        }
        batch.push([row.number, texts]);
        if (batch.length >= input.batchRows) await flush();
      }
      break; // the first worksheet only
    }
  } catch (e) {
    if (e instanceof XlsxRefusal) throw e;
    throw new XlsxRefusal(NOT_XLSX);
  } finally {
    stream.destroy();
  }
  await flush();
  post({ type: "end", id: input.id, sheets });
}

if (parentPort) {
  const port = parentPort;
  port.on("message", (m: ToWorker) => {
    if (m.type === "ack") {
      inFlight--;
      wake?.();
      wake = null;
    } else if (m.type === "job") {
      run(port, m.input).catch((e: unknown) => {
        port.postMessage({ type: "refused", id: m.input.id, message: e instanceof XlsxRefusal ? e.message : NOT_XLSX } satisfies ToParent);
      });
    }
  });
}
