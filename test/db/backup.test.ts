// Backup and restore: the restored database equals the backup's snapshot exactly — every table's
// rows, by count and checksum — on a demo-sized database and on one with 100,000 audit_log rows,
// while another connection keeps writing during the backup. A file that does not match its
// manifest (truncated, edited, rows dropped or duplicated, the old format) is refused in
// Vietnamese and the target database is left as it was.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { Knex } from "knex";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { holidaysForYear } from "../../crawler/calendar/holidays.ts";
import { backupDatabase, BackupError, restoreDatabase, verifyBackup } from "../../db/backup.ts";
import { seedGroupsAndSettings, seedHolidays, seedUnits, type SampleUnit } from "../../db/seeds/sample-province.ts";
import { REPO_ROOT } from "../../db/server.ts";
import { seedDashboard } from "../e2e/seed.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tt-backup-"));
const created: TestDatabase[] = [];

async function freshDb(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  created.push(db);
  return db;
}

afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const db of created) await db.drop().catch(() => undefined);
});

type Fingerprint = Record<string, string>;

/** Count and md5 of every table's rows (as jsonb text, sorted): independent of the backup's own COPY checksums. */
async function fingerprintWith(client: pg.Client): Promise<Fingerprint> {
  const { rows: tables } = await client.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and c.relname not like 'knex_migrations%' order by 1`,
  );
  const out: Fingerprint = {};
  for (const { name } of tables) {
    const { rows } = await client.query(
      `select count(*)::int as n, md5(coalesce(string_agg(to_jsonb(x)::text, '|' order by to_jsonb(x)::text), '')) as h from ${pg.escapeIdentifier(name)} x`,
    );
    out[name] = `${rows[0].n}:${rows[0].h}`;
  }
  return out;
}

async function fingerprint(db: TestDatabase, snapshotId?: string): Promise<Fingerprint> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query("begin isolation level repeatable read read only");
    if (snapshotId) await client.query(`set transaction snapshot '${snapshotId}'`);
    return await fingerprintWith(client);
  } finally {
    await client.query("rollback").catch(() => undefined);
    await client.end();
  }
}

/** Another connection that inserts audit rows and findings, updates an audit and deletes old log rows, one transaction at a time. */
function startWriter(db: TestDatabase) {
  const client = new pg.Client({ connectionString: db.url });
  let stopped = false;
  let commits = 0;
  const loop = (async () => {
    await client.connect();
    const { rows } = await client.query("select id, site_id, unit_id from site_audits where status = 'done' order by id limit 1");
    const a = rows[0];
    while (!stopped) {
      await client.query("begin");
      await client.query(`insert into audit_log (action, entity, details) values ('concurrent.write', 'finding', jsonb_build_object('n', $1::int))`, [commits]);
      await client.query(
        `insert into findings (site_audit_id, site_id, unit_id, check_id, code, severity, message)
         values ($1, $2, $3, 'identity', 'identity.email-missing', 'warning', 'Thiếu thư điện tử (ghi đồng thời)')`,
        [a.id, a.site_id, a.unit_id],
      );
      await client.query(`update site_audits set pages_done = pages_done + 1 where id = $1`, [a.id]);
      await client.query(`delete from audit_log where id = (select min(id) from audit_log where action <> 'concurrent.write')`);
      await client.query("commit");
      commits++;
    }
    await client.end();
  })();
  return {
    commits: () => commits,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Backs up `source` while a writer commits, and returns the fingerprint of exactly what the
 * backup's snapshot saw (read through the exported snapshot while the backup runs).
 */
async function backupWhileWriting(source: TestDatabase, file: string) {
  const writer = startWriter(source);
  while (writer.commits() < 3) await sleep(5);
  let atSnapshot: Fingerprint | null = null;
  let commitsAtSnapshot = 0;
  const t0 = performance.now();
  try {
    const stats = await backupDatabase(source.knex, file, {
      async onSnapshot(id) {
        commitsAtSnapshot = writer.commits();
        atSnapshot = await fingerprint(source, id);
        // Commits land after the snapshot and before a single row is read.
        while (writer.commits() < commitsAtSnapshot + 5) await sleep(5);
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    const writesDuring = writer.commits() - commitsAtSnapshot;
    return { stats, seconds, writesDuring, atSnapshot: atSnapshot as Fingerprint | null };
  } finally {
    await writer.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Demo-sized world: the e2e seed (users, rubric, periods, scores, appeals-ready findings), 40
// more units with sites, a year of holidays, one audit round of every site with 30 pages and
// snapshots each, about 2,900 findings, 3,000 audit log rows, login attempts, and values that
// stress COPY's text escaping (newlines, tabs, backslashes, a lone "\.", NaN, -0, 1e-300).

async function seedDemoSized(k: Knex): Promise<void> {
  await seedDashboard(k);
  await seedGroupsAndSettings(k);
  const groups = ["so-nganh", "huyen", "xa"];
  const types = ["so", "ubnd_huyen", "ubnd_xa"];
  const units: SampleUnit[] = Array.from({ length: 40 }, (_, i) => ({
    code: `DV${String(i + 1).padStart(2, "0")}`,
    name: `Đơn vị mẫu số ${i + 1} — tỉnh Bình Định`,
    unitType: types[i % 3],
    group: groups[i % 3],
    baseUrl: `http://127.0.0.1:${4710 + (i % 10)}/dv${i + 1}/`,
    allowPrivate: true,
  }));
  await seedUnits(k, units);
  await seedHolidays(k, [holidaysForYear(2026)]);
  const [round] = await k("audit_rounds")
    .insert({ trigger: "demo", reference_time: "2026-11-20T02:00:00Z", status: "done", finished_at: "2026-11-20T02:40:00.123456Z" })
    .returning("id");
  await k.raw(
    `insert into site_audits (round_id, site_id, unit_id, status, started_at, finished_at, pages_planned, pages_done, summary)
     select ?, s.id, s.unit_id, 'done', timestamptz '2026-11-20 02:00:00.5+07' + s.id * interval '17 seconds',
            timestamptz '2026-11-20 02:05:00.25+07' + s.id * interval '17 seconds', 30, 30,
            jsonb_build_object('encoding', jsonb_build_object('pagesChecked', 30, 'pagesCompliant', 29), 'freshness',
              jsonb_build_object('postsPerWeek', 2.5 + s.id / 7.0, 'latest', '2026-11-18'), 'note', 'Kiểm tra định kỳ "tháng 11"')
       from sites s`,
    [round.id],
  );
  await k.raw(
    `insert into snapshots (hash, body, compression, size_bytes, stored_at)
     select md5('body-' || a.id || '-' || g) || md5('x' || a.id || '-' || g),
            decode(repeat(md5(a.id || ':' || g) || '0a5c2e0d00ff', 20 + g % 50), 'hex'), 'none', 22 * (20 + g % 50), now()
       from site_audits a cross join generate_series(1, 30) g where a.round_id = ?`,
    [round.id],
  );
  await k.raw(
    `insert into pages (site_audit_id, url, final_url, status, kind, depth, duration_ms, content_type, headers, content_hash, size_bytes, title)
     select a.id, s.base_url || 'trang-' || g, s.base_url || 'trang-' || g || '/', 200, case when g = 1 then 'home' else 'article' end,
            g % 3, 40 + g, 'text/html; charset=utf-8', jsonb_build_object('server', 'nginx', 'x-g', g),
            md5('body-' || a.id || '-' || g) || md5('x' || a.id || '-' || g), 22 * (20 + g % 50), 'Tin tức số ' || g || ' — Sở Nội vụ'
       from site_audits a join sites s on s.id = a.site_id cross join generate_series(1, 30) g where a.round_id = ?`,
    [round.id],
  );
  await k.raw(
    `insert into findings (site_audit_id, site_id, unit_id, check_id, code, category_id, severity, message, page_id, url, snippet, details, created_at)
     select a.id, a.site_id, a.unit_id, (array['encoding','identity','freshness','technical'])[1 + g % 4], 'code.' || (g % 9),
            case when g % 5 = 0 then null else 'tin-tuc' end, (array['error','warning','info'])[1 + g % 3],
            'Dòng ' || g || E'\\nthứ hai\\tcó tab \\\\ và gạch chéo', p.id, p.url,
            case when g % 11 = 0 then E'\\\\.' when g % 7 = 0 then E'ViÖt Nam\\r\\n' else null end,
            jsonb_build_object('g', g, 'ratio', g / 3.0, 'text', 'Cổng thông tin điện tử'), timestamptz '2026-11-20 02:10:00+07' + g * interval '1.000001 seconds'
       from site_audits a cross join generate_series(1, 66) g
       cross join lateral (select id, url from pages where site_audit_id = a.id order by id offset g % 30 limit 1) p
      where a.round_id = ?`,
    [round.id],
  );
  await k.raw(
    `insert into audit_log (at, actor, action, entity, entity_id, details)
     select timestamptz '2026-11-01 00:00:00+07' + g * interval '13 minutes 0.000007 seconds', 'thanhtra', 'unit.update', 'unit', (g % 40)::text,
            jsonb_build_object('field', 'name', 'before', 'Tên cũ ' || g, 'after', 'Tên mới ' || g)
       from generate_series(1, 3000) g`,
  );
  await k.raw(
    `insert into login_attempts (username, ip, success, at)
     select 'donvi' || (g % 7), '127.0.0.' || (g % 200), g % 4 <> 0, now() - g * interval '1 minute' from generate_series(1, 500) g`,
  );
  const anAudit = await k("site_audits").where({ round_id: round.id }).first("id");
  await k.raw(
    `insert into scoring_audit_values (site_audit_id, src_xmin, layout, vals, cats)
     values (?, '123', 'layout-1', '{0.1,1e-300,NaN,Infinity,-0,0.30000000000000004}', '{1,-2,3}')`,
    [anAudit.id],
  );
}

async function seedHundredThousand(k: Knex): Promise<void> {
  await seedDashboard(k);
  await k.raw(
    `insert into audit_log (at, user_id, actor, action, entity, entity_id, details)
     select timestamptz '2026-01-01 00:00:00+07' + g * interval '1 minute 0.000001 seconds', null, 'hệ thống', 'audit.finish', 'site_audit', g::text,
            jsonb_build_object('pages', g % 97, 'findings', g % 13, 'note', 'Kiểm tra xong lượt ' || g || ' — "ổn định"')
       from generate_series(1, 100000) g`,
  );
}

function gunzipLines(file: string): string[] {
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString("utf8");
  return text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
}

function writeLines(file: string, lines: string[]): string {
  fs.writeFileSync(file, zlib.gzipSync(`${lines.join("\n")}\n`));
  return file;
}

/** Index of the first row line of a table section in a backup's lines. */
function firstRowOf(lines: string[], table: string): number {
  const i = lines.findIndex((l) => l.startsWith(`{"table":"${table}"`));
  expect(i).toBeGreaterThan(0);
  return i + 1;
}

describe("demo-sized database", () => {
  let source: TestDatabase;
  let target: TestDatabase;
  const file = path.join(dir, "demo.jsonl.gz");

  beforeAll(async () => {
    source = await freshDb();
    target = await freshDb();
    await seedDemoSized(source.knex);
  }, 120_000);

  test("a backup taken while another connection writes restores exactly the snapshot it saw", async () => {
    const { rows } = await source.knex.raw("select (select count(*) from findings)::int as f, (select count(*) from pages)::int as p");
    expect(rows[0].f).toBeGreaterThan(2_500);
    expect(rows[0].p).toBeGreaterThan(1_200);

    const { stats, writesDuring, atSnapshot } = await backupWhileWriting(source, file);
    expect(atSnapshot).not.toBeNull();
    expect(writesDuring).toBeGreaterThanOrEqual(5);
    // The source has moved on: the snapshot is not simply "the database now".
    expect(await fingerprint(source)).not.toEqual(atSnapshot);

    const restored = await restoreDatabase(target.knex, file);
    expect(restored.rows).toBe(stats.rows);
    expect(await fingerprint(target)).toEqual(atSnapshot);

    // New rows get ids after every saved one, and after the ids the source had handed out by then.
    const { rows: maxRows } = await target.knex.raw("select max(id)::int as m from findings");
    const saved = (await verifyBackup(file)).manifest.sequences.find((s) => s.table === "findings" && s.column === "id");
    expect(saved!.lastValue).toBeGreaterThan(maxRows[0].m);
    const [next] = await target.knex("findings").insert({
      site_audit_id: (await target.knex("site_audits").first("id")).id,
      site_id: (await target.knex("sites").first("id")).id,
      unit_id: (await target.knex("units").first("id")).id,
      check_id: "encoding", code: "after.restore", severity: "info", message: "sau khôi phục",
    }).returning("id");
    expect(next.id).toBe(saved!.lastValue + 1);
  }, 90_000);

  test("the CLI backs up and restores with the same commands, and refuses a tampered file in Vietnamese", async () => {
    const cliFile = path.join(dir, "cli.jsonl.gz");
    const empty = await freshDb();
    const tsx = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");
    const cli = path.join(REPO_ROOT, "db", "backup-cli.ts");
    const backup = await run(tsx, [cli, "backup", "--out", cliFile], { env: { ...process.env, DATABASE_URL: source.url }, cwd: REPO_ROOT });
    expect(backup.stdout).toMatch(/Đã sao lưu [\d.]+ dòng trong \d+ bảng .* MB, .* giây\)\./);

    const lines = gunzipLines(cliFile);
    const i = firstRowOf(lines, "findings");
    const tampered = writeLines(path.join(dir, "cli-tampered.jsonl.gz"), [...lines.slice(0, i), ...lines.slice(i + 1)]);
    const refused = await run(tsx, [cli, "restore", "--in", tampered], { env: { ...process.env, DATABASE_URL: empty.url }, cwd: REPO_ROOT }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toMatch(/Bảng findings .* không khớp mã kiểm tra .*không khôi phục gì/);
    expect((await empty.knex("findings").count({ n: "*" }))[0].n).toBe(0);

    const restore = await run(tsx, [cli, "restore", "--in", cliFile], { env: { ...process.env, DATABASE_URL: empty.url }, cwd: REPO_ROOT });
    expect(restore.stdout).toMatch(/Đã khôi phục và kiểm tra [\d.]+ dòng/);
    expect(await fingerprint(empty)).toEqual(await fingerprint(source));
  }, 90_000);
});

describe("a file that does not match its manifest is refused and the target stays as it was", () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let lines: string[];
  let before: Fingerprint;
  const file = path.join(dir, "small.jsonl.gz");

  beforeAll(async () => {
    source = await freshDb();
    target = await freshDb();
    await seedDashboard(source.knex);
    await source.knex.raw(
      `insert into audit_log (action, details) select 'bulk', jsonb_build_object('g', g) from generate_series(1, 1200) g`,
    );
    await backupDatabase(source.knex, file);
    lines = gunzipLines(file);
    before = await fingerprint(target);
  }, 60_000);

  const refusedWith = async (f: string, message: RegExp) => {
    const err = await restoreDatabase(target.knex, f).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(BackupError);
    expect((err as Error).message).toMatch(message);
    expect(await fingerprint(target)).toEqual(before);
  };

  test("the untouched file verifies; it is readable by its owner only; an unwritable path is a clear error", async () => {
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    await expect(backupDatabase(source.knex, path.join(dir, "no-such-dir", "x.gz"))).rejects.toThrow(/Không ghi được tệp sao lưu .*ENOENT/);
    const { stats, manifest } = await verifyBackup(file);
    expect(stats.rows).toBeGreaterThan(1_200);
    expect(manifest.tables.find((t) => t.table === "audit_log")?.rows).toBe(1_200);
  });

  test("a row dropped, a row duplicated, a value edited", async () => {
    const i = firstRowOf(lines, "audit_log") + 600;
    await refusedWith(writeLines(path.join(dir, "drop.gz"), [...lines.slice(0, i), ...lines.slice(i + 1)]), /Bảng audit_log .*1199 dòng, đúng ra 1200.*không khôi phục gì/);
    await refusedWith(writeLines(path.join(dir, "dup.gz"), [...lines.slice(0, i), lines[i], ...lines.slice(i)]), /Bảng audit_log .*1201 dòng, đúng ra 1200/);
    const edited = [...lines];
    edited[i] = edited[i].replace('"g": ', '"g": 9');
    expect(edited[i]).not.toBe(lines[i]);
    await refusedWith(writeLines(path.join(dir, "edit.gz"), edited), /Bảng audit_log .*không khớp mã kiểm tra/);
  });

  test("a truncated file, a file without its manifest, a changed column list, trailing data", async () => {
    const raw = fs.readFileSync(file);
    const cut = path.join(dir, "cut.gz");
    fs.writeFileSync(cut, raw.subarray(0, Math.floor(raw.length * 0.6)));
    await refusedWith(cut, /bị cắt cụt hoặc hỏng/);
    await refusedWith(writeLines(path.join(dir, "nomanifest.gz"), lines.slice(0, -1)), /thiếu phần kiểm tra cuối tệp/);
    const header = lines.findIndex((l) => l.startsWith('{"table":"audit_log"'));
    const swapped = [...lines];
    swapped[header] = swapped[header].replace('"action","entity"', '"entity","action"');
    expect(swapped[header]).not.toBe(lines[header]);
    await refusedWith(writeLines(path.join(dir, "cols.gz"), swapped), /mã kiểm tra toàn tệp không khớp/);
    await refusedWith(writeLines(path.join(dir, "twice.gz"), [...lines, ...lines]), /dữ liệu thừa sau phần kiểm tra cuối tệp/);
  });

  test("the old format, another program's file, a missing file", async () => {
    const old = writeLines(path.join(dir, "v1.gz"), [JSON.stringify({ format: "tuan-thu-backup", version: 1, migrations: [] }), '{"table":"units","columns":["id"]}', '{"r":{"id":1}}']);
    await refusedWith(old, /định dạng cũ \(phiên bản 1\).*sao lưu lại/);
    await refusedWith(writeLines(path.join(dir, "v9.gz"), [JSON.stringify({ format: "tuan-thu-backup", version: 9, migrations: [] })]), /phiên bản 9/);
    const bogus = path.join(dir, "bogus.txt");
    fs.writeFileSync(bogus, "hello");
    await refusedWith(bogus, /không phải là tệp sao lưu của Tuân Thủ/);
    await refusedWith(path.join(dir, "absent.gz"), /Không tìm thấy tệp sao lưu/);
  });

  test("a load that fails half-way is rolled back: nothing of the file stays", async () => {
    // A constraint the target has and the saved rows break: tables before audit_log load, then it fails.
    await target.knex.raw(`alter table audit_log add constraint no_bulk check (action <> 'bulk')`);
    try {
      before = await fingerprint(target);
      await refusedWith(file, /Không nạp được bảng audit_log: .*no_bulk.*cơ sở dữ liệu đích không đổi/);
      expect((await target.knex("units").count({ n: "*" }))[0].n).toBe(0);
    } finally {
      await target.knex.raw(`alter table audit_log drop constraint no_bulk`);
    }
  });

  test("restore refuses a database that already holds data", async () => {
    await expect(restoreDatabase(source.knex, file)).rejects.toThrow(/Cơ sở dữ liệu đích đã có dữ liệu/);
  });
});

describe("100,000 rows in one table", () => {
  let source: TestDatabase;
  let target: TestDatabase;
  const file = path.join(dir, "big.jsonl.gz");

  beforeAll(async () => {
    source = await freshDb();
    target = await freshDb();
    await seedHundredThousand(source.knex);
  }, 120_000);

  test("round trip while another connection writes: the restored database equals the snapshot", async () => {
    const { stats, seconds, writesDuring, atSnapshot } = await backupWhileWriting(source, file);
    expect(stats.rows).toBeGreaterThanOrEqual(100_000);
    expect(writesDuring).toBeGreaterThanOrEqual(5);
    const t0 = performance.now();
    const restored = await restoreDatabase(target.knex, file);
    const restoreSeconds = (performance.now() - t0) / 1000;
    expect(restored.rows).toBe(stats.rows);
    expect(await fingerprint(target)).toEqual(atSnapshot);
    const mb = (stats.bytes / 1024 / 1024).toFixed(1);
    console.log(`backup of ${stats.rows} rows: ${seconds.toFixed(1)} s, ${mb} MB; restore with verification: ${restoreSeconds.toFixed(1)} s`);
  }, 120_000);
});
