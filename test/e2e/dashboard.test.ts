// End-to-end: each role walks its main path in real Chromium and is refused what it may not do.
import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfOf, loginAs, startHarness, type Harness } from "./harness.ts";
import { getRanking } from "../../db/queries/scores.ts";

let h: Harness;
const t0 = Date.now();
const step = (name: string) => process.env.E2E_TRACE && process.stderr.write(`[e2e ${((Date.now() - t0) / 1000).toFixed(1)}s] ${name}\n`);

beforeAll(async () => {
  h = await startHarness();
}, 180_000);

afterAll(async () => {
  await h?.close();
});

async function seriousViolations(page: Page, opts: { skipFrames?: boolean } = {}): Promise<string[]> {
  // The evidence iframe is sandboxed without scripts: axe cannot (and must not) run inside it.
  const builder = new AxeBuilder({ page: page as never });
  if (opts.skipFrames) builder.setLegacyMode(true);
  const res = await builder.analyze();
  return res.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

describe("inspector", () => {
  it("sees the ranking, a unit's lost points and evidence, audits with live progress, and manages", async () => {
    const { context, page } = await loginAs(h, "kiemtra");
    await context.addInitScript(() => {
      const w = window as unknown as { __messages: unknown[] };
      w.__messages = [];
      window.addEventListener("message", (e) => w.__messages.push(e.data));
    });
    try {
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Xếp hạng Tháng 11/2026");
      const body = await page.locator("main").innerText();
      expect(body).toContain("Sở Tài chính");
      expect(body).toContain("78,50");
      expect(body).toContain("▲ +3,50");
      // Criterion groups: points out of their maximum, never NaN or undefined.
      expect(body).not.toMatch(/NaN|undefined/);
      expect(await page.locator("main tbody tr", { hasText: "Sở Tài chính" }).first().innerText()).toMatch(/36,00\/40,00\s+18,00\/20,00\s+15,00\/15,00\s+6,00\/10,00\s+11,00\/15,00/);
      expect(body).toContain("Chưa chốt");
      expect(await seriousViolations(page)).toEqual([]);

      step('Filters: group and search.');
      // Filters: group and search.
      await page.goto("/?ky=2026-11&q=T%C3%A0i");
      expect(await page.locator("main tbody tr").count()).toBe(1);

      step('Unit detail: lost points');
      // Unit detail: lost points link to findings, which link to evidence.
      await page.goto(`/don-vi/${h.seed.units.soA}?ky=2026-11`);
      const main = await page.locator("main").innerText();
      expect(main).toContain("Thiếu chuyên mục Lịch công tác");
      expect(main).toContain("Việt Nam Cộng hòa");
      expect(main).toContain("Thư điện tử");
      expect(main).toContain("18/11/2026");
      await page.locator(`a[href="#phat-hien-${h.seed.findings.missingA}"]`).first().click();
      expect(await seriousViolations(page)).toEqual([]);

      await page.locator(`#phat-hien-${h.seed.findings.legacyA} a`, { hasText: "Xem bằng chứng" }).click();
      await page.waitForURL(`**/bang-chung/${h.seed.pages.homeA}`);
      const frame = page.locator("iframe.evidence-frame");
      expect(await frame.getAttribute("sandbox")).toBe("");
      const raw = await page.request.get(`/ban-goc/${h.seed.pages.homeA}`);
      expect(raw.status()).toBe(200);
      expect(raw.headers()["content-security-policy"]).toMatch(/^sandbox;.*script-src 'none'/);
      expect(await raw.text()).toContain("ViÖt Nam");
      // The snapshot's script never runs inside the sandbox (it would post a message to us).
      await page.reload();
      await page.waitForLoadState("load");
      await page.waitForTimeout(500);
      expect(await page.evaluate(() => (window as unknown as { __messages: unknown[] }).__messages)).toEqual([]);
      expect(await seriousViolations(page, { skipFrames: true })).toEqual([]);

      step('Audits: the running audit');
      // Audits: the running audit's progress updates without a reload (poll every 2 s).
      await page.goto("/kiem-tra");
      const row = page.locator(`tr[data-audit-id="${h.seed.runningAuditId}"] [data-testid="progress-text"]`);
      expect(await row.textContent()).toContain("17/40");
      await h.db.knex("site_audits").where({ id: h.seed.runningAuditId }).update({ pages_done: 33 });
      await row.filter({ hasText: "33/40" }).waitFor({ timeout: 8000 });
      expect(await seriousViolations(page)).toEqual([]);

      step('Schedule: invalid cron');
      // Schedule: invalid cron refused with a Vietnamese message, valid one saved.
      await page.getByLabel(/Biểu thức cron/).fill("61 * * * *");
      await page.getByRole("button", { name: "Lưu lịch" }).click();
      await page.getByText("Biểu thức cron không hợp lệ").waitFor();
      await page.getByLabel(/Biểu thức cron/).fill("30 1 * * *");
      await page.getByRole("button", { name: "Lưu lịch" }).click();
      await page.getByText("Đã lưu lịch kiểm tra.").waitFor();
      expect((await h.db.knex("settings").where({ key: "audit_schedule" }).first()).value).toBe("30 1 * * *");

      // Audit now: every site of a unit goes into the queue as one manual round.
      await page.getByLabel("Đơn vị", { exact: true }).selectOption(String(h.seed.units.soB));
      await page.getByRole("button", { name: "Kiểm tra mọi website của đơn vị" }).click();
      await page.getByText("Đã đưa 1 website của Sở Tài chính vào hàng đợi kiểm tra.").waitFor();
      const queued = await h.db.knex("site_audits as a").join("audit_rounds as r", "r.id", "a.round_id").where({ "a.unit_id": h.seed.units.soB, "r.trigger": "manual" }).first("a.status");
      expect(queued?.status).toBe("queued");

      step('Management: a unit form');
      // Management: a unit form with per-field errors, then a valid unit.
      await page.goto("/quan-ly/don-vi");
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByLabel("Mã đơn vị").fill("có dấu");
      await page.getByLabel("Website chính (không bắt buộc)").fill("không phải url");
      await page.getByRole("button", { name: "Thêm đơn vị" }).click();
      await page.getByText("Mã đơn vị chỉ gồm chữ không dấu").waitFor();
      expect(await page.getByText("Nhập tên đơn vị.").count()).toBe(1);
      expect(await page.getByText("Địa chỉ website không hợp lệ").count()).toBe(1);
      await page.getByLabel("Mã đơn vị").fill("SO-YT");
      await page.getByLabel("Tên đơn vị", { exact: true }).fill("Sở Y tế");
      await page.getByLabel("Website chính (không bắt buộc)").fill("https://soyt.example.gov.vn");
      await page.getByRole("button", { name: "Thêm đơn vị" }).click();
      await page.getByText("Đã thêm đơn vị.").waitFor();
      const created = await h.db.knex("units").where({ code: "SO-YT" }).first();
      expect(created.name).toBe("Sở Y tế");
      expect(await h.db.knex("sites").where({ unit_id: created.id }).count("* as n")).toEqual([{ n: 1 }]);
      const log = await h.db.knex("audit_log").where({ action: "unit.create" }).first();
      expect(log.entity_id).toBe(String(created.id));

      step('Rubric: copy');
      // Rubric: copy the published version to a draft, then publish it with an effective date.
      await page.goto("/quan-ly/bo-tieu-chi");
      await page.getByRole("button", { name: /Sao chép .* thành bản nháp/ }).first().click();
      await page.getByText("Bản nháp", { exact: true }).first().waitFor();
      await page.getByLabel("Ngày hiệu lực (dd/mm/yyyy)").fill("01/01/2027");
      await page.getByRole("button", { name: "Xem trước ảnh hưởng" }).click();
      // Effective from 2027: no open period changes, and the preview says so before anything is published.
      await page.getByTestId("publish-preview").getByText("Không đơn vị nào thay đổi điểm.").waitFor();
      expect(await h.db.knex("rubric_versions").where({ status: "draft" }).count("* as n")).toEqual([{ n: 1 }]);
      await page.getByRole("button", { name: "Xác nhận ban hành" }).click();
      await page.getByText(/Đã ban hành, hiệu lực từ 01\/01\/2027/).waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      step('Holidays: add');
      // Holidays: add a day typed as dd/mm/yyyy.
      await page.goto("/quan-ly/ngay-nghi?nam=2027");
      await page.getByLabel("Ngày (dd/mm/yyyy)").fill("02/09/2027");
      await page.getByLabel("Tên", { exact: true }).fill("Quốc khánh");
      await page.getByRole("button", { name: "Lưu" }).click();
      await page.getByText("Đã lưu ngày 02/09/2027.").waitFor();
      await page.locator("main tbody").getByText("Quốc khánh").waitFor();

      // The other management pages pass axe as well.
      for (const path of ["/quan-ly", "/quan-ly/nguoi-dung", "/quan-ly/nhap-excel", "/quan-ly/khoa-api", `/quan-ly/don-vi/${h.seed.units.soA}`, "/doi-mat-khau"]) {
        await page.goto(path);
        expect(await seriousViolations(page), path).toEqual([]);
      }
      expect((await h.db.knex("holidays").where({ day: "2027-09-02" }).first())?.name).toBe("Quốc khánh");
    } finally {
      await context.close();
    }
  }, 120_000);
});

async function workbook(rows: (string | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Đơn vị");
  ws.addRow(["DANH SÁCH ĐƠN VỊ"]);
  ws.addRow(["Tên đơn vị", "Loại", "Nhóm", "Website", "Email thủ trưởng"]);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe("unit list import", () => {
  it("shows per-row errors and imports nothing from a bad file, everything from a good one", async () => {
    const { context, page } = await loginAs(h, "kiemtra");
    try {
      const before = await h.db.knex("units").count("* as n");
      await page.goto("/quan-ly/nhap-excel");
      const bad = await workbook([
        ["UBND xã Tân Hà", "UBND cấp xã", "UBND cấp xã", "https://tanha.example.gov.vn", "chutich@tanha.example.gov.vn"],
        ["UBND xã Đông Hà", "Hợp tác xã", "UBND cấp xã", "không-phải-địa-chỉ", "sai-email"],
      ]);
      await page.getByLabel("Tệp Excel").setInputFiles({ name: "don-vi.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: bad });
      await page.getByRole("button", { name: "Nhập" }).click();
      await page.getByText("Có 1 dòng lỗi; chưa nhập dòng nào.").waitFor();
      const errors = await page.locator("main tbody").innerText();
      expect(errors).toContain("4");
      expect(errors).toContain('loại "Hợp tác xã" không hợp lệ');
      expect(errors).toContain("email");
      expect(await h.db.knex("units").count("* as n")).toEqual(before);

      const good = await workbook([
        ["UBND xã Tân Hà", "UBND cấp xã", "UBND cấp xã", "https://tanha.example.gov.vn", "chutich@tanha.example.gov.vn"],
        ["Sở Tài chính", "Sở", "Sở, ban, ngành", "https://sotc2.example.gov.vn", null],
      ]);
      await page.getByLabel("Tệp Excel").setInputFiles({ name: "don-vi.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: good });
      await page.getByRole("button", { name: "Nhập" }).click();
      await page.getByText("Đã nhập 2 dòng: 1 đơn vị mới, 1 đơn vị cập nhật, 2 website mới.").waitFor();
      const tanHa = await h.db.knex("units").where({ name: "UBND xã Tân Hà" }).first();
      expect(tanHa).toMatchObject({ unit_type: "ubnd_xa", group_code: "xa", head_email: "chutich@tanha.example.gov.vn" });
      expect((await h.db.knex("sites").where({ unit_id: h.seed.units.soB })).map((s) => s.base_url).sort()).toEqual([
        "https://sotc.example.gov.vn/",
        "https://sotc2.example.gov.vn/",
      ]);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe("unit head", () => {
  it("sees the own unit in full, files an appeal, and is refused another unit's detail and evidence", async () => {
    const { context, page } = await loginAs(h, "thutruong.a");
    try {
      // The public ranking of everybody, but links only into the own unit.
      expect(await page.locator("main").innerText()).toContain("Sở Tài chính");
      expect(await page.locator(`main a[href^="/don-vi/${h.seed.units.soB}"]`).count()).toBe(0);

      await page.goto(`/don-vi/${h.seed.units.soA}`);
      const f = page.locator(`#phat-hien-${h.seed.findings.emailA}`);
      await f.getByText("Gửi giải trình cho phát hiện này").click();
      await f.getByLabel("Nội dung giải trình").fill("Chân trang đã có thư điện tử từ ngày 19/11/2026, xem trang chủ.");
      await f.getByRole("button", { name: "Gửi giải trình" }).click();
      await page.getByText("Đã gửi giải trình.").waitFor();
      const appeal = await h.db.knex("appeals").where({ finding_id: h.seed.findings.emailA }).first();
      expect(appeal.status).toBe("pending");
      expect(await seriousViolations(page)).toEqual([]);

      // Another unit: detail, evidence page and raw snapshot are all refused.
      for (const path of [`/don-vi/${h.seed.units.soB}`, `/bang-chung/${h.seed.pages.homeB}`, `/ban-goc/${h.seed.pages.homeB}`]) {
        const res = await page.request.get(path, { maxRedirects: 0 });
        expect([403, 404], path).toContain(res.status());
      }
      const shown = await page.goto(`/bang-chung/${h.seed.pages.homeB}`);
      expect(shown?.status()).toBe(404);
      expect(await page.locator("main").innerText()).toContain("Không tìm thấy");

      // Management is for inspectors only.
      expect((await page.request.get("/quan-ly/don-vi", { maxRedirects: 0 })).status()).toBe(403);
      // Reports: only the own unit's.
      const csrf = await csrfOf(page);
      const other = await page.request.post("/bao-cao/tai", { form: { _csrf: csrf, ky: "2026-11", nhap: "1", donVi: String(h.seed.units.soB) } });
      expect(other.status()).toBe(403);
    } finally {
      await context.close();
    }

    // The inspector decides the appeal.
    const insp = await loginAs(h, "kiemtra");
    try {
      await insp.page.goto(`/don-vi/${h.seed.units.soA}`);
      const appealId = (await h.db.knex("appeals").where({ finding_id: h.seed.findings.emailA }).first()).id;
      await insp.page.getByLabel("Lý do").fill("Đã kiểm tra lại, chân trang có thư điện tử.");
      await insp.page.getByRole("button", { name: "Chấp nhận" }).click();
      await insp.page.getByText("Đã chấp nhận giải trình.").waitFor();
      expect((await h.db.knex("appeals").where({ id: appealId }).first()).status).toBe("accepted");
    } finally {
      await insp.context.close();
    }
  }, 120_000);
});

describe("province", () => {
  it("reads everything and cannot change the rubric", async () => {
    const { context, page } = await loginAs(h, "tinh");
    try {
      await page.goto(`/don-vi/${h.seed.units.soB}`);
      expect(await page.locator("h1").textContent()).toBe("Sở Tài chính");
      await page.goto("/bao-cao");
      expect(await seriousViolations(page)).toEqual([]);
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Tải bản nháp" }).first().click()]);
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      expect(await h.db.knex("reports").count("* as n")).toEqual([{ n: 1 }]);
      const csrf = await csrfOf(page);
      const rubric = await h.db.knex("rubric_versions").first("id");
      const res = await page.request.post("/quan-ly/bo-tieu-chi", { form: { _csrf: csrf, intent: "copy", versionId: String(rubric.id) }, maxRedirects: 0 });
      expect(res.status()).toBe(403);
      expect((await page.request.get("/quan-ly/bo-tieu-chi", { maxRedirects: 0 })).status()).toBe(403);
      expect(await h.db.knex("rubric_versions").where({ created_by: (await h.db.knex("users").where({ username: "tinh" }).first()).id }).count("* as n")).toEqual([{ n: 0 }]);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe("security", () => {
  it("refuses a mutation without the CSRF token", async () => {
    const { context, page } = await loginAs(h, "kiemtra");
    try {
      const before = await h.db.knex("settings").where({ key: "audit_schedule" }).first();
      const noToken = await page.request.post("/kiem-tra", { form: { intent: "schedule", cron: "0 3 * * *" } });
      expect(noToken.status()).toBe(403);
      const badToken = await page.request.post("/kiem-tra", { form: { _csrf: "sai", intent: "schedule", cron: "0 3 * * *" } });
      expect(badToken.status()).toBe(403);
      expect((await h.db.knex("settings").where({ key: "audit_schedule" }).first()).value).toEqual(before.value);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("sets a fresh httpOnly SameSite=Lax session cookie at login, Secure behind HTTPS", async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${h.server.url}/dang-nhap`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: "username=tinh&password=mat-khau-thu-nghiem-2026&next=/",
      });
    const plain = await post({ cookie: "tt_session=planted-by-attacker" });
    expect(plain.status).toBe(302);
    const cookie = plain.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    expect(cookie).not.toContain("planted-by-attacker");
    const planted = await fetch(`${h.server.url}/`, { redirect: "manual", headers: { cookie: "tt_session=planted-by-attacker" } });
    expect(planted.status).toBe(302);
    const secure = await post({ "x-forwarded-proto": "https" });
    expect(secure.headers.get("set-cookie") ?? "").toMatch(/Secure/);
  });

  it("throttles repeated failed logins with a Vietnamese message", async () => {
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${h.server.url}/dang-nhap`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `username=thutruong.b&password=sai-mat-khau-${i}&next=/`,
      });
      expect(res.status).toBe(200);
    }
    const context = await h.browser.newContext({ baseURL: h.server.url });
    const page = await context.newPage();
    try {
      // Even the right password is refused while the account is throttled.
      await page.goto("/dang-nhap");
      await page.getByLabel("Tên đăng nhập").fill("thutruong.b");
      await page.getByLabel("Mật khẩu").fill("mat-khau-thu-nghiem-2026");
      await page.getByRole("button", { name: "Đăng nhập" }).click();
      await page.getByRole("alert").waitFor();
      expect(await page.getByRole("alert").textContent()).toContain("Đăng nhập sai quá 5 lần");
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
    // Other accounts from the same address still log in.
    const other = await loginAs(h, "tinh");
    await other.context.close();
  }, 60_000);

  it("answers the JSON API only with a valid bearer token", async () => {
    const { createHash } = await import("node:crypto");
    const token = "tt_test_token_0123456789abcdef";
    await h.db.knex("api_tokens").insert({ name: "Hệ thống báo cáo", token_hash: createHash("sha256").update(token).digest("hex") });
    expect((await fetch(`${h.server.url}/api/v1/units`)).status).toBe(401);
    expect((await fetch(`${h.server.url}/api/v1/units`, { headers: { authorization: "Bearer tt_wrong_token_0123456789" } })).status).toBe(401);
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const units = await (await fetch(`${h.server.url}/api/v1/units`, auth)).json();
    expect(units.units.map((u: { name: string }) => u.name)).toContain("Sở Thông tin và Truyền thông");
    const scores = await (await fetch(`${h.server.url}/api/v1/periods/2026-11/scores?group=so-nganh`, auth)).json();
    expect(scores.period.code).toBe("2026-11");
    const names = scores.scores.map((s: { unitName: string }) => s.unitName);
    expect(names).toContain("Sở Thông tin và Truyền thông");
    expect(names).toContain("Sở Tài chính");
    expect(names).not.toContain("UBND huyện Đức Linh");
    expect(scores.scores.every((s: { group: string; total: number | null }) => s.group === "so-nganh" && s.total !== undefined)).toBe(true);
    const findings = await (await fetch(`${h.server.url}/api/v1/units/${h.seed.units.soA}/findings?period=2026-11`, auth)).json();
    expect(findings.findings.map((f: { code: string }) => f.code)).toContain("encoding.legacy-text");
    expect((await fetch(`${h.server.url}/api/v1/periods/1999-01/scores`, auth)).status).toBe(404);
  });
});

describe("phone width", () => {
  it("fits the main pages in 375 px without horizontal page scroll", async () => {
    const { context, page } = await loginAs(h, "thutruong.a", { viewport: { width: 375, height: 740 } });
    try {
      for (const path of ["/", `/don-vi/${h.seed.units.soA}`, "/kiem-tra", "/bao-cao"]) {
        await page.goto(path);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, path).toBeLessThanOrEqual(1);
        expect(await seriousViolations(page), path).toEqual([]);
      }
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe("password change and logout", () => {
  it("changes the password with per-field errors, ends the session at logout", async () => {
    const { context, page } = await loginAs(h, "thutruong.a");
    try {
      await page.goto("/doi-mat-khau");
      await page.getByLabel("Mật khẩu hiện tại").fill("sai-mat-khau-cu");
      await page.getByLabel("Mật khẩu mới", { exact: true }).fill("ngan");
      await page.getByLabel("Nhập lại mật khẩu mới").fill("khac");
      await page.getByRole("button", { name: "Đổi mật khẩu" }).click();
      await page.getByText("Mật khẩu mới cần ít nhất 10 ký tự.").waitFor();
      await page.getByLabel("Mật khẩu hiện tại").fill("mat-khau-thu-nghiem-2026");
      await page.getByLabel("Mật khẩu mới", { exact: true }).fill("mat-khau-moi-2026!");
      await page.getByLabel("Nhập lại mật khẩu mới").fill("mat-khau-moi-2026!");
      await page.getByRole("button", { name: "Đổi mật khẩu" }).click();
      await page.getByText("Đã đổi mật khẩu.").waitFor();
      expect((await h.db.knex("audit_log").where({ action: "user.password-change" }).count("* as n"))[0].n).toBe(1);

      await page.getByRole("button", { name: "Đăng xuất" }).click();
      await page.waitForURL("**/dang-nhap");
      expect(await h.db.knex("sessions").join("users", "users.id", "sessions.user_id").where({ "users.username": "thutruong.a" }).count("* as n")).toEqual([{ n: 0 }]);
      await page.getByLabel("Tên đăng nhập").fill("thutruong.a");
      await page.getByLabel("Mật khẩu").fill("mat-khau-moi-2026!");
      await page.getByRole("button", { name: "Đăng nhập" }).click();
      await page.getByRole("button", { name: "Đăng xuất" }).waitFor();
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe("the ranking as a list that scales", () => {
  it("finds 'duc linh' without accents and exports the filtered view to Excel and CSV", async () => {
    const { context, page } = await loginAs(h, "tinh");
    try {
      await page.goto("/");
      await page.getByLabel("Tìm đơn vị").fill("duc linh");
      await page.getByRole("button", { name: "Lọc" }).click();
      await page.waitForURL(/q=duc/);
      const names = async () => (await page.locator("main table tbody tr td:nth-child(2)").allTextContents()).map((n) => n.trim());
      await expect.poll(names, { timeout: 10_000 }).toEqual(["UBND huyện Đức Linh"]);

      // Sorting by a column: the header says how the table is sorted.
      await page.goto("/");
      await page.getByRole("link", { name: "Tổng", exact: true }).first().click();
      await page.waitForURL(/sap-xep=tong&chieu=giam/);
      await expect.poll(() => page.locator("th[aria-sort='descending']").first().textContent()).toBe("Tổng");
      await page.goto("/");
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Excel" }).click()]);
      expect(download.suggestedFilename()).toMatch(/^xep-hang-.*\.xlsx$/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(await download.path());
      const ws = wb.worksheets[0];
      const header = (ws.getRow(2).values as unknown[]).slice(1);
      const iName = header.indexOf("Đơn vị");
      const iTotal = header.indexOf("Tổng điểm");
      const iRank = header.indexOf("Hạng");
      const rows: Record<string, { total: unknown; rank: unknown }> = {};
      for (let r = 3; r <= ws.rowCount; r++) {
        const v = (ws.getRow(r).values as unknown[]).slice(1);
        // An empty cell (a unit not audited: no total, no rank) reads as undefined.
        rows[String(v[iName])] = { total: v[iTotal] ?? null, rank: v[iRank] ?? null };
      }
      // Every unit of the period (all pages), numbers as numbers, as the read side gives them.
      const periodCode = new URLSearchParams((await page.getByRole("link", { name: "Excel" }).getAttribute("href"))!.split("?")[1]).get("ky")!;
      const expected = Object.fromEntries((await getRanking(h.db.knex, periodCode)).map((r) => [r.unitName, { total: r.total, rank: r.rank }]));
      expect(Object.keys(expected).length).toBeGreaterThanOrEqual(3);
      expect(rows).toEqual(expected);

      const csvHref = await page.getByRole("link", { name: "CSV" }).getAttribute("href");
      expect(csvHref).toMatch(/^\/xep-hang\/tai\?ky=.+&dinh-dang=csv$/);
      const csv = await page.request.get(`${csvHref}&q=tai%20chinh`);
      const csvText = await csv.text();
      expect(csv.headers()["content-type"]).toContain("text/csv");
      expect(csvText.charCodeAt(0)).toBe(0xfeff);
      const lines = csvText.slice(1).trim().split("\r\n");
      expect(lines[0].startsWith("Nhóm,Hạng,Mã,Đơn vị,")).toBe(true);
      // One unit found; a group name with commas is quoted.
      expect(lines).toHaveLength(2);
      expect(lines[1].startsWith('"Sở, ban, ngành",1,SO-TC,Sở Tài chính,')).toBe(true);
      expect((await page.request.get("/xep-hang/tai?ky=2026-13&dinh-dang=csv")).status()).toBe(404);
      expect((await page.request.get("/xep-hang/tai?dinh-dang=pdf")).status()).toBe(400);
    } finally {
      await context.close();
    }
  }, 60_000);
});
