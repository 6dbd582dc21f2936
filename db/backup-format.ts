// The backup file format (version 2) and the catalog look-ups that backup and restore share.
//
// A backup is one gzip stream of lines:
//   {"format":"tuan-thu-backup","version":2,"createdAt":…,"migrations":[…],"settings":{…}}
//   {"table":"audit_log","columns":["id",…],"key":["id"]}
//   <the rows as PostgreSQL's COPY text format, one line each, in key order>
//   \.
//   …one such section per table…
//   {"manifest":{"tables":[{"table","rows","sha256"}…],"sequences":[…]},"sha256":"…"}
// Each table's sha256 is over its row lines exactly as written (each with its "\n"); the final
// sha256 is over every byte before the manifest line. A row line never equals "\." (COPY escapes a
// backslash as "\\"), so the end marker is unambiguous.
import { createHash, type Hash } from "node:crypto";
import pg from "pg";

export const FORMAT = "tuan-thu-backup";
export const VERSION = 2;
export const END_OF_TABLE = "\\.";

/** Session settings under which COPY writes and reads every value the same way, on any server. */
export const COPY_SETTINGS: Record<string, string> = {
  DateStyle: "ISO, YMD",
  TimeZone: "UTC",
  IntervalStyle: "postgres",
  extra_float_digits: "1",
  bytea_output: "hex",
  client_encoding: "UTF8",
  standard_conforming_strings: "on",
};

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

export interface BackupHeader {
  format: string;
  version: number;
  createdAt: string;
  migrations: string[];
  settings: Record<string, string>;
}

export interface TableSection {
  table: string;
  columns: string[];
  /** Primary-key columns (the row order); empty for a table without one (then ordered by row text). */
  key: string[];
}

export interface TableDigest {
  table: string;
  rows: number;
  sha256: string;
}

export interface SequenceState {
  table: string;
  column: string;
  lastValue: number;
  isCalled: boolean;
}

export interface Manifest {
  tables: TableDigest[];
  sequences: SequenceState[];
}

type Queryable = { query: pg.Client["query"] };

const ident = (name: string) => pg.escapeIdentifier(name);

export async function applyCopySettings(client: Queryable): Promise<void> {
  for (const [name, value] of Object.entries(COPY_SETTINGS)) {
    await client.query("select set_config($1, $2, true)", [name, value]);
  }
}

/** Our tables (schema public, minus knex's bookkeeping) in an order where referenced tables come first. */
export async function tablesInDependencyOrder(client: Queryable): Promise<string[]> {
  const { rows: tables } = await client.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
        and c.relname not in ('knex_migrations', 'knex_migrations_lock')
      order by 1`,
  );
  const { rows: deps } = await client.query<{ child: string; parent: string }>(
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

export interface ColumnInfo {
  name: string;
  /** True for a text-like column whose collation is not already byte order (C/POSIX). */
  needsByteOrder: boolean;
}

/** Stored (non-generated) columns of a table in the public schema, in column order; null if no such table. */
export async function tableColumns(client: Queryable, table: string): Promise<ColumnInfo[] | null> {
  const { rows } = await client.query<{ name: string; needs_byte_order: boolean }>(
    `with byte_order as (
       select oid from pg_collation where collnamespace = 'pg_catalog'::regnamespace and collname in ('C', 'POSIX')
       union all
       select 100 from pg_database
        where datname = current_database() and datlocprovider = 'c' and datcollate in ('C', 'POSIX'))
     select a.attname as name, a.attcollation <> 0 and a.attcollation not in (select oid from byte_order) as needs_byte_order
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relname = $1 and c.relkind in ('r', 'p')
        and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      order by a.attnum`,
    [table],
  );
  return rows.length ? rows.map((r) => ({ name: r.name, needsByteOrder: r.needs_byte_order })) : null;
}

export async function primaryKey(client: Queryable, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select a.attname as name
       from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
       join lateral unnest(i.indkey::int2[]) with ordinality as k(attnum, pos) on true
       join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
      where n.nspname = 'public' and c.relname = $1 and i.indisprimary
      order by k.pos`,
    [table],
  );
  return rows.map((r) => r.name);
}

/**
 * The COPY that writes a table's rows in key order. Text keys are compared byte-wise (COLLATE "C"
 * unless their collation already is), so the order, and with it the checksum, is the same on a
 * server with another default collation; where it already is, the primary key's index gives the order.
 */
export function copyOutSql(table: string, columns: ColumnInfo[], key: string[]): string {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const order = key.length
    ? key.map((k) => (byName.get(k)?.needsByteOrder ? `t.${ident(k)} collate "C"` : `t.${ident(k)}`)).join(", ")
    : `t::text collate "C"`;
  return `copy (select ${columns.map((c) => `t.${ident(c.name)}`).join(", ")} from ${ident(table)} as t order by ${order}) to stdout`;
}

export function copyInSql(table: string, columns: string[]): string {
  return `copy ${ident(table)} (${columns.map(ident).join(", ")}) from stdin`;
}

/** Serial and identity columns with their sequences. */
export async function serialColumns(client: Queryable): Promise<{ table: string; column: string; seq: string }[]> {
  const { rows } = await client.query<{ table: string; column: string; seq: string }>(
    `select c.relname as table, a.attname as column,
            pg_get_serial_sequence(quote_ident(c.relname), a.attname) as seq
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
        and pg_get_serial_sequence(quote_ident(c.relname), a.attname) is not null
      order by 1, 2`,
  );
  return rows;
}

export { ident };

/** Counts rows and hashes the bytes of a table's row lines. */
export class RowDigest {
  rows = 0;
  private readonly hash: Hash = createHash("sha256");
  update(chunk: Buffer): void {
    this.hash.update(chunk);
    let i = chunk.indexOf(10);
    while (i !== -1) {
      this.rows++;
      i = chunk.indexOf(10, i + 1);
    }
  }
  digest(): string {
    return this.hash.digest("hex");
  }
}

/** Splits a byte stream into lines (without their "\n"); the last line may lack a "\n" (reported by `complete`). */
export async function* lines(input: AsyncIterable<Buffer>): AsyncGenerator<{ line: Buffer; complete: boolean }> {
  let pending: Buffer[] = [];
  for await (const chunk of input) {
    let start = 0;
    let nl = chunk.indexOf(10, start);
    while (nl !== -1) {
      const part = chunk.subarray(start, nl);
      if (pending.length) {
        pending.push(part);
        yield { line: Buffer.concat(pending), complete: true };
        pending = [];
      } else {
        yield { line: part, complete: true };
      }
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length) yield { line: Buffer.concat(pending), complete: false };
}
