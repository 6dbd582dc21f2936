// The HTTP fetcher: undici with our own redirect handling (each hop passes the target
// guard), politeness, timeouts, size caps, capped decompression and conditional GET.
// It never throws for a network or protocol problem: the outcome carries the error.
import zlib from "node:zlib";
import { Agent, request } from "undici";
import type { FetchedPage, PageKind } from "../types.ts";
import { HostLimiter, IpLimiter, Semaphore } from "./limiter.ts";
import { guardedLookup, urlRefusal, type TargetPolicy } from "./ssrf.ts";

export const DEFAULT_USER_AGENT = "TuanThuBot/0.1 (+kiểm tra tuân thủ)";

/**
 * HTTP header values are Latin-1 only: the Vietnamese words of the user agent go out folded
 * to ASCII ("kiểm tra tuân thủ" → "kiem tra tuan thu").
 */
export function headerSafe(value: string): string {
  return value
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .replace(/[^\x20-\x7e]/g, "");
}

export interface FetcherOptions {
  userAgent?: string;
  perHostConcurrency?: number;
  /** Requests in flight per server IP address, over all the hosts it serves. */
  perIpConcurrency?: number;
  /** Apply the per-IP limit to loopback addresses too (off: the farm serves every site from 127.0.0.1). */
  ipLimitLoopback?: boolean;
  globalConcurrency?: number;
  /** Minimum gap between request starts on one host (robots Crawl-delay may raise it). */
  minDelayMs?: number;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  /** Maximum silence between body chunks. */
  bodyTimeoutMs?: number;
  /** The whole request, redirects and body included. */
  totalTimeoutMs?: number;
  maxBodyBytes?: number;
  maxInflatedBytes?: number;
  maxRedirects?: number;
  /** Retries of a transient failure (5xx, 429, reset connection, timeout) per request. */
  retries?: number;
  /** First backoff before a retry, doubled each time, with jitter (ms). */
  retryBaseMs?: number;
  /** A Retry-After longer than this is not waited for: the request ends as it is (ms). */
  maxRetryAfterMs?: number;
}

export type FetchErrorCode = "fetch-error" | "timeout" | "too-large" | "blocked" | "tls-error" | "robots-disallowed";

export interface FetchOutcome extends FetchedPage {
  errorCode?: FetchErrorCode;
  /** The server answered 304 to our conditional request: the body is empty here. */
  notModified?: boolean;
  tlsError?: string;
  /** Requests made for this URL (1 + retries of transient failures). */
  attempts?: number;
}

export interface FetchRequest {
  policy: TargetPolicy;
  kind?: PageKind;
  depth?: number;
  /** Validators from the previous audit: sent as If-None-Match / If-Modified-Since. */
  conditional?: { etag?: string | null; lastModified?: string | null };
  /** Extra gap for this host (site setting or robots Crawl-delay), in ms. */
  hostDelayMs?: number;
  /** Accept an invalid certificate (used after the TLS problem was recorded). */
  insecureTls?: boolean;
  signal?: AbortSignal;
  accept?: string;
  /** Keep the first maxBodyBytes of a body over the cap (robots.txt is read up to the limit). */
  keepTruncated?: boolean;
}

const KEPT_HEADERS_JOIN = ", ";
const TLS_CODES = /^(CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH)/;

function errorChain(err: unknown): { code?: string; message: string; name?: string }[] {
  const out: { code?: string; message: string; name?: string }[] = [];
  let e = err as { code?: string; message?: string; name?: string; cause?: unknown } | undefined;
  for (let i = 0; e && i < 5; i++) {
    out.push({ code: e.code, message: String(e.message ?? e), name: e.name });
    e = e.cause as typeof e;
  }
  return out;
}

export function classifyError(err: unknown): { code: FetchErrorCode; message: string; tls?: string } {
  const chain = errorChain(err);
  const has = (pred: (c: { code?: string; name?: string; message: string }) => boolean) => chain.find(pred);
  const blocked = has((c) => c.code === "ERR_TARGET_BLOCKED");
  if (blocked) return { code: "blocked", message: `Bị chặn: ${blocked.message}` };
  const tls = has((c) => !!c.code && TLS_CODES.test(c.code));
  if (tls) return { code: "tls-error", message: `Lỗi TLS/chứng chỉ: ${tls.code}`, tls: `${tls.code}: ${tls.message}` };
  const timeout = has(
    (c) =>
      c.name === "TimeoutError" ||
      c.name === "AbortError" ||
      c.code === "UND_ERR_CONNECT_TIMEOUT" ||
      c.code === "UND_ERR_HEADERS_TIMEOUT" ||
      c.code === "UND_ERR_BODY_TIMEOUT" ||
      c.code === "ETIMEDOUT",
  );
  if (timeout) return { code: "timeout", message: `Quá thời gian chờ (${timeout.code ?? timeout.name})` };
  const first = chain.find((c) => c.code) ?? chain[0];
  return { code: "fetch-error", message: `Không tải được trang: ${first?.code ?? ""} ${first?.message ?? ""}`.trim() };
}

class TooLargeError extends Error {}

/** A connection dropped by the server or the network: worth another try. */
const RESET_CODES = /\b(ECONNRESET|EPIPE|ECONNABORTED|UND_ERR_SOCKET|UND_ERR_CLOSED|EAI_AGAIN)\b|other side closed/i;
function isResetError(message: string | undefined): boolean {
  return !!message && RESET_CODES.test(message);
}

/** Retry-After as milliseconds (delta-seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Waits ms unless signal fires first; true when the wait ran out normally. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function decode(body: Buffer, encoding: string | undefined, maxOut: number): Buffer {
  if (!encoding) return body;
  const steps = encoding
    .toLowerCase()
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s && s !== "identity")
    .reverse();
  let out = body;
  for (const step of steps) {
    try {
      if (step === "gzip" || step === "x-gzip") out = zlib.gunzipSync(out, { maxOutputLength: maxOut, finishFlush: zlib.constants.Z_SYNC_FLUSH });
      else if (step === "br") out = zlib.brotliDecompressSync(out, { maxOutputLength: maxOut });
      else if (step === "deflate") {
        try {
          out = zlib.inflateSync(out, { maxOutputLength: maxOut, finishFlush: zlib.constants.Z_SYNC_FLUSH });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw err;
          out = zlib.inflateRawSync(out, { maxOutputLength: maxOut, finishFlush: zlib.constants.Z_SYNC_FLUSH });
        }
      } else throw new Error(`unsupported content-encoding ${step}`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || err instanceof RangeError) throw new TooLargeError(`giải nén vượt quá ${maxOut} byte`);
      throw err;
    }
  }
  return out;
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(KEPT_HEADERS_JOIN) : v;
  }
  return out;
}

export class Fetcher {
  readonly options: Required<FetcherOptions>;
  private agents = new Map<string, Agent>();
  private hostLimiter: HostLimiter;
  private ipLimiter: IpLimiter;
  private global: Semaphore;
  /** Counters for progress/bench. */
  stats = { requests: 0, notModified: 0, errors: 0, bytes: 0, retries: 0 };

  constructor(opts: FetcherOptions = {}) {
    this.options = {
      userAgent: headerSafe(opts.userAgent ?? process.env.CRAWL_USER_AGENT ?? DEFAULT_USER_AGENT),
      perHostConcurrency: opts.perHostConcurrency ?? 2,
      perIpConcurrency: opts.perIpConcurrency ?? 4,
      ipLimitLoopback: opts.ipLimitLoopback ?? false,
      globalConcurrency: opts.globalConcurrency ?? 64,
      minDelayMs: opts.minDelayMs ?? 0,
      connectTimeoutMs: opts.connectTimeoutMs ?? 10_000,
      headersTimeoutMs: opts.headersTimeoutMs ?? 15_000,
      bodyTimeoutMs: opts.bodyTimeoutMs ?? 15_000,
      totalTimeoutMs: opts.totalTimeoutMs ?? 30_000,
      maxBodyBytes: opts.maxBodyBytes ?? 5 * 1024 * 1024,
      maxInflatedBytes: opts.maxInflatedBytes ?? opts.maxBodyBytes ?? 5 * 1024 * 1024,
      maxRedirects: opts.maxRedirects ?? 10,
      retries: Math.max(0, opts.retries ?? 2),
      retryBaseMs: opts.retryBaseMs ?? 500,
      maxRetryAfterMs: opts.maxRetryAfterMs ?? 10_000,
    };
    this.hostLimiter = new HostLimiter(this.options.perHostConcurrency);
    this.ipLimiter = new IpLimiter(this.options.perIpConcurrency, this.options.ipLimitLoopback);
    this.global = new Semaphore(this.options.globalConcurrency);
  }

  private agent(allowPrivate: boolean, insecure: boolean): Agent {
    const key = `${allowPrivate}:${insecure}`;
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new Agent({
        connect: {
          timeout: this.options.connectTimeoutMs,
          lookup: guardedLookup(allowPrivate) as never,
          rejectUnauthorized: !insecure,
        },
        headersTimeout: this.options.headersTimeoutMs,
        bodyTimeout: this.options.bodyTimeoutMs,
        connections: Math.max(4, this.options.perHostConcurrency * 2),
        keepAliveTimeout: 4_000,
      });
      this.agents.set(key, agent);
    }
    return agent;
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.close().catch(() => undefined)));
    this.agents.clear();
  }

  /**
   * Fetches url, retrying a transient failure (5xx, 429, a reset connection, a timeout) with
   * jittered exponential backoff; Retry-After is honoured up to maxRetryAfterMs. Every retry
   * waits for its politeness slot again, and none starts once `signal` (the audit's time
   * budget) has fired. A timeout is retried once only: a slow server must not triple an audit.
   */
  async fetch(url: string, req: FetchRequest): Promise<FetchOutcome> {
    let timeouts = 0;
    for (let attempt = 1; ; attempt++) {
      const page = await this.fetchOnce(url, req);
      page.attempts = attempt;
      const wait = this.retryDelay(page, attempt, timeouts);
      if (wait === null || req.signal?.aborted) return page;
      if (page.errorCode === "timeout") timeouts++;
      this.stats.retries++;
      if (!(await sleep(wait, req.signal))) return page;
    }
  }

  /** Milliseconds to wait before retrying this outcome, or null when it is final. */
  private retryDelay(page: FetchOutcome, attempt: number, timeouts: number): number | null {
    if (attempt > this.options.retries) return null;
    const transientStatus = !page.errorCode && (page.status >= 500 || page.status === 429) && page.status !== 501;
    const transientError = page.errorCode === "fetch-error" && page.status === 0 && isResetError(page.error);
    const timeout = page.errorCode === "timeout" && timeouts === 0 && !/hàng đợi/.test(page.error ?? "");
    if (!transientStatus && !transientError && !timeout) return null;
    const backoff = this.options.retryBaseMs * 2 ** (attempt - 1);
    const jittered = Math.round(backoff / 2 + Math.random() * (backoff / 2));
    const retryAfter = transientStatus ? parseRetryAfter(page.headers["retry-after"]) : null;
    if (retryAfter !== null) {
      if (retryAfter > this.options.maxRetryAfterMs) return null;
      return Math.max(jittered, retryAfter);
    }
    return jittered;
  }

  private async fetchOnce(url: string, req: FetchRequest): Promise<FetchOutcome> {
    // One controller per fetch, with a plain timer: AbortSignal.any/timeout on a long-lived
    // crawl signal keep dependents and timers alive long after the request ended.
    const controller = new AbortController();
    let timer: NodeJS.Timeout | null = null;
    let timedOut = false;
    const outer = req.signal;
    const onOuter = () => controller.abort(outer?.reason);
    if (outer) {
      if (outer.aborted) controller.abort(outer.reason);
      else outer.addEventListener("abort", onOuter, { once: true });
    }
    const startClock = () => {
      timer ??= setTimeout(() => {
        timedOut = true;
        controller.abort(Object.assign(new Error("total timeout"), { name: "TimeoutError" }));
      }, this.options.totalTimeoutMs);
    };
    try {
      return await this.fetchWith(url, req, controller.signal, startClock, () => timedOut);
    } finally {
      if (timer) clearTimeout(timer);
      outer?.removeEventListener("abort", onOuter);
    }
  }

  private async fetchWith(
    url: string,
    req: FetchRequest,
    signal: AbortSignal,
    startClock: () => void,
    timedOut: () => boolean,
  ): Promise<FetchOutcome> {
    // Timing starts when the first request is sent, not while waiting for a politeness slot.
    let started = Date.now();
    let fetchedAt = new Date();
    const redirects: string[] = [];
    const seen = new Set<string>([url]);
    const base: FetchOutcome = {
      url,
      finalUrl: url,
      status: 0,
      headers: {},
      body: Buffer.alloc(0),
      fetchedAt,
      kind: req.kind,
      depth: req.depth,
      redirects,
    };
    const fail = (code: FetchErrorCode, message: string, extra: Partial<FetchOutcome> = {}): FetchOutcome => {
      this.stats.errors++;
      return { ...base, ...extra, error: message, errorCode: code, durationMs: Date.now() - started };
    };
    // The clock for the whole request starts once a slot is granted: waiting out another
    // request's politeness delay is not the server's slowness.
    let clockStarted = false;
    let current = url;
    for (let hop = 0; ; hop++) {
      let target: URL;
      try {
        target = new URL(current);
      } catch {
        return fail("fetch-error", `URL không hợp lệ: ${current}`);
      }
      const refusal = urlRefusal(target, req.policy);
      if (refusal) return fail("blocked", `Bị chặn: ${refusal}`, { finalUrl: current });
      const release = await this.acquire(target.host, target.hostname, req.hostDelayMs ?? 0, signal);
      if (!release) return fail("timeout", "Quá thời gian chờ (hàng đợi máy chủ)", { finalUrl: current });
      if (!clockStarted) {
        clockStarted = true;
        started = Date.now();
        fetchedAt = new Date();
        base.fetchedAt = fetchedAt;
        startClock();
      }
      let res: Awaited<ReturnType<typeof request>>;
      const headers: Record<string, string> = {
        "user-agent": this.options.userAgent,
        accept: req.accept ?? "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "accept-encoding": "gzip, deflate, br",
        "accept-language": "vi,en;q=0.5",
      };
      if (hop === 0 && req.conditional?.etag) headers["if-none-match"] = req.conditional.etag;
      if (hop === 0 && req.conditional?.lastModified) headers["if-modified-since"] = req.conditional.lastModified;
      try {
        this.stats.requests++;
        res = await request(target, {
          method: "GET",
          headers,
          dispatcher: this.agent(req.policy.allowPrivate, !!req.insecureTls),
          signal,
          headersTimeout: this.options.headersTimeoutMs,
          bodyTimeout: this.options.bodyTimeoutMs,
        });
      } catch (err) {
        release();
        const c = classifyError(timedOut() ? Object.assign(new Error("total timeout"), { name: "TimeoutError", cause: err }) : err);
        return fail(c.code, c.message, { finalUrl: current, tlsError: c.tls });
      }
      const resHeaders = flattenHeaders(res.headers as Record<string, string | string[] | undefined>);
      const status = res.statusCode;
      if (status >= 300 && status < 400 && status !== 304 && resHeaders.location) {
        res.body.dump().catch(() => undefined);
        release();
        let next: string;
        try {
          next = new URL(resHeaders.location, target).toString();
        } catch {
          return fail("fetch-error", `Chuyển hướng không hợp lệ: ${resHeaders.location}`, { status, headers: resHeaders, finalUrl: current });
        }
        redirects.push(current);
        if (seen.has(next)) return fail("fetch-error", `Vòng lặp chuyển hướng tại ${next}`, { status, headers: resHeaders, finalUrl: next });
        if (hop + 1 > this.options.maxRedirects) return fail("fetch-error", `Quá ${this.options.maxRedirects} lần chuyển hướng`, { status, headers: resHeaders, finalUrl: next });
        seen.add(next);
        current = next;
        continue;
      }
      try {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const declared = Number(resHeaders["content-length"]);
        if (Number.isFinite(declared) && declared > this.options.maxBodyBytes && !resHeaders["content-encoding"] && !req.keepTruncated) truncated = true;
        if (!truncated) {
          for await (const chunk of res.body as AsyncIterable<Buffer>) {
            size += chunk.length;
            if (size > this.options.maxBodyBytes) {
              chunks.push(chunk.subarray(0, chunk.length - (size - this.options.maxBodyBytes)));
              truncated = true;
              break;
            }
            chunks.push(chunk);
          }
        }
        if (truncated) res.body.destroy();
        const raw = Buffer.concat(chunks);
        this.stats.bytes += raw.length;
        const page: FetchOutcome = {
          ...base,
          finalUrl: current,
          status,
          headers: resHeaders,
          body: raw,
          durationMs: Date.now() - started,
        };
        if (status === 304) {
          this.stats.notModified++;
          page.notModified = true;
          return page;
        }
        if (truncated) {
          this.stats.errors++;
          const kept = req.keepTruncated && !resHeaders["content-encoding"] ? raw : Buffer.alloc(0);
          return { ...page, body: kept, truncated: true, errorCode: "too-large", error: `Trang vượt quá giới hạn ${this.options.maxBodyBytes} byte` };
        }
        try {
          page.body = decode(raw, resHeaders["content-encoding"], this.options.maxInflatedBytes);
        } catch (err) {
          this.stats.errors++;
          if (err instanceof TooLargeError) return { ...page, body: Buffer.alloc(0), truncated: true, errorCode: "too-large", error: `Trang vượt quá giới hạn sau khi giải nén (${err.message})` };
          return { ...page, errorCode: "fetch-error", error: `Không giải nén được nội dung (${(err as Error).message})` };
        }
        return page;
      } catch (err) {
        res.body.destroy();
        const c = classifyError(timedOut() ? Object.assign(new Error("total timeout"), { name: "TimeoutError", cause: err }) : err);
        return fail(c.code, c.message, { finalUrl: current, status, headers: resHeaders });
      } finally {
        release();
      }
    }
  }

  private async acquire(host: string, hostname: string, extraDelayMs: number, signal: AbortSignal): Promise<(() => void) | null> {
    if (signal.aborted) return null;
    // Host slot first, then the server's IP slot, then a global slot (always in this order):
    // a host waiting out its crawl delay must not hold a slot that another host could use.
    const releaseHost = await this.hostLimiter.acquire(host, Math.max(this.options.minDelayMs, extraDelayMs));
    const releaseIp = await this.ipLimiter.acquire(hostname);
    const releaseGlobal = await this.global.acquire();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      releaseHost();
      releaseIp();
      releaseGlobal();
    };
    if (signal.aborted) {
      release();
      return null;
    }
    return release;
  }
}
