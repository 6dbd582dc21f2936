// npm run report -- --period 2026-Q3 [--unit ID] [--out FILE.xlsx] [--draft]
// Builds the province report (or a unit report) of a period, archives it and writes the file.
// A period that is not frozen is refused unless --draft is given (then the file is a marked draft).
import path from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "../db/index.ts";
import { archiveReport, MAX_UNIT_ID, parseReportPeriod, ReportError } from "../db/queries/reports.ts";
import { runMain } from "../db/server.ts";
import { checkOutputDir, UsageError, writeOutput } from "./cli-common.ts";
import { generateReport } from "./generate.ts";

const USAGE = "Cách dùng: npm run report -- --period 2026-Q3 [--unit ID] [--out TỆP.xlsx] [--draft]";

interface CliArgs {
  period: string;
  unitId?: number;
  out?: string;
  draft: boolean;
}

function parseCli(argv: string[]): CliArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        period: { type: "string", short: "p" },
        unit: { type: "string", short: "u" },
        out: { type: "string", short: "o" },
        draft: { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split("\n")[0]}. ${USAGE}`);
  }
  if (values.help) throw new UsageError(USAGE);
  if (!values.period) throw new UsageError(`Thiếu --period. ${USAGE}`);
  parseReportPeriod(values.period);
  let unitId: number | undefined;
  if (values.unit !== undefined) {
    if (!/^\d+$/.test(values.unit) || Number(values.unit) <= 0 || Number(values.unit) > MAX_UNIT_ID) throw new UsageError(`--unit phải là số hiệu đơn vị (số nguyên dương), nhận được "${values.unit}".`);
    unitId = Number(values.unit);
  }
  if (values.out !== undefined && !values.out.toLowerCase().endsWith(".xlsx")) throw new UsageError(`--out phải là tệp .xlsx, nhận được "${values.out}".`);
  return { period: values.period, unitId, out: values.out, draft: values.draft ?? false };
}

runMain(async () => {
  let args: CliArgs;
  try {
    args = parseCli(process.argv.slice(2));
    if (args.out) await checkOutputDir(args.out);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ReportError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const db = await openDatabase({ handleSignals: true });
  try {
    // Written first, archived only once the file is on disk: a failed write leaves nothing behind.
    const report = await generateReport(db.knex, { periodCode: args.period, unitId: args.unitId, allowDraft: args.draft, userId: null, archive: false });
    const out = path.resolve(args.out ?? report.fileName);
    await writeOutput(out, report.buffer);
    const reportId = await archiveReport(db.knex, {
      periodCode: parseReportPeriod(args.period).code,
      unitId: args.unitId ?? null,
      fileName: report.fileName,
      content: report.buffer,
      sha256: report.sha256,
      userId: null,
    });
    console.log(
      `${report.draft ? "Đã tạo BẢN NHÁP" : "Đã tạo báo cáo"}: ${out} (${report.buffer.length} byte, sha256 ${report.sha256}, lưu trữ #${reportId})`,
    );
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = 1;
    } else if (e instanceof ReportError) {
      const hint = e.code === "not_frozen" ? " Thêm --draft để tạo bản nháp." : "";
      process.stderr.write(`${e.message}${hint}\n`);
      process.exitCode = 2;
    } else throw e;
  } finally {
    await db.close();
  }
});
