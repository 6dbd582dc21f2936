// Backup and restore round trip: every audit, page snapshot, finding, appeal, frozen score and
// archived report comes back identical.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, expect, test } from "vitest";
import { backupDatabase, restoreDatabase, tablesInDependencyOrder } from "../../db/backup.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

let source: TestDatabase;
let target: TestDatabase;
const file = path.join(os.tmpdir(), `tt-backup-${process.pid}.jsonl.gz`);

beforeAll(async () => {
  source = await createTestDatabase();
  target = await createTestDatabase();
  const k = source.knex;
  await k("unit_groups").insert({ code: "xa", name: "UBND cấp xã" });
  const [unit] = await k("units").insert({ code: "X1", name: "UBND xã Phước Lộc", unit_type: "ubnd_xa", group_code: "xa" }).returning("id");
  const [site] = await k("sites").insert({ unit_id: unit.id, base_url: "http://127.0.0.1:4100/", allowed_hosts: ["127.0.0.1:4100"] }).returning("id");
  const [user] = await k("users").insert({ username: "donvi", password_hash: "$argon2id$x", role: "unit_head", unit_id: unit.id }).returning("id");
  const [round] = await k("audit_rounds").insert({ trigger: "test" }).returning("id");
  const [audit] = await k("site_audits")
    .insert({ round_id: round.id, site_id: site.id, unit_id: unit.id, status: "done", summary: { encoding: { pagesChecked: 3 } } })
    .returning("id");
  const body = zlib.brotliCompressSync(Buffer.from("<html><title>Cổng thông tin điện tử</title></html>"));
  await k("snapshots").insert({ hash: "abc", body, size_bytes: 52 });
  const [page] = await k("pages").insert({ site_audit_id: audit.id, url: "http://127.0.0.1:4100/", status: 200, content_hash: "abc" }).returning("id");
  const [finding] = await k("findings")
    .insert({
      site_audit_id: audit.id, site_id: site.id, unit_id: unit.id, check_id: "encoding", code: "encoding.legacy-text",
      severity: "error", message: "Văn bản mã TCVN3", page_id: page.id, url: "http://127.0.0.1:4100/", snippet: "ViÖt Nam",
      details: { scheme: "TCVN3", preview: "Việt Nam" },
    })
    .returning("id");
  await k("appeals").insert({ finding_id: finding.id, unit_id: unit.id, filed_by: user.id, explanation: "Đã sửa", status: "accepted", decided_by: user.id, decision_reason: "Đồng ý" });
  const [period] = await k("periods").insert({ kind: "month", code: "2026-11", starts_on: "2026-11-01", ends_on: "2026-11-30", frozen_at: new Date() }).returning("id");
  await k("reports").insert({ period_id: period.id, kind: "province", file_name: "bao-cao.xlsx", content: Buffer.from([80, 75, 3, 4, 0, 255]), sha256: "f00" });
  await k("audit_log").insert({ user_id: user.id, action: "appeal.decide", details: { accept: true } });
});

afterAll(async () => {
  fs.rmSync(file, { force: true });
  await source?.drop();
  await target?.drop();
});

async function fingerprint(db: TestDatabase): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of await tablesInDependencyOrder(db.knex)) {
    const { rows } = await db.knex.raw(`select count(*)::int as n, md5(coalesce(string_agg(to_jsonb(x)::text, '|' order by to_jsonb(x)::text), '')) as h from ?? x`, [t]);
    out[t] = `${rows[0].n}:${rows[0].h}`;
  }
  return out;
}

test("a backup restored into an empty database gives back every row", async () => {
  const stats = await backupDatabase(source.knex, file);
  expect(stats.rows).toBeGreaterThanOrEqual(14);
  const restored = await restoreDatabase(target.knex, file);
  expect(restored.rows).toBe(stats.rows);
  expect(await fingerprint(target)).toEqual(await fingerprint(source));
  // Ids continue after the restored ones.
  const [next] = await target.knex("audit_log").insert({ action: "after.restore" }).returning("id");
  expect(next.id).toBeGreaterThan(1);
});

test("restore refuses a database that already holds data, and a file that is not a backup", async () => {
  await expect(restoreDatabase(source.knex, file)).rejects.toThrow(/already holds data/);
  const bogus = `${file}.txt`;
  fs.writeFileSync(bogus, "hello");
  await expect(restoreDatabase(target.knex, bogus)).rejects.toThrow(/not a Tuân Thủ backup/);
  fs.rmSync(bogus);
});
