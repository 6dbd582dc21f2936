// Vitest global setup: one PostgreSQL server for the whole run (DATABASE_URL, or an embedded
// server under .data/test-pg), and a migrated template database that each test file clones.
import type { TestProject } from "vitest/node";
import { createKnex, migrate } from "../../db/index.ts";
import { startServer, withDatabase, type ServerHandle } from "../../db/server.ts";

let server: ServerHandle | undefined;
// Unique per run, so that concurrent runs against one DATABASE_URL do not collide.
const TEMPLATE_DB = `tt_tpl_${process.pid}_${Date.now().toString(36)}`;

export async function setup(project: TestProject): Promise<void> {
  server = await startServer({
    dataDir: process.env.TT_TEST_DATA_DIR ?? ".data/test-pg",
    port: Number(process.env.TT_TEST_PG_PORT ?? 54330),
  });
  const admin = createKnex(server.url, { max: 1 });
  try {
    await admin.raw(`drop database if exists ${TEMPLATE_DB} with (force)`);
    await admin.raw(`create database ${TEMPLATE_DB}`);
  } finally {
    await admin.destroy();
  }
  const template = createKnex(withDatabase(server.url, TEMPLATE_DB), { max: 1 });
  try {
    await migrate(template);
  } finally {
    await template.destroy();
  }
  project.provide("pgServerUrl", server.url);
  project.provide("pgTemplateDb", TEMPLATE_DB);
}

export async function teardown(): Promise<void> {
  if (server) {
    const admin = createKnex(server.url, { max: 1 });
    await admin.raw(`drop database if exists ${TEMPLATE_DB} with (force)`).catch(() => undefined);
    await admin.destroy();
  }
  await server?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    pgServerUrl: string;
    pgTemplateDb: string;
  }
}
