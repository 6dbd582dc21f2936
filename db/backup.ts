// Logical backup and restore of everything the product keeps (audits, pages, snapshots,
// findings, scores, appeals, frozen reports, users, settings…) without pg_dump, so that it works
// the same against the embedded server and any DATABASE_URL whatever the client tools' version.
//
// Format: gzip of JSON lines. Line 1: {"format":"tuan-thu-backup","version":1,"migrations":[…]}.
// Then per table {"table":name,"columns":[…]} followed by one {"r":row} line per row.
// The read runs in one REPEATABLE READ READ ONLY transaction: a consistent snapshot.
import fs from "node:fs";
import readline from "node:readline";
import { pipeline } from "node:stream/promises";
import { PassThrough } from "node:stream";
import zlib from "node:zlib";
import type { Knex } from "knex";
import { migrationSource } from "./migrations/index.ts";

const FORMAT = "tuan-thu-backup";
const BATCH = 500;

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

/** Our tables (schema public, minus knex's lock) in an order where referenced tables come first. */
export async function tablesInDependencyOrder(knex: Knex | Knex.Transaction): Promise<string[]> {
  const { rows: tables } = await knex.raw<{ rows: { name: string }[] }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and c.relname <> 'knex_migrations_lock' order by 1`,
  );
  const { rows: deps } = await knex.raw<{ rows: { child: string; parent: string }[] }>(
    `select cl.relname as child, pl.relname as parent from pg_constraint k
       join pg_class cl on cl.oid = k.conrelid join pg_class pl on pl.oid = k.confrelid
       join pg_namespace n on n.oid = cl.relnamespace
      where k.contype = 'f' and n.nspname = 'public' and cl.relname <> pl.relname`,
  );
  const names = tables.map((t) => t.name);
  const parents = new Map(names.map((n) => [n, new Set<string>()]));
  for (const d of deps) parents.get(d.child)?.add(d.parent);
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (n: string, path: Set<string>) => {
    if (done.has(n) || path.has(n)) return;
    path.add(n);
    for (const p of parents.get(n) ?? []) visit(p, path);
    path.delete(n);
    done.add(n);
    order.push(n);
  };
  for (const n of names) visit(n, new Set());
  return order;
}

async function appliedMigrations(knex: Knex | Knex.Transaction): Promise<string[]> {
  const rows = await knex("knex_migrations").select("name").orderBy("id");
  return rows.map((r) => r.name as string);
}

export interface BackupStats {
  tables: number;
  rows: number;
}

/** Writes a backup of the whole database to `file` (gzip JSON lines). */
export async function backupDatabase(knex: Knex, file: string): Promise<BackupStats> {
  const out = new PassThrough();
  const done = pipeline(out, zlib.createGzip(), fs.createWriteStream(file));
  const stats: BackupStats = { tables: 0, rows: 0 };
  const write = (obj: unknown) =>
    new Promise<void>((resolve) => (out.write(`${JSON.stringify(obj)}\n`) ? resolve() : out.once("drain", () => resolve())));
  try {
    await knex.transaction(
      async (trx) => {
        await write({ format: FORMAT, version: 1, createdAt: new Date().toISOString(), migrations: await appliedMigrations(trx) });
        for (const table of await tablesInDependencyOrder(trx)) {
          if (table === "knex_migrations") continue;
          const { rows: cols } = await trx.raw<{ rows: { column_name: string }[] }>(
            `select column_name from information_schema.columns where table_schema = 'public' and table_name = ? order by ordinal_position`,
            [table],
          );
          await write({ table, columns: cols.map((c) => c.column_name) });
          stats.tables++;
          // Keyset over ctid: constant memory, no OFFSET scans.
          let after = "(0,0)";
          for (;;) {
            const { rows } = await trx.raw<{ rows: { ctid: string; j: unknown }[] }>(
              `select ctid::text as ctid, to_jsonb(t) as j from ?? as t where ctid > ?::tid order by ctid limit ${BATCH}`,
              [table, after],
            );
            for (const r of rows) await write({ r: r.j });
            stats.rows += rows.length;
            if (rows.length < BATCH) break;
            after = rows[rows.length - 1].ctid;
          }
        }
      },
      { isolationLevel: "repeatable read", readOnly: true },
    );
  } finally {
    out.end();
  }
  await done;
  return stats;
}

/**
 * Restores a backup into a database that has the schema (migrated to the same migrations) but
 * holds no data. Refuses a database that already has units or audits: a restore never mixes data.
 */
export async function restoreDatabase(knex: Knex, file: string): Promise<BackupStats> {
  if (!fs.existsSync(file)) throw new BackupError(`The backup file ${file} does not exist.`);
  const lines = readline.createInterface({
    input: fs.createReadStream(file).pipe(zlib.createGunzip()),
    crlfDelay: Infinity,
  });
  const stats: BackupStats = { tables: 0, rows: 0 };
  const iterator = lines[Symbol.asyncIterator]();
  let header: { format?: string; migrations?: string[] };
  try {
    const first = await iterator.next();
    header = JSON.parse(first.value ?? "{}");
  } catch {
    throw new BackupError(`${file} is not a Tuân Thủ backup (it is not gzip JSON lines).`);
  }
  if (header.format !== FORMAT) throw new BackupError(`${file} is not a Tuân Thủ backup.`);
  const known = await migrationSource.getMigrations([]);
  const missing = (header.migrations ?? []).filter((m) => !known.includes(m));
  if (missing.length) throw new BackupError(`The backup needs migrations this version does not have: ${missing.join(", ")}.`);
  const [, pending] = await knex.migrate.list();
  if ((pending as unknown[]).length) {
    throw new BackupError("The target database is not migrated to the latest schema; run npm run db:migrate first.");
  }

  await knex.transaction(async (trx) => {
    const { rows: busy } = await trx.raw(`select (select count(*) from units) + (select count(*) from site_audits) + (select count(*) from users) as n`);
    if (Number(busy[0].n) > 0) throw new BackupError("The target database already holds data; restore into an empty, migrated database.");
    // Rows the migrations seeded (none today) would collide; triggers that guard published
    // rubrics must not fire on restored history: replica mode skips them (superuser only).
    await trx.raw("set local session_replication_role = replica").catch(() => undefined);
    let table: string | null = null;
    let batch: unknown[] = [];
    const flush = async () => {
      if (!table || !batch.length) return;
      await trx.raw(`insert into ?? select * from jsonb_populate_recordset(null::??, ?::jsonb)`, [table, table, JSON.stringify(batch)]);
      stats.rows += batch.length;
      batch = [];
    };
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      if (!next.value) continue;
      const rec = JSON.parse(next.value) as { table?: string; r?: unknown };
      if (rec.table) {
        await flush();
        table = rec.table;
        stats.tables++;
        await trx(table).del();
      } else if (rec.r !== undefined) {
        batch.push(rec.r);
        if (batch.length >= BATCH) await flush();
      }
    }
    await flush();
    // Serial columns continue after the restored ids.
    const { rows: seqs } = await trx.raw<{ rows: { tbl: string; col: string; seq: string }[] }>(
      `select c.table_name as tbl, c.column_name as col, pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) as seq
         from information_schema.columns c
        where c.table_schema = 'public' and pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) is not null`,
    );
    for (const s of seqs) {
      await trx.raw(`select setval(?, greatest(coalesce((select max(??) from ??), 0), 1), (select count(*) > 0 from ??))`, [
        s.seq,
        s.col,
        s.tbl,
        s.tbl,
      ]);
    }
  });
  return stats;
}
