// The schedule comes from settings, else AUDIT_CRON, else nightly; one site or unit can be
// audited now; stuck audits whose job is gone are closed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditSiteNow, auditUnitNow, closeQueues, recoverStuckAudits } from "../../crawler/queue/index.ts";
import { DEFAULT_AUDIT_CRON, resolveSchedule, startScheduler } from "../../crawler/queue/scheduler.ts";
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
