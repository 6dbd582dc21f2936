/**
 * npm run farm -- [--port 4100] [--seed 1] [--date 2026-11-20] [--all] [--truth FILE] [--exit]
 *                 [--bench-sites N --bench-pages M [--crawl-delay-ms D] [--latency-ms L]]
 * Runs the sample province in the foreground and prints its sites; --truth writes the ground truth.
 */
import { writeFileSync } from "node:fs";
import { startFarm, type FarmOptions } from "./index.ts";

const USAGE =
  "Cách dùng: npm run farm -- [--port 4100] [--seed 1] [--date 2026-11-20] [--all] [--truth FILE] [--exit] [--bench-sites N --bench-pages M [--crawl-delay-ms D] [--latency-ms L]]";

function fail(msg: string): never {
  process.stderr.write(`${msg}\n${USAGE}\n`);
  process.exit(2);
}

function parse(argv: string[]): { opts: FarmOptions; truthFile: string | null; exit: boolean } {
  const opts: FarmOptions = { basePort: 4100, seed: 1, referenceDate: "2026-11-20", include: "province" };
  let truthFile: string | null = null;
  let exit = false;
  let benchSites = 0;
  let benchPages = 0;
  let crawlDelayMs: number | undefined;
  let latencyMs: number | undefined;
  const int = (v: string | undefined, name: string): number => {
    if (v === undefined || !/^\d+$/.test(v)) fail(`Giá trị không hợp lệ cho ${name}: ${v ?? "(trống)"}`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case "--port":
        opts.basePort = int(argv[++i], a);
        break;
      case "--seed":
        opts.seed = int(argv[++i], a);
        break;
      case "--date": {
        const v = argv[++i];
        if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) fail(`Ngày không hợp lệ (cần YYYY-MM-DD): ${v ?? "(trống)"}`);
        opts.referenceDate = v;
        break;
      }
      case "--all":
        opts.include = "all";
        break;
      case "--truth":
        truthFile = argv[++i] ?? fail("Thiếu tên tệp sau --truth");
        break;
      case "--exit":
        exit = true;
        break;
      case "--bench-sites":
        benchSites = int(argv[++i], a);
        break;
      case "--bench-pages":
        benchPages = int(argv[++i], a);
        break;
      case "--crawl-delay-ms":
        crawlDelayMs = int(argv[++i], a);
        break;
      case "--latency-ms":
        latencyMs = int(argv[++i], a);
        break;
      case "--help":
      case "-h":
        process.stdout.write(USAGE + "\n");
        process.exit(0);
      default:
        fail(`Tham số không rõ: ${a}`);
    }
  }
  if (benchSites > 0) opts.bench = { sites: benchSites, pagesPerSite: Math.max(1, benchPages || 100), crawlDelayMs, latencyMs };
  return { opts, truthFile, exit };
}

async function main(): Promise<void> {
  const { opts, truthFile, exit } = parse(process.argv.slice(2));
  let farm;
  try {
    farm = await startFarm(opts);
  } catch (e) {
    process.stderr.write(`Không khởi động được trang trại: ${(e as Error).message}\n`);
    process.exit(1);
  }
  const rows = farm.sites.map((s) => `${s.baseUrl.padEnd(24)} ${s.id.padEnd(28)} ${s.hostile ? `[${s.hostile}] ` : ""}${s.name}`);
  process.stdout.write(`Tỉnh mẫu: ${farm.sites.length} trang, seed ${farm.seed}, ngày tham chiếu ${farm.referenceDate}\n${rows.join("\n")}\n`);
  if (truthFile) {
    try {
      writeFileSync(truthFile, JSON.stringify(farm.truth(), null, 2) + "\n");
      process.stdout.write(`Đã ghi dữ liệu chuẩn (ground truth) vào ${truthFile}\n`);
    } catch (e) {
      process.stderr.write(`Không ghi được ${truthFile}: ${(e as Error).message}\n`);
      await farm.close();
      process.exit(1);
    }
  }
  if (exit) {
    await farm.close();
    return;
  }
  process.stdout.write("Nhấn Ctrl+C để dừng.\n");
  const stop = async () => {
    await farm.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

void main();
