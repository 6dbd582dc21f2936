// Politeness: at most N requests in flight per host, a minimum gap between request starts
// on one host, at most M requests in flight per server IP address (component sites of a
// province often share one server), and a global cap over all hosts.
import dns from "node:dns";
import net from "node:net";

export class Semaphore {
  private active = 0;
  private waiters: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async acquire(): Promise<() => void> {
    if (this.active < this.limit) {
      this.active++;
      return () => this.release();
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.active++;
    return () => this.release();
  }

  private release(): void {
    this.active--;
    const next = this.waiters.shift();
    if (next) next();
  }
}

interface HostState {
  active: number;
  lastStart: number;
  waiters: { delayMs: number; resolve: () => void }[];
  timer: NodeJS.Timeout | null;
}

export class HostLimiter {
  private hosts = new Map<string, HostState>();
  constructor(private readonly perHost: number) {}

  /** Waits for a slot on host; delayMs is the minimum gap since the previous start there. */
  acquire(host: string, delayMs: number): Promise<() => void> {
    let state = this.hosts.get(host);
    if (!state) {
      state = { active: 0, lastStart: 0, waiters: [], timer: null };
      this.hosts.set(host, state);
    }
    const s = state;
    return new Promise<() => void>((resolve) => {
      s.waiters.push({
        delayMs,
        resolve: () =>
          resolve(() => {
            s.active--;
            this.pump(host, s);
          }),
      });
      this.pump(host, s);
    });
  }

  private pump(host: string, s: HostState): void {
    if (s.timer) return;
    while (s.waiters.length && s.active < this.perHost) {
      const next = s.waiters[0];
      const wait = s.lastStart + next.delayMs - Date.now();
      if (wait > 0) {
        s.timer = setTimeout(() => {
          s.timer = null;
          this.pump(host, s);
        }, wait);
        return;
      }
      s.waiters.shift();
      s.active++;
      s.lastStart = Date.now();
      next.resolve();
    }
    // Forget an idle host only once no delay could still apply to its next request.
    if (!s.waiters.length && s.active === 0 && Date.now() - s.lastStart > 60_000) this.hosts.delete(host);
  }
}

/** How long a host's resolved address is kept for the per-IP limit. */
const DNS_TTL_MS = 60_000;

/**
 * At most `perIp` requests in flight per IP address, whatever host names point at it.
 * Loopback addresses are exempt unless `includeLoopback`: the fixture farm serves every
 * simulated server from 127.0.0.1, one port per site.
 */
export class IpLimiter {
  private slots = new Map<string, { sem: Semaphore; users: number }>();
  private resolved = new Map<string, { ip: string | null; at: number }>();
  constructor(
    private readonly perIp: number,
    private readonly includeLoopback = false,
    private readonly lookup: (host: string) => Promise<string | null> = defaultLookup,
  ) {}

  /** The address requests to hostname go to (cached), or null when unknown. */
  async addressOf(hostname: string): Promise<string | null> {
    const bare = hostname.replace(/^\[|\]$/g, "");
    if (net.isIP(bare)) return bare;
    const hit = this.resolved.get(bare);
    if (hit && Date.now() - hit.at < DNS_TTL_MS) return hit.ip;
    const ip = await this.lookup(bare).catch(() => null);
    this.resolved.set(bare, { ip, at: Date.now() });
    return ip;
  }

  /** Waits for a slot on the server behind hostname; the release function frees it. */
  async acquire(hostname: string): Promise<() => void> {
    const ip = await this.addressOf(hostname);
    if (!ip || (!this.includeLoopback && isLoopback(ip))) return () => undefined;
    let slot = this.slots.get(ip);
    if (!slot) {
      slot = { sem: new Semaphore(this.perIp), users: 0 };
      this.slots.set(ip, slot);
    }
    const s = slot;
    s.users++;
    const release = await s.sem.acquire();
    return () => {
      release();
      if (--s.users === 0) this.slots.delete(ip);
    };
  }
}

function isLoopback(ip: string): boolean {
  return ip === "::1" || ip.startsWith("127.") || ip.startsWith("::ffff:127.");
}

function defaultLookup(host: string): Promise<string | null> {
  return dns.promises.lookup(host).then((r) => r.address);
}
