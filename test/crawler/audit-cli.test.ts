// The `audit` command: JSON shape on stdout, exit codes 0 / 2 / 3, no database.
import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFarm, type Farm } from "../farm/index.ts";

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
    for (const c of doc.categories) expect(["present", "empty", "missing", "unreachable"]).toContain(c.status);
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
});
