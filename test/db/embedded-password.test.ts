// The embedded server's superuser has a generated password kept in its data folder (mode 600),
// not postgres/postgres; a data folder made before that keeps working with the old default, and a
// first start interrupted before the password was kept resumes with the same password.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, afterEach, expect, test } from "vitest";
import { PASSWORD_FILE, REPO_ROOT, startServer, type ServerHandle } from "../../db/server.ts";

const dataDir = path.join(REPO_ROOT, ".data", `test-password-${process.pid}`);
const pendingFile = path.join(path.dirname(dataDir), `.${path.basename(dataDir)}.password-pending`);
const savedUrl = process.env.DATABASE_URL;
const running: ServerHandle[] = [];

beforeAll(() => {
  delete process.env.DATABASE_URL;
});

afterEach(async () => {
  for (const s of running.splice(0)) await s.stop().catch(() => undefined);
});

afterAll(() => {
  if (savedUrl !== undefined) process.env.DATABASE_URL = savedUrl;
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(pendingFile, { force: true });
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

async function start(port: number): Promise<ServerHandle> {
  const s = await startServer({ dataDir, port });
  running.push(s);
  return s;
}

/** null when the login works, else the server's error message. */
async function login(port: number, password: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres` });
  c.on("error", () => undefined);
  try {
    await c.connect();
    await c.query("select 1");
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await c.end().catch(() => undefined);
  }
}

const passwordOf = () => fs.readFileSync(path.join(dataDir, PASSWORD_FILE), "utf8").trim();

test("a new data folder gets a generated password (file mode 600); the old default is refused; restarts and attaching use it", async () => {
  const port = await freePort();
  const first = await start(port);
  const file = path.join(dataDir, PASSWORD_FILE);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  const password = passwordOf();
  expect(password.length).toBeGreaterThanOrEqual(32);
  expect(password).not.toBe("postgres");
  expect(new URL(first.url).password).toBe(encodeURIComponent(password));
  expect(fs.existsSync(pendingFile)).toBe(false);

  expect(await login(port, password)).toBeNull();
  expect(await login(port, "postgres")).toMatch(/password authentication failed/);
  // Every password-based method is scram: the password never crosses the socket in clear.
  const c = new pg.Client({ connectionString: first.url });
  await c.connect();
  const { rows } = await c.query("select rolpassword like 'SCRAM-SHA-256$%' as scram from pg_authid where rolname = 'postgres'");
  const { rows: hba } = await c.query("select distinct auth_method from pg_hba_file_rules where auth_method <> 'trust' and auth_method <> 'reject'");
  await c.end();
  expect(rows[0].scram).toBe(true);
  expect(hba.map((r) => r.auth_method)).toEqual(["scram-sha-256"]);

  const attached = await start(port);
  expect(attached.owner).toBe(false);
  expect(attached.url).toBe(first.url);

  await first.stop();
  const again = await start(port);
  expect(again.owner).toBe(true);
  expect(again.url).toBe(first.url);
  expect(passwordOf()).toBe(password);
}, 120_000);

test("a data folder from before (no password file, postgres/postgres) keeps working", async () => {
  const port = await freePort();
  const s = await start(port);
  // Make it what an old version left: the old default password and no password file.
  const c = new pg.Client({ connectionString: s.url });
  await c.connect();
  await c.query("alter role postgres with password 'postgres'");
  await c.end();
  await s.stop();
  fs.rmSync(path.join(dataDir, PASSWORD_FILE));

  const old = await start(port);
  expect(old.owner).toBe(true);
  expect(new URL(old.url).password).toBe("postgres");
  expect(await login(port, "postgres")).toBeNull();
  expect(fs.existsSync(path.join(dataDir, PASSWORD_FILE))).toBe(false);
}, 120_000);

test("a first start interrupted after initdb resumes with the passwords it had chosen", async () => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  const port = await freePort();
  const s = await start(port);
  const password = passwordOf();
  // Put the cluster back in the state between initdb and the ALTER ROLE of the first start.
  const c = new pg.Client({ connectionString: s.url });
  await c.connect();
  await c.query("alter role postgres with password 'mat-khau-tam-thoi'");
  await c.end();
  await s.stop();
  fs.rmSync(path.join(dataDir, PASSWORD_FILE));
  fs.writeFileSync(pendingFile, JSON.stringify({ init: "mat-khau-tam-thoi", final: password }), { mode: 0o600 });

  const resumed = await start(port);
  expect(resumed.owner).toBe(true);
  expect(passwordOf()).toBe(password);
  expect(fs.existsSync(pendingFile)).toBe(false);
  expect(await login(port, password)).toBeNull();
  expect(await login(port, "mat-khau-tam-thoi")).toMatch(/password authentication failed/);
}, 120_000);
