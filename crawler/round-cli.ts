// tsx crawler/round-cli.ts [--site ID]... [--unit ID]... [--wait] [--timeout SECONDS]
// Enqueues a round now (all active sites, or the given ones) and, with --wait, shows its
// progress on stderr until it finishes.
import { openDatabase } from "../db/index.ts";
import { ConfigError, runMain } from "../db/server.ts";
import { parseArgv } from "./audit/cli-args.ts";
import { stderrBar } from "./audit/progress-bar.ts";
import { closeQueues, enqueueRound, waitForRound } from "./queue/index.ts";

runMain(async () => {
  const argv = process.argv.slice(2);
  const siteIds: number[] = [];
  const unitIds: number[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--site" || argv[i] === "--unit") {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new ConfigError(`${argv[i - 1]} cần một mã số`);
      (argv[i - 1] === "--site" ? siteIds : unitIds).push(v);
    } else rest.push(argv[i]);
  }
  const args = parseArgv(rest, new Set(["timeout"]));
  const db = await openDatabase({ migrate: true });
  try {
    const roundId = await enqueueRound(db.knex, {
      trigger: "manual",
      siteIds: siteIds.length ? siteIds : undefined,
      unitIds: unitIds.length ? unitIds : undefined,
    });
    process.stdout.write(`${roundId}\n`);
    if (args.flags.wait) {
      const bar = stderrBar("Lượt #{label} [{bar}] {value}/{total} trang");
      const p = await waitForRound(db.knex, roundId, Number(args.flags.timeout ?? 3600) * 1000, (p) =>
        bar.update(p.pagesDone, Math.max(p.pagesPlanned, p.pagesDone), `${roundId}: ${p.done + p.failed}/${p.total} trang web`),
      );
      bar.stop();
      process.stderr.write(`Lượt #${roundId} xong: ${p.done} thành công, ${p.failed} lỗi.\n`);
    }
  } finally {
    await closeQueues();
    await db.close();
  }
});
