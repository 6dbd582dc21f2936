// Backup and restore of everything the product keeps (audits, pages, snapshots, findings, scores,
// appeals, frozen reports, users, settings…) without pg_dump, so that it works the same against
// the embedded server (which ships no client tools) and any DATABASE_URL. Why COPY, and the file
// format: docs/decisions/0010-backup.md and db/backup-format.ts.
//
// Backup: one REPEATABLE READ READ ONLY transaction (one snapshot for every table, whatever
// commits meanwhile); each table streamed by COPY (SELECT … ORDER BY primary key) TO STDOUT into
// the gzip file, with a row count and a sha256 per table and over the whole file in a closing
// manifest. Restore: the whole file is verified first (a truncated, edited or duplicated file is
// refused before the database is touched), then loaded by COPY FROM in one transaction that also
// re-reads every table and compares it with the manifest before committing.
import { once } from "node:events";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import type { Knex } from "knex";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import {
  applyCopySettings,
  BackupError,
  COPY_SETTINGS,
  copyInSql,
  copyOutSql,
  END_OF_TABLE,
  FORMAT,
  ident,
  lines,
  primaryKey,
  RowDigest,
  serialColumns,
  tableColumns,
  tablesInDependencyOrder,
  VERSION,
  type BackupHeader,
  type Manifest,
  type SequenceState,
  type TableDigest,
  type TableSection,
} from "./backup-format.ts";
import { migrationSource } from "./migrations/index.ts";

export { BackupError, tablesInDependencyOrder };

export interface BackupStats {
  tables: number;
  rows: number;
  /** Size of the file written or read, in bytes. */
  bytes: number;
}

export interface BackupOptions {
  /**
   * Called inside the backup's transaction with its exported snapshot id, before any row is read:
   * another session can `SET TRANSACTION SNAPSHOT` to see exactly what the backup saves.
   */
  onSnapshot?: (snapshotId: string) => Promise<void> | void;
}

/** A dedicated connection (COPY streams need one for themselves), configured like the knex pool's. */
async function connect(knex: Knex): Promise<pg.Client> {
  const settings = (knex.client as { connectionSettings?: unknown }).connectionSettings;
  if (!settings || typeof settings !== "object") throw new Error("backup: knex has no static connection settings");
  const client = new pg.Client({ ...(settings as pg.ClientConfig), application_name: "tuan-thu-backup" });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

/** Writes a backup of the whole database to `file` (see db/backup-format.ts). */
export async function backupDatabase(knex: Knex, file: string, opts: BackupOptions = {}): Promise<BackupStats> {
  const partial = `${file}.partial-${process.pid}`;
  // The file holds password hashes and sessions: only its owner may read it.
  try {
    fs.writeFileSync(partial, "", { mode: 0o600 });
  } catch (err) {
    throw new BackupError(`Không ghi được tệp sao lưu ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); hãy chọn một thư mục ghi được.`);
  }
  const gzip = zlib.createGzip({ level: 6 });
  const written = pipeline(gzip, fs.createWriteStream(partial, { mode: 0o600 }));
  written.catch(() => undefined);
  const fileHash = createHash("sha256");
  const write = async (chunk: Buffer | string) => {
    fileHash.update(chunk);
    if (!gzip.write(chunk)) await once(gzip, "drain");
  };
  const stats: BackupStats = { tables: 0, rows: 0, bytes: 0 };
  let client: pg.Client | null = null;
  try {
    client = await connect(knex);
    await client.query("begin isolation level repeatable read read only");
    await applyCopySettings(client);
    if (opts.onSnapshot) {
      const { rows } = await client.query<{ id: string }>("select pg_export_snapshot() as id");
      await opts.onSnapshot(rows[0].id);
    }
    const tables = await tablesInDependencyOrder(client);
    // Like pg_dump: no migration may alter or drop a table while it is being read.
    if (tables.length) await client.query(`lock table ${tables.map(ident).join(", ")} in access share mode`);
    const { rows: migrations } = await client.query<{ name: string }>("select name from knex_migrations order by id");
    const header: BackupHeader = {
      format: FORMAT,
      version: VERSION,
      createdAt: new Date().toISOString(),
      migrations: migrations.map((m) => m.name),
      settings: COPY_SETTINGS,
    };
    await write(`${JSON.stringify(header)}\n`);

    const manifest: Manifest = { tables: [], sequences: [] };
    for (const table of tables) {
      const columns = (await tableColumns(client, table)) ?? [];
      const section: TableSection = { table, columns: columns.map((c) => c.name), key: await primaryKey(client, table) };
      await write(`${JSON.stringify(section)}\n`);
      const digest = new RowDigest();
      for await (const chunk of client.query(copyTo(copyOutSql(table, columns, section.key))) as AsyncIterable<Buffer>) {
        digest.update(chunk);
        await write(chunk);
      }
      await write(`${END_OF_TABLE}\n`);
      manifest.tables.push({ table, rows: digest.rows, sha256: digest.digest() });
      stats.tables++;
      stats.rows += digest.rows;
    }
    for (const s of await serialColumns(client)) {
      // Sequences are not transactional: their value now is at least what any saved row used.
      const { rows } = await client.query<{ v: string; c: boolean }>(`select last_value::text as v, is_called as c from ${s.seq}`);
      manifest.sequences.push({ table: s.table, column: s.column, lastValue: Number(rows[0].v), isCalled: rows[0].c });
    }
    await client.query("commit");
    const digest = fileHash.digest("hex");
    gzip.end(`${JSON.stringify({ manifest, sha256: digest })}\n`);
    await written;
    fs.renameSync(partial, file);
    stats.bytes = fs.statSync(file).size;
    return stats;
  } catch (err) {
    gzip.destroy();
    await written.catch(() => undefined);
    fs.rmSync(partial, { force: true });
    throw err;
  } finally {
    await client?.end().catch(() => undefined);
  }
}

interface ScanVisitor {
  tableStart?(section: TableSection): Promise<void>;
  /** Row lines of the current table, each ending with "\n". */
  rows?(batch: Buffer): Promise<void>;
  tableEnd?(section: TableSection): Promise<void>;
}

interface ScanResult {
  header: BackupHeader;
  manifest: Manifest;
  bytes: number;
}

const BATCH_BYTES = 256 * 1024;
const NL = Buffer.from("\n");

function parseJsonLine(line: Buffer): Record<string, unknown> | null {
  try {
    const v = JSON.parse(line.toString("utf8"));
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function checkHeader(file: string, header: Record<string, unknown> | null): BackupHeader {
  if (!header || header.format !== FORMAT) throw new BackupError(`${file} không phải là tệp sao lưu của Tuân Thủ.`);
  if (header.version === 1) {
    throw new BackupError(
      `Tệp ${file} là bản sao lưu định dạng cũ (phiên bản 1): định dạng này có thể lặp hoặc thiếu dòng và không có mã kiểm tra nên không được khôi phục; hãy sao lưu lại bằng "npm run db:backup".`,
    );
  }
  if (header.version !== VERSION) {
    throw new BackupError(
      `Tệp ${file} là bản sao lưu phiên bản ${String(header.version)}, phần mềm này chỉ đọc được phiên bản ${VERSION}; hãy dùng phiên bản phần mềm đã tạo ra nó.`,
    );
  }
  if (!Array.isArray(header.migrations)) throw new BackupError(`Tệp sao lưu ${file} sai cấu trúc ở dòng đầu; không khôi phục gì.`);
  return header as unknown as BackupHeader;
}

function isSection(v: Record<string, unknown> | null): v is Record<string, unknown> & TableSection {
  return (
    !!v &&
    typeof v.table === "string" &&
    Array.isArray(v.columns) &&
    v.columns.every((c) => typeof c === "string") &&
    Array.isArray(v.key) &&
    v.key.every((c) => typeof c === "string")
  );
}

/**
 * Reads a backup from start to end, checking its structure, every table's count and sha256 and the
 * whole file's sha256 against the closing manifest. Throws a BackupError on the first mismatch.
 */
async function scanBackup(file: string, visitor: ScanVisitor = {}): Promise<ScanResult> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new BackupError(`Không tìm thấy tệp sao lưu ${file}.`);
  const bytes = fs.statSync(file).size;
  const source = fs.createReadStream(file);
  const gunzip = zlib.createGunzip();
  source.on("error", (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  const fileHash = createHash("sha256");
  const computed: TableDigest[] = [];
  let header: BackupHeader | null = null;
  let manifest: (Manifest & { sha256?: string }) | null = null;
  let section: TableSection | null = null;
  let digest: RowDigest | null = null;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let lineNo = 0;
  const broken = () => new BackupError(`Tệp sao lưu ${file} sai cấu trúc ở dòng ${lineNo}; không khôi phục gì.`);
  const flush = async () => {
    if (!batch.length) return;
    const buf = Buffer.concat(batch, batchBytes);
    batch = [];
    batchBytes = 0;
    await visitor.rows?.(buf);
  };
  try {
    for await (const { line, complete } of lines(gunzip)) {
      lineNo++;
      if (!complete) {
        throw new BackupError(`Tệp sao lưu ${file} không đầy đủ (dòng cuối bị cắt); có thể tệp bị cắt cụt; không khôi phục gì.`);
      }
      if (manifest) throw new BackupError(`Tệp sao lưu ${file} có dữ liệu thừa sau phần kiểm tra cuối tệp; không khôi phục gì.`);
      if (!header) {
        header = checkHeader(file, parseJsonLine(line));
        fileHash.update(line).update("\n");
        continue;
      }
      if (section && digest) {
        fileHash.update(line).update("\n");
        if (line.length === 2 && line[0] === 0x5c && line[1] === 0x2e) {
          await flush();
          computed.push({ table: section.table, rows: digest.rows, sha256: digest.digest() });
          await visitor.tableEnd?.(section);
          section = null;
          digest = null;
          continue;
        }
        digest.update(line);
        digest.update(NL);
        if (visitor.rows) {
          batch.push(line, NL);
          batchBytes += line.length + 1;
          if (batchBytes >= BATCH_BYTES) await flush();
        }
        continue;
      }
      const rec = parseJsonLine(line);
      if (rec && "manifest" in rec) {
        const m = rec.manifest as Manifest | undefined;
        if (!m || !Array.isArray(m.tables) || !Array.isArray(m.sequences) || typeof rec.sha256 !== "string") throw broken();
        manifest = { ...m, sha256: rec.sha256 };
        continue;
      }
      if (!isSection(rec)) throw broken();
      fileHash.update(line).update("\n");
      section = { table: rec.table, columns: rec.columns, key: rec.key };
      digest = new RowDigest();
      await visitor.tableStart?.(section);
    }
  } catch (err) {
    if (err instanceof BackupError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "Z_BUF_ERROR" || code === "Z_DATA_ERROR" || code === "ERR_STREAM_PREMATURE_CLOSE") {
      throw new BackupError(
        header
          ? `Tệp sao lưu ${file} bị cắt cụt hoặc hỏng (không giải nén được đến hết); không khôi phục gì.`
          : `${file} không phải là tệp sao lưu của Tuân Thủ.`,
      );
    }
    throw err;
  } finally {
    source.destroy();
  }
  if (!header) throw new BackupError(`${file} không phải là tệp sao lưu của Tuân Thủ.`);
  if (!manifest) {
    throw new BackupError(`Tệp sao lưu ${file} không đầy đủ (thiếu phần kiểm tra cuối tệp): có thể tệp bị cắt cụt; không khôi phục gì.`);
  }
  const expected = new Map(manifest.tables.map((t) => [t.table, t]));
  for (const got of computed) {
    const want = expected.get(got.table);
    if (!want) throw new BackupError(`Bảng ${got.table} trong tệp sao lưu ${file} không có trong phần kiểm tra cuối tệp; không khôi phục gì.`);
    if (want.rows !== got.rows || want.sha256 !== got.sha256) {
      throw new BackupError(
        `Bảng ${got.table} trong tệp sao lưu ${file} không khớp mã kiểm tra (${got.rows} dòng, đúng ra ${want.rows}): tệp đã bị sửa, cắt bớt hoặc lặp dòng; không khôi phục gì.`,
      );
    }
  }
  if (computed.length !== manifest.tables.length || new Set(computed.map((c) => c.table)).size !== computed.length) {
    throw new BackupError(`Tệp sao lưu ${file} thiếu hoặc lặp bảng so với phần kiểm tra cuối tệp; không khôi phục gì.`);
  }
  if (fileHash.digest("hex") !== manifest.sha256) {
    throw new BackupError(`Tệp sao lưu ${file} đã bị sửa (mã kiểm tra toàn tệp không khớp); không khôi phục gì.`);
  }
  const { sha256: _whole, ...rest } = manifest;
  return { header, manifest: rest, bytes };
}

/** Checks a backup file without touching any database; throws a BackupError (in Vietnamese) if it does not match its manifest. */
export async function verifyBackup(file: string): Promise<{ header: BackupHeader; manifest: Manifest; stats: BackupStats }> {
  const { header, manifest, bytes } = await scanBackup(file);
  const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
  return { header, manifest, stats: { tables: manifest.tables.length, rows, bytes } };
}

/** Streams batches of COPY text into one COPY … FROM STDIN, surfacing the server's error. */
class CopyIn {
  private failure: Error | null = null;
  private readonly stream: ReturnType<typeof copyFrom>;
  constructor(client: pg.Client, sql: string) {
    this.stream = client.query(copyFrom(sql));
    this.stream.on("error", (err: Error) => {
      this.failure ??= err;
    });
  }
  async write(buf: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    // events.once rejects when the stream emits 'error' while waiting.
    if (!this.stream.write(buf)) await once(this.stream, "drain");
  }
  async end(): Promise<void> {
    if (this.failure) throw this.failure;
    const finished = once(this.stream, "finish");
    this.stream.end();
    await finished;
    if (this.failure) throw this.failure;
  }
}

/** sha256 and count of a table's rows as COPY writes them now, in the backup's column list and order. */
async function digestTable(client: pg.Client, section: TableSection): Promise<TableDigest> {
  const columns = (await tableColumns(client, section.table)) ?? [];
  const byName = new Map(columns.map((c) => [c.name, c]));
  const cols = section.columns.map((name) => byName.get(name) ?? { name, needsByteOrder: false });
  const digest = new RowDigest();
  for await (const chunk of client.query(copyTo(copyOutSql(section.table, cols, section.key))) as AsyncIterable<Buffer>) {
    digest.update(chunk);
  }
  return { table: section.table, rows: digest.rows, sha256: digest.digest() };
}

async function restoreSequences(client: pg.Client, sequences: SequenceState[], tables: Set<string>): Promise<void> {
  for (const s of await serialColumns(client)) {
    if (!tables.has(s.table)) continue;
    const saved = sequences.find((q) => q.table === s.table && q.column === s.column);
    // The next value follows both the saved sequence and the restored rows: ids are never reused.
    const floor = saved ? (saved.isCalled ? saved.lastValue : saved.lastValue - 1) : 0;
    await client.query(
      `select setval($1::regclass, greatest(v, 1), v >= 1)
         from (select greatest($2::bigint, coalesce(max(${ident(s.column)}), 0)::bigint) as v from ${ident(s.table)}) m`,
      [s.seq, floor],
    );
  }
}

/**
 * Restores a backup into a database that has the schema (migrated to the latest migrations) but
 * holds no data. The file is verified first; the load is one transaction that is rolled back,
 * leaving the database as it was, if anything does not match.
 */
export async function restoreDatabase(knex: Knex, file: string): Promise<BackupStats> {
  const { header, manifest, stats } = await verifyBackup(file);
  const known = await migrationSource.getMigrations([]);
  const missing = header.migrations.filter((m) => !known.includes(m));
  if (missing.length) {
    throw new BackupError(`Bản sao lưu cần các bước cập nhật lược đồ mà phiên bản phần mềm này không có: ${missing.join(", ")}; hãy cập nhật phần mềm.`);
  }
  const [, pending] = await knex.migrate.list();
  if ((pending as unknown[]).length) {
    throw new BackupError("Cơ sở dữ liệu đích chưa được cập nhật lược đồ mới nhất; hãy chạy npm run db:migrate trước.");
  }

  const client = await connect(knex);
  try {
    await client.query("begin");
    await applyCopySettings(client);
    const { rows: busy } = await client.query<{ n: string }>(
      `select ((select count(*) from units) + (select count(*) from site_audits) + (select count(*) from users))::text as n`,
    );
    if (Number(busy[0].n) > 0) {
      throw new BackupError("Cơ sở dữ liệu đích đã có dữ liệu (đơn vị, lượt kiểm tra hoặc tài khoản); chỉ khôi phục vào một cơ sở dữ liệu trống đã cập nhật lược đồ.");
    }
    // Triggers (foreign keys, the guards on published rubrics) must not fire on restored history:
    // replica mode skips them. It needs a superuser; elsewhere the dependency order is relied on.
    await client.query("savepoint replica");
    await client
      .query("set local session_replication_role = replica")
      .then(() => client.query("release savepoint replica"))
      .catch(() => client.query("rollback to savepoint replica"));

    const tables = manifest.tables.map((t) => t.table);
    for (const table of tables) {
      if (!(await tableColumns(client, table))) {
        throw new BackupError(`Cơ sở dữ liệu đích không có bảng ${table} có trong bản sao lưu; không khôi phục gì.`);
      }
    }
    // Rows the migrations seeded are replaced by the saved ones.
    if (tables.length) await client.query(`truncate ${tables.map(ident).join(", ")}`);

    let copy: CopyIn | null = null;
    const sections = new Map<string, TableSection>();
    await scanBackup(file, {
      async tableStart(section) {
        sections.set(section.table, section);
        const columns = new Set(((await tableColumns(client, section.table)) ?? []).map((c) => c.name));
        const absent = section.columns.filter((c) => !columns.has(c));
        if (absent.length) {
          throw new BackupError(`Bảng ${section.table} của cơ sở dữ liệu đích không có cột ${absent.join(", ")} có trong bản sao lưu; không khôi phục gì.`);
        }
        copy = new CopyIn(client, copyInSql(section.table, section.columns));
      },
      async rows(batch) {
        await copy!.write(batch);
      },
      async tableEnd(section) {
        try {
          await copy!.end();
        } catch (err) {
          throw new BackupError(`Không nạp được bảng ${section.table}: ${(err as Error).message}; đã huỷ khôi phục, cơ sở dữ liệu đích không đổi.`);
        }
        copy = null;
      },
    });

    // What is now in the database must be what was saved, byte for byte as COPY writes it.
    for (const want of manifest.tables) {
      const got = await digestTable(client, sections.get(want.table)!);
      if (got.rows !== want.rows || got.sha256 !== want.sha256) {
        throw new BackupError(
          `Sau khi nạp, bảng ${want.table} không khớp bản sao lưu (${got.rows} dòng, đúng ra ${want.rows}); đã huỷ khôi phục, cơ sở dữ liệu đích không đổi.`,
        );
      }
    }
    await restoreSequences(client, manifest.sequences, new Set(tables));
    await client.query("commit");
    return stats;
  } catch (err) {
    await client.query("rollback").catch(() => undefined);
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}
