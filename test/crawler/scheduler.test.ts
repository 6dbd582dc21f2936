// The schedule comes from settings, else AUDIT_CRON, else nightly; one site or unit can be
// audited now; stuck audits whose job is gone are closed.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditSiteNow, auditUnitNow, closeQueues, recoverStuckAudits } from "../../crawler/queue/index.ts";
import { checkSchedule, describeSchedule, formatRunTime, latestSlotAtOrBefore, nextRunsOf } from "../../crawler/queue/cron-rules.ts";
import {
  DEFAULT_AUDIT_CRON,
  readSchedule,
  reloadSchedulers,
  resolveSchedule,
  runDueRounds,
  startScheduler,
  type SchedulerHandle,
} from "../../crawler/queue/scheduler.ts";
import { validateSchedule } from "../../app/lib/schedule.server.ts";
import { createKnex } from "../../db/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { seedGroupsAndSettings, seedUnits } from "../../db/seeds/sample-province.ts";

let db: TestDatabase;
let unitIds: Map<string, number>;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedGroupsAndSettings(db.knex);
  unitIds = await seedUnits(db.knex, [
    { code: "U1", name: "Sở Thử Một", unitType: "so", group: "so-nganh", baseUrl: "http://127.0.0.1:9/", allowPrivate: true },
    { code: "U2", name: "UBND xã Thử", unitType: "ubnd_xa", group: "xa", baseUrl: "http://127.0.0.1:10/", allowPrivate: true },
  ]);
});
afterAll(async () => {
  delete process.env.AUDIT_CRON;
  await closeQueues();
  await db?.drop();
});

describe("scheduler", () => {
  it("reads the schedule from settings, then AUDIT_CRON, then the nightly default", async () => {
    await db.knex("settings").where({ key: "audit_schedule" }).delete();
    delete process.env.AUDIT_CRON;
    expect(await resolveSchedule(db.knex)).toBe(DEFAULT_AUDIT_CRON);
    process.env.AUDIT_CRON = "30 1 * * *";
    expect(await resolveSchedule(db.knex)).toBe("30 1 * * *");
    await db.knex("settings").insert({ key: "audit_schedule", value: JSON.stringify("15 3 * * 1-5") });
    expect(await resolveSchedule(db.knex)).toBe("15 3 * * 1-5");
    await db.knex("settings").where({ key: "audit_schedule" }).update({ value: JSON.stringify("not a cron") });
    expect(await resolveSchedule(db.knex)).toBe("30 1 * * *");
    const s = await startScheduler(db.knex);
    expect(s.expression).toBe("30 1 * * *");
    await db.knex("settings").where({ key: "audit_schedule" }).update({ value: JSON.stringify({ cron: "0 4 * * *" }) });
    expect(await s.reload()).toBe("0 4 * * *");
    await s.stop();
  });

  it("audits one site or one unit now, one queued audit per site", async () => {
    const site = await db.knex("sites").where({ unit_id: unitIds.get("U1") }).first("id");
    const r1 = await auditSiteNow(db.knex, site.id);
    const rows1 = await db.knex("site_audits").where({ round_id: r1 }).select("site_id", "status", "job_id");
    expect(rows1).toEqual([{ site_id: site.id, status: "queued", job_id: expect.any(String) }]);
    const job = await db.knex("pgboss.job").where({ id: rows1[0].job_id }).first("name", "data", "retry_limit");
    expect(job.name).toBe("audit-site");
    expect(job.retry_limit).toBeGreaterThanOrEqual(2);
    const r2 = await auditUnitNow(db.knex, unitIds.get("U2")!);
    expect(await db.knex("site_audits").where({ round_id: r2 }).count<{ count: string }[]>({ count: "*" })).toEqual([{ count: 1 }]);
  });

  it("closes audits whose job is gone", async () => {
    const site = await db.knex("sites").where({ unit_id: unitIds.get("U1") }).first("id");
    const roundId = await auditSiteNow(db.knex, site.id);
    const audit = await db.knex("site_audits").where({ round_id: roundId }).first("id", "job_id");
    await db.knex("pgboss.job").where({ id: audit.job_id }).delete();
    await db.knex("site_audits").where({ id: audit.id }).update({ queued_at: db.knex.raw("now() - interval '1 hour'") });
    const PgBoss = (await import("pg-boss")).default;
    const boss = new PgBoss({ connectionString: db.url, supervise: false, schedule: false });
    await boss.start();
    try {
      const r = await recoverStuckAudits(db.knex, boss, 60);
      expect(r.failed).toBeGreaterThanOrEqual(1);
    } finally {
      await boss.stop({ graceful: false });
    }
    const after = await db.knex("site_audits").where({ id: audit.id }).first("status", "error");
    expect(after.status).toBe("failed");
    expect((await db.knex("audit_rounds").where({ id: roundId }).first()).status).toBe("done");
  });
});

describe("storage of hostile content", () => {
  it("stores pages and findings whose text holds NUL characters", async () => {
    const { beginAttempt, insertPages, finishAudit } = await import("../../db/queries/audits.ts");
    const site = await db.knex("sites").where({ unit_id: unitIds.get("U2") }).first("id");
    const roundId = await auditSiteNow(db.knex, site.id);
    const audit = await db.knex("site_audits").where({ round_id: roundId }).first("id");
    const attempt = (await beginAttempt(db.knex, audit.id, "test", null))!;
    const body = Buffer.from("<title>a\u0000b</title>");
    await insertPages(db.knex, audit.id, attempt, [
      {
        url: "http://127.0.0.1:10/",
        finalUrl: "http://127.0.0.1:10/",
        status: 200,
        kind: "home",
        depth: 0,
        fetchedAt: new Date(),
        durationMs: 3,
        headers: { "content-type": "text/html; charset=utf-8", server: "x\u0000y" },
        contentHash: "0".repeat(64),
        body,
        rendered: false,
        notModified: false,
        title: "a\u0000b",
        error: null,
      },
    ]);
    await finishAudit(db.knex, audit.id, attempt, {
      status: "done",
      summary: { note: "x\u0000" },
      findings: [{ check: "encoding", code: "encoding.invalid-utf8", severity: "error", message: "m\u0000", url: "http://127.0.0.1:10/", snippet: "s\u0000", details: { sample: "\u0000\u0001" } }],
      error: null,
      progress: { planned: 1, done: 1, failed: 0 },
    });
    const page = await db.knex("pages").where({ site_audit_id: audit.id }).first("title", "headers", "id");
    expect(page.title).toBe("ab");
    expect(page.headers.server).toBe("xy");
    const finding = await db.knex("findings").where({ site_audit_id: audit.id }).first("message", "snippet", "details", "page_id");
    expect(finding).toEqual({ message: "m", snippet: "s", details: { sample: "\u0001" }, page_id: page.id });
    // A stale attempt can no longer write.
    await expect(insertPages(db.knex, audit.id, attempt, [])).resolves.toBeUndefined();
    await expect(finishAudit(db.knex, audit.id, attempt, { status: "done", summary: null, findings: [], error: null, progress: { planned: 0, done: 0, failed: 0 } })).rejects.toThrow(/no longer current/);
  });
});

// 2026-11-30 07:00 in Vietnam (a Monday).
const MON_0700 = new Date("2026-11-30T00:00:00Z");
/** A Vietnam wall-clock time as a Date (UTC+7, no daylight saving). */
const vn = (s: string) => new Date(`${s}+07:00`);

describe("schedule rules", () => {
  it("accepts daily, weekly and monthly schedules and describes them in Vietnamese", () => {
    const cases: [string, string][] = [
      ["0 2 * * *", "Lúc 02:00 hằng ngày"],
      ["0 2 * * 1", "Lúc 02:00 thứ Hai hằng tuần"],
      ["30 1 * * 0", "Lúc 01:30 Chủ nhật hằng tuần"],
      ["0 2 * * 1-5", "Lúc 02:00 từ thứ Hai đến thứ Sáu hằng tuần"],
      ["0 2 1 * *", "Lúc 02:00 ngày 1 hằng tháng"],
      ["0 2,14 * * *", "Lúc 02:00 và 14:00 hằng ngày"],
      ["0 * * * *", "Mỗi giờ một lần, vào phút 00"],
    ];
    for (const [expr, text] of cases) {
      const c = checkSchedule(expr, MON_0700);
      expect(c.ok, expr).toBe(true);
      expect(describeSchedule(expr), expr).toBe(text);
    }
    // An unusual shape has no phrase: the page shows the next runs instead.
    expect(describeSchedule("0 2 1-7 * 1")).toBeNull();
    expect(checkSchedule("0 2 1-7 * 1", MON_0700).ok).toBe(true);
  });

  it("refuses every minute, every 30 minutes, seconds, impossible dates and garbage, with the reason", () => {
    const refused: [string, string, RegExp][] = [
      ["* * * * *", "too-often", /quá dày.*1 phút/],
      ["*/30 * * * *", "too-often", /quá dày.*30 phút/],
      ["0,30 2 * * *", "too-often", /02:00 và 02:30/],
      ["0 0 2 * * *", "seconds", /trường giây/],
      ["0 2 30 2 *", "never", /không bao giờ chạy: tháng 2 không có ngày 30/],
      ["0 2 31 4 *", "never", /tháng 4 không có ngày 31/],
      ["0 2 31 2,4 *", "never", /không bao giờ chạy/],
      ["garbage", "syntax", /Biểu thức cron không hợp lệ/],
      ["61 * * * *", "syntax", /Biểu thức cron không hợp lệ/],
      ["", "empty", /Nhập biểu thức/],
    ];
    for (const [expr, kind, message] of refused) {
      const c = checkSchedule(expr, MON_0700);
      expect(c.ok, expr).toBe(false);
      if (!c.ok) {
        expect(c.kind, expr).toBe(kind);
        expect(c.error, expr).toMatch(message);
      }
    }
    // The page shows why a too frequent schedule is refused: its next runs.
    expect(validateSchedule("*/30 * * * *", MON_0700)).toMatchObject({ ok: false, nextRuns: ["30/11/2026 07:30", "30/11/2026 08:00", "30/11/2026 08:30"] });
  });

  it("gives the next three runs as dd/mm/yyyy HH:mm in Vietnam time", () => {
    // 19:00 UTC is 02:00 the next day in Vietnam.
    expect(formatRunTime(new Date("2026-11-30T19:00:00Z"))).toBe("01/12/2026 02:00");
    expect(validateSchedule("0 2 * * 1", MON_0700)).toEqual({
      ok: true,
      expression: "0 2 * * 1",
      description: "Lúc 02:00 thứ Hai hằng tuần",
      nextRuns: ["07/12/2026 02:00", "14/12/2026 02:00", "21/12/2026 02:00"],
    });
    expect(validateSchedule("  0  2 1 * * ", MON_0700)).toMatchObject({ ok: true, expression: "0 2 1 * *", nextRuns: ["01/12/2026 02:00", "01/01/2027 02:00", "01/02/2027 02:00"] });
  });
});

describe("run times", () => {
  it("agree with cron-parser's own iterator in Asia/Ho_Chi_Minh (next runs and the latest slot)", async () => {
    const parser = (await import("cron-parser")).default;
    const exprs = ["0 2 * * *", "15 3 * * 1-5", "0 2 1 * *", "30 23 31 * *", "0 2 1-7 * 1", "0 */6 * * *", "5 4 */2 * *", "0 2 29 2 *", "0 12 * 3,6 5"];
    for (const e of exprs) {
      for (const iso of ["2026-11-30T00:00:00Z", "2027-02-27T18:59:59.999Z", "2028-02-28T19:00:00Z"]) {
        const from = new Date(iso);
        const it = parser.parseExpression(e, { tz: "Asia/Ho_Chi_Minh", currentDate: from });
        const expected = [it.next(), it.next(), it.next()].map((x) => x.toDate().toISOString());
        expect(nextRunsOf(e, from, 3).map((d) => d.toISOString()), `${e} after ${iso}`).toEqual(expected);
        const back = parser.parseExpression(e, { tz: "Asia/Ho_Chi_Minh", currentDate: new Date(from.getTime() + 1) });
        expect(latestSlotAtOrBefore(e, from)?.toISOString(), `${e} at ${iso}`).toBe(back.prev().toDate().toISOString());
      }
    }
    expect(latestSlotAtOrBefore("0 2 * * *", new Date("2026-11-30T19:00:00Z"))).toEqual(new Date("2026-11-30T19:00:00Z"));
  });
});

describe("scheduled rounds", () => {
  const scheduleRounds = () =>
    db.knex("audit_rounds").where({ trigger: "schedule" }).orderBy("id").select("id", "reference_time");
  const handles: SchedulerHandle[] = [];
  const waitFor = async (cond: () => boolean | Promise<boolean>, ms = 5000) => {
    const until = Date.now() + ms;
    while (!(await cond())) {
      if (Date.now() > until) throw new Error("timed out");
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  beforeEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.stop()));
    await db.knex("scheduled_slots").delete();
    await db.knex("audit_rounds").where({ trigger: "schedule" }).update({ trigger: "test" });
    await db.knex("settings").insert({ key: "audit_schedule", value: JSON.stringify("0 2 * * *") }).onConflict("key").merge();
    delete process.env.AUDIT_CRON;
  });
  afterAll(async () => {
    await Promise.all(handles.splice(0).map((h) => h.stop()));
  });

  it("runDueRounds enqueues the most recent slot once, dated at the slot, for an injected clock", async () => {
    expect(await runDueRounds(db.knex, { now: vn("2026-12-02T01:59:59"), expression: "0 2 * * *" })).toMatchObject({ slot: vn("2026-12-01T02:00:00") });
    // The same slot again, or an earlier one: nothing.
    expect(await runDueRounds(db.knex, { now: vn("2026-12-02T01:59:59"), expression: "0 2 * * *" })).toBeNull();
    const due = await runDueRounds(db.knex, { now: vn("2026-12-02T02:00:00"), expression: "0 2 * * *" });
    expect(due?.slot).toEqual(vn("2026-12-02T02:00:00"));
    expect(await runDueRounds(db.knex, { now: vn("2026-12-02T09:00:00"), expression: "0 2 * * *" })).toBeNull();
    // Several days later: only the most recent slot (no backfill). `after` holds back older slots.
    expect(await runDueRounds(db.knex, { now: vn("2026-12-05T03:00:00"), expression: "0 2 * * *", after: vn("2026-12-05T02:30:00") })).toBeNull();
    const later = await runDueRounds(db.knex, { now: vn("2026-12-05T03:00:00") });
    expect(later?.slot).toEqual(vn("2026-12-05T02:00:00"));
    const rounds = await scheduleRounds();
    expect(rounds.map((r) => new Date(r.reference_time).toISOString())).toEqual(
      ["2026-12-01T02:00:00", "2026-12-02T02:00:00", "2026-12-05T02:00:00"].map((s) => vn(s).toISOString()),
    );
    expect(rounds.map((r) => r.id)).toEqual([expect.any(Number), due!.roundId, later!.roundId]);
    const audits = await db.knex("site_audits").where({ round_id: due!.roundId }).select("reference_time");
    expect(audits.length).toBe(2);
    for (const a of audits) expect(new Date(a.reference_time)).toEqual(vn("2026-12-02T02:00:00"));
    const slots = await db.knex("scheduled_slots").orderBy("slot").select("slot", "round_id");
    expect(slots.map((s) => s.round_id)).toEqual(rounds.map((r) => r.id));
    await expect(runDueRounds(db.knex, { now: vn("2026-12-06T03:00:00"), expression: "* * * * *" })).rejects.toThrow(/invalid audit schedule/);
  });

  it("two schedulers against one database enqueue one round per slot", async () => {
    const other = createKnex(db.url, { max: 3 });
    try {
      // The function itself, raced from two connection pools.
      const now = vn("2026-12-10T02:00:05");
      const results = await Promise.all([
        runDueRounds(db.knex, { now, expression: "0 2 * * *", claimedBy: "a" }),
        runDueRounds(other, { now, expression: "0 2 * * *", claimedBy: "b" }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await scheduleRounds()).toHaveLength(1);
      // Two live schedulers with the same clock, woken at the next slot.
      let t = vn("2026-12-11T01:59:50");
      const clock = () => t;
      const rounds: number[] = [];
      const opts = { clock, pollMs: 100, onRound: (id: number) => rounds.push(id) };
      handles.push(await startScheduler(db.knex, { ...opts, name: "a" }), await startScheduler(other, { ...opts, name: "b" }));
      await new Promise((r) => setTimeout(r, 300));
      expect(rounds).toEqual([]);
      t = vn("2026-12-11T02:00:01");
      await waitFor(() => rounds.length > 0);
      await Promise.all(handles.map((h) => h.tick()));
      await new Promise((r) => setTimeout(r, 300));
      expect(rounds).toHaveLength(1);
      const all = await scheduleRounds();
      expect(all).toHaveLength(2);
      expect(new Date(all[1].reference_time)).toEqual(vn("2026-12-11T02:00:00"));
      const claims = await db.knex("scheduled_slots").orderBy("slot").select("claimed_by", "round_id");
      expect(claims.map((c) => c.round_id)).toEqual(all.map((r) => r.id));
    } finally {
      await Promise.all(handles.splice(0).map((h) => h.stop()));
      await other.destroy();
    }
  });

  it("applies a schedule change without a restart: by polling, or at once after a save", async () => {
    let t = vn("2026-12-20T10:00:00");
    const rounds: Date[] = [];
    const polling = await startScheduler(db.knex, { clock: () => t, pollMs: 100, onRound: (_id, slot) => rounds.push(slot) });
    const idle = await startScheduler(db.knex, { clock: () => t, pollMs: 600_000 });
    handles.push(polling, idle);
    expect(polling.expression).toBe("0 2 * * *");
    await db.knex("settings").where({ key: "audit_schedule" }).update({ value: JSON.stringify("15 11 * * *") });
    await waitFor(() => polling.expression === "15 11 * * *");
    // The one that sleeps for 10 minutes picks it up at once when asked (what saving on the Kiểm tra page does).
    expect(idle.expression).toBe("0 2 * * *");
    await reloadSchedulers();
    expect(idle.expression).toBe("15 11 * * *");
    // The new schedule runs at its first slot; reloading again and again adds no timer and no round.
    await idle.stop();
    for (let i = 0; i < 5; i++) await polling.reload();
    t = vn("2026-12-20T11:15:00");
    await waitFor(() => rounds.length > 0);
    await new Promise((r) => setTimeout(r, 400));
    expect(rounds).toEqual([vn("2026-12-20T11:15:00")]);
    expect(await scheduleRounds()).toHaveLength(1);
  });

  it("does not crash on an invalid stored schedule and says why it is not used", async () => {
    await db.knex("settings").where({ key: "audit_schedule" }).update({ value: JSON.stringify("0 2 30 2 *") });
    process.env.AUDIT_CRON = "*/30 * * * *";
    const s = await readSchedule(db.knex, MON_0700);
    expect(s).toMatchObject({ expression: DEFAULT_AUDIT_CRON, source: "default", stored: "0 2 30 2 *" });
    expect(s.storedError).toMatch(/không bao giờ chạy/);
    expect(s.envError).toMatch(/quá dày/);
    const h = await startScheduler(db.knex, { pollMs: 600_000 });
    handles.push(h);
    expect(h.expression).toBe(DEFAULT_AUDIT_CRON);
    delete process.env.AUDIT_CRON;
  });
});
