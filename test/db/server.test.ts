// The embedded server: start, stop and restart keep data; bad configuration ends with one sentence.
import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, expect, test } from "vitest";
import { ConfigError, REPO_ROOT, startServer } from "../../db/server.ts";

const run = promisify(execFile);
const dataDir = path.join(REPO_ROOT, ".data", `test-embedded-${process.pid}`);

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

test("embedded start, stop and restart keep the data; a second start attaches", async () => {
  const saved = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  try {
    const port = await freePort();
    const first = await startServer({ dataDir, port });
    expect(first.embedded).toBe(true);
    expect(first.owner).toBe(true);
    expect(fs.existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true);
    await query(first.url, "create table kept (v text); insert into kept values ('Việt Nam')");

    const attached = await startServer({ dataDir, port });
    expect(attached.owner).toBe(false);
    await attached.stop();
    expect((await query(first.url, "select v from kept")).rows).toEqual([{ v: "Việt Nam" }]);

    await first.stop();
    const again = await startServer({ dataDir, port });
    try {
      expect(again.owner).toBe(true);
      expect((await query(again.url, "select v from kept")).rows).toEqual([{ v: "Việt Nam" }]);
    } finally {
      await again.stop();
    }
  } finally {
    if (saved !== undefined) process.env.DATABASE_URL = saved;
  }
}, 120_000);

test("a busy port, an unusable data directory and an unreachable DATABASE_URL are ConfigErrors", async () => {
  const saved = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
  const busy = (blocker.address() as net.AddressInfo).port;
  try {
    const otherDir = path.join(REPO_ROOT, ".data", `test-busy-${process.pid}`);
    await expect(startServer({ dataDir: otherDir, port: busy })).rejects.toThrow(ConfigError);
    await expect(startServer({ dataDir: otherDir, port: busy })).rejects.toThrow(/Port \d+ is already in use/);
    fs.rmSync(otherDir, { recursive: true, force: true });

    const fileInTheWay = path.join(REPO_ROOT, ".data", `not-a-dir-${process.pid}`);
    fs.writeFileSync(fileInTheWay, "x");
    await expect(startServer({ dataDir: path.join(fileInTheWay, "pg"), port: busy + 1 })).rejects.toThrow(
      /data directory .* is not usable/,
    );
    fs.rmSync(fileInTheWay);

    process.env.DATABASE_URL = `postgres://nobody:x@127.0.0.1:${busy}/nothing`;
    await expect(startServer()).rejects.toThrow(/Cannot connect to the database at DATABASE_URL/);
  } finally {
    blocker.close();
    if (saved !== undefined) process.env.DATABASE_URL = saved;
    else delete process.env.DATABASE_URL;
  }
});

test("the CLI prints one clear sentence, not a stack trace, for bad configuration", async () => {
  const tsx = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");
  const err = await run(tsx, ["db/migrate-cli.ts"], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: "postgres://nobody:x@127.0.0.1:1/nothing" },
  }).then(
    () => null,
    (e: { code: number; stderr: string }) => e,
  );
  expect(err).not.toBeNull();
  expect(err!.code).toBe(1);
  const lines = err!.stderr.trim().split("\n").filter((l) => !/npm warn/i.test(l));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Lỗi cấu hình \/ configuration error: Cannot connect to the database at DATABASE_URL/);
  expect(lines[0]).not.toMatch(/\bat .*\.ts:\d+/);
});
