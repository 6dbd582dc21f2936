// npm run db:migrate — bring the database (DATABASE_URL or the embedded one) to the latest schema.
import { openDatabase } from "./index.ts";
import { runMain } from "./server.ts";

runMain(async () => {
  const db = await openDatabase({ migrate: false, handleSignals: true });
  try {
    const [, applied] = await db.knex.migrate.latest();
    console.log(applied.length ? `Đã áp dụng ${applied.length} migration: ${applied.join(", ")}` : "Cơ sở dữ liệu đã ở phiên bản mới nhất.");
  } finally {
    await db.close();
  }
});
