// Rendering only where needed: one pooled Chromium per process (playwright-core + the
// system's Debian Chromium), a bounded number of pages at a time, and bounded work:
// - every request the page makes goes through a per-page guard proxy applying the fetcher's
//   target policy (guard-proxy.ts), with Chromium's own name resolution switched off;
// - each render (navigation, rendered HTML, axe) has a hard time bound, and the browser's
//   memory is watched: a browser over its bound is killed and relaunched on the next render;
// - a render that cannot finish returns a typed failure {code, reason} (tryRender) instead of
//   hanging; render() throws it as a RenderFailedError for callers that prefer exceptions.
import fs from "node:fs";
import { execFileSync } from "node:child_process";
import type { Browser, BrowserContext, BrowserServer } from "playwright-core";
import { Semaphore } from "../fetch/limiter.ts";
import { urlRefusal, type TargetPolicy } from "../fetch/ssrf.ts";
import { DEFAULT_USER_AGENT, headerSafe } from "../fetch/fetcher.ts";
import type { SiteSnapshot } from "../types.ts";
import { startGuardProxy, type GuardProxy, type Refusal } from "./guard-proxy.ts";
import { processTreeRssBytes } from "./process-memory.ts";

export type AxeSummary = NonNullable<SiteSnapshot["axe"]>;

export interface RenderResult {
  html: string;
  axe?: AxeSummary | null;
  axeError?: string;
  /** Requests the guard refused while the page was open. */
  refused?: Refusal[];
  /** PNG of the viewport (1280×720; images, media and fonts are not loaded), when asked. */
  screenshot?: Buffer;
  screenshotError?: string;
}

export interface RenderOptions {
  axe?: boolean;
  /** Take a PNG of the viewport once the page has settled (the home page's evidence, issue 13 §4). */
  screenshot?: boolean;
}

export type RenderFailureCode = "timeout" | "memory" | "blocked" | "crashed" | "unavailable" | "error";

export interface RenderFailure {
  ok: false;
  code: RenderFailureCode;
  /** Vietnamese, for the finding and the audit's "chưa xác minh được" reason. */
  reason: string;
}

export type RenderOutcome = ({ ok: true } & RenderResult) | RenderFailure;

export interface RendererOptions {
  executablePath?: string;
  maxPages?: number;
  /** Navigation bound (page.goto until "load"). */
  timeoutMs?: number;
  /** Bound of the accessibility run. */
  axeTimeoutMs?: number;
  /** Memory bound of the whole browser (all its processes, resident set). */
  maxBrowserMemoryMb?: number;
  /** V8 heap bound of each page (Chromium's --max-old-space-size for renderers). */
  maxPageHeapMb?: number;
  userAgent?: string;
}

export class RenderUnavailableError extends Error {}

/** A render that did not finish: code and Vietnamese reason. */
export class RenderFailedError extends Error {
  constructor(
    readonly code: RenderFailureCode,
    readonly reason: string,
  ) {
    super(reason);
    this.name = "RenderFailedError";
  }
}

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

/** A positive whole number from the environment (operators' and tests' override of a bound). */
function envMs(name: string): number | undefined {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : undefined;
}

/** Time for the rendered HTML and closing the page, on top of navigation and axe. */
const SETTLE_MS = 3_000;
const CLOSE_MS = 5_000;
const MEMORY_POLL_MS = 1_000;

/** One render in progress, as seen by its bound. */
interface RenderWork {
  cancelled: boolean;
  context: BrowserContext | null;
}

/** One launched browser; killed (never reused) once it has exceeded a bound. */
interface Generation {
  server: BrowserServer;
  browser: Browser;
  killed: string | null;
  killCode: RenderFailureCode;
  onKill: Set<(code: RenderFailureCode, reason: string) => void>;
  watch: NodeJS.Timeout;
}

export class Renderer {
  private current: Promise<Generation> | null = null;
  private unavailable: string | null = null;
  private slots: Semaphore;
  private readonly timeoutMs: number;
  private readonly axeTimeoutMs: number;
  private readonly maxMemoryBytes: number;
  /** Browsers killed for exceeding a bound (for tests and logs). */
  recycled = 0;
  /** Stuck pages ended by closing their context (the browser kept). */
  stuckPagesClosed = 0;

  constructor(private readonly opts: RendererOptions = {}) {
    this.slots = new Semaphore(opts.maxPages ?? 2);
    this.timeoutMs = opts.timeoutMs ?? envMs("RENDER_TIMEOUT_MS") ?? 20_000;
    this.axeTimeoutMs = opts.axeTimeoutMs ?? envMs("RENDER_AXE_TIMEOUT_MS") ?? 20_000;
    this.maxMemoryBytes = (opts.maxBrowserMemoryMb ?? envMs("RENDER_MAX_MEMORY_MB") ?? 1536) * 1024 * 1024;
  }

  /** The longest one render can take once it has a slot (the stated bound), in milliseconds. */
  get boundMs(): number {
    return this.timeoutMs + SETTLE_MS + this.axeTimeoutMs + CLOSE_MS;
  }

  /** Why rendering is impossible here, or null when Chromium is (probably) usable. */
  unavailableReason(): string | null {
    if (this.unavailable) return this.unavailable;
    if (!findChromium(this.opts.executablePath)) this.unavailable = "không tìm thấy Chromium (đặt CHROMIUM_PATH hoặc cài gói chromium)";
    return this.unavailable;
  }

  private launch(): Promise<Generation> {
    this.current ??= (async () => {
      const why = this.unavailableReason();
      if (why) throw new RenderUnavailableError(why);
      const { chromium } = await import("playwright-core");
      let server: BrowserServer;
      try {
        server = await chromium.launchServer({
          executablePath: findChromium(this.opts.executablePath)!,
          headless: true,
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-dev-shm-usage",
            // Every connection goes through the guard proxy, which resolves names itself:
            // Chromium resolves nothing (the proxy is an IP literal, excluded from the rule).
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            // WebRTC may not send UDP outside the proxy.
            "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
            "--webrtc-ip-handling-policy=disable_non_proxied_udp",
            `--js-flags=--max-old-space-size=${this.opts.maxPageHeapMb ?? 512}`,
          ],
          timeout: 30_000,
        });
      } catch (err) {
        this.unavailable = `không khởi động được Chromium: ${(err as Error).message.split("\n")[0]}`;
        this.current = null;
        throw new RenderUnavailableError(this.unavailable);
      }
      const browser = await chromium.connect(server.wsEndpoint(), { timeout: 30_000 }).catch(async (err: Error) => {
        await server.kill().catch(() => undefined);
        this.current = null;
        throw new RenderFailedError("crashed", `không kết nối được Chromium: ${err.message.split("\n")[0]}`);
      });
      const pid = server.process().pid;
      const gen: Generation = { server, browser, killed: null, killCode: "crashed", onKill: new Set(), watch: undefined as unknown as NodeJS.Timeout };
      gen.watch = setInterval(() => {
        if (!pid) return;
        const rss = processTreeRssBytes(pid);
        if (rss > this.maxMemoryBytes) {
          void this.kill(gen, "memory", `trình duyệt vượt giới hạn bộ nhớ (${Math.round(rss / 1048576)} MB > ${Math.round(this.maxMemoryBytes / 1048576)} MB)`);
        }
      }, MEMORY_POLL_MS);
      gen.watch.unref();
      browser.on("disconnected", () => {
        void this.kill(gen, "crashed", "trình duyệt đã dừng bất thường");
      });
      return gen;
    })();
    const p = this.current;
    p.catch(() => {
      if (this.current === p) this.current = null;
    });
    return p;
  }

  /** Kills a browser (all its processes); the next render launches a fresh one. */
  private async kill(gen: Generation, code: RenderFailureCode, reason: string): Promise<void> {
    if (gen.killed) return;
    gen.killed = reason;
    gen.killCode = code;
    clearInterval(gen.watch);
    if (code !== "crashed") this.recycled++;
    const cur = this.current;
    if (cur && (await cur.catch(() => null)) === gen) this.current = null;
    for (const f of gen.onKill) f(code, reason);
    gen.onKill.clear();
    await gen.server.kill().catch(() => undefined);
  }

  /**
   * Renders a page: never throws and never takes longer than boundMs once it has a slot.
   * A failure carries why (timeout, memory, blocked, crashed, unavailable, error).
   */
  async tryRender(url: string, policy: TargetPolicy, opts: RenderOptions = {}): Promise<RenderOutcome> {
    // The slot first, then the browser: a browser killed while this render waited is not used.
    const release = await this.slots.acquire();
    let gen: Generation;
    try {
      gen = await this.launch();
    } catch (err) {
      release();
      if (err instanceof RenderFailedError) return { ok: false, code: err.code, reason: err.reason };
      return { ok: false, code: "unavailable", reason: (err as Error).message.split("\n")[0] };
    }
    let proxy: GuardProxy | null = null;
    let timer: NodeJS.Timeout | undefined;
    let onKill: ((code: RenderFailureCode, reason: string) => void) | undefined;
    const work: RenderWork = { cancelled: false, context: null };
    let boundHit = false;
    try {
      if (gen.killed) return { ok: false, code: gen.killCode, reason: gen.killed };
      proxy = await startGuardProxy(policy);
      const bound = new Promise<RenderFailure>((resolve) => {
        timer = setTimeout(() => {
          boundHit = true;
          resolve({ ok: false, code: "timeout", reason: `hiển thị trang vượt quá ${Math.round(this.boundMs / 1000)} giây` });
        }, this.boundMs);
        onKill = (code, reason) => resolve({ ok: false, code, reason });
        gen.onKill.add(onKill);
      });
      const outcome = await Promise.race([this.renderIn(gen, proxy, url, policy, opts, work), bound]);
      if (!outcome.ok) work.cancelled = true;
      if (boundHit) {
        // The page is stuck (endless script): its context is closed, which ends its renderer
        // process; when even that does not finish, the whole browser is killed, so that
        // nothing it holds (CPU, memory, the slot) outlives the bound. Other pages rendering
        // in the same browser are left alone whenever the context closes.
        const closed = await Promise.race([
          (work.context?.close() ?? Promise.resolve()).then(() => true, () => true),
          new Promise<boolean>((r) => setTimeout(() => r(false), CLOSE_MS).unref()),
        ]);
        if (!closed) await this.kill(gen, "timeout", outcome.ok ? "" : outcome.reason);
        else this.stuckPagesClosed++;
      }
      return outcome;
    } catch (err) {
      return { ok: false, code: "error", reason: (err as Error).message.split("\n")[0] };
    } finally {
      clearTimeout(timer);
      if (onKill) gen.onKill.delete(onKill);
      await proxy?.close().catch(() => undefined);
      release();
    }
  }

  /** Like tryRender, but a failure is thrown as a RenderFailedError. */
  async render(url: string, policy: TargetPolicy, opts: RenderOptions = {}): Promise<RenderResult> {
    const outcome = await this.tryRender(url, policy, opts);
    if (!outcome.ok) throw new RenderFailedError(outcome.code, outcome.reason);
    const { ok: _ok, ...result } = outcome;
    return result;
  }

  private async renderIn(
    gen: Generation,
    proxy: GuardProxy,
    url: string,
    policy: TargetPolicy,
    opts: RenderOptions,
    work: RenderWork,
  ): Promise<RenderOutcome> {
    const first = (() => {
      try {
        return urlRefusal(new URL(url), policy);
      } catch {
        return "URL không hợp lệ";
      }
    })();
    if (first) return { ok: false, code: "blocked", reason: `địa chỉ không được phép: ${first}` };
    const context = await gen.browser.newContext({
      userAgent: headerSafe(this.opts.userAgent ?? DEFAULT_USER_AGENT),
      javaScriptEnabled: true,
      serviceWorkers: "block",
      proxy: { server: proxy.server },
    });
    work.context = context;
    try {
      // A first, cheap filter (the proxy is the boundary): no images, media or fonts, and
      // nothing outside the policy leaves the page.
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
      let crashed = false;
      page.on("crash", () => {
        crashed = true;
      });
      // The last document response of the page itself (a refresh or script may navigate later).
      let refusedDocument = false;
      page.on("response", (r) => {
        if (r.request().isNavigationRequest() && r.frame() === page.mainFrame() && r.headers()["x-tt-refused"] === "1") refusedDocument = true;
      });
      const documentRefusal = (): string | null => {
        const at = page.url();
        let why: string | null;
        try {
          why = urlRefusal(new URL(at), policy);
        } catch {
          why = "URL không hợp lệ";
        }
        if (!why && !refusedDocument) return null;
        return why ?? proxy.refused.find((r) => r.url === at)?.reason ?? proxy.refused.at(-1)?.reason ?? "";
      };
      let response;
      try {
        response = await page.goto(url, { waitUntil: "load", timeout: this.timeoutMs });
      } catch (err) {
        if (crashed) return { ok: false, code: "memory", reason: "trang bị dừng khi hiển thị (vượt giới hạn bộ nhớ hoặc lỗi trình duyệt)" };
        const msg = (err as Error).message.split("\n")[0];
        if (/Timeout/i.test(msg)) return { ok: false, code: "timeout", reason: `trang không tải xong trong ${Math.round(this.timeoutMs / 1000)} giây` };
        const refusedMain = proxy.refused.find((r) => r.url === url || r.url.startsWith("CONNECT"));
        if (refusedMain) return { ok: false, code: "blocked", reason: `bị chặn: ${refusedMain.reason}` };
        return { ok: false, code: "error", reason: msg };
      }
      if (work.cancelled) return { ok: false, code: "timeout", reason: "đã hủy" };
      // The document shown must itself be allowed: a redirect to a refused target ends here.
      const finalUrl = page.url();
      const finalRefusal = (() => {
        try {
          return urlRefusal(new URL(finalUrl), policy);
        } catch {
          return "URL không hợp lệ";
        }
      })();
      if (response?.headers()["x-tt-refused"] === "1" || finalRefusal) {
        const why = finalRefusal ?? proxy.refused.find((r) => r.url === finalUrl)?.reason ?? proxy.refused.at(-1)?.reason ?? "";
        const redirected = finalUrl !== url || (response?.request().redirectedFrom() ?? null) !== null;
        return { ok: false, code: "blocked", reason: `${redirected ? "chuyển hướng tới địa chỉ" : "địa chỉ"} không được phép: ${why}` };
      }
      await page.waitForLoadState("networkidle", { timeout: Math.min(SETTLE_MS, this.timeoutMs) }).catch(() => undefined);
      let html: string;
      try {
        html = await page.content();
      } catch (err) {
        const why = documentRefusal();
        if (why) return { ok: false, code: "blocked", reason: `chuyển hướng tới địa chỉ không được phép: ${why}` };
        throw err;
      }
      // A refresh or a script may have taken the page elsewhere meanwhile.
      const later = documentRefusal();
      if (later) return { ok: false, code: "blocked", reason: `chuyển hướng tới địa chỉ không được phép: ${later}` };
      const result: RenderResult = { html, refused: proxy.refused };
      if (opts.screenshot && !work.cancelled) {
        try {
          result.screenshot = await page.screenshot({ type: "png", fullPage: false, timeout: Math.min(SETTLE_MS * 4, this.timeoutMs) });
        } catch (err) {
          result.screenshotError = (err as Error).message.split("\n")[0];
        }
      }
      if (opts.axe && !work.cancelled) {
        let axeTimer: NodeJS.Timeout | undefined;
        try {
          const { AxeBuilder } = await import("@axe-core/playwright");
          const axe = await Promise.race([
            new AxeBuilder({ page }).analyze(),
            new Promise<never>((_, reject) => {
              axeTimer = setTimeout(() => reject(new Error(`kiểm tra khả năng tiếp cận vượt quá ${Math.round(this.axeTimeoutMs / 1000)} giây`)), this.axeTimeoutMs);
            }),
          ]);
          result.axe = {
            violations: axe.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, nodes: v.nodes.length, help: v.help })),
          };
        } catch (err) {
          result.axeError = (err as Error).message.split("\n")[0];
        } finally {
          clearTimeout(axeTimer);
        }
      }
      return { ok: true, ...result };
    } finally {
      // A page stuck in a script may not close: the bound above still holds (the browser is
      // killed on timeout), and a close that does not finish is abandoned.
      const closed = await Promise.race([
        context.close().then(() => true, () => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), CLOSE_MS).unref()),
      ]);
      if (!closed) await this.kill(gen, "timeout", "trang không đóng được (tập lệnh không dừng)");
    }
  }

  async close(): Promise<void> {
    const cur = this.current;
    this.current = null;
    const gen = cur ? await cur.catch(() => null) : null;
    if (!gen) return;
    clearInterval(gen.watch);
    gen.killed ??= "đã đóng";
    await Promise.race([gen.browser.close().catch(() => undefined), new Promise((r) => setTimeout(r, CLOSE_MS).unref())]);
    await gen.server.close().catch(() => undefined);
    await gen.server.kill().catch(() => undefined);
  }
}
