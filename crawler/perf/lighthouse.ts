// Page-load measurement with Lighthouse (npm `lighthouse` 12.8, the last major for Node 20) driving
// the system Chromium: mobile form factor and Lighthouse's default mobile throttling (simulated
// slow 4G and 4× CPU, as PageSpeed Insights), performance category only, four audits (FCP, LCP,
// Speed Index, TBT). One Chromium per batch of pages, launched with the renderer's flags and
// behind the renderer's guard proxy (crawler/render/guard-proxy.ts): every request of the page
// goes through the site's target policy and Chromium resolves no name itself.
// A page that cannot be measured returns a run with `error` (Vietnamese), never throws.
// See docs/decisions/0019-page-load.md.
import { findChromium } from "../render/renderer.ts";
import { startGuardProxy, type GuardProxy } from "../render/guard-proxy.ts";
import { urlRefusal, type TargetPolicy } from "../fetch/ssrf.ts";
import { DEFAULT_USER_AGENT } from "../fetch/fetcher.ts";
import { PAGE_LOAD_BUDGETS, type PageLoadMetric } from "./budgets.ts";

export type Throttling = "simulate" | "devtools";

export interface PageLoadRunResult {
  url: string;
  finalUrl: string | null;
  measuredAt: Date;
  fcpMs: number | null;
  lcpMs: number | null;
  speedIndexMs: number | null;
  tbtMs: number | null;
  /** Why the page could not be measured (Vietnamese); null when it was. */
  error: string | null;
  /** Wall-clock milliseconds the measurement of this page took (Chromium busy). */
  durationMs: number;
  throttling: Throttling;
  lighthouseVersion: string | null;
}

export interface MeasureOptions {
  executablePath?: string;
  /** Lighthouse's throttling method (default PAGE_LOAD_THROTTLING, else "simulate"). */
  throttling?: Throttling;
  /** Bound of one page (navigation, load and trace); default 45 s (PAGE_LOAD_TIMEOUT_MS). */
  pageTimeoutMs?: number;
}

function envMs(name: string): number | undefined {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : undefined;
}

function defaultThrottling(): Throttling {
  return process.env.PAGE_LOAD_THROTTLING === "devtools" ? "devtools" : "simulate";
}

/** The Lighthouse runtime errors worth a Vietnamese sentence; others keep their code. */
const RUNTIME_ERRORS: Record<string, string> = {
  NO_FCP: "trang không hiển thị nội dung nào",
  NO_LCP: "không xác định được nội dung lớn nhất của trang",
  PAGE_HUNG: "trang bị treo khi tải",
  FAILED_DOCUMENT_REQUEST: "không tải được trang",
  ERRORED_DOCUMENT_REQUEST: "máy chủ trả lỗi khi tải trang",
  NOT_HTML: "địa chỉ không phải trang HTML",
  NO_SPEEDLINE_FRAMES: "không ghi được hình ảnh quá trình hiển thị",
  DNS_FAILURE: "không phân giải được tên miền",
};

interface LhAudit {
  numericValue?: number;
  errorMessage?: string;
}
interface LhResult {
  lhr: {
    lighthouseVersion: string;
    finalDisplayedUrl?: string;
    runtimeError?: { code: string; message: string };
    audits: Record<string, LhAudit | undefined>;
  };
}
type LighthouseFn = (url: string, flags: Record<string, unknown>, config?: unknown) => Promise<LhResult | undefined>;

let lighthouseModule: Promise<LighthouseFn> | null = null;
function loadLighthouse(): Promise<LighthouseFn> {
  lighthouseModule ??= import("lighthouse").then((m) => m.default as unknown as LighthouseFn);
  return lighthouseModule;
}

/** Why Lighthouse cannot run here (no Chromium), or null. */
export function pageLoadUnavailable(executablePath?: string): string | null {
  return findChromium(executablePath) ? null : "không tìm thấy Chromium (đặt CHROMIUM_PATH hoặc cài gói chromium)";
}

function emptyRun(url: string, error: string, throttling: Throttling, started: number): PageLoadRunResult {
  return {
    url,
    finalUrl: null,
    measuredAt: new Date(started),
    fcpMs: null,
    lcpMs: null,
    speedIndexMs: null,
    tbtMs: null,
    error,
    durationMs: Date.now() - started,
    throttling,
    lighthouseVersion: null,
  };
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => void): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => {
      onTimeout();
      resolve("timeout");
    }, ms);
  });
  return Promise.race([p, bound]).finally(() => clearTimeout(timer));
}

/**
 * Measures each URL once, in order, in one Chromium behind the policy's guard proxy. Returns one
 * run per URL, in the same order; failures carry `error` and null figures.
 */
export async function measurePages(urls: string[], policy: TargetPolicy, opts: MeasureOptions = {}): Promise<PageLoadRunResult[]> {
  const throttling = opts.throttling ?? defaultThrottling();
  const pageTimeoutMs = opts.pageTimeoutMs ?? envMs("PAGE_LOAD_TIMEOUT_MS") ?? 45_000;
  const out: PageLoadRunResult[] = [];
  const chromePath = findChromium(opts.executablePath);
  if (!chromePath) return urls.map((u) => emptyRun(u, pageLoadUnavailable(opts.executablePath)!, throttling, Date.now()));
  let proxy: GuardProxy | null = null;
  let chrome: import("chrome-launcher").LaunchedChrome | null = null;
  const kill = () => {
    try {
      chrome?.kill();
    } catch {
      // already gone
    }
    chrome = null;
  };
  try {
    const lighthouse = await loadLighthouse();
    const { launch } = await import("chrome-launcher");
    for (const url of urls) {
      const started = Date.now();
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        out.push(emptyRun(url, "địa chỉ không hợp lệ", throttling, started));
        continue;
      }
      const refusal = urlRefusal(target, policy);
      if (refusal) {
        out.push(emptyRun(url, `địa chỉ bị từ chối: ${refusal}`, throttling, started));
        continue;
      }
      try {
        proxy ??= await startGuardProxy(policy);
        chrome ??= await launch({
          chromePath,
          logLevel: "silent",
          handleSIGINT: false,
          chromeFlags: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-dev-shm-usage",
            `--proxy-server=${proxy.server}`,
            // Loopback too goes through the guard (the policy decides whether it is allowed).
            "--proxy-bypass-list=<-loopback>",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
            "--webrtc-ip-handling-policy=disable_non_proxied_udp",
            "--js-flags=--max-old-space-size=512",
          ],
        });
        const port = chrome.port;
        const run = lighthouse(
          url,
          {
            port,
            output: "json",
            logLevel: "silent",
            onlyCategories: ["performance"],
            onlyAudits: PAGE_LOAD_BUDGETS.map((b) => b.audit),
            formFactor: "mobile",
            throttlingMethod: throttling,
            maxWaitForLoad: Math.max(5_000, pageTimeoutMs - 10_000),
            maxWaitForFcp: Math.max(5_000, Math.min(30_000, pageTimeoutMs - 10_000)),
            emulatedUserAgent: `${DEFAULT_USER_AGENT} (Lighthouse; mobile)`,
            disableStorageReset: false,
          },
          undefined,
        );
        // Lighthouse keeps running after a timeout; killing Chromium ends it (its promise rejects).
        const result = await withTimeout(run, pageTimeoutMs, kill);
        if (result === "timeout") {
          run.catch(() => undefined);
          out.push(emptyRun(url, `đo tốc độ tải trang vượt quá ${Math.round(pageTimeoutMs / 1000)} giây`, throttling, started));
          continue;
        }
        if (!result) {
          out.push(emptyRun(url, "Lighthouse không trả kết quả", throttling, started));
          continue;
        }
        const { lhr } = result;
        const value = (metric: PageLoadMetric): number | null => {
          const audit = lhr.audits[PAGE_LOAD_BUDGETS.find((b) => b.metric === metric)!.audit];
          const v = audit?.numericValue;
          return typeof v === "number" && Number.isFinite(v) ? Math.round(v) : null;
        };
        const runtime = lhr.runtimeError;
        const figures = { fcpMs: value("fcpMs"), lcpMs: value("lcpMs"), speedIndexMs: value("speedIndexMs"), tbtMs: value("tbtMs") };
        const refused = proxy.refused.length ? `; ${proxy.refused.length} yêu cầu bị chặn theo chính sách địa chỉ` : "";
        const error = runtime
          ? `${RUNTIME_ERRORS[runtime.code] ?? `lỗi Lighthouse ${runtime.code}`}${refused}`
          : Object.values(figures).some((v) => v === null)
            ? `Lighthouse không đo được đủ bốn chỉ số${refused}`
            : null;
        out.push({
          url,
          finalUrl: lhr.finalDisplayedUrl ?? null,
          measuredAt: new Date(started),
          ...(error ? { fcpMs: null, lcpMs: null, speedIndexMs: null, tbtMs: null } : figures),
          error,
          durationMs: Date.now() - started,
          throttling,
          lighthouseVersion: lhr.lighthouseVersion,
        });
      } catch (err) {
        kill();
        out.push(emptyRun(url, `không đo được: ${(err as Error).message.split("\n")[0].slice(0, 300)}`, throttling, started));
      }
    }
  } finally {
    kill();
    await proxy?.close().catch(() => undefined);
  }
  return out;
}
