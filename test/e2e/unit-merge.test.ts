// End-to-end: an inspector merges Sở Thông tin và Truyền thông into Sở Khoa học và Công nghệ
// (the 03/2025 merger) on the unit admin page in Chromium: a refused empty form, the
// confirmation step, the merge itself, its history on both units' pages and its audit-log entry.
import { AxeBuilder } from "@axe-core/playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginAs, startHarness, type Harness } from "./harness.ts";

let h: Harness;
let skhcn: number;

beforeAll(async () => {
  h = await startHarness();
  [{ id: skhcn }] = await h.db.knex("units").insert({ code: "SO-KHCN", name: "Sở Khoa học và Công nghệ", unit_type: "so", group_code: "so-nganh" }).returning("id");
}, 180_000);

afterAll(async () => {
  await h?.close();
});

describe("merging units on the unit admin page", () => {
  it("asks for confirmation, merges, and shows the history on both units", async () => {
    const { context, page } = await loginAs(h, "kiemtra");
    try {
      await page.goto(`/quan-ly/don-vi/${skhcn}`);
      await page.getByRole("heading", { name: "Sáp nhập, đổi tên" }).waitFor();

      // Nothing selected: a Vietnamese error, nothing changed.
      await page.getByRole("button", { name: "Sáp nhập…" }).click();
      await page.getByText("Chọn ít nhất một đơn vị được sáp nhập.").waitFor();

      await page.getByLabel("Đơn vị được sáp nhập (giữ Ctrl để chọn nhiều)").selectOption({ label: "Sở Thông tin và Truyền thông (SO-TTTT)" });
      await page.locator("#gop-effectiveOn").fill("01/03/2025");
      await page.locator("#gop-note").fill("Hợp nhất Sở TT&TT vào Sở KH&CN");
      await page.getByRole("button", { name: "Sáp nhập…" }).click();
      const confirm = page.getByRole("form", { name: "Xác nhận sáp nhập" });
      await confirm.waitFor();
      expect(await confirm.innerText()).toContain("Xác nhận sáp nhập “Sở Thông tin và Truyền thông” vào “Sở Khoa học và Công nghệ” từ ngày 01/03/2025?");
      expect(Number((await h.db.knex("unit_lineage").count({ n: "*" }))[0].n)).toBe(0);
      const axe = await new AxeBuilder({ page: page as never }).include("main").analyze();
      expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

      await confirm.getByRole("button", { name: "Xác nhận sáp nhập" }).click();
      await page.getByRole("status").filter({ hasText: "Đã sáp nhập “Sở Thông tin và Truyền thông” vào đơn vị này từ ngày 01/03/2025." }).waitFor();
      const history = page.getByRole("region", { name: "Lịch sử sáp nhập / đổi tên" });
      await expect.poll(() => history.innerText()).toContain("01/03/2025: sáp nhập Sở Thông tin và Truyền thông vào Sở Khoa học và Công nghệ — Hợp nhất Sở TT&TT vào Sở KH&CN");

      const old = await h.db.knex("units").where({ id: h.seed.units.soA }).first("active");
      expect(old.active).toBe(false);
      expect((await h.db.knex("sites").where({ unit_id: skhcn }).pluck("base_url"))).toContain("https://soa.example.gov.vn/");
      const [log] = await h.db.knex("audit_log").where({ action: "unit.merge" }).select("details", "actor");
      expect(log.actor).toBe("kiemtra");
      expect(log.details.moTa).toBe("Sáp nhập “Sở Thông tin và Truyền thông” vào “Sở Khoa học và Công nghệ” từ ngày 01/03/2025.");

      // The merged unit's page says where it went; it can no longer be made active again.
      await page.goto(`/quan-ly/don-vi/${h.seed.units.soA}`);
      expect(await page.getByRole("region", { name: "Lịch sử sáp nhập / đổi tên" }).innerText()).toContain("Đơn vị này đã sáp nhập vào Sở Khoa học và Công nghệ từ ngày 01/03/2025.");
      expect(await page.getByRole("button", { name: "Theo dõi lại" }).count()).toBe(0);
      await page.goto(`/don-vi/${skhcn}`);
      expect(await page.getByRole("region", { name: "Lịch sử sáp nhập / đổi tên" }).innerText()).toContain("sáp nhập Sở Thông tin và Truyền thông vào Sở Khoa học và Công nghệ");
    } finally {
      await context.close();
    }
  });
});
