// Politeness: at most N requests in flight per host, a minimum gap between request starts
// on one host, and a global cap over all hosts.

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
