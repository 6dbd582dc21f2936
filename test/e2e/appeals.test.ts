// End-to-end (issue 15 §1, §2): a unit head files an appeal with a PDF attachment from the unit
// page, the inspector opens it from the queue (linked from "Giải trình đang chờ xử lý"), sees the
// finding's evidence and the attachment, accepts it for the whole site until an expiry date; the
// unit head receives the e-mail in the local SMTP catcher and sees the outcome.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMailWorker, closeMailQueues, type MailWorker } from "../../app/lib/mail/worker.ts";
import { startMailCatcher, type MailCatcher } from "../helpers/smtp.ts";
import { loginAs, startHarness, type Harness } from "./harness.ts";

let h: Harness;
let catcher: MailCatcher;
let mail: MailWorker;
const SMTP_PORT = 2526;

beforeAll(async () => {
  h = await startHarness();
  const k = h.db.knex;
  catcher = await startMailCatcher({ port: SMTP_PORT });
  await k("settings").insert({ key: "smtp_url", value: JSON.stringify(catcher.url) }).onConflict("key").merge(["value"]);
  await k("users").where({ username: "kiemtra" }).update({ email: "kiemtra@so.example.gov.vn" });
  await k("users").where({ username: "thutruong.a" }).update({ email: "thutruong.a@soa.example.gov.vn" });
  mail = await startMailWorker({ url: h.db.url, tickMs: 1000, digest: false });
}, 240_000);

afterAll(async () => {
  await mail?.stop();
  await closeMailQueues();
  await catcher?.close();
  await h?.close();
});

describe("appeals workflow with e-mail", () => {
  it("unit head files with an attachment, inspector decides from the queue, unit head is mailed and sees the outcome", async () => {
    const head = await loginAs(h, "thutruong.a");
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
    let appealId: number;
    try {
      const page = head.page;
      await page.goto(`/don-vi/${h.seed.units.soA}`);
      const line = page.locator(`#phat-hien-${h.seed.findings.missingA}`);
      await line.getByText("Gửi giải trình cho phát hiện này").click();
      await line.getByLabel("Nội dung giải trình").fill("Đơn vị đã có chuyên mục Lịch công tác ở menu Tiện ích từ tháng 10.");
      await line.getByLabel(/Tệp đính kèm/).setInputFiles({ name: "Công văn số 12.pdf", mimeType: "application/pdf", buffer: pdf });
      await Promise.all([page.waitForURL(/\/giai-trinh\/\d+\?moi=1/), line.getByRole("button", { name: "Gửi giải trình" }).click()]);
      appealId = Number(/giai-trinh\/(\d+)/.exec(page.url())![1]);
      expect(await page.getByTestId("appeal-status").innerText()).toBe("Đã gửi");
      expect(await page.getByRole("status").innerText()).toMatch(/\d\d\/\d\d\/\d{4}/);
    } finally {
      await head.context.close();
    }
    const filed = await catcher.waitFor((m) => m.to.includes("kiemtra@so.example.gov.vn") && m.subject.includes(`#${appealId}`));
    expect(filed.text).toContain("Hạn xử lý:");

    const insp = await loginAs(h, "kiemtra");
    try {
      const page = insp.page;
      await page.goto("/quan-ly");
      await page.getByRole("link", { name: /Giải trình đang chờ xử lý: 1/ }).click();
      await page.waitForURL("**/giai-trinh");
      const queue = page.getByTestId("appeal-queue");
      expect(await queue.innerText()).toContain("Sở Thông tin và Truyền thông");
      await page.getByRole("link", { name: `Mở giải trình số ${appealId}` }).click();
      await page.waitForURL(`**/giai-trinh/${appealId}`);
      // The finding's evidence and the unit's attachment, side by side.
      expect(await page.getByRole("link", { name: "Xem bằng chứng (trang đã lưu)" }).getAttribute("href")).toMatch(/^\/bang-chung\/\d+$/);
      const fileLink = page.getByTestId("appeal-files").getByRole("link", { name: "Công văn số 12.pdf" });
      const res = await page.request.get((await fileLink.getAttribute("href"))!);
      expect(res.headers()["content-type"]).toBe("application/pdf");
      expect(Buffer.from(await res.body()).equals(pdf)).toBe(true);

      await page.getByRole("button", { name: "Bắt đầu xem xét" }).click();
      await expect.poll(() => page.getByTestId("appeal-status").innerText()).toBe("Đang xem xét");
      await page.getByRole("radio", { name: /^Chấp nhận/ }).check();
      await page.getByLabel("Phạm vi áp dụng khi chấp nhận").selectOption("site");
      await page.getByLabel(/Hiệu lực đến ngày/).fill("2099-12-31");
      await page.getByLabel("Lý do quyết định").fill("Đã xác minh chuyên mục có ở menu Tiện ích.");
      await page.getByRole("button", { name: "Lưu quyết định" }).click();
      await expect.poll(() => page.getByTestId("appeal-status").innerText(), { timeout: 20_000 }).toBe("Được chấp nhận");
      expect(await page.locator("main").innerText()).toContain("31/12/2099");
    } finally {
      await insp.context.close();
    }
    const decided = await catcher.waitFor((m) => m.to.includes("thutruong.a@soa.example.gov.vn") && m.subject.includes(`#${appealId}`));
    expect(decided.subject).toContain("được chấp nhận");
    expect(decided.text).toContain("31/12/2099");

    const head2 = await loginAs(h, "thutruong.a");
    try {
      await head2.page.goto("/giai-trinh");
      const row = head2.page.getByTestId("appeal-queue").locator("tr", { hasText: `#${appealId}` });
      expect(await row.innerText()).toContain("Được chấp nhận");
    } finally {
      await head2.context.close();
    }
    const actions = await h.db.knex("audit_log").where({ entity: "appeal", entity_id: String(appealId) }).orderBy("id").pluck("action");
    expect(actions).toEqual(["appeal.file", "appeal.review", "appeal.accept"]);
  }, 180_000);
});
