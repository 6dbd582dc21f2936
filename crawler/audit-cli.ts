// npm run -s audit -- <url> [--json] [--max-pages N] [--now YYYY-MM-DD] [--render auto|never|always] [--allow-private]
// Audits one site without any database: crawl in memory, run the checks, print the result.
// Exit codes: 0 the audit ran, 2 bad arguments, 3 the start page could not be fetched,
// 1 an error (including output that could not be delivered, e.g. a closed pipe).
import cliProgress from "cli-progress";
import { z } from "zod";
import { Fetcher } from "./fetch/fetcher.ts";
import { checkTarget } from "./fetch/ssrf.ts";
import { Renderer } from "./render/renderer.ts";
import { loadChecks } from "./audit/checks-adapter.ts";
import { crawlSite } from "./audit/crawl-site.ts";
import { mergeFindings, withVerdicts } from "./audit/run-audit.ts";
import { parseArgv } from "./audit/cli-args.ts";
import { normalizeUrl } from "./discover/normalize.ts";
import { vietnamInstant } from "../db/time.ts";

const USAGE = "Cách dùng: npm run -s audit -- <url> [--json] [--max-pages N] [--now YYYY-MM-DD] [--render auto|never|always] [--allow-private]";

const ArgsSchema = z
  .object({
    url: z
      .string()
      .refine((u) => {
        try {
          const p = new URL(u);
          return p.protocol === "http:" || p.protocol === "https:";
        } catch {
          return false;
        }
      }, "URL phải là địa chỉ http:// hoặc https:// đầy đủ"),
    json: z.boolean(),
    maxPages: z.coerce.number({ invalid_type_error: "--max-pages phải là số" }).int("--max-pages phải là số nguyên").min(1, "--max-pages phải ≥ 1").max(10_000, "--max-pages tối đa 10000"),
    now: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "--now phải có dạng YYYY-MM-DD")
      .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "--now không phải ngày hợp lệ")
      .optional(),
    render: z.enum(["auto", "never", "always"], { errorMap: () => ({ message: "--render phải là auto, never hoặc always" }) }),
    allowPrivate: z.boolean(),
  })
  .strict();

const KNOWN = new Set(["json", "max-pages", "now", "render", "allow-private", "help"]);

/**
 * Writes to stdout and resolves once the data has been handed to the OS: on a pipe, stdout is
 * asynchronous and process.exit() would drop whatever is still buffered (everything after
 * the first 64 KiB). Rejects when it cannot be written (closed pipe, full disk).
 */
function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

function exitAfterFlush(code: number): never {
  // stderr is synchronous for files and TTYs but not for pipes: exit once it is drained too.
  process.stderr.write("", () => process.exit(code));
  setTimeout(() => process.exit(code), 5_000).unref();
  throw new ExitSignal(code);
}

class ExitSignal extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function fail(code: number, message: string): never {
  process.stderr.write(`${message.replace(/\s+/g, " ").trim()}\n`);
  exitAfterFlush(code);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgv(process.argv.slice(2), new Set(["max-pages", "now", "render"]));
  } catch (err) {
    fail(2, `Tham số không hợp lệ: ${(err as Error).message}. ${USAGE}`);
  }
  if (parsed.flags.help) {
    await writeOut(`${USAGE}\n`);
    return;
  }
  const unknown = Object.keys(parsed.flags).filter((k) => !KNOWN.has(k));
  if (unknown.length) fail(2, `Tham số không hợp lệ: không biết --${unknown[0]}. ${USAGE}`);
  if (parsed.positionals.length !== 1) fail(2, `Tham số không hợp lệ: cần đúng một URL. ${USAGE}`);
  for (const k of ["json", "allow-private"]) if (k in parsed.flags && parsed.flags[k] !== true) fail(2, `Tham số không hợp lệ: --${k} không nhận giá trị. ${USAGE}`);
  const check = ArgsSchema.safeParse({
    url: parsed.positionals[0],
    json: parsed.flags.json === true,
    maxPages: parsed.flags["max-pages"] ?? 200,
    now: parsed.flags.now,
    render: parsed.flags.render ?? "auto",
    allowPrivate: parsed.flags["allow-private"] === true,
  });
  if (!check.success) fail(2, `Tham số không hợp lệ: ${check.error.issues[0].message}. ${USAGE}`);
  const args = check.data;
  const start = normalizeUrl(args.url)!;
  const startUrl = new URL(start);
  const refusal = await checkTarget(startUrl, { allowedHosts: [startUrl.host], allowPrivate: args.allowPrivate });
  if (refusal) fail(3, `Không tải được trang bắt đầu: ${refusal}${args.allowPrivate ? "" : " (dùng --allow-private cho địa chỉ nội bộ)"}`);

  const referenceTime = args.now ? vietnamInstant(args.now, "12:00") : new Date();
  const fetcher = new Fetcher({ totalTimeoutMs: 30_000 });
  const renderer = args.render === "never" ? null : new Renderer({ maxPages: 2 });
  const checks = await loadChecks();
  const showBar = !args.json;
  const bar = showBar
    ? new cliProgress.SingleBar(
        { stream: process.stderr, format: "Đang kiểm tra [{bar}] {value}/{total} trang", hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(1, 0);
  let crawl;
  try {
    crawl = await crawlSite({
      baseUrl: start,
      allowPrivate: args.allowPrivate,
      maxPages: args.maxPages,
      renderMode: args.render,
      fetcher,
      renderer,
      checks,
      referenceTime,
      onProgress: (p) => {
        bar?.setTotal(Math.max(1, p.planned));
        bar?.update(p.done);
      },
    });
  } finally {
    bar?.stop();
    await renderer?.close();
    await fetcher.close();
  }
  if (crawl.startError) fail(3, `Không tải được trang bắt đầu ${start}: ${crawl.startError}`);
  const result = withVerdicts(await checks.runSiteChecks(crawl.snapshot), crawl, args.render, renderer);
  result.findings = mergeFindings(result.findings ?? [], crawl.findings);
  if (args.json) {
    await writeOut(`${JSON.stringify(result)}\n`);
    return;
  }
  if (checks.formatReport) await writeOut(`${checks.formatReport(result)}\n`);
  else await writeOut(`${JSON.stringify(result, null, 2)}\n`);
}

// A reader that goes away (closed pipe) is reported once, as a failure to deliver the output.
process.stdout.on("error", () => undefined);

main().then(
  () => exitAfterFlush(0),
  (err) => {
    if (err instanceof ExitSignal) return;
    const e = err as NodeJS.ErrnoException;
    if (e?.code === "EPIPE" || e?.code === "ERR_STREAM_DESTROYED") fail(1, `Không ghi được kết quả ra đầu ra chuẩn: ${e.code}`);
    fail(1, `Lỗi khi kiểm tra: ${e?.message ?? String(err)}`);
  },
).catch(() => undefined);
