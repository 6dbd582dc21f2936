// `npm run demo`: the embedded database, the sample province on the fixture farm, an audit round,
// scores, and the dashboard on http://localhost:3000 — one command, nothing else to set up.
import cliProgress from "cli-progress";
import { holidaysForYear } from "../../crawler/calendar/holidays.ts";
import { enqueueRound, startWorker, waitForRound } from "../../crawler/queue/index.ts";
import { startScheduler } from "../../crawler/queue/scheduler.ts";
import { startPageLoadWorker } from "../../crawler/perf/queue.ts";
import { startPageLoadScheduler } from "../../crawler/perf/scheduler.ts";
import { startDemoPageLoad } from "../../crawler/perf/demo.ts";
import { openDatabase } from "../../db/index.ts";
import { drainRescoreRequests, lastScoringRun } from "../../db/scoring/rescore.ts";
import { seedDefaultRubricVersions } from "../../db/seeds/rubric-default.ts";
import {
  demoAccounts,
  seedAccounts,
  seedGroupsAndSettings,
  seedHolidays,
  seedUnits,
  type SampleUnit,
} from "../../db/seeds/sample-province.ts";
import { ConfigError, runMain } from "../../db/server.ts";
import { scheduleReports } from "../../reports/schedule.ts";
import { startFarm, type FarmSite } from "../../test/farm/index.ts";
import type { Knex } from "knex";
import { getRanking } from "../../db/queries/scores.ts";
import { startServer } from "../server.ts";
import { startDemoMail } from "../lib/mail/demo.ts";
import { formatPeriodLabel, formatVietnamDate, monthCodeAt, vietnamInstant, vietnamToday } from "../../db/time.ts";
import { previousPeriod } from "../../db/scoring/period-codes.ts";
import { getPeriodCloseStatus } from "../../db/queries/period-close.ts";

/** One demo round, with a progress bar; resolves when every audit has finished. */
async function runRound(knex: Knex, referenceTime: Date | undefined, say: (l: string) => void) {
  const roundId = await enqueueRound(knex, { trigger: "demo", referenceTime });
  const bar = new cliProgress.SingleBar(
    { format: "    [{bar}] {value}/{total} trang web · {pages} trang đã tải", stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const progress = await waitForRound(knex, roundId, 15 * 60_000, (p) => {
    if (!started) {
      bar.start(p.total, 0, { pages: 0 });
      started = true;
    }
    bar.update(p.done + p.failed, { pages: p.pagesDone });
  });
  bar.stop();
  if (referenceTime) say(`    Đợt ${roundId} (ngày ${formatVietnamDate(referenceTime)}): ${progress.done} trang web đã kiểm tra, ${progress.failed} không kiểm tra được.`);
  return { roundId, progress };
}

/** The top-ranked unit of the largest group whose site has a news category with posts. */
async function pickUnitToChange(knex: Knex, sites: FarmSite[], monthCode: string) {
  const ranking = (await getRanking(knex, monthCode)).filter((r) => r.total !== null && r.rank !== null);
  const sizes = new Map<string, number>();
  for (const r of ranking) sizes.set(r.groupCode, (sizes.get(r.groupCode) ?? 0) + 1);
  const candidates = ranking
    .filter((r) => (sizes.get(r.groupCode) ?? 0) >= 3)
    .sort((a, b) => (sizes.get(b.groupCode) ?? 0) - (sizes.get(a.groupCode) ?? 0) || (a.rank ?? 0) - (b.rank ?? 0));
  for (const r of candidates) {
    const site = sites.find((s) => s.truth.code === r.unitCode && s.truth.categories["tin-tuc"]?.status === "present");
    if (site) return { siteId: site.id, unitId: r.unitId, unitName: r.unitName, rank: r.rank, total: r.total as number };
  }
  return null;
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${name} must be a port number, got "${raw}".`);
  return n;
}

runMain(async () => {
  const port = intFromEnv("PORT", 3000);
  const farmPort = intFromEnv("FARM_PORT", 4100);
  const say = (line: string) => console.log(line);

  say("Tuân Thủ — bản trình diễn (demo)");
  say("1/5 Khởi động cơ sở dữ liệu…");
  const db = await openDatabase({ handleSignals: true });
  say(`    ${db.server.embedded ? `PostgreSQL nhúng (${process.env.TT_DATA_DIR ?? ".data/pg"})` : "PostgreSQL theo DATABASE_URL"}, đã cập nhật lược đồ.`);

  say("2/5 Khởi động tỉnh mẫu (các trang web giả lập trên 127.0.0.1)…");
  const referenceDate = vietnamToday();
  const farm = await startFarm({ include: "province", basePort: farmPort, referenceDate }).catch((err: Error) => {
    throw new ConfigError(
      `The fixture farm could not listen on ports ${farmPort}–${farmPort + 40} (${err.message}); set FARM_PORT to a free range.`,
    );
  });
  const units: SampleUnit[] = farm.sites.map((s) => ({
    code: s.truth.code,
    name: s.truth.name,
    unitType: s.truth.unitType ?? "so",
    group: s.truth.group ?? "so-nganh",
    baseUrl: s.baseUrl,
    allowPrivate: true,
  }));
  await seedGroupsAndSettings(db.knex);
  const unitIds = await seedUnits(db.knex, units);
  await seedDefaultRubricVersions(db.knex); // every version by effective date (HT, decision 0017)
  const year = Number(referenceDate.slice(0, 4));
  await seedHolidays(db.knex, [holidaysForYear(year - 1), holidaysForYear(year), holidaysForYear(year + 1)]);
  const accounts = demoAccounts(units);
  await seedAccounts(db.knex, accounts, unitIds);
  say(`    ${units.length} đơn vị trong 3 nhóm, ${farm.sites.length} trang web (cổng ${farmPort}–${farmPort + farm.sites.length - 1}).`);

  say("3/5 Khởi động bảng điều khiển (lần đầu cần build, khoảng 1 phút)…");
  const dashboard = await startServer({ knex: db.knex, port, mode: "build", log: (l) => say(`    ${l}`) });

  say("4/5 Khởi động tiến trình kiểm tra (worker) và lịch kiểm tra…");
  // HA: mail goes to a local SMTP catcher (nothing leaves the machine); see startDemoMail.
  const mail = await startDemoMail(db.knex, db.url, say);
  const worker = await startWorker({ url: db.url, concurrency: 4 });
  const scheduler = await startScheduler(db.knex);
  const reports = scheduleReports(db.knex);
  const pageLoadWorker = await startPageLoadWorker({ url: db.url });
  const pageLoadScheduler = await startPageLoadScheduler(db.knex);

  // The previous month too (its last day, the sites as they stood then), so that an inspector
  // can run the pre-close checklist and close a month that has ended. Skipped once it is closed.
  const previousMonth = previousPeriod(monthCodeAt(new Date()));
  const previousClosed = (await getPeriodCloseStatus(db.knex, previousMonth.code)).state === "closed";
  if (!previousClosed) {
    say(`5/5 Chạy đợt kiểm tra ${formatPeriodLabel(previousMonth).toLowerCase()} (ngày ${formatVietnamDate(previousMonth.endsOn)}) và đợt hôm nay (xem tiến độ tại trang Kiểm tra)…`);
    farm.setReferenceDate(previousMonth.endsOn);
    await runRound(db.knex, vietnamInstant(previousMonth.endsOn, "02:00"), say);
    farm.setReferenceDate(referenceDate);
  } else {
    say("5/5 Chạy một đợt kiểm tra toàn tỉnh (xem tiến độ tại trang Kiểm tra)…");
  }
  const { roundId, progress } = await runRound(db.knex, undefined, say);
  // Workers rescore each unit as its audit finishes; anything still pending is drained here.
  await drainRescoreRequests(db.knex);
  const run = await lastScoringRun(db.knex);
  say(`    Đợt ${roundId}: ${progress.done} trang web đã kiểm tra, ${progress.failed} không kiểm tra được.`);
  say(`    Điểm đã được tính theo từng lượt kiểm tra${run ? ` (lần gần nhất: các kỳ ${run.periods.join(", ")}, ${run.ms} ms)` : ""}.`);

  // The first journey past the demo's first minute: a site changes, a re-audit moves its
  // unit's score and rank. The best unit of the largest group empties its news category now.
  const changed = await pickUnitToChange(db.knex, farm.sites, monthCodeAt(new Date()));
  if (changed) {
    farm.setOverride(changed.siteId, { emptyCategory: "tin-tuc" });
    say(`    Trang web của ${changed.unitName} vừa gỡ hết bài ở chuyên mục Tin tức (hạng ${changed.rank}, ${changed.total.toLocaleString("vi-VN")} điểm):`);
    say(`    mở ${dashboard.url.replace("127.0.0.1", "localhost")}/don-vi/${changed.unitId}, bấm "Kiểm tra ngay" để thấy điểm và thứ hạng thay đổi.`);
  }

  // Page-load measurement (Lighthouse) of a few units, in the background on its own queue.
  const measured = await startDemoPageLoad(db.knex);
  if (measured.length) say(`    Đang đo tốc độ tải trang (nền, vài phút) của: ${measured.map((m) => `${dashboard.url.replace("127.0.0.1", "localhost")}/don-vi/${m.unitId}`).join(", ")}.`);
  say("");
  say(`Bảng điều khiển: ${dashboard.url.replace("127.0.0.1", "localhost")}`);
  say("Tài khoản trình diễn:");
  for (const a of accounts) {
    const role = a.role === "inspector" ? "cán bộ kiểm tra" : a.role === "province" ? "lãnh đạo tỉnh" : `thủ trưởng đơn vị ${a.unitCode}`;
    say(`    ${a.username.padEnd(8)} / ${a.password.padEnd(13)} (${role})`);
  }
  say("Nhấn Ctrl-C để dừng.");

  const shutdown = async () => {
    reports.stop();
    await mail.stop().catch(() => undefined);
    await pageLoadScheduler.stop().catch(() => undefined);
    await pageLoadWorker.stop().catch(() => undefined);
    await scheduler.stop().catch(() => undefined);
    await worker.stop().catch(() => undefined);
    await dashboard.close().catch(() => undefined);
    await farm.close().catch(() => undefined);
    await db.close();
  };
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.removeAllListeners(sig);
    process.once(sig, () => {
      say("Đang dừng…");
      shutdown().finally(() => process.exit(0));
    });
  }
});
