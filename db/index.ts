// How every entry point (dashboard, worker, CLI, tests) gets its database.
import knexFactory, { type Knex } from "knex";
import pg from "pg";
import { migrationSource } from "./migrations/index.ts";
import { startServer, type EmbeddedOptions, type ServerHandle } from "./server.ts";

// bigint (int8) and numeric come back as numbers: ids and scores stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));
// DATE columns stay 'YYYY-MM-DD' strings: no time-zone shift on calendar days.
pg.types.setTypeParser(1082, (v) => v);

export interface Database {
  knex: Knex;
  url: string;
  server: ServerHandle;
  close(): Promise<void>;
}

export function createKnex(url: string, pool: { min?: number; max?: number } = {}): Knex {
  return knexFactory({
    client: "pg",
    connection: { connectionString: url, application_name: "tuan-thu" },
    pool: { min: pool.min ?? 0, max: pool.max ?? 10 },
    migrations: { migrationSource, tableName: "knex_migrations" },
  });
}

export async function migrate(knex: Knex): Promise<string[]> {
  const [, applied] = await knex.migrate.latest();
  return applied as string[];
}

export interface OpenOptions extends EmbeddedOptions {
  migrate?: boolean;
  poolMax?: number;
  /** Stop the server (when we own it) and close the pool on SIGINT/SIGTERM. */
  handleSignals?: boolean;
}

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  const server = await startServer(opts);
  const knex = createKnex(server.url, { max: opts.poolMax });
  if (opts.migrate !== false) await migrate(knex);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await knex.destroy().catch(() => undefined);
    await server.stop().catch(() => undefined);
  };
  if (opts.handleSignals) {
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      process.once(sig, () => {
        close().finally(() => process.exit(sig === "SIGINT" ? 130 : 143));
      });
    }
  }
  return { knex, url: server.url, server, close };
}
