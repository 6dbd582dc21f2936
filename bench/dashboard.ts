// Benchmark of the dashboard: 2,000 units × 36 monthly periods of scores (generated in SQL),
// then the ranking page and unit pages driven over loopback with concurrent requests.
// Prints throughput and p50/p95 per page: server time (request arrival → last byte written,
// measured inside the server) and the client's round trip over 127.0.0.1.
// Then the ranking page again while an inspector uploads a --import-mb (10) MB Excel import, over
// and over: the p95 the other users see while the import streams and validates.
// Run: npm run bench -- dashboard [--units 2000] [--periods 36] [--requests 400] [--concurrency 4] [--import-mb 10] [--keep]
import { performance } from "node:perf_hooks";
import { randomBytes } from "node:crypto";
import { hash } from "@node-rs/argon2";
import ExcelJS from "exceljs";
import { startServer } from "../app/server.ts";
import { createKnex, migrate } from "../db/index.ts";
import { runMain, startServer as startDb, withDatabase } from "../db/server.ts";

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  return Number.isFinite(v) && v > 0 ? v : def;
}

const UNITS = arg("units", 2000);
const PERIODS = arg("periods", 36);
const REQUESTS = arg("requests", 400);
const CONCURRENCY = arg("concurrency", 4);
const IMPORT_MB = arg("import-mb", 10);
const PASSWORD = "bench-mat-khau-2026";

/** An .xlsx of about `mb` MB: rows of random (incompressible) text, each one a row error (unknown type). */
async function bigWorkbook(mb: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Đơn vị");
  ws.addRow(["Tên đơn vị", "Loại", "Nhóm", "Website", "Email thủ trưởng"]);
  const rows = 9_000;
  const urlChars = Math.max(50, Math.round((mb * 1024 * 1024) / rows / 0.78) - 300);
  for (let i = 0; i < rows; i++) {
    ws.addRow([`UBND xã ${randomBytes(200).toString("base64")}`, "Hợp tác xã", "UBND cấp xã", `https://x${i}.example.gov.vn/${randomBytes(urlChars).toString("base64url").slice(0, urlChars)}`, null]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

runMain(async () => {
  const server = await startDb({ dataDir: process.env.TT_DATA_DIR ?? ".data/pg" });
  const dbName = `tt_bench_dashboard_${process.pid}`;
  const admin = createKnex(server.url, { max: 1 });
  await admin.raw(`create database ${dbName}`);
  const knex = createKnex(withDatabase(server.url, dbName), { max: 20 });
  let web: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    await migrate(knex);
    const t0 = performance.now();
    await knex.raw(`
      insert into unit_groups(code, name, sort) values ('so-nganh','Sở, ban, ngành',1),('huyen','UBND cấp huyện',2),('xa','UBND cấp xã',3)
        on conflict do nothing;
      insert into units(code, name, unit_type, group_code)
        select 'DV-' || g,
               case when g <= 40 then 'Sở số ' || g when g <= 200 then 'UBND huyện số ' || g else 'UBND xã số ' || g end,
               case when g <= 40 then 'so' when g <= 200 then 'ubnd_huyen' else 'ubnd_xa' end,
               case when g <= 40 then 'so-nganh' when g <= 200 then 'huyen' else 'xa' end
          from generate_series(1, ${UNITS}) g;
      insert into sites(unit_id, base_url) select id, 'https://dv' || id || '.example.gov.vn/' from units;
      insert into rubric_versions(name, version, status, effective_from) values ('Bộ tiêu chí thử tải', 1, 'draft', '2020-01-01');
      insert into rubric_criteria(rubric_version_id, code, group_code, name, max_points, measure, sort)
        select v.id, c.code, c.code, c.name, c.pts, '{"kind":"boolean","metric":"technical.https"}'::jsonb, c.s
          from rubric_versions v,
               (values ('noi-dung','Nội dung',40,1),('cap-nhat','Cập nhật',20,2),('unicode','Unicode',15,3),('dinh-danh','Định danh',10,4),('ky-thuat','Kỹ thuật',15,5)) c(code,name,pts,s);
      update rubric_versions set status = 'published', published_at = now();
      insert into periods(kind, code, starts_on, ends_on, rubric_version_id)
        select 'month', to_char(d, 'YYYY-MM'), d::date, (d + interval '1 month - 1 day')::date, (select id from rubric_versions)
          from generate_series(date '2024-01-01', date '2024-01-01' + (${PERIODS - 1}) * interval '1 month', interval '1 month') d;
      create temporary table bench_points as
        select p.id as period_id, u.id as unit_id, c.code as criterion_code, c.group_code,
               round((c.max_points * (0.4 + 0.6 * random()))::numeric, 2) as points, c.max_points
          from periods p cross join units u cross join rubric_criteria c;
      insert into period_scores(period_id, unit_id, rubric_version_id, group_code, status, audits_count, total, max_total, group_points, tier)
        select g.period_id, g.unit_id, (select id from rubric_versions), u.group_code, 'scored', 1, sum(g.points), 100,
               -- As scoring writes it: per criterion group, points and maximum.
               jsonb_object_agg(g.group_code, jsonb_build_object('points', g.points, 'max', g.max_points)),
               case when sum(g.points) >= 90 then 'Xuất sắc' when sum(g.points) >= 80 then 'Tốt' when sum(g.points) >= 65 then 'Khá'
                    when sum(g.points) >= 50 then 'Trung bình' else 'Yếu' end
          from (select period_id, unit_id, group_code, sum(points) as points, sum(max_points) as max_points
                  from bench_points group by 1, 2, 3) g
          join units u on u.id = g.unit_id
         group by g.period_id, g.unit_id, u.group_code;
      -- Straight into the stored form (one row per unit and period), not row by row through the view.
      insert into criterion_score_sets(period_id, unit_id, codes, group_codes, points, max_points)
        select period_id, unit_id, array_agg(criterion_code order by criterion_code), array_agg(group_code order by criterion_code),
               array_agg(points::numeric order by criterion_code), array_agg(max_points::numeric order by criterion_code)
          from bench_points group by period_id, unit_id;
      drop table bench_points;
    `);
    await knex.raw(`
      update period_scores s set rank = r.rank
        from (select period_id, unit_id, rank() over (partition by period_id, group_code order by total desc) as rank from period_scores) r
       where r.period_id = s.period_id and r.unit_id = s.unit_id;
      update period_scores s set previous_total = p.total, previous_rank = p.rank
        from period_scores p join periods pp on pp.id = p.period_id, periods cp
       where cp.id = s.period_id and pp.starts_on = (cp.starts_on - interval '1 month')::date and p.unit_id = s.unit_id;
      insert into site_audits(site_id, unit_id, status, reference_time, queued_at, started_at, finished_at, pages_planned, pages_done, summary)
        select s.id, s.unit_id, 'done', timestamptz '2026-12-15', timestamptz '2026-12-15', timestamptz '2026-12-15', timestamptz '2026-12-15', 20, 20,
               '{"categories":[{"id":"gioi-thieu","status":"present","url":null},{"id":"lich-cong-tac","status":"missing","url":null}],
                 "identity":{"unitName":true,"responsiblePerson":true,"address":true,"phone":false,"email":true},
                 "freshness":{"latestPublished":"2026-12-10","daysSinceLastPost":5,"postsLast30Days":8,"postsLast7Days":2,"postsLast90Days":20,"postsPerWeek":2,"newSincePreviousAudit":3}}'::jsonb
          from sites s;
      insert into findings(site_audit_id, site_id, unit_id, check_id, code, category_id, severity, message)
        select a.id, a.site_id, a.unit_id, 'categories', 'category.missing', 'lich-cong-tac', 'error', 'Thiếu chuyên mục Lịch công tác'
          from site_audits a;
      analyze;
    `);
    await knex("users").insert({ username: "bench", password_hash: await hash(PASSWORD), full_name: "Thử tải", role: "province" });
    const [{ n }] = await knex("period_scores").count("* as n");
    console.log(`Dữ liệu: ${UNITS} đơn vị × ${PERIODS} kỳ = ${n} dòng điểm, tạo trong ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    let serverTimes: number[] = [];
    web = await startServer({ knex, port: 0, onTiming: (_path, ms) => serverTimes.push(ms) });
    const login = await fetch(`${web.url}/dang-nhap`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `username=bench&password=${PASSWORD}&next=/`,
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
    if (!cookie.startsWith("tt_session=")) throw new Error(`login failed (${login.status})`);

    const periods = (await knex("periods").select("code").orderBy("starts_on")).map((p) => p.code as string);
    const unitIds = (await knex("units").select("id")).map((u) => u.id as number);
    const pick = <T>(a: T[]) => a[Math.floor(Math.random() * a.length)];
    const scenarios: { name: string; path: () => string }[] = [
      { name: "Xếp hạng (kỳ mới nhất)", path: () => "/" },
      { name: "Xếp hạng (kỳ, nhóm xã)", path: () => `/?ky=${pick(periods)}&nhom=xa` },
      { name: "Chi tiết đơn vị", path: () => `/don-vi/${pick(unitIds)}?ky=${pick(periods)}` },
    ];
    for (const s of scenarios) {
      // Warm up (build caches, JIT, connection pool).
      for (let i = 0; i < 10; i++) await (await fetch(`${web.url}${s.path()}`, { headers: { cookie } })).text();
      const times: number[] = [];
      serverTimes = [];
      let errors = 0;
      let next = 0;
      const started = performance.now();
      const worker = async () => {
        while (next < REQUESTS) {
          next++;
          const t = performance.now();
          const res = await fetch(`${web!.url}${s.path()}`, { headers: { cookie } });
          const body = await res.text();
          times.push(performance.now() - t);
          if (res.status !== 200 || body.length < 1000) errors++;
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const wall = (performance.now() - started) / 1000;
      times.sort((a, b) => a - b);
      const st = [...serverTimes].sort((a, b) => a - b);
      console.log(
        `${s.name.padEnd(26)} ${times.length} yêu cầu, ${CONCURRENCY} đồng thời: ${(times.length / wall).toFixed(1)} yêu cầu/s; ` +
          `thời gian máy chủ p50 ${pct(st, 50).toFixed(1)} ms, p95 ${pct(st, 95).toFixed(1)} ms; ` +
          `phía khách p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms; lỗi ${errors}`,
      );
    }
    // One request at a time: the server time of a single ranking page without queueing.
    const single: number[] = [];
    serverTimes = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      await (await fetch(`${web.url}/?ky=${pick(periods)}`, { headers: { cookie } })).text();
      single.push(performance.now() - t);
    }
    single.sort((a, b) => a - b);
    const st = [...serverTimes].sort((a, b) => a - b);
    console.log(
      `Xếp hạng, tuần tự (1 đồng thời)   50 yêu cầu: thời gian máy chủ p50 ${pct(st, 50).toFixed(1)} ms, p95 ${pct(st, 95).toFixed(1)} ms; ` +
        `phía khách p50 ${pct(single, 50).toFixed(1)} ms, p95 ${pct(single, 95).toFixed(1)} ms`,
    );
    // The ranking page while one inspector uploads a big import, again and again.
    await knex("users").insert({ username: "bench.kt", password_hash: await hash(PASSWORD), full_name: "Thử nhập", role: "inspector" });
    const kt = await fetch(`${web.url}/dang-nhap`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `username=bench.kt&password=${PASSWORD}&next=/`,
    });
    const ktCookie = (kt.headers.get("set-cookie") ?? "").split(";")[0];
    const importPage = await (await fetch(`${web.url}/quan-ly/nhap-excel`, { headers: { cookie: ktCookie } })).text();
    const csrf = /name="_csrf"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="_csrf"/.exec(importPage);
    const file = await bigWorkbook(IMPORT_MB);
    let importing = true;
    const importTimes: number[] = [];
    const importStatuses: number[] = [];
    const uploader = (async () => {
      for (let i = 0; i < 3; i++) {
        const fd = new FormData();
        fd.append("_csrf", csrf?.[1] ?? csrf?.[2] ?? "");
        fd.append("file", new Blob([new Uint8Array(file)]), "lon.xlsx");
        const t = performance.now();
        const res = await fetch(`${web!.url}/quan-ly/nhap-excel`, { method: "POST", headers: { cookie: ktCookie }, body: fd });
        await res.text();
        importTimes.push(performance.now() - t);
        importStatuses.push(res.status);
      }
      importing = false;
    })();
    const during: number[] = [];
    const rss0 = process.memoryUsage().rss;
    let rssMax = rss0;
    const reader = async () => {
      while (importing) {
        const t = performance.now();
        await (await fetch(`${web!.url}/?ky=${pick(periods)}`, { headers: { cookie } })).text();
        during.push(performance.now() - t);
        rssMax = Math.max(rssMax, process.memoryUsage().rss);
      }
    };
    await Promise.all([uploader, reader(), reader()]);
    during.sort((a, b) => a - b);
    console.log(
      `Xếp hạng trong khi nhập tệp ${(file.length / 1024 / 1024).toFixed(1)} MB (3 lần liên tiếp, 2 người xem đồng thời): ${during.length} yêu cầu, ` +
        `phía khách p50 ${pct(during, 50).toFixed(1)} ms, p95 ${pct(during, 95).toFixed(1)} ms, tối đa ${during[during.length - 1].toFixed(1)} ms; ` +
        `mỗi lần nhập ${importTimes.map((t) => (t / 1000).toFixed(1)).join(" / ")} s (HTTP ${importStatuses.join(", ")}); ` +
        `bộ nhớ tiến trình tăng tối đa ${((rssMax - rss0) / 1024 / 1024).toFixed(0)} MB`,
    );
    const [{ load }] = [{ load: (await import("node:os")).loadavg()[0] }];
    console.log(`(Tải hệ thống trung bình 1 phút: ${load.toFixed(2)} trên ${(await import("node:os")).cpus().length} lõi)`);
  } finally {
    await web?.close();
    await knex.destroy();
    if (process.argv.includes("--keep")) console.log(`Giữ lại cơ sở dữ liệu ${dbName}`);
    else await admin.raw(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
    await admin.destroy();
    await server.stop();
  }
});
