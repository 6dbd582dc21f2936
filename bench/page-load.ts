// Benchmark of the page-load measurement (crawler/perf/): Lighthouse 12 (mobile, simulated
// throttling) in the system Chromium on farm pages — a sample-province home page, the fast page
// and the slow page of test/farm/page-load.ts — measured as a site is (one Chromium per batch).
// Prints, per measured page: wall-clock seconds (Chromium busy, the queue runs one at a time),
// Chromium CPU seconds (the reaped process tree: /proc/self/stat cutime+cstime) and the Node CPU
// of Lighthouse's trace processing; then what a province of N sites costs per week.
// Run: npm run bench -- page-load [--runs 3] [--sites 600] [--pages 3] [--per-week 4]
import fs from "node:fs";
import os from "node:os";
import { measurePages, pageLoadUnavailable } from "../crawler/perf/lighthouse.ts";
import { startPageLoadFarm } from "../test/farm/page-load.ts";
import { startFarm } from "../test/farm/index.ts";
import { parseArgv } from "../crawler/audit/cli-args.ts";
import { DEFAULT_PAGE_LOAD_CRON } from "../crawler/perf/scheduler.ts";

const args = parseArgv(process.argv.slice(2), new Set(["runs", "sites", "pages", "per-week"]));
const num = (k: string, d: number) => {
  const v = Number(args.flags[k] ?? d);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${k} phải là số dương`);
  return v;
};
const runs = num("runs", 3);
const sites = num("sites", 600);
const pagesPerSite = num("pages", 3);
// Default schedule "0 10,16 * * 2,5": 2 days × 2 times = 4 runs of each page per week.
const perWeek = num("per-week", 4);

/** CPU seconds of this process's reaped children (Chromium and its subprocesses once killed). */
function childrenCpuSeconds(): number {
  const stat = fs.readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the command name: field 3 is index 0, so cutime (16) and cstime (17) are 13 and 14.
  const ticks = Number(fields[13]) + Number(fields[14]);
  return ticks / 100;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  const why = pageLoadUnavailable();
  if (why) {
    console.error(`Không chạy được: ${why}`);
    process.exit(1);
  }
  const farm = await startPageLoadFarm();
  const province = await startFarm({ include: "province" });
  const home = province.sites[0].baseUrl;
  const urls = [home, farm.fastUrl, farm.slowUrl];
  const hosts = [new URL(home).host, new URL(farm.origin).host];
  const policy = { allowedHosts: hosts, allowPrivate: true };
  console.log(`Lighthouse 12 · Chromium hệ thống · ${os.cpus().length} CPU · tải trung bình ${os.loadavg()[0].toFixed(1)}`);
  const wall: Record<string, number[]> = {};
  const figures: Record<string, string[]> = {};
  let chromeCpu = 0;
  let nodeCpu = 0;
  let measured = 0;
  for (let r = 0; r < runs; r++) {
    const c0 = childrenCpuSeconds();
    const n0 = process.cpuUsage();
    const out = await measurePages(urls, policy);
    const n1 = process.cpuUsage(n0);
    chromeCpu += childrenCpuSeconds() - c0;
    nodeCpu += (n1.user + n1.system) / 1e6;
    for (const run of out) {
      const label = run.url === home ? "trang chủ tỉnh mẫu" : run.url === farm.fastUrl ? "trang nhanh" : "trang chậm";
      (wall[label] ??= []).push(run.durationMs / 1000);
      (figures[label] ??= []).push(
        run.error ? `lỗi: ${run.error}` : `FCP ${run.fcpMs} LCP ${run.lcpMs} SI ${run.speedIndexMs} TBT ${run.tbtMs} ms`,
      );
      measured++;
    }
  }
  await farm.close();
  await province.close();
  console.log("\nTrang | giây (đồng hồ, trung vị) | các lần đo");
  for (const [label, xs] of Object.entries(wall)) console.log(`${label} | ${median(xs).toFixed(1)} | ${figures[label].join("; ")}`);
  const allWall = Object.values(wall).flat();
  const wallPerPage = allWall.reduce((a, b) => a + b, 0) / allWall.length;
  const cpuPerPage = chromeCpu / measured;
  const nodePerPage = nodeCpu / measured;
  console.log(`\nMỗi trang đo: ${wallPerPage.toFixed(1)} s đồng hồ (Chromium bận), ${cpuPerPage.toFixed(1)} s CPU Chromium, ${nodePerPage.toFixed(1)} s CPU Node (Lighthouse)`);
  const pagesPerWeek = sites * pagesPerSite * perWeek;
  const wallHours = (pagesPerWeek * wallPerPage) / 3600;
  const cpuHours = (pagesPerWeek * (cpuPerPage + nodePerPage)) / 3600;
  const perSlotHours = (sites * pagesPerSite * wallPerPage) / 3600;
  console.log(
    `Tỉnh ${sites} trang web × ${pagesPerSite} trang × ${perWeek} lần/tuần (lịch mặc định "${DEFAULT_PAGE_LOAD_CRON}") = ${pagesPerWeek.toLocaleString("vi-VN")} lần đo/tuần:`,
  );
  console.log(`  ${wallHours.toFixed(1)} giờ Chromium/tuần (hàng đợi một trang một lúc), ${cpuHours.toFixed(1)} giờ CPU/tuần; mỗi khung lịch ${perSlotHours.toFixed(1)} giờ.`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
