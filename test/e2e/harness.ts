// The dashboard under test: a fresh database, the seed, the server in-process, one Chromium.
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startServer, type DashboardServer } from "../../app/server.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { PASSWORD, seedDashboard, type SeedResult } from "./seed.ts";

export interface Harness {
  db: TestDatabase;
  server: DashboardServer;
  browser: Browser;
  seed: SeedResult;
  close(): Promise<void>;
}

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
}

export async function startHarness(): Promise<Harness> {
  const db = await createTestDatabase();
  const seed = await seedDashboard(db.knex);
  const server = await startServer({ knex: db.knex, port: 0 });
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  return {
    db,
    server,
    browser,
    seed,
    async close() {
      await browser.close().catch(() => undefined);
      await server.close().catch(() => undefined);
      const { closeQueues } = await import("../../crawler/queue/index.ts");
      await closeQueues().catch(() => undefined);
      await db.drop();
    },
  };
}

export async function loginAs(
  h: Harness,
  username: string,
  opts: { viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await h.browser.newContext({ baseURL: h.server.url, viewport: opts.viewport ?? { width: 1280, height: 900 }, locale: "vi-VN" });
  const page = await context.newPage();
  await page.goto("/dang-nhap");
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill(PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/dang-nhap")), page.getByRole("button", { name: "Đăng nhập" }).click()]);
  await page.getByRole("button", { name: "Đăng xuất" }).waitFor();
  return { context, page };
}

/** The CSRF token of the page's session, read from any mutating form on the page. */
export async function csrfOf(page: Page): Promise<string> {
  return page.locator('input[name="_csrf"]').first().inputValue();
}
