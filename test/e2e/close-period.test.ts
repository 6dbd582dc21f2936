// End-to-end: an inspector closes an ended period in Chromium (checklist, confirmation, official
// report downloaded without the draft stamp), sees it marked closed, then reopens it with a reason.
import { AxeBuilder } from "@axe-core/playwright";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recomputePeriods } from "../../db/scoring/compute.ts";
import { loginAs, startHarness, type Harness } from "./harness.ts";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  const k = h.db.knex;
  // October (ended): one audit of unit A, copied from its November audit; unit B not audited.
  await k.raw(
    `insert into site_audits (site_id, unit_id, status, reference_time, finished_at, summary)
     select site_id, unit_id, 'done', '2026-10-15T02:00:00Z', '2026-10-15T02:05:00Z', summary
       from site_audits where unit_id = ? and status = 'done' order by id limit 1`,
    [h.seed.units.soA],
  );
  await recomputePeriods(k, ["2026-10"]);
}, 180_000);

afterAll(async () => {
  await h?.close();
});

describe("closing a period", () => {
  it("inspector reviews the checklist, closes October, downloads the official report, reopens with a reason", async () => {
    const { context, page } = await loginAs(h, "kiemtra");
    try {
      await page.getByRole("link", { name: "Chốt kỳ" }).click();
      await page.waitForURL("**/chot-ky");
      const table = page.getByTestId("periods");
      await expect.poll(() => table.locator("tr", { hasText: "2026" }).count()).toBeGreaterThan(1);
      const octRow = table.locator("tr", { hasText: /Tháng 0?10\/2026/ });
      expect(await octRow.innerText()).toContain("Chưa chốt");
      expect(await table.locator("tr", { hasText: /Tháng 11\/2026/ }).innerText()).toContain("Đang diễn ra");

      await octRow.getByRole("link", { name: "Kiểm tra và chốt" }).click();
      await page.waitForURL("**/chot-ky?ky=2026-10");
      const checklist = await page.getByTestId("checklist").innerText();
      expect(checklist).toMatch(/\d+ đơn vị chưa được kiểm tra trong kỳ/);
      expect(checklist).toContain("Sở Tài chính");
      expect(checklist).toContain("Không còn giải trình chờ xử lý");
      // The page itself (the shared header is checked by the dashboard test).
      const axe = await new AxeBuilder({ page: page as never }).include("main").analyze();
      expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ") + " " + (n.failureSummary ?? "")).join("; ")}`)).toEqual([]);

      // The checklist is not clean: closing needs the confirmation checkbox.
      const confirm = page.getByLabel("Tôi đã xem các mục cần lưu ý ở trên và vẫn chốt kỳ.");
      await confirm.check();
      await page.getByRole("button", { name: /^Chốt Tháng 0?10\/2026$/ }).click();
      await page.getByRole("status").filter({ hasText: "Đã chốt" }).waitFor();
      await expect.poll(() => page.getByTestId("period-state").innerText(), { timeout: 10_000 }).toMatch(/^Đã chốt \d\d\/\d\d\/\d{4} \d\d:\d\d bởi Nguyễn Văn Kiểm$/);

      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Tải báo cáo chính thức của kỳ" }).click()]);
      expect(download.suggestedFilename()).toBe("bao-cao-2026-10.xlsx");
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile((await download.path())!);
      const text = wb.worksheets
        .flatMap((ws) => {
          const out: string[] = [];
          // A merged cell (the report's headings) holds its master's value, read at the master.
          ws.eachRow((row) => row.eachCell((c) => out.push(c.type === ExcelJS.ValueType.Merge ? "" : String(c.text ?? ""))));
          return out;
        })
        .join("\n");
      expect(text).not.toContain("BẢN NHÁP");
      expect(text).toContain("Sở Thông tin và Truyền thông");

      // The Báo cáo page lists the archived official report.
      await page.goto("/bao-cao");
      expect(await page.locator("main").innerText()).toContain("bao-cao-2026-10.xlsx");

      // Reopen: a reason is required (the browser refuses an empty one; the server too).
      await page.goto("/chot-ky?ky=2026-10");
      await page.getByLabel(/Lý do mở lại/).fill("Bổ sung kết quả kiểm tra Sở Tài chính");
      await page.getByRole("button", { name: "Mở lại kỳ" }).click();
      await page.getByRole("status").filter({ hasText: "Đã mở lại" }).waitFor();
      await expect.poll(() => page.getByTestId("period-state").innerText(), { timeout: 10_000 }).toBe("Chưa chốt");
      const log = await h.db.knex("audit_log").where({ action: "period.reopen" }).first();
      expect(log.details.reason).toBe("Bổ sung kết quả kiểm tra Sở Tài chính");

      // Bad input: a clear message, no crash.
      const res = await page.goto("/chot-ky?ky=2026-13");
      expect(res?.status()).toBe(200);
      const err = await page.getByRole("alert").innerText();
      expect(err).toContain('Mã kỳ không hợp lệ: "2026-13"');
      expect(err).not.toContain("month");
      await page.goto("/chot-ky?ky=2026-11");
      expect(await page.locator("main").innerText()).toContain("chưa kết thúc");
      expect(await page.getByRole("button", { name: /^Chốt / }).count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 120_000);

  it("is not offered to a unit head", async () => {
    const { context, page } = await loginAs(h, "thutruong.a");
    try {
      expect(await page.getByRole("link", { name: "Chốt kỳ" }).count()).toBe(0);
      const res = await page.goto("/chot-ky");
      expect(res?.status()).toBe(403);
    } finally {
      await context.close();
    }
  }, 60_000);
});
