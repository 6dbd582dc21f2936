// npm run period -- <status|checklist|list|close|reopen> …
//   status 2026-10                       the period's state and its pre-close checklist (checklist: the same)
//   list                                 every period with its state
//   close 2026-10 --user U [--yes] [--out FILE.xlsx]
//                                        closes (chốt) the period: freezes the scores, archives the official report
//   reopen 2026-10 --user U --reason "…" reopens a closed period (logged with the reason), scores recomputed
// Exit codes: 0 done, 2 bad arguments or input, 3 refused (not ended, already closed, checklist not confirmed, …).
import { rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "../db/index.ts";
import {
  checklistLines,
  findInspectorByUsername,
  getPeriodCloseStatus,
  listPeriodCloseStates,
  parseClosePeriodCode,
  PeriodCloseError,
  periodStateText,
  reopenPeriod,
  validateReopenReason,
  type PeriodChecklist,
} from "../db/queries/period-close.ts";
import { getArchivedReport } from "../db/queries/reports.ts";
import { runMain } from "../db/server.ts";
import { checkOutputDir, UsageError } from "./cli-common.ts";
import { closePeriod } from "./close-period.ts";

const USAGE = [
  "Cách dùng:",
  "  npm run period -- status 2026-10                     (trạng thái và danh sách kiểm tra trước khi chốt; cũng: checklist)",
  "  npm run period -- list                               (mọi kỳ và trạng thái)",
  '  npm run period -- close 2026-10 --user TÊN [--yes] [--out TỆP.xlsx]',
  '  npm run period -- reopen 2026-10 --user TÊN --reason "lý do"',
  "Thêm --json để in kết quả dạng JSON.",
].join("\n");

type Command = "status" | "list" | "close" | "reopen";

interface CliArgs {
  command: Command;
  period?: string;
  user?: string;
  reason?: string;
  yes: boolean;
  json: boolean;
  out?: string;
}

function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        user: { type: "string", short: "u" },
        reason: { type: "string", short: "r" },
        yes: { type: "boolean", short: "y", default: false },
        json: { type: "boolean", default: false },
        out: { type: "string", short: "o" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split("\n")[0]}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) throw new UsageError(USAGE);
  const [word, period, ...rest] = positionals;
  const command = ({ status: "status", checklist: "status", list: "list", close: "close", chot: "close", reopen: "reopen", "mo-lai": "reopen" } as const)[
    word as "status"
  ] as Command | undefined;
  if (!command) throw new UsageError(`Lệnh không rõ: "${word}".\n${USAGE}`);
  if (rest.length) throw new UsageError(`Thừa tham số: ${rest.join(" ")}.\n${USAGE}`);
  if (command !== "list") {
    if (!period) throw new UsageError(`Thiếu mã kỳ (ví dụ 2026-10).\n${USAGE}`);
    parseClosePeriodCode(period);
  }
  if ((command === "close" || command === "reopen") && !values.user?.trim()) {
    throw new UsageError(`Thiếu --user: tên đăng nhập của cán bộ kiểm tra chốt hoặc mở lại kỳ.\n${USAGE}`);
  }
  if (command === "reopen") validateReopenReason(values.reason);
  if (values.out !== undefined && command !== "close") throw new UsageError(`--out chỉ dùng với lệnh close.\n${USAGE}`);
  if (values.out !== undefined && !values.out.toLowerCase().endsWith(".xlsx")) throw new UsageError(`--out phải là tệp .xlsx, nhận được "${values.out}".`);
  return { command, period, user: values.user, reason: values.reason, yes: values.yes ?? false, json: values.json ?? false, out: values.out };
}

function printChecklist(c: PeriodChecklist): void {
  console.log("Danh sách kiểm tra trước khi chốt:");
  const lines = checklistLines(c);
  const details: string[][] = [
    c.notAudited.map((u) => `${u.name} (${u.code})`),
    c.allFailed.map((u) => `${u.name} (${u.code}): ${u.failedAudits} lượt lỗi${u.lastError ? ` — ${u.lastError}` : ""}`),
    c.pendingAppeals.map((a) => `${a.unitName}: giải trình #${a.appealId} về phát hiện ${a.findingCode}`),
    c.pendingAudits.map((a) => `${a.unitName}: ${a.siteUrl} (${a.status === "running" ? "đang chạy" : "đang chờ"})`),
  ];
  lines.forEach((l, i) => {
    console.log(`  ${l.ok ? "[x]" : "[!]"} ${l.text}`);
    for (const d of details[i].slice(0, 20)) console.log(`        - ${d}`);
    if (details[i].length > 20) console.log(`        … và ${details[i].length - 20} mục khác`);
  });
}

const EXIT_BAD_INPUT = new Set(["bad_period", "bad_reason"]);

runMain(async () => {
  let args: CliArgs;
  try {
    args = parseCli(process.argv.slice(2));
    if (args.out) await checkOutputDir(args.out);
  } catch (e) {
    if (e instanceof UsageError || e instanceof PeriodCloseError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const db = await openDatabase({ handleSignals: true });
  const knex = db.knex;
  const now = new Date();
  try {
    if (args.command === "list") {
      const states = await listPeriodCloseStates(knex, now);
      if (args.json) console.log(JSON.stringify({ periods: states }, null, 2));
      else if (!states.length) console.log("Chưa có kỳ nào.");
      else for (const s of states) console.log(`${s.code.padEnd(8)} ${s.label.padEnd(26)} ${periodStateText(s)}`);
    } else if (args.command === "status") {
      const s = await getPeriodCloseStatus(knex, args.period!, now);
      if (args.json) console.log(JSON.stringify(s, null, 2));
      else {
        console.log(`${s.label} (${s.code}): ${s.startsOn.split("-").reverse().join("/")} – ${s.endsOn.split("-").reverse().join("/")}`);
        console.log(`Trạng thái: ${periodStateText(s)}`);
        if (s.refusal) console.log(s.refusal);
        printChecklist(s.checklist);
      }
    } else if (args.command === "close") {
      const user = await findInspectorByUsername(knex, args.user!);
      try {
        const r = await closePeriod(knex, { periodCode: args.period!, userId: user.id, now, confirmWarnings: args.yes, via: "cli" });
        let written = "";
        if (args.out) {
          const file = await getArchivedReport(knex, r.report.id);
          const out = path.resolve(args.out);
          const tmp = `${out}.${process.pid}.tmp`;
          await writeFile(tmp, Buffer.from(file!.content));
          await rename(tmp, out);
          written = `, đã ghi ${out}`;
        }
        if (args.json) console.log(JSON.stringify(r, null, 2));
        else {
          console.log(`Đã chốt ${r.label} (${r.periodCode}) bởi ${r.closedBy.fullName}.`);
          console.log(`Báo cáo chính thức: ${r.report.fileName} (lưu trữ #${r.report.id}, sha256 ${r.report.sha256}${written}).`);
          if (!r.checklist.clean) console.log("Đã chốt với các mục cần lưu ý trong danh sách kiểm tra (đã xác nhận bằng --yes).");
        }
      } catch (e) {
        if (e instanceof PeriodCloseError && e.code === "needs_confirmation" && e.checklist && !args.json) {
          process.stderr.write(`${e.message} Thêm --yes để chốt.\n`);
          printChecklist(e.checklist);
          process.exitCode = 3;
          return;
        }
        throw e;
      }
    } else {
      const user = await findInspectorByUsername(knex, args.user!);
      const r = await reopenPeriod(knex, { periodCode: args.period!, userId: user.id, reason: args.reason!, now });
      if (args.json) console.log(JSON.stringify(r, null, 2));
      else {
        console.log(`Đã mở lại ${r.label} (${r.periodCode}); lý do đã ghi vào nhật ký: ${r.reason}`);
        console.log(
          `Điểm đã được tính lại: ${r.unitsScored} đơn vị có điểm, ${r.unitsNotAudited} đơn vị chưa đánh giá. ` +
            `Báo cáo đã lưu được giữ lại, đánh dấu thay thế: ${r.supersededReportIds.length ? r.supersededReportIds.map((id) => `#${id}`).join(", ") : "không có"}.`,
        );
      }
    }
  } catch (e) {
    if (e instanceof PeriodCloseError) {
      if (args.json) console.log(JSON.stringify({ error: { code: e.code, message: e.message, checklist: e.checklist ?? undefined } }));
      process.stderr.write(`${e.message}\n`);
      process.exitCode = EXIT_BAD_INPUT.has(e.code) ? 2 : 3;
    } else throw e;
  } finally {
    await db.close();
  }
});
