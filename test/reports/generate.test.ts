// Reports from the database: a small province with frozen scores, read back and checked against them.
import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listReports, loadReportModel, ReportError } from "../../db/queries/reports.ts";
import { generateReport } from "../../reports/generate.ts";
import { runScheduledReports } from "../../reports/schedule.ts";
import { sha256 } from "../../reports/write.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { BRACKET_NAME, EXPECTED, HOSTILE_NAME, HOSTILE_TITLE, insertProvince, type Province } from "./db-fixture.ts";
import { cells, findCell, isValidSheetName, readWorkbook, rowOf, sheetText } from "./read.ts";

const run = promisify(execFile);
let db: TestDatabase;
let province: Province;

beforeAll(async () => {
  db = await createTestDatabase();
  province = await insertProvince(db.knex);
});
afterAll(async () => {
  await db?.drop();
});

async function reportError(p: Promise<unknown>): Promise<ReportError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ReportError) return e;
    throw e;
  }
  throw new Error("expected a ReportError");
}

describe("province report from frozen scores", () => {
  it("matches the frozen scores and is archived with who and when", async () => {
    const r = await generateReport(db.knex, { periodCode: "2026-Q3", userId: province.inspectorId });
    expect(r.fileName).toBe("bao-cao-2026-Q3.xlsx");
    expect(r.draft).toBe(false);
    const wb = await readWorkbook(r.buffer);
    const ws = wb.getWorksheet("Tổng hợp")!;
    expect(findCell(ws, (t) => t === "Bình Định, ngày 05 tháng 10 năm 2026")).toBeDefined();
    expect(findCell(ws, (t) => t.endsWith("QUÝ III NĂM 2026"))).toBeDefined();
    expect(ws.getCell("A1").value).toBe("UBND TỈNH BÌNH ĐỊNH");
    for (const [key, name] of [["sokhcn", "Sở Khoa học và Công nghệ"], ["hostile", HOSTILE_NAME], ["bracket", BRACKET_NAME]] as const) {
      const e = EXPECTED[key];
      const row = rowOf(ws, name);
      expect(row.getCell(2).type).toBe(ExcelJS.ValueType.String);
      expect([4, 5, 6, 7, 8].map((c) => row.getCell(c).value)).toEqual(e.points);
      expect(row.getCell(9).value).toBe(e.total);
      expect(row.getCell(10).value).toBe(e.tier);
      expect(row.getCell(11).value).toBe(e.rank);
      expect(row.getCell(12).value).toBe(e.prevTotal);
      expect(row.getCell(14).value).toBe(e.prevRank);
      expect(row.getCell(1).value).toBe(e.rank); // STT follows the ranking
    }
    const huyen = rowOf(ws, "UBND huyện Tuy Phước");
    expect(huyen.getCell(9).value).toBe("Chưa đánh giá");
    expect(rowOf(ws, "Sở Khoa học và Công nghệ").getCell(3).value).toBe("https://skhcn.binhdinh.gov.vn");

    const archived = await db.knex("reports").where({ id: r.reportId }).first();
    expect(archived).toMatchObject({ kind: "province", unit_id: null, created_by: province.inspectorId, sha256: r.sha256, file_name: r.fileName });
    expect(sha256(archived.content)).toBe(r.sha256);
    expect(archived.created_at).toBeInstanceOf(Date);
  });

  it("lists each unit's findings with evidence and appeal outcome", async () => {
    const r = await generateReport(db.knex, { periodCode: "2026-Q3", archive: false });
    const wb = await readWorkbook(r.buffer);
    const names = wb.worksheets.map((w) => w.name);
    for (const n of names) expect(isValidSheetName(n), n).toBe(true);
    expect(names.length).toBe(3 + 4);

    const sk = wb.worksheets.find((w) => w.getCell("A3").value === "SỞ KHOA HỌC VÀ CÔNG NGHỆ")!;
    const text = sheetText(sk);
    expect(text).toContain("Thiếu chuyên mục bắt buộc: Văn bản");
    expect(text).toContain("https://skhcn.binhdinh.gov.vn/");
    expect(text).toContain("Giải trình không được chấp nhận (30/09/2026): Chưa thấy thư điện tử trên trang chủ");
    const missing = rowOf(sk, "category.missing");
    expect(missing.getCell(9).value).toBe(2); // recorded by both audits of the quarter
    expect(missing.getCell(7).numFmt).toBe("dd/mm/yyyy");
    expect(text).toContain("Tổng điểm (thang 100): 92,75; xếp loại: Xuất sắc; thứ hạng: 1/3 trong nhóm");

    const evil = wb.worksheets.find((w) => w.getCell("A3").value === HOSTILE_NAME.toUpperCase())!;
    const title = findCell(evil, (t) => t.includes(HOSTILE_TITLE))!;
    expect(title.type).toBe(ExcelJS.ValueType.String);
    const long = findCell(evil, (t) => t.startsWith("Văn bản dùng bảng mã TCVN3"))!;
    expect(String(long.value).length).toBeLessThanOrEqual(32_767);
    for (const w of wb.worksheets) for (const c of cells(w)) expect(c.type, `${w.name}!${c.address}`).not.toBe(ExcelJS.ValueType.Formula);
  });

  it("gives the same bytes when the same frozen period is generated again", async () => {
    const a = await generateReport(db.knex, { periodCode: "2026-Q3", userId: province.inspectorId });
    // Live data changing after the freeze must not change the frozen report.
    await db.knex("units").where({ id: province.units.sokhcn }).update({ name: "Tên mới sau khi chốt" });
    await db.knex("appeals").where({ finding_id: province.findings.email }).update({ decision_reason: "Lý do sửa sau khi chốt" });
    const b = await generateReport(db.knex, { periodCode: "2026-q3", userId: province.inspectorId });
    expect(b.sha256).toBe(a.sha256);
    expect(Buffer.compare(a.buffer, b.buffer)).toBe(0);
    expect(b.reportId).not.toBe(a.reportId);
    const list = await listReports(db.knex, { periodCode: "2026-Q3" });
    expect(list.filter((x) => x.sha256 === a.sha256).length).toBeGreaterThanOrEqual(2);
    await db.knex("units").where({ id: province.units.sokhcn }).update({ name: "Sở Khoa học và Công nghệ" });
  });
});

describe("unit report", () => {
  it("covers one unit with its rank in its group", async () => {
    const r = await generateReport(db.knex, { periodCode: "2026-Q3", unitId: province.units.bracket, userId: province.inspectorId });
    expect(r.fileName).toBe(`bao-cao-2026-Q3-don-vi-${province.units.bracket}.xlsx`);
    const wb = await readWorkbook(r.buffer);
    expect(wb.worksheets.length).toBe(3);
    expect(wb.worksheets[1].name).toBe("Sở Tư pháp");
    expect(sheetText(wb.worksheets[1])).toContain("thứ hạng: 2/3 trong nhóm");
    expect(sheetText(wb.worksheets[1])).toContain("freshness.stale");
    const archived = await db.knex("reports").where({ id: r.reportId }).first();
    expect(archived).toMatchObject({ kind: "unit", unit_id: province.units.bracket });
  });
});

describe("bad requests and drafts", () => {
  it("refuses a bad period, an unknown unit, a period without scores, and an unfrozen period", async () => {
    expect((await reportError(generateReport(db.knex, { periodCode: "2026-Q5" }))).code).toBe("bad_period");
    expect((await reportError(generateReport(db.knex, { periodCode: "2026-Q3", unitId: 99999 }))).code).toBe("unknown_unit");
    expect((await reportError(generateReport(db.knex, { periodCode: "2025" }))).code).toBe("not_scored");
    const e = await reportError(generateReport(db.knex, { periodCode: "2026-Q4" }));
    expect(e.code).toBe("not_frozen");
    expect(e.message).toBe("Kỳ 2026-Q4 chưa được chốt điểm: chốt điểm trước, hoặc tạo bản nháp.");
  });

  it("builds a marked draft from live scores when asked", async () => {
    const now = new Date("2026-11-22T08:00:00Z");
    const r = await generateReport(db.knex, { periodCode: "2026-Q4", allowDraft: true, now });
    expect(r.draft).toBe(true);
    expect(r.fileName).toBe("bao-cao-2026-Q4-ban-nhap.xlsx");
    const wb = await readWorkbook(r.buffer);
    const ws = wb.getWorksheet("Tổng hợp")!;
    expect(sheetText(ws)).toContain("BẢN NHÁP");
    expect(findCell(ws, (t) => t === "Bình Định, ngày 22 tháng 11 năm 2026")).toBeDefined();
    expect(rowOf(ws, "Sở Khoa học và Công nghệ").getCell(9).value).toBe(EXPECTED.sokhcn.total);
    const sk = wb.worksheets.find((w) => w.getCell("A3").value === "SỞ KHOA HỌC VÀ CÔNG NGHỆ")!;
    expect(sheetText(sk)).toContain("identity.email");
    const model = await loadReportModel(db.knex, { periodCode: "2026-Q4", allowDraft: true, now });
    expect(model.details.find((d) => d.unitId === province.units.sokhcn)!.findings.find((f) => f.code === "category.missing")!.occurrences).toBe(2);
  });
});

describe("scheduled generation", () => {
  it("on 1 October generates the frozen Q3 report and skips September (not scored)", async () => {
    const at = new Date("2026-09-30T23:30:00Z"); // 06:30 on 1 October in Vietnam
    const results = await runScheduledReports(db.knex, at);
    expect(results.map((r) => [r.periodCode, r.outcome])).toEqual([
      ["2026-09", "skipped"],
      ["2026-Q3", "final"],
    ]);
    const archived = await db.knex("reports").where({ id: results[1].reportId }).first();
    expect(archived.created_by).toBeNull();
  });

  it("on 1 January generates a draft for a quarter that is not frozen", async () => {
    const results = await runScheduledReports(db.knex, new Date("2027-01-01T00:00:00Z"));
    expect(results.find((r) => r.periodCode === "2026-Q4")?.outcome).toBe("draft");
  });
});

describe("command line", () => {
  const env = { ...process.env };
  it("writes the file, and prints one clear line for bad input", { timeout: 240_000 }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tt-report-"));
    try {
      const out = path.join(dir, "q3.xlsx");
      const cli = (args: string[]) =>
        run(process.execPath, ["--import", "tsx", "reports/report-cli.ts", ...args], { env: { ...env, DATABASE_URL: db.url }, cwd: process.cwd() }).then(
          (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
          (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
        );
      const ok = await cli(["--period", "2026-Q3", "--out", out]);
      expect(ok.stderr).toBe("");
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain("Đã tạo báo cáo");
      const file = await readFile(out);
      expect((await readWorkbook(file)).getWorksheet("Tổng hợp")).toBeDefined();

      const bad = await cli(["--period", "2026-Q9"]);
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim().split("\n")).toHaveLength(1);
      expect(bad.stderr).toContain("Mã kỳ không hợp lệ");

      const unfrozen = await cli(["--period", "2026-Q4", "--out", path.join(dir, "q4.xlsx")]);
      expect(unfrozen.code).toBe(2);
      expect(unfrozen.stderr.trim()).toBe("Kỳ 2026-Q4 chưa được chốt điểm: chốt điểm trước, hoặc tạo bản nháp. Thêm --draft để tạo bản nháp.");

      const unknown = await cli(["--period", "2026-Q3", "--unit", "99999", "--out", path.join(dir, "u.xlsx")]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr.trim()).toBe("Không có đơn vị số 99999.");

      // Issue 16: each fault gives one Vietnamese sentence, no stack trace, nothing archived or left behind.
      const archived = async () => Number((await db.knex("reports").count({ n: "*" }))[0].n);
      const before = await archived();
      const huge = await cli(["--period", "2026-Q3", "--unit", "2147483648", "--out", path.join(dir, "h.xlsx")]);
      expect(huge.code).toBe(2);
      expect(huge.stderr.trim().split("\n")).toHaveLength(1);
      expect(huge.stderr).toContain("--unit phải là số hiệu đơn vị");
      const month13 = await cli(["--period", "2026-13"]);
      expect(month13.code).toBe(2);
      expect(month13.stderr.trim()).toBe('Mã kỳ không hợp lệ: "2026-13" (dạng 2026-11, 2026-Q3, 2026-H2 hoặc 2026)');
      await mkdir(path.join(dir, "thu-muc.xlsx"));
      const intoDir = await cli(["--period", "2026-Q3", "--out", path.join(dir, "thu-muc.xlsx")]);
      expect(intoDir.code).not.toBe(0);
      expect(intoDir.stderr.trim().split("\n")).toHaveLength(1);
      expect(intoDir.stderr).not.toMatch(/\bat \w|Error/);
      const ro = path.join(dir, "chi-doc");
      await mkdir(ro);
      await chmod(ro, 0o555);
      const unwritable = await cli(["--period", "2026-Q3", "--out", path.join(ro, "q3.xlsx")]);
      await chmod(ro, 0o755);
      if (process.getuid?.() !== 0) {
        // (root writes anywhere: the permission case only holds for an ordinary user)
        expect(unwritable.code).not.toBe(0);
        expect(unwritable.stderr.trim()).toBe(`Không ghi được vào thư mục ${ro}: không có quyền ghi.`);
      }
      expect(await archived()).toBe(before + (unwritable.code === 0 ? 1 : 0));
      expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
      expect(await readdir(ro)).toEqual(unwritable.code === 0 ? ["q3.xlsx"] : []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
