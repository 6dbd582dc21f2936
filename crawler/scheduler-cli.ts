// npm run scheduler — enqueues an audit round for all active sites on schedule
// (settings.audit_schedule, else AUDIT_CRON, else nightly 02:00 Asia/Ho_Chi_Minh).
import { openDatabase } from "../db/index.ts";
import { runMain } from "../db/server.ts";
import { AUDIT_TIMEZONE, startScheduler } from "./queue/scheduler.ts";

runMain(async () => {
  const db = await openDatabase({ migrate: true });
  const scheduler = await startScheduler(db.knex, {
    onRound: (id) => process.stderr.write(`Đã xếp hàng lượt kiểm tra #${id} (${new Date().toISOString()}).\n`),
  });
  process.stderr.write(`Lịch kiểm tra: "${scheduler.expression}" (${AUDIT_TIMEZONE}).\n`);
  const reload = setInterval(() => {
    scheduler.reload().catch(() => undefined);
  }, 60_000);
  await new Promise<void>((resolve) => {
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => resolve());
  });
  clearInterval(reload);
  await scheduler.stop();
  await db.close();
  process.exit(0);
});
