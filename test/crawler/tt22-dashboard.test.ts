// Criterion help on the dashboard (issue 14 §1): the unit page explains each criterion of the
// period's rubric (what is measured, legal basis, how to fix), and so does the rubric page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type DashboardServer } from "../../app/server.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { PASSWORD, seedDashboard, type SeedResult } from "../e2e/seed.ts";

let db: TestDatabase;
let server: DashboardServer;
let seed: SeedResult;
let cookie = "";

async function get(path: string): Promise<string> {
  const res = await fetch(server.url + path, { headers: { cookie }, redirect: "manual" });
  expect(res.status, path).toBe(200);
  return res.text();
}

beforeAll(async () => {
  db = await createTestDatabase();
  seed = await seedDashboard(db.knex);
  server = await startServer({ knex: db.knex, port: 0 });
  const res = await fetch(server.url + "/dang-nhap", {
    method: "POST",
    body: new URLSearchParams({ username: "kiemtra", password: PASSWORD }),
    headers: { "content-type": "application/x-www-form-urlencoded" },
    redirect: "manual",
  });
  cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; ");
  expect(cookie).not.toBe("");
}, 600_000);

afterAll(async () => {
  await server?.close().catch(() => undefined);
  const { closeQueues } = await import("../../crawler/queue/index.ts");
  await closeQueues().catch(() => undefined);
  await db?.drop();
});

describe("criterion help on the dashboard", () => {
  it("on the unit page, after the points table", async () => {
    const html = await get(`/don-vi/${seed.units.soA}?ky=2026-11`);
    expect(html).toContain("Giải thích các tiêu chí: đo gì, căn cứ pháp lý, cách khắc phục");
    expect(html).toContain("Đủ các chuyên mục bắt buộc");
    expect(html).toContain("Cách khắc phục");
  });

  it("on the rubric page, beside each criterion of a published version", async () => {
    const html = await get("/quan-ly/bo-tieu-chi");
    expect(html).toContain("Căn cứ pháp lý");
    expect(html).toContain("Giải thích");
  });
});
