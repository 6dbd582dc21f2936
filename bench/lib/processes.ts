// Child processes for benchmarks and scripted runs: the farm, workers, the dashboard, the scheduler.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Runs a TypeScript entry point of the repo with tsx as its own process. */
export function spawnTs(entry: string, args: string[], env: Record<string, string> = {}, inheritStderr = false): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", entry, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", inheritStderr ? "inherit" : "pipe"],
  });
}

/** Resolves when the child's stdout or stderr contains `marker`; rejects if it exits first. */
export function waitForOutput(child: ChildProcess, marker: string | RegExp, timeoutMs = 180_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      if (typeof marker === "string" ? out.includes(marker) : marker.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${marker}: ${out.slice(-400)}`)), timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited (${code}) before ${marker}: ${out.slice(-400)}`));
    });
  });
}

/** Starts the fixture farm in bench mode on a random free-looking port range. */
export async function startBenchFarm(sites: number, pages: number, extra: string[] = []): Promise<{ child: ChildProcess; bases: string[] }> {
  for (let attempt = 0; ; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    const child = spawnTs("test/farm/cli.ts", ["--port", String(port), "--bench-sites", String(sites), "--bench-pages", String(pages), ...extra]);
    try {
      const out = await waitForOutput(child, "Ctrl+C", 120_000);
      const bases = [...out.matchAll(/^(http:\/\/127\.0\.0\.1:\d+\/)/gm)].map((m) => m[1]);
      return { child, bases };
    } catch (err) {
      child.kill("SIGKILL");
      if (attempt >= 4) throw err;
    }
  }
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Peak RSS of the current process, in MB (sampled). */
export function rssSampler(everyMs = 100): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), everyMs);
  return {
    stop() {
      clearInterval(t);
      return Math.round(Math.max(peak, process.memoryUsage().rss) / 1048576);
    },
  };
}
