// The `audit` command: JSON shape on stdout, exit codes 0 / 2 / 3, no database.
import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFarm, type Farm } from "../farm/index.ts";

/** Runs the command as a shell pipeline into `sink` (e.g. "cat"); the exit status is the audit's. */
function runAuditPiped(args: string[], sink: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, TT_DATA_DIR: "/nonexistent/no-db-needed" };
    delete env.DATABASE_URL;
    const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    const script = `"${process.execPath}" --import tsx crawler/audit-cli.ts ${quoted} | ${sink}; exit \${PIPESTATUS[0]}`;
    const child = spawn("bash", ["-c", script], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const ROOT = path.resolve(import.meta.dirname, "../..");
let farm: Farm;

function runAudit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ["--import", "tsx", "crawler/audit-cli.ts", ...args], { cwd: ROOT, env: { ...env, TT_DATA_DIR: "/nonexistent/no-db-needed" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  farm = await startFarm({ include: "province" });
});
afterAll(async () => {
  await farm?.close();
});

describe("audit command", () => {
  it("prints exactly one JSON document with the documented shape (exit 0)", async () => {
    const site = farm.sites[0];
    const r = await runAudit([site.baseUrl, "--json", "--max-pages", "8", "--now", farm.referenceDate, "--render", "never", "--allow-private"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(typeof doc.site).toBe("string");
    expect(Number.isNaN(Date.parse(doc.auditedAt))).toBe(false);
    expect(Array.isArray(doc.pages)).toBe(true);
    expect(doc.pages.length).toBeGreaterThan(0);
    expect(doc.pages.length).toBeLessThanOrEqual(8);
    for (const p of doc.pages) {
      expect(typeof p.url).toBe("string");
      expect(typeof p.status).toBe("number");
      expect(p.encoding).toEqual(
        expect.objectContaining({ validUtf8: expect.any(Boolean), legacyFonts: expect.any(Array), nfc: expect.any(Boolean), compliant: expect.any(Boolean) }),
      );
    }
    expect(doc.encoding).toEqual(expect.objectContaining({ compliant: expect.any(Boolean), pagesChecked: expect.any(Number), pagesCompliant: expect.any(Number), legacySchemes: expect.any(Array) }));
    expect(doc.categories.length).toBeGreaterThan(10);
    for (const c of doc.categories) expect(["present", "empty", "missing", "unreachable", "unverified"]).toContain(c.status);
    expect(Array.isArray(doc.unverified)).toBe(true);
    expect(doc.coverage).toEqual(expect.objectContaining({ found: expect.any(Number), fetched: expect.any(Number), failedByReason: expect.any(Object) }));
    expect(Object.keys(doc.identity).sort()).toEqual(["address", "email", "phone", "responsiblePerson", "unitName"]);
    expect(doc.freshness).toEqual(expect.objectContaining({ postsLast30Days: expect.any(Number), items: expect.any(Array) }));
    for (const f of doc.findings) expect(["error", "warning", "info"]).toContain(f.severity);
  }, 60_000);

  it("fetches only the start page with --max-pages 1", async () => {
    const site = farm.sites[1];
    farm.resetStats();
    const r = await runAudit([site.baseUrl, "--json", "--max-pages", "1", "--render", "never", "--allow-private"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.pages.map((p: { url: string }) => p.url)).toEqual([site.baseUrl]);
    const host = new URL(site.baseUrl).host;
    // The start page and robots.txt, nothing else.
    expect(farm.stats().byHost[host]).toBe(2);
  }, 60_000);

  it("exits 2 with a one-line reason for bad arguments", async () => {
    for (const args of [[], ["not a url"], ["http://127.0.0.1:1/", "--max-pages", "zero"], ["http://127.0.0.1:1/", "--render", "sometimes"], ["http://127.0.0.1:1/", "--now", "2026-13-45"], ["http://127.0.0.1:1/", "--bogus"], ["ftp://x.vn/"]]) {
      const r = await runAudit(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  }, 60_000);

  it("exits 3 when the start page cannot be fetched", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const cases = [
      [`http://127.0.0.1:${port}/`, "--json", "--allow-private"],
      // A loopback start page without --allow-private is refused before any connection.
      [farm.sites[0].baseUrl, "--json"],
    ];
    for (const args of cases) {
      const r = await runAudit(args);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  }, 60_000);

  it("delivers the whole JSON document of a 200-page site through a pipe, and fails when it cannot", async () => {
    const big = await startFarm({ bench: { sites: 1, pagesPerSite: 200 } });
    try {
      const url = big.sites[0].baseUrl;
      const args = [url, "--json", "--max-pages", "200", "--render", "never", "--allow-private"];
      const r = await runAuditPiped(args, "cat");
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(doc.pages.length).toBeGreaterThan(150);
      // A document well over the 64 KiB a pipe holds (~140 kB): everything after them used to be lost.
      const largeArgs = [farm.siteUrl("xa-my-chanh"), "--json", "--max-pages", "200", "--now", farm.referenceDate, "--render", "never", "--allow-private"];
      const large = await runAuditPiped(largeArgs, "cat");
      expect(large.code, large.stderr).toBe(0);
      expect(large.stdout.length).toBeGreaterThan(64 * 1024);
      expect(JSON.parse(large.stdout).site).toBe(farm.siteUrl("xa-my-chanh"));
      // A reader that goes away after 1000 bytes: the audit cannot deliver and says so.
      const cut = await runAuditPiped(largeArgs, "head -c 1000 >/dev/null");
      expect(cut.code).not.toBe(0);
      expect(cut.stderr).toMatch(/Không ghi được kết quả/);
    } finally {
      await big.close();
    }
  }, 240_000);
});
