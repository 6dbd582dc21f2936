// npm run scheduler — enqueues an audit round for all active sites on schedule
// (settings.audit_schedule, else AUDIT_CRON, else nightly 02:00 Asia/Ho_Chi_Minh). A change of the
// setting applies within 15 s; with other schedulers running (the dashboard), one enqueues each round.
import { openDatabase } from "../db/index.ts";
import { runMain } from "../db/server.ts";
import { formatRunTime } from "./queue/cron-rules.ts";
import { AUDIT_TIMEZONE, readSchedule, startScheduler } from "./queue/scheduler.ts";
import { startPageLoadScheduler } from "./perf/scheduler.ts";

runMain(async () => {
  const db = await openDatabase({ migrate: true });
  const inForce = await readSchedule(db.knex);
  if (inForce.storedError) process.stderr.write(`Lịch đã lưu "${inForce.stored}" không dùng được: ${inForce.storedError}\n`);
  if (inForce.envError) process.stderr.write(`AUDIT_CRON "${process.env.AUDIT_CRON}" không dùng được: ${inForce.envError}\n`);
  const scheduler = await startScheduler(db.knex, {
    onRound: (id, slot) => process.stderr.write(`Đã xếp hàng lượt kiểm tra #${id} (lịch ${formatRunTime(slot)}).\n`),
    onChange: (expr) => process.stderr.write(`Lịch kiểm tra đổi thành "${expr}" (${AUDIT_TIMEZONE}).\n`),
  });
  process.stderr.write(`Lịch kiểm tra: "${scheduler.expression}" (${AUDIT_TIMEZONE}).\n`);
  const pageLoad = await startPageLoadScheduler(db.knex, { onSlot: (slot, n) => process.stderr.write(`Đã xếp hàng đo tốc độ tải trang ${n} trang web (lịch ${formatRunTime(slot)}).\n`) });
  process.stderr.write(`Lịch đo tốc độ tải trang: "${pageLoad.expression}" (${AUDIT_TIMEZONE}).\n`);
  await new Promise<void>((resolve) => {
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => resolve());
  });
  await scheduler.stop();
  await pageLoad.stop();
  await db.close();
  process.exit(0);
});
