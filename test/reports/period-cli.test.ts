// `npm run period`: exit codes 0 / 2 / 3 and the Vietnamese messages, against a real database.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recomputePeriods } from "../../db/queries/scoring.ts";
import { seedDefaultRubric } from "../../db/seeds/rubric-default.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { addAudit, addUnit, addUser, metrics, seedGroups } from "../scoring/fixtures.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
let db: TestDatabase;

function period(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "reports/period-cli.ts", ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The current month in Vietnam: it has not ended. */
function currentMonth(): string {
  return new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 7);
}

beforeAll(async () => {
  db = await createTestDatabase();
  const k = db.knex;
  await seedGroups(k);
  await seedDefaultRubric(k);
  await addUser(k, "thanhtra", "inspector");
  await addUser(k, "tinh", "province");
  const a = await addUnit(k, "so-a", "Sở Tư pháp", "so", "so-nganh");
  await addUnit(k, "so-b", "Sở Y tế", "so", "so-nganh");
  await addAudit(k, a, "2026-09-10T02:00:00Z", metrics());
  await recomputePeriods(k, ["2026-09"]);
});

afterAll(async () => {
  await db?.drop();
});

describe("period command", () => {
  it("bad arguments exit 2 with a Vietnamese message", async () => {
    // Independent invocations: run at once (each spawn compiles the CLI with tsx).
    const [bad, abc, noUser, noReason, unknown] = await Promise.all([
      period(["status", "2026-13"]),
      period(["close", "abc", "--user", "thanhtra"]),
      period(["close", "2026-09"]),
      period(["reopen", "2026-09", "--user", "thanhtra"]),
      period(["frobnicate", "2026-09"]),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Mã kỳ không hợp lệ: "2026-13"');
    expect(bad.stderr).not.toContain("month13");
    expect(abc.code).toBe(2);
    expect(abc.stderr).toContain('"abc"');
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toContain("--user");
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("lý do");
    expect(unknown.code).toBe(2);
  }, 180_000);

  it("status prints the state and the checklist", async () => {
    const r = await period(["status", "2026-09"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Tháng 0?9\/2026 \(2026-09\)/);
    expect(r.stdout).toContain("Trạng thái: Chưa chốt");
    expect(r.stdout).toContain("1 đơn vị chưa được kiểm tra trong kỳ");
    expect(r.stdout).toContain("Sở Y tế");
    const j = await period(["checklist", "2026-09", "--json"]);
    expect(JSON.parse(j.stdout).checklist.notAudited.map((u: { name: string }) => u.name)).toEqual(["Sở Y tế"]);
  }, 180_000);

  it("close: refused without --yes, for non-inspectors and before the end; done with --yes; refused when closed", async () => {
    const [unconfirmed, province, running] = await Promise.all([
      period(["close", "2026-09", "--user", "thanhtra"]),
      period(["close", "2026-09", "--user", "tinh", "--yes"]),
      period(["close", currentMonth(), "--user", "thanhtra", "--yes"]),
    ]);
    expect(unconfirmed.code).toBe(3);
    expect(unconfirmed.stderr).toContain("--yes");
    expect(province.code).toBe(3);
    expect(province.stderr).toContain("Chỉ cán bộ kiểm tra");
    expect(running.code).toBe(3);
    expect(running.stderr).toContain("chưa kết thúc");

    const ok = await period(["close", "2026-09", "--user", "thanhtra", "--yes"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Đã chốt Tháng 0?9\/2026/);
    expect(ok.stdout).toContain("bao-cao-2026-09.xlsx");
    expect((await db.knex("periods").where({ code: "2026-09" }).first("frozen_at")).frozen_at).not.toBeNull();

    const again = await period(["close", "2026-09", "--user", "thanhtra", "--yes"]);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain("đã được chốt");
    const list = await period(["list"]);
    expect(list.stdout).toMatch(/2026-09 .*Đã chốt \d\d\/\d\d\/\d{4} \d\d:\d\d bởi thanhtra/);
  }, 240_000);

  it("reopen with a reason exits 0 and logs it; reopening an open period exits 3", async () => {
    const r = await period(["reopen", "2026-09", "--user", "thanhtra", "--reason", "Sai sót khi nhập đơn vị"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Đã mở lại Tháng 0?9\/2026/);
    const log = await db.knex("audit_log").where({ action: "period.reopen" }).first();
    expect(log.details.reason).toBe("Sai sót khi nhập đơn vị");
    const again = await period(["reopen", "2026-09", "--user", "thanhtra", "--reason", "lần nữa"]);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain("chưa được chốt");
  }, 180_000);
});
