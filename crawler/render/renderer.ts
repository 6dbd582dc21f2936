// Rendering only where needed: one pooled Chromium per process (playwright-core + the
// system's Debian Chromium), a bounded number of pages at a time, a timeout per page, and
// every request the page makes checked against the site's target policy.
import fs from "node:fs";
import { execFileSync } from "node:child_process";
import type { Browser } from "playwright-core";
import { Semaphore } from "../fetch/limiter.ts";
import { urlRefusal, type TargetPolicy } from "../fetch/ssrf.ts";
import { DEFAULT_USER_AGENT, headerSafe } from "../fetch/fetcher.ts";
import type { SiteSnapshot } from "../types.ts";

export type AxeSummary = NonNullable<SiteSnapshot["axe"]>;

export interface RenderResult {
  html: string;
  axe?: AxeSummary | null;
  axeError?: string;
}

export interface RendererOptions {
  executablePath?: string;
  maxPages?: number;
  timeoutMs?: number;
  userAgent?: string;
}

export class RenderUnavailableError extends Error {}

export function findChromium(explicit?: string): string | null {
  const candidates = [explicit, process.env.CHROMIUM_PATH].filter((x): x is string => !!x);
  for (const c of candidates) if (fs.existsSync(c)) return c;
  if (candidates.length) return null;
  for (const name of ["chromium", "chromium-browser"]) {
    try {
      const p = execFileSync("which", [name], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
      if (p) return p;
    } catch {
      // not on PATH
    }
  }
  return null;
}

export class Renderer {
  private browser: Promise<Browser> | null = null;
  private unavailable: string | null = null;
  private slots: Semaphore;
  private readonly timeoutMs: number;

  constructor(private readonly opts: RendererOptions = {}) {
    this.slots = new Semaphore(opts.maxPages ?? 2);
    this.timeoutMs = opts.timeoutMs ?? 20_000;
  }

  /** Why rendering is impossible here, or null when Chromium is (probably) usable. */
  unavailableReason(): string | null {
    if (this.unavailable) return this.unavailable;
    if (!findChromium(this.opts.executablePath)) this.unavailable = "không tìm thấy Chromium (đặt CHROMIUM_PATH hoặc cài gói chromium)";
    return this.unavailable;
  }

  private launch(): Promise<Browser> {
    this.browser ??= (async () => {
      const why = this.unavailableReason();
      if (why) throw new RenderUnavailableError(why);
      const { chromium } = await import("playwright-core");
      try {
        const browser = await chromium.launch({
          executablePath: findChromium(this.opts.executablePath)!,
          headless: true,
          args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
          timeout: 30_000,
        });
        browser.on("disconnected", () => {
          this.browser = null;
        });
        return browser;
      } catch (err) {
        this.unavailable = `không khởi động được Chromium: ${(err as Error).message.split("\n")[0]}`;
        this.browser = null;
        throw new RenderUnavailableError(this.unavailable);
      }
    })();
    return this.browser;
  }

  async render(url: string, policy: TargetPolicy, opts: { axe?: boolean } = {}): Promise<RenderResult> {
    const browser = await this.launch();
    const release = await this.slots.acquire();
    const context = await browser.newContext({ userAgent: headerSafe(this.opts.userAgent ?? DEFAULT_USER_AGENT), javaScriptEnabled: true, serviceWorkers: "block" });
    try {
      await context.route("**/*", (route) => {
        const req = route.request();
        let target: URL;
        try {
          target = new URL(req.url());
        } catch {
          return route.abort("blockedbyclient");
        }
        if (target.protocol === "data:" || target.protocol === "blob:") return route.continue();
        if (urlRefusal(target, policy)) return route.abort("blockedbyclient");
        const type = req.resourceType();
        if (type === "image" || type === "media" || type === "font") return route.abort("blockedbyclient");
        return route.continue();
      });
      const page = await context.newPage();
      page.setDefaultTimeout(this.timeoutMs);
      await page.goto(url, { waitUntil: "load", timeout: this.timeoutMs });
      await page.waitForLoadState("networkidle", { timeout: Math.min(3_000, this.timeoutMs) }).catch(() => undefined);
      const html = await page.content();
      const result: RenderResult = { html };
      if (opts.axe) {
        try {
          const { AxeBuilder } = await import("@axe-core/playwright");
          const axe = await new AxeBuilder({ page }).analyze();
          result.axe = {
            violations: axe.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, nodes: v.nodes.length, help: v.help })),
          };
        } catch (err) {
          result.axeError = (err as Error).message.split("\n")[0];
        }
      }
      return result;
    } finally {
      await context.close().catch(() => undefined);
      release();
    }
  }

  async close(): Promise<void> {
    const b = this.browser;
    this.browser = null;
    if (b) await (await b.catch(() => null))?.close().catch(() => undefined);
  }
}
