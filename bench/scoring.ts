// npm run bench -- scoring [--sizes 500,2000]
// Generates N units with one site each and a year of weekly audits (52 per site, metrics and
// findings made in SQL with generate_series), then scores all 19 periods of the year
// (12 months, 4 quarters, 2 halves, the year). Each size runs in its own process so that the
// peak RSS printed is that size's own: flat memory means the figures stay close.
// Uses DATABASE_URL or the embedded server; works in a throw-away database it drops at the end.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createKnex, migrate } from "../db/index.ts";
import { recomputeAll, recomputePeriods } from "../db/scoring/compute.ts";
import { drainRescoreRequests, requestRescoreForAudit } from "../db/scoring/rescore.ts";
import { seedDefaultRubric } from "../db/seeds/rubric-default.ts";
import { runMain, startServer, withDatabase } from "../db/server.ts";

const CATEGORIES = [
  "gioi-thieu", "lanh-dao", "tin-tuc", "chi-dao-dieu-hanh", "lich-cong-tac", "pho-bien-phap-luat",
  "chien-luoc-quy-hoach", "van-ban", "du-an-dau-tu", "lay-y-kien", "thu-tuc-hanh-chinh", "hoi-dap",
  "lien-he", "thong-ke", "khoa-hoc", "cong-bao", "so-do-site", "tieng-anh",
];

interface ChildResult {
  units: number;
  audits: number;
  findings: number;
  generateMs: number;
  firstScoreMs: number;
  rescoreMs: number;
  oneMonthMs: number;
  /** Rescore after one new audit (request + drain), over `afterAuditRuns` audits. */
  afterAuditP50Ms: number;
  afterAuditP95Ms: number;
  afterAuditMaxMs: number;
  afterAuditRuns: number;
  periods: number;
  scoreRows: number;
  criterionRows: number;
  maxRssMb: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export async function generate(knex: ReturnType<typeof createKnex>, units: number): Promise<void> {
  // Deterministic pseudo-random in [0, 1) from a text key.
  await knex.raw(`create or replace function pg_temp.h(k text) returns float8 language sql immutable as
    $$ select (abs(hashtext(k)::bigint) % 10000) / 10000.0 $$`);
  await knex.raw(`insert into unit_groups (code, name, sort) values ('so-nganh','Sở, ban, ngành',1),('huyen','UBND cấp huyện',2),('xa','UBND cấp xã',3)
                  on conflict do nothing`);
  await knex.raw(
    `insert into units (code, name, unit_type, group_code)
     select 'u' || i, 'Đơn vị ' || i,
            case when i % 20 = 0 then 'so' when i % 10 = 1 then 'ubnd_huyen' else 'ubnd_xa' end,
            case when i % 20 = 0 then 'so-nganh' when i % 10 = 1 then 'huyen' else 'xa' end
       from generate_series(1, ?) i`,
    [units],
  );
  await knex.raw(`insert into sites (unit_id, base_url) select id, 'https://' || code || '.bench.gov.vn/' from units`);
  await knex.raw(
    `insert into site_audits (site_id, unit_id, status, reference_time, finished_at, summary)
     select s.id, s.unit_id, 'done', t, t + interval '4 minutes',
            jsonb_build_object(
              'categories', (select jsonb_agg(jsonb_build_object('id', c, 'url', null, 'status',
                                case when r < 0.75 + 0.25 * q then 'present' when r < 0.92 then 'empty'
                                     when r < 0.98 then 'missing' else 'unreachable' end))
                               from unnest(?::text[]) c, lateral (select pg_temp.h(s.id || ':' || w || ':' || c) as r) x),
              'encoding', jsonb_build_object('pagesChecked', 20, 'pagesCompliant', 20 - floor(pg_temp.h('e' || s.id || ':' || w) * 4 * (1 - q))::int, 'legacySchemes', '[]'::jsonb),
              'identity', jsonb_build_object(
                 'unitName', pg_temp.h('i1' || s.id) < 0.95, 'responsiblePerson', pg_temp.h('i2' || s.id) < 0.8 + 0.2 * q,
                 'address', pg_temp.h('i3' || s.id) < 0.9, 'phone', pg_temp.h('i4' || s.id) < 0.85 + 0.15 * q, 'email', pg_temp.h('i5' || s.id) < 0.8 + 0.2 * q),
              'freshness', jsonb_build_object(
                 'latestPublished', null,
                 'daysSinceLastPost', case when pg_temp.h('d' || s.id || ':' || w) < 0.05 then null else floor(pg_temp.h('d' || s.id || ':' || w) * 40 * (1 - q)) end,
                 'postsLast7Days', 3, 'postsLast30Days', 12, 'postsLast90Days', 36,
                 'postsPerWeek', round((pg_temp.h('p' || s.id || ':' || w) * 8 * q)::numeric, 1), 'newSincePreviousAudit', null),
              'deadlines', jsonb_build_object('documentsChecked', dc, 'documentsOnTime', floor(dc * (0.5 + 0.5 * q))::int),
              'attribution', jsonb_build_object('articlesChecked', 10, 'withAuthor', floor(10 * (0.6 + 0.4 * q))::int, 'withSource', floor(10 * (0.4 + 0.6 * q))::int),
              'technical', jsonb_build_object(
                 'https', pg_temp.h('t1' || s.id) < 0.9, 'httpsRedirect', true, 'sitemapXml', pg_temp.h('t2' || s.id) < 0.7,
                 'sitemapPage', true, 'search', pg_temp.h('t3' || s.id) < 0.85, 'viewport', pg_temp.h('t4' || s.id) < 0.9,
                 'langVi', pg_temp.h('t5' || s.id) < 0.8, 'imgAltRatio', round((0.5 + 0.5 * pg_temp.h('t6' || s.id || ':' || w))::numeric, 2),
                 'axeSeriousViolations', floor(pg_temp.h('t7' || s.id || ':' || w) * 8)::int))
       from sites s
       cross join lateral (select pg_temp.h('q' || s.unit_id) as q) uq
       cross join generate_series(0, 51) w
       cross join lateral (select timestamptz '2026-01-05 02:00:00+07' + w * interval '7 days' as t,
                                  floor(pg_temp.h('dc' || s.id || ':' || w) * 6)::int as dc) tw`,
    [CATEGORIES],
  );
  await knex.raw(`
    insert into findings (site_audit_id, site_id, unit_id, check_id, code, category_id, severity, message, url)
    select sa.id, sa.site_id, sa.unit_id, 'categories', 'category.' || (e->>'status'), e->>'id',
           case e->>'status' when 'empty' then 'warning' else 'error' end,
           'Chuyên mục ' || (e->>'id') || ': ' || (e->>'status'), s.base_url || (e->>'id')
      from site_audits sa join sites s on s.id = sa.site_id, jsonb_array_elements(sa.summary->'categories') e
     where e->>'status' <> 'present'
    union all
    select sa.id, sa.site_id, sa.unit_id, 'technical', 'technical.no-https', null, 'error', 'Trang không dùng HTTPS', s.base_url
      from site_audits sa join sites s on s.id = sa.site_id where not (sa.summary->'technical'->>'https')::boolean
    union all
    select sa.id, sa.site_id, sa.unit_id, 'encoding', 'encoding.legacy-text', null, 'error', 'Văn bản mã TCVN3', s.base_url || 'tin/1'
      from site_audits sa join sites s on s.id = sa.site_id
     where (sa.summary->'encoding'->>'pagesCompliant')::int < (sa.summary->'encoding'->>'pagesChecked')::int`);
  await knex.raw("analyze");
}

async function child(units: number): Promise<void> {
  const server = await startServer();
  const dbName = `tt_bench_scoring_${process.pid}_${units}`;
  const admin = createKnex(server.url, { max: 1 });
  await admin.raw(`create database ${dbName}`);
  const knex = createKnex(withDatabase(server.url, dbName), { max: 4 });
  try {
    await migrate(knex);
    await seedDefaultRubric(knex);
    let t = Date.now();
    await generate(knex, units);
    const generateMs = Date.now() - t;
    t = Date.now();
    const first = await recomputeAll(knex);
    const firstScoreMs = Date.now() - t;
    t = Date.now();
    await recomputeAll(knex);
    const rescoreMs = Date.now() - t;
    t = Date.now();
    await recomputePeriods(knex, ["2026-06"]);
    const oneMonthMs = Date.now() - t;
    // One more audit of a random unit on a random day of 2026 (a copy of one of its audits with
    // its findings), its score request, and the incremental rescore that drains it.
    const runs = Number(arg("after-audit-runs") ?? 60);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { rows } = await knex.raw(
        `insert into site_audits (site_id, unit_id, status, reference_time, finished_at, summary)
         select site_id, unit_id, 'done', ts, ts + interval '4 minutes', summary
           from (select * from site_audits where unit_id = 1 + (? * 7919) % ? and status = 'done' order by id limit 1) a,
                (select timestamptz '2026-01-01 02:00+07' + ((? * 104729) % 360) * interval '1 day' as ts) d
         returning id`,
        [i, units, i],
      );
      const auditId = rows[0].id;
      t = performance.now();
      await requestRescoreForAudit(knex, auditId);
      await drainRescoreRequests(knex);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const pct = (q: number) => Math.round(times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] * 10) / 10;
    const [{ audits }] = (await knex.raw("select count(*)::int as audits from site_audits")).rows;
    const [{ findings }] = (await knex.raw("select count(*)::int as findings from findings")).rows;
    const [{ n: scoreRows }] = (await knex.raw("select count(*)::int as n from period_scores")).rows;
    const [{ n: criterionRows }] = (await knex.raw("select count(*)::int as n from criterion_scores")).rows;
    const result: ChildResult = {
      units,
      audits,
      findings,
      generateMs,
      firstScoreMs,
      rescoreMs,
      oneMonthMs,
      afterAuditP50Ms: pct(0.5),
      afterAuditP95Ms: pct(0.95),
      afterAuditMaxMs: Math.round(times[times.length - 1] * 10) / 10,
      afterAuditRuns: runs,
      periods: first.recomputed.length,
      scoreRows,
      criterionRows,
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    console.log(`RESULT ${JSON.stringify(result)}`);
  } finally {
    await knex.destroy();
    await admin.raw(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
    await admin.destroy();
    await server.stop();
  }
}

async function parent(): Promise<void> {
  const sizes = (arg("sizes") ?? "500,2000").split(",").map((s) => Number(s.trim())).filter((n) => Number.isInteger(n) && n > 0);
  if (!sizes.length) throw new Error("--sizes must list positive integers, e.g. --sizes 500,2000");
  const self = fileURLToPath(import.meta.url);
  const results: ChildResult[] = [];
  for (const units of sizes) {
    console.log(`… ${units} units × 52 weekly audits: generating and scoring`);
    const r = spawnSync(process.execPath, [...process.execArgv, self, "--child", "--units", String(units)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    const line = r.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (r.status !== 0 || !line) throw new Error(`benchmark for ${units} units failed (exit ${r.status}):\n${r.stdout}`);
    results.push(JSON.parse(line.slice(7)));
  }
  console.log("\nScoring all periods of a year (12 months + 4 quarters + 2 halves + 1 year), one batch:");
  console.log("units  audits   findings  generate  score-all  re-score  one-month  after-audit p50/p95/max  period_scores  criterion_scores  peak RSS");
  for (const r of results) {
    console.log(
      `${String(r.units).padStart(5)}  ${String(r.audits).padStart(6)}  ${String(r.findings).padStart(9)}  ${(r.generateMs / 1000).toFixed(1).padStart(7)}s  ` +
        `${(r.firstScoreMs / 1000).toFixed(2).padStart(8)}s  ${(r.rescoreMs / 1000).toFixed(2).padStart(7)}s  ${(r.oneMonthMs / 1000).toFixed(2).padStart(8)}s  ` +
        `${`${r.afterAuditP50Ms}/${r.afterAuditP95Ms}/${r.afterAuditMaxMs} ms`.padStart(23)}  ` +
        `${String(r.scoreRows).padStart(13)}  ${String(r.criterionRows).padStart(16)}  ${String(r.maxRssMb).padStart(6)} MB`,
    );
  }
  const big = results[results.length - 1];
  const target = results.find((r) => r.units === 2000) ?? big;
  console.log(`\nFull recompute ≤ 10 s at ${target.units} units: ${target.firstScoreMs <= 10_000 ? "met" : "NOT met"} (${(target.firstScoreMs / 1000).toFixed(2)} s, ${target.periods} periods).`);
  console.log(`Rescore after one audit ≤ 100 ms p95 at ${target.units} units: ${target.afterAuditP95Ms <= 100 ? "met" : "NOT met"} (p95 ${target.afterAuditP95Ms} ms over ${target.afterAuditRuns} audits).`);
  for (let i = 1; i < results.length; i++) {
    const a = results[i - 1];
    const b = results[i];
    console.log(
      `${a.units} → ${b.units} units (×${(b.units / a.units).toFixed(1)}): full recompute ×${(b.firstScoreMs / a.firstScoreMs).toFixed(2)}, ` +
        `rescore after one audit p95 ×${(b.afterAuditP95Ms / a.afterAuditP95Ms).toFixed(2)}.`,
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  runMain(async () => {
    if (process.argv.includes("--child")) await child(Number(arg("units")));
    else await parent();
  });
}
