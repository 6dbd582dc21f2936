// npm run db:backup -- --out FILE.gz   |   npm run db:restore -- --in FILE.gz
// Backup and restore of the database (DATABASE_URL or the embedded one); see db/backup.ts.
import { backupDatabase, BackupError, restoreDatabase } from "./backup.ts";
import { openDatabase } from "./index.ts";
import { ConfigError, runMain } from "./server.ts";

runMain(async () => {
  const [command, flag, file, ...rest] = process.argv.slice(2);
  const expected = command === "backup" ? "--out" : command === "restore" ? "--in" : null;
  if (!expected || flag !== expected || !file || rest.length) {
    throw new ConfigError("usage: npm run db:backup -- --out FILE.gz, or npm run db:restore -- --in FILE.gz");
  }
  const db = await openDatabase({ handleSignals: true, migrate: command === "restore" });
  try {
    const t0 = Date.now();
    const stats = command === "backup" ? await backupDatabase(db.knex, file) : await restoreDatabase(db.knex, file);
    const verb = command === "backup" ? "Đã sao lưu" : "Đã khôi phục và kiểm tra";
    const mb = (stats.bytes / 1024 / 1024).toLocaleString("vi-VN", { maximumFractionDigits: 1 });
    const s = ((Date.now() - t0) / 1000).toLocaleString("vi-VN", { maximumFractionDigits: 1 });
    console.log(`${verb} ${stats.rows.toLocaleString("vi-VN")} dòng trong ${stats.tables} bảng (${file}, ${mb} MB, ${s} giây).`);
  } catch (err) {
    if (!(err instanceof BackupError)) throw err;
    process.stderr.write(`Lỗi: ${err.message}\n`);
    process.exitCode = 1;
  } finally {
    await db.close();
  }
});
