// Appeals and mail against a real PostgreSQL and a local SMTP catcher (issue 15 §1, §2):
// an accepted explanation holds for later audits until it expires (accepted_findings), the
// monthly digest reaches every unit head, and a mail server that is down blocks nothing: the
// decision is saved, the mail waits in the outbox and is sent once the server is back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideAppealAction, fileAppealAction } from "../../app/lib/appeals.server.ts";
import { sendMonthlyDigest } from "../../app/lib/mail/notify.ts";
import { checkAttachments } from "../../app/lib/appeal-files.server.ts";
import { closeMailQueues, startMailWorker, type MailWorker } from "../../app/lib/mail/worker.ts";
import { vietnamToday } from "../../db/time.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { startMailCatcher, type MailCatcher } from "../helpers/smtp.ts";
import { seedDashboard, type SeedResult } from "../e2e/seed.ts";

let db: TestDatabase;
let seed: SeedResult;
const workers: MailWorker[] = [];
const catchers: MailCatcher[] = [];

function addDays(day: string, n: number): string {
  return new Date(Date.parse(day + "T00:00:00Z") + n * 86_400_000).toISOString().slice(0, 10);
}

async function ids(knex: TestDatabase["knex"], table: string, where: Record<string, unknown>): Promise<number[]> {
  return (await knex(table).where(where).pluck("id")).map(Number);
}

/** A later audit of site A (its Vietnam day `day`) repeating finding `findingId`. */
async function laterAuditRepeating(findingId: number, day: string): Promise<number> {
  const k = db.knex;
  const f = await k("findings").where({ id: findingId }).first();
  const [a] = await k("site_audits")
    .insert({ site_id: f.site_id, unit_id: f.unit_id, status: "done", reference_time: `${day}T02:00:00Z`, finished_at: `${day}T02:05:00Z`, summary: JSON.stringify({}) })
    .returning("id");
  const [nf] = await k("findings")
    .insert({ site_audit_id: a.id, site_id: f.site_id, unit_id: f.unit_id, check_id: f.check_id, code: f.code, category_id: f.category_id, severity: f.severity, message: f.message, url: f.url })
    .returning("id");
  return Number(nf.id);
}

beforeAll(async () => {
  process.env.MAIL_RETRY_DELAY = "1";
  db = await createTestDatabase();
  seed = await seedDashboard(db.knex);
  await db.knex("users").where({ username: "kiemtra" }).update({ email: "kiemtra@so.example.gov.vn" });
  await db.knex("users").where({ username: "thutruong.a" }).update({ email: "a@soa.example.gov.vn" });
  await db.knex("users").where({ username: "thutruong.b" }).update({ email: "b@sotc.example.gov.vn" });
}, 120_000);

afterAll(async () => {
  for (const w of workers) await w.stop();
  await closeMailQueues();
  for (const c of catchers) await c.close();
  await db?.drop();
});

describe("an accepted explanation holds for later audits until it expires", () => {
  it("covers the same finding at the next audit, and not after the expiry date", async () => {
    const k = db.knex;
    const [inspector] = await ids(k, "users", { username: "kiemtra" });
    const [head] = await ids(k, "users", { username: "thutruong.a" });
    const filed = await fileAppealAction(k, { findingId: seed.findings.missingA, userId: head, explanation: "Chuyên mục Lịch công tác có ở menu Tiện ích." });
    expect(filed.ok).toBe(true);
    const appealId = filed.ok ? filed.id : 0;
    const today = vietnamToday();
    const expires = addDays(today, 10);
    const decided = await decideAppealAction(k, { appealId, userId: inspector, accept: true, reason: "Đã xác minh.", scope: "finding", expiresOn: expires });
    expect(decided).toEqual({ ok: true, id: appealId });
    const next = await laterAuditRepeating(seed.findings.missingA, today);
    const afterExpiry = await laterAuditRepeating(seed.findings.missingA, addDays(expires, 1));
    const other = seed.findings.emailA; // another finding of the same site: not covered by a "finding" scope
    const covered = (await k("accepted_findings").pluck("finding_id")).map(Number);
    expect(covered).toContain(seed.findings.missingA);
    expect(covered).toContain(next);
    expect(covered).not.toContain(afterExpiry);
    expect(covered).not.toContain(other);
    const row = await k("appeals").where({ id: appealId }).first("status", "scope", "expires_on", "due_on");
    expect(row).toMatchObject({ status: "accepted", scope: "finding", expires_on: expires });
    expect(row.due_on > today).toBe(true);
  });
});

describe("mail", () => {
  it("the monthly digest reaches every unit head with an address", async () => {
    const catcher = await startMailCatcher({ port: 2527 });
    catchers.push(catcher);
    await db.knex("settings").insert({ key: "smtp_url", value: JSON.stringify(catcher.url) }).onConflict("key").merge(["value"]);
    workers.push(await startMailWorker({ url: db.url, tickMs: 500, digest: false }));
    const r = await sendMonthlyDigest(db.knex, "2026-11");
    const heads: string[] = await db.knex("users as u").leftJoin("units as un", "un.id", "u.unit_id").where({ "u.role": "unit_head", "u.active": true }).pluck("u.email");
    expect(heads.sort()).toEqual(["a@soa.example.gov.vn", "b@sotc.example.gov.vn"]);
    expect(r.queued).toBe(2);
    for (const to of heads) {
      const m = await catcher.waitFor((x) => x.to.includes(to) && x.subject.includes("Bản tin Tháng 11/2026"));
      expect(m.text).toMatch(/Điểm: [\d,]+\/100 điểm/);
      expect(m.text).toMatch(/Thứ hạng: hạng \d\/\d trong nhóm Sở, ban, ngành/);
      expect(m.text).toContain("Điểm bị trừ và cách khắc phục:");
    }
  }, 60_000);

  it("a mail server that is down blocks no decision; the mail is sent once it is back", async () => {
    const k = db.knex;
    for (const c of catchers.splice(0)) await c.close();
    const port = 2528;
    await k("settings").where({ key: "smtp_url" }).update({ value: JSON.stringify(`smtp://127.0.0.1:${port}`) });
    const [inspector] = await ids(k, "users", { username: "kiemtra" });
    const [headB] = await ids(k, "users", { username: "thutruong.b" });
    const filed = await fileAppealAction(k, { findingId: seed.findings.missingB, userId: headB, explanation: "Chuyên mục đã được bổ sung ngày 21/11/2026." });
    expect(filed.ok).toBe(true);
    const appealId = filed.ok ? filed.id : 0;
    const t0 = Date.now();
    const decided = await decideAppealAction(k, { appealId, userId: inspector, accept: false, reason: "Chưa thấy chuyên mục trên trang." });
    expect(decided.ok).toBe(true);
    expect(Date.now() - t0).toBeLessThan(10_000);
    // The worker tries and fails (nothing listens on the port): the mail waits in the outbox.
    await expect
      .poll(async () => Number((await k("mail_outbox").whereNull("sent_at").whereNotNull("last_error").count("* as n").first())?.n), { timeout: 20_000 })
      .toBeGreaterThan(0);
    expect(await k("mail_outbox").where({ to_address: "b@sotc.example.gov.vn", event: "appeal.decided" }).first("sent_at")).toEqual({ sent_at: null });
    const catcher = await startMailCatcher({ port });
    catchers.push(catcher);
    const m = await catcher.waitFor((x) => x.to.includes("b@sotc.example.gov.vn") && x.subject.includes(`#${appealId}`), 30_000);
    expect(m.subject).toContain("bị từ chối");
    const row = await k("mail_outbox").where({ to_address: "b@sotc.example.gov.vn", event: "appeal.decided" }).first("sent_at", "attempts");
    expect(row.sent_at).not.toBeNull();
    expect(row.attempts).toBeGreaterThanOrEqual(1);
    expect(Number((await k("mail_outbox").whereNull("sent_at").count("* as n").first())?.n)).toBe(0);
  }, 60_000);
});

describe("attachments", () => {
  it("are recognised by their content, not their name", () => {
    const pdf = { filename: "a.exe", body: Buffer.from("%PDF-1.7\n") };
    const fake = { filename: "anh.png", body: Buffer.from("MZ\x90\x00 not an image") };
    expect(checkAttachments([pdf])).toMatchObject({ ok: true, files: [{ contentType: "application/pdf" }] });
    const r = checkAttachments([fake]);
    expect(r.ok).toBe(false);
    expect(r.ok ? "" : r.error).toContain("không phải PDF hoặc ảnh");
    expect(checkAttachments([{ filename: "lon.pdf", body: Buffer.concat([Buffer.from("%PDF-"), Buffer.alloc(5 * 1024 * 1024)]) }]).ok).toBe(false);
  });
});
