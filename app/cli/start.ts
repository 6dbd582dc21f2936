// `npm run start`: open the database (embedded PostgreSQL unless DATABASE_URL), serve the dashboard and
// run the scheduler in the same process (`--no-scheduler` leaves it to `npm run scheduler`; several
// schedulers are safe, one enqueues each round).
// `npm run start -- --dev` serves from source through Vite instead of the production build.
import { openDatabase } from "../../db/index.ts";
import { ConfigError, runMain } from "../../db/server.ts";
import { AUDIT_TIMEZONE, startScheduler } from "../../crawler/queue/scheduler.ts";
import { formatRunTime } from "../../crawler/queue/cron-rules.ts";
import { startServer } from "../server.ts";
import { startPageLoadScheduler } from "../../crawler/perf/scheduler.ts";
import { startMailWorker } from "../lib/mail/worker.ts";

runMain(async () => {
  const port = process.env.PORT ? Number(process.env.PORT) : 3000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a port number between 0 and 65535, got "${process.env.PORT}".`);
  }
  const db = await openDatabase({ handleSignals: true });
  await startServer({
    knex: db.knex,
    port,
    mode: process.argv.includes("--dev") ? "dev" : "build",
    log: (l) => console.log(l),
  });
  if (!process.argv.includes("--no-scheduler")) {
    const scheduler = await startScheduler(db.knex, {
      onRound: (id, slot) => console.log(`Đã xếp hàng lượt kiểm tra #${id} (lịch ${formatRunTime(slot)}).`),
      onChange: (expr) => console.log(`Lịch kiểm tra đổi thành "${expr}" (${AUDIT_TIMEZONE}).`),
    });
    console.log(`Lịch kiểm tra: "${scheduler.expression}" (${AUDIT_TIMEZONE}).`);
    const pageLoad = await startPageLoadScheduler(db.knex, { onSlot: (slot, n) => console.log(`Đã xếp hàng đo tốc độ tải trang ${n} trang web (lịch ${formatRunTime(slot)}).`) });
    console.log(`Lịch đo tốc độ tải trang: "${pageLoad.expression}" (${AUDIT_TIMEZONE}).`);
  }
  // HA: the mail sender (outbox → SMTP at TT_SMTP_URL / setting smtp_url) and the monthly digest.
  if (!process.argv.includes("--no-mail")) await startMailWorker({ url: db.url });
});
