// A season: the product run over September–November 2026 on the fixture farm with an injected
// clock. Scheduled rounds, sites that change between rounds (new posts as the reference date
// moves, a category emptied, a site down for a round), a unit added mid-month, a rubric version
// published mid-quarter, an appeal, months closed, and the closed month's official report read
// with LibreOffice and compared with the dashboard in Chromium.
//
// Every expectation is written out below and derivable by hand from the default rubric
// (db/seeds/rubric-default.ts). Steps share state and run in order.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { hash } from "@node-rs/argon2";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeQueues, startWorker, waitForRound, type WorkerHandle } from "../../crawler/queue/index.ts";
import { runDueRounds } from "../../crawler/queue/scheduler.ts";
import { startServer, type DashboardServer } from "../../app/server.ts";
import { fileAppeal, decideAppeal } from "../../db/queries/appeals.ts";
import { copyRubric, getRubric, publishRubric, updateDraftCriteria } from "../../db/queries/rubric.ts";
import { seedUnits } from "../../db/seeds/sample-province.ts";
import { DEFAULT_CRITERIA, seedDefaultRubric } from "../../db/seeds/rubric-default.ts";
import { closePeriod, getCloseChecklist, type CloseResult } from "../../reports/close-period.ts";
import { startFarm, type Farm } from "../farm/index.ts";
import { seedFarmSites } from "../crawler/farm-seed.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { chromiumPath } from "../e2e/harness.ts";
import { rankedScoresSql } from "../../db/queries/scores.ts";

const run = promisify(execFile);
const SEED = 7;
const MAX_PAGES = 14;
const PASSWORD = "mat-khau-mua-thu-2026";
const FETCH_TIMEOUT_MS = 8000;
/** How long scores may take to follow an audit before the step says they did not. */
const FOLLOW_MS = 20_000;

// The units of the season: two groups, with the roles they play.
const A = "so-tai-chinh"; // its "gioi-thieu" category is emptied for the October rounds
const B = "so-y-te"; // down for the second October round
const C = "ban-quan-ly-khu-kinh-te";
const G = "so-noi-vu"; // added on 15/10/2026, first audited in the second October round
const H1 = "huyen-tuy-phuoc";
const H2 = "huyen-phu-cat";
const HA = "huyen-hoai-an"; // footer without e-mail: files an appeal on one finding
const INITIAL = [A, B, C, H1, H2, HA];
const ALL = [...INITIAL, G];

/** A scheduled slot: 02:00 in Vietnam on the given day (the default "0 2 * * *" schedule). */
const slot = (day: string) => new Date(`${day}T02:00:00+07:00`);
const at = (iso: string) => new Date(iso);

let db: TestDatabase;
let farm: Farm;
let worker: WorkerHandle;
const unitOf = new Map<string, number>();
const siteOf = new Map<string, number>();
let inspectorId: number;
let headHaId: number;
let rubricV1: number;
let rubricV2: number;
let octReportId: number;

// ---------------------------------------------------------------------------------------------
// The clock-driven pieces: the scheduler (H1) and the period close (H2).

/** Runs the scheduler as of 5 minutes after the slot and returns the round it enqueued, dated at the slot. */
async function scheduledRound(slotTime: Date): Promise<number> {
  const due = await runDueRounds(db.knex, { now: new Date(slotTime.getTime() + 5 * 60_000) });
  expect(due?.slot.toISOString(), `the scheduler enqueues the slot ${slotTime.toISOString()}`).toBe(slotTime.toISOString());
  const rounds = await db.knex("audit_rounds").where({ reference_time: slotTime, trigger: "schedule" }).select("id");
  expect(rounds.map((r: { id: number }) => r.id)).toEqual([due!.roundId]);
  // Run again at the same instant: the slot is claimed, nothing more is enqueued.
  expect(await runDueRounds(db.knex, { now: new Date(slotTime.getTime() + 6 * 60_000) })).toBeNull();
  return due!.roundId;
}

function closeAt(code: string, now: Date): Promise<CloseResult> {
  return closePeriod(db.knex, { periodCode: code, userId: inspectorId, now, via: "test" });
}

// ---------------------------------------------------------------------------------------------
// Reading scores.
interface ScoreRow {
  unit_id: number;
  group_code: string;
  status: string;
  audits_count: number;
  total: number | null;
  rank: number | null;
  previous_total: number | null;
  previous_rank: number | null;
  rubric_version_id: number;
  frozen: boolean;
}

/** A period's score rows, ranks as every screen reads them (computed at read time while open). */
async function scores(code: string): Promise<Map<number, ScoreRow>> {
  const period = await db.knex("periods").where({ code }).first("id");
  if (!period) return new Map();
  const { rows } = await db.knex.raw(`select ps.* from ${rankedScoresSql()} ps`, [period.id, period.id]);
  return new Map(
    rows.map((r: Record<string, unknown>) => [
      r.unit_id as number,
      {
        ...(r as unknown as ScoreRow),
        total: r.total == null ? null : Number(r.total),
        previous_total: r.previous_total == null ? null : Number(r.previous_total),
      },
    ]),
  );
}

async function criterion(code: string, unitId: number, criterionCode: string): Promise<{ points: number; max: number } | undefined> {
  const r = await db
    .knex("criterion_scores as cs")
    .join("periods as p", "p.id", "cs.period_id")
    .where({ "p.code": code, "cs.unit_id": unitId, "cs.criterion_code": criterionCode })
    .first("cs.points", "cs.max_points");
  return r ? { points: Number(r.points), max: Number(r.max_points) } : undefined;
}

/** Done audits per unit whose reference day (Vietnam) lies in the month. */
async function doneAuditsIn(month: string): Promise<Map<number, number>> {
  const { rows } = await db.knex.raw(
    `select unit_id, count(*)::int as n from site_audits
      where status = 'done' and to_char(reference_time at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM') = ?
      group by unit_id`,
    [month],
  );
  return new Map(rows.map((r: { unit_id: number; n: number }) => [r.unit_id, r.n]));
}

/**
 * Waits (FOLLOW_MS at most) until every unit audited in the month has a score counting all of
 * its done audits — without anyone asking for a recompute. Returns the mismatches left.
 */
async function waitScoresFollow(month: string): Promise<string[]> {
  const until = Date.now() + FOLLOW_MS;
  for (;;) {
    const done = await doneAuditsIn(month);
    const s = await scores(month);
    const wrong: string[] = [];
    for (const [unitId, n] of done) {
      const row = s.get(unitId);
      if (!row || row.status !== "scored" || row.audits_count !== n)
        wrong.push(`unit ${unitId}: ${n} done audits, score ${row ? `${row.status}/${row.audits_count} audits` : "missing"}`);
    }
    if (wrong.length === 0 || Date.now() > until) return wrong;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Competition ranking within each group: rank = 1 + number of scored units with a higher total. */
function rankingProblems(s: Map<number, ScoreRow>): string[] {
  const out: string[] = [];
  const rows = [...s.values()];
  for (const r of rows) {
    if (r.status !== "scored") {
      if (r.rank !== null) out.push(`unit ${r.unit_id} not audited but ranked ${r.rank}`);
      continue;
    }
    if (r.total === null || Number.isNaN(r.total)) {
      out.push(`unit ${r.unit_id} scored without a total`);
      continue;
    }
    const higher = rows.filter((x) => x.group_code === r.group_code && x.status === "scored" && x.total !== null && x.total > r.total!).length;
    if (r.rank !== higher + 1) out.push(`unit ${r.unit_id} (${r.group_code}, ${r.total}) ranked ${r.rank}, expected ${higher + 1}`);
  }
  return out;
}

/** Month N+1's previous_total/previous_rank equal month N's total/rank, unit by unit. */
function previousProblems(before: Map<number, ScoreRow>, after: Map<number, ScoreRow>): string[] {
  const out: string[] = [];
  for (const [unitId, r] of after) {
    const p = before.get(unitId);
    const expTotal = p && p.status === "scored" ? p.total : null;
    const expRank = p && p.status === "scored" ? p.rank : null;
    if (r.previous_total !== expTotal || r.previous_rank !== expRank)
      out.push(`unit ${unitId}: previous ${r.previous_total}/#${r.previous_rank}, expected ${expTotal}/#${expRank}`);
  }
  return out;
}

async function roundAudits(roundId: number): Promise<{ site_id: number; unit_id: number; status: string; error: string | null }[]> {
  return db.knex("site_audits").where({ round_id: roundId }).select("site_id", "unit_id", "status", "error");
}

async function runScheduled(day: string): Promise<number> {
  farm.setReferenceDate(day);
  const roundId = await scheduledRound(slot(day));
  await waitForRound(db.knex, roundId, 90_000);
  return roundId;
}

// ---------------------------------------------------------------------------------------------
beforeAll(async () => {
  db = await createTestDatabase();
  farm = await startFarm({ seed: SEED, referenceDate: "2026-09-08" });
  const initial = farm.sites.filter((s) => INITIAL.includes(s.id));
  const ids = await seedFarmSites(db.knex, initial, MAX_PAGES);
  for (const s of initial) {
    siteOf.set(s.id, ids.get(s.id)!);
    const row = await db.knex("sites").where({ id: ids.get(s.id) }).first("unit_id");
    unitOf.set(s.id, row.unit_id);
  }
  rubricV1 = await seedDefaultRubric(db.knex);
  const pw = await hash(PASSWORD);
  [{ id: inspectorId }] = await db.knex("users").insert({ username: "kiemtra", password_hash: pw, full_name: "Nguyễn Văn Kiểm", role: "inspector" }).returning("id");
  [{ id: headHaId }] = await db
    .knex("users")
    .insert({ username: "thutruong.hoaian", password_hash: pw, full_name: "Võ Văn Ân", role: "unit_head", unit_id: unitOf.get(HA) })
    .returning("id");
  worker = await startWorker({
    url: db.url,
    concurrency: ALL.length,
    render: false,
    fetcher: { totalTimeoutMs: FETCH_TIMEOUT_MS, headersTimeoutMs: FETCH_TIMEOUT_MS, bodyTimeoutMs: FETCH_TIMEOUT_MS, connectTimeoutMs: 2000 },
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await closeQueues();
  await farm?.close();
  await db?.drop();
});

describe("a season: September–November 2026 on the farm, with the clock injected", () => {
  const rounds: Record<string, number> = {};
  const sep: { final?: Map<number, ScoreRow> } = {};
  const oct: { beforeAppeal?: Map<number, ScoreRow>; final?: Map<number, ScoreRow> } = {};
  const u = (id: string) => unitOf.get(id)!;

  it("the default rubric is in force and its criteria are those the expectations are derived from", async () => {
    const r = await getRubric(db.knex, rubricV1);
    expect(r.totalPoints).toBe(100);
    const byCode = new Map(r.criteria.map((c) => [c.code, c]));
    // noi-dung.gioi-thieu: 3 points, an empty category keeps half (emptyShare 0.5) → loses 1.5.
    expect(Number(byCode.get("noi-dung.gioi-thieu")!.max_points)).toBe(3);
    expect((byCode.get("noi-dung.gioi-thieu")!.measure as { emptyShare?: number }).emptyShare).toBe(0.5);
    // dinh-danh.email: 2 points, boolean.
    expect(Number(byCode.get("dinh-danh.email")!.max_points)).toBe(2);
    expect(byCode.get("dinh-danh.email")!.measure.kind).toBe("boolean");
    // noi-dung.tin-tuc: 4 points (5 in the version published in October).
    expect(Number(byCode.get("noi-dung.tin-tuc")!.max_points)).toBe(4);
  });

  // ------------------------------------------------------------------ September
  it("R1 (08/09 02:00) is enqueued by the schedule and audits every site", async () => {
    rounds.r1 = await runScheduled("2026-09-08");
    const audits = await roundAudits(rounds.r1);
    expect(audits).toHaveLength(INITIAL.length);
    for (const a of audits) expect(a.status, `site ${a.site_id}: ${a.error}`).toBe("done");
    // The baseline the October expectations rest on: A's "gioi-thieu" is present, HA's footer has no e-mail.
    const a = await db.knex("site_audits").where({ round_id: rounds.r1, site_id: siteOf.get(A) }).first("summary");
    const cats = a.summary.result.categories as { id: string; status: string }[];
    expect(cats.find((c) => c.id === "gioi-thieu")?.status).toBe("present");
    const ha = await db.knex("findings as f").join("site_audits as sa", "sa.id", "f.site_audit_id").where({ "sa.round_id": rounds.r1, "f.unit_id": u(HA), "f.code": "identity.email" }).first("f.id");
    expect(ha).toBeDefined();
  });

  it("R1: September scores follow the audits without an explicit recompute", async () => {
    expect(await waitScoresFollow("2026-09")).toEqual([]);
  });


  it("R2 (22/09): new posts since R1; scores follow; September counts both audits", async () => {
    const before = await db.knex("site_audits").where({ round_id: rounds.r1 }).select("site_id", "summary");
    rounds.r2 = await runScheduled("2026-09-22");
    const audits = await roundAudits(rounds.r2);
    expect(audits.map((a) => a.status)).toEqual(INITIAL.map(() => "done"));
    // The farm moved two weeks: active sites have posts R1 did not see.
    const after = await db.knex("site_audits").where({ round_id: rounds.r2 }).select("site_id", "summary");
    const latest = (rows: { site_id: number; summary: { result?: { freshness?: { latestPublished?: string } } } }[], id: string) =>
      rows.find((r) => r.site_id === siteOf.get(id))?.summary?.result?.freshness?.latestPublished ?? null;
    expect(latest(after, A)! > latest(before, A)!, `${latest(before, A)} → ${latest(after, A)}`).toBe(true);
    expect(await waitScoresFollow("2026-09")).toEqual([]);
    const s = await scores("2026-09");
    for (const id of INITIAL) expect(s.get(u(id))?.audits_count, id).toBe(2);
  });


  it("September: every unit scored, ranks consistent with totals (1, 1, 3) in each group, no NaN", async () => {
    const s = await scores("2026-09");
    expect([...s.keys()].sort()).toEqual(INITIAL.map(u).sort());
    for (const r of s.values()) {
      expect(r.status).toBe("scored");
      expect(Number.isFinite(r.total)).toBe(true);
      expect(r.rubric_version_id).toBe(rubricV1);
    }
    expect(rankingProblems(s)).toEqual([]);
    const crit = await criterion("2026-09", u(A), "noi-dung.gioi-thieu");
    expect(crit).toEqual({ points: 3, max: 3 });
    expect(await criterion("2026-09", u(HA), "dinh-danh.email")).toEqual({ points: 0, max: 2 });
  });

  it("01/10 09:00: closing October is refused (the month has not ended) and changes nothing", async () => {
    await expect(closeAt("2026-10", at("2026-10-01T09:00:00+07:00"))).rejects.toMatchObject({ code: "not_ended" });
    const octRow = await db.knex("periods").where({ code: "2026-10" }).first("frozen_at");
    expect(octRow?.frozen_at ?? null).toBeNull();
  });

  it("01/10 09:00: September's checklist is clean and September is closed", async () => {
    const checklist = await getCloseChecklist(db.knex, "2026-09");
    expect(checklist.clean, JSON.stringify(checklist)).toBe(true);
    const closed = await closeAt("2026-09", at("2026-10-01T09:00:00+07:00"));
    expect(closed.periodCode).toBe("2026-09");
    const p = await db.knex("periods").where({ code: "2026-09" }).first("frozen_at", "rubric_version_id");
    expect(new Date(p.frozen_at).toISOString()).toBe(at("2026-10-01T09:00:00+07:00").toISOString());
    expect(p.rubric_version_id).toBe(rubricV1);
    sep.final = await scores("2026-09");
    for (const r of sep.final.values()) expect(r.frozen).toBe(true);
    // Closing it again is refused.
    await expect(closeAt("2026-09", at("2026-10-01T09:05:00+07:00"))).rejects.toMatchObject({ code: "already_closed" });
  });

  // ------------------------------------------------------------------ October
  it("R3 (06/10): A's 'gioi-thieu' is emptied; scores follow", async () => {
    farm.setOverride(A, { emptyCategory: "gioi-thieu" });
    rounds.r3 = await runScheduled("2026-10-06");
    expect((await roundAudits(rounds.r3)).map((a) => a.status)).toEqual(INITIAL.map(() => "done"));
    const a = await db.knex("site_audits").where({ round_id: rounds.r3, site_id: siteOf.get(A) }).first("summary");
    expect((a.summary.result.categories as { id: string; status: string }[]).find((c) => c.id === "gioi-thieu")?.status).toBe("empty");
    expect(await waitScoresFollow("2026-10")).toEqual([]);
    // October so far is R3 alone: the empty category keeps half of its 3 points, without any recompute asked.
    expect(await criterion("2026-10", u(A), "noi-dung.gioi-thieu")).toEqual({ points: 1.5, max: 3 });
  });


  it("15/10: a unit is added mid-month; 20/10: rubric version 2 is published, effective 01/11", async () => {
    const g = farm.sites.find((s) => s.id === G)!;
    const ids = await seedUnits(db.knex, [
      { code: g.truth.code, name: g.truth.name, unitType: g.truth.unitType ?? "so", group: g.truth.group ?? "so-nganh", baseUrl: g.baseUrl, allowPrivate: true },
    ]);
    const unitId = ids.get(g.truth.code)!;
    await db.knex("units").where({ id: unitId }).update({ created_at: at("2026-10-15T08:00:00+07:00") });
    await db.knex("sites").where({ unit_id: unitId }).update({ max_pages: MAX_PAGES, created_at: at("2026-10-15T08:00:00+07:00") });
    unitOf.set(G, unitId);
    siteOf.set(G, (await db.knex("sites").where({ unit_id: unitId }).first("id")).id);

    // Version 2: news weighs 5 instead of 4, HTTPS 1 instead of 2 (still 100 in total).
    const draft = await copyRubric(db.knex, { fromVersionId: rubricV1, userId: inspectorId, notes: "Điều chỉnh trọng số từ 01/11/2026" });
    const pick = (code: string) => DEFAULT_CRITERIA.find((c) => c.code === code)!;
    await updateDraftCriteria(db.knex, draft, { upsert: [{ ...pick("noi-dung.tin-tuc"), maxPoints: 5 }, { ...pick("ky-thuat.https"), maxPoints: 1 }] }, inspectorId);
    const published = await publishRubric(db.knex, { versionId: draft, effectiveFrom: "2026-11-01", userId: inspectorId });
    expect(published.totalPoints).toBe(100);
    rubricV2 = draft;
  });

  it("R4 (20/10): B is down, the new unit is audited for the first time; scores follow", async () => {
    farm.setOverride(B, { down: true });
    rounds.r4 = await runScheduled("2026-10-20");
    farm.setOverride(B, null);
    const audits = await roundAudits(rounds.r4);
    expect(audits).toHaveLength(ALL.length);
    for (const a of audits) {
      if (a.site_id === siteOf.get(B)) {
        expect(a.status).toBe("failed");
        expect(a.error).toBeTruthy();
      } else expect(a.status, `site ${a.site_id}: ${a.error}`).toBe("done");
    }
    expect(await waitScoresFollow("2026-10")).toEqual([]);
  });


  it("October after R4: the emptied category costs A exactly 1.5 points (3 × (1 − 0.5)); ranks consistent", async () => {
    const s = await scores("2026-10");
    expect(await criterion("2026-10", u(A), "noi-dung.gioi-thieu")).toEqual({ points: 1.5, max: 3 });
    // A Sở: cong-bao does not apply (99 points), totals scaled ×100/99 → the total drops by 1.5 × 100/99 = 1.52 (±0.01 rounding).
    expect(Math.abs(sep.final!.get(u(A))!.total! - s.get(u(A))!.total! - (1.5 * 100) / 99)).toBeLessThanOrEqual(0.011);
    // The units nothing happened to score exactly as in September.
    for (const id of [C, H1, H2]) expect(s.get(u(id))?.total, id).toBe(sep.final!.get(u(id))!.total);
    expect(rankingProblems(s)).toEqual([]);
    for (const id of INITIAL.filter((x) => x !== B)) expect(s.get(u(id))?.audits_count, id).toBe(2);
  });

  it("October: B's failed audit (our/their outage) does not count as a zero audit", async () => {
    const s = await scores("2026-10");
    const b = s.get(u(B))!;
    // One done audit (R3) in October: the failed R4 is not averaged in.
    expect(b.status).toBe("scored");
    expect(b.audits_count).toBe(1);
    // B's site did not change: its one October audit scores exactly like September (the farm's
    // content is relative to its reference date). Had the failed audit counted as zero, October
    // would be about half of September.
    const septTotal = sep.final!.get(u(B))!.total!;
    expect(b.total).toBe(septTotal);
    // The rubric has no availability criterion: no criterion lost more than a tenth of its points against September.
    const rows = await db
      .knex("criterion_scores as cs")
      .join("periods as p", "p.id", "cs.period_id")
      .where({ "cs.unit_id": u(B) })
      .whereIn("p.code", ["2026-09", "2026-10"])
      .select("p.code", "cs.criterion_code", "cs.points", "cs.max_points");
    const pts = (code: string, c: string) => Number(rows.find((r: { code: string; criterion_code: string }) => r.code === code && r.criterion_code === c)?.points ?? NaN);
    const drops = [...new Set(rows.map((r: { criterion_code: string }) => r.criterion_code))].filter((c) => {
      const max = Number(rows.find((r: { criterion_code: string }) => r.criterion_code === c)!.max_points);
      return pts("2026-09", c) - pts("2026-10", c) > max * 0.1 + 0.001;
    });
    expect(drops).toEqual([]);
  });

  it("October: the unit added on 15/10 is ranked after its first audit; September (closed) does not list it", async () => {
    const s = await scores("2026-10");
    const g = s.get(u(G));
    expect(g?.status).toBe("scored");
    expect(g?.audits_count).toBe(1);
    expect(g?.rank).not.toBeNull();
    expect(g?.previous_total).toBeNull();
    expect((await scores("2026-09")).has(u(G))).toBe(false);
  });

  it("27/10: HA's head files an appeal on R3's 'identity.email' finding; the inspector accepts; October rises by 2 points (the acceptance holds for the same finding in later audits: R4's too)", async () => {
    const finding = await db
      .knex("findings as f")
      .join("site_audits as sa", "sa.id", "f.site_audit_id")
      .where({ "sa.round_id": rounds.r3, "f.unit_id": u(HA), "f.code": "identity.email" })
      .first("f.id");
    expect(finding).toBeDefined();
    oct.beforeAppeal = await scores("2026-10");
    expect(await criterion("2026-10", u(HA), "dinh-danh.email")).toEqual({ points: 0, max: 2 });
    const appeal = await fileAppeal(db.knex, { findingId: finding.id, userId: headHaId, explanation: "Địa chỉ thư điện tử đã có ở trang Liên hệ, chân trang dẫn tới đó." });
    expect(appeal.status).toBe("pending");
    const decided = await decideAppeal(db.knex, { appealId: appeal.id, inspectorId, accept: true, reason: "Chấp nhận: thư điện tử công bố ở trang Liên hệ." });
    expect(decided.appeal.status).toBe("accepted");
    expect(decided.skippedFrozen).not.toContain("2026-10");
    // R3's finding stops counting, and so does R4's (the same finding, a later audit; no expiry): 2 × (1 + 1) / 2 = 2.
    // Scores follow the decision (drained by decideAppeal or the worker's sweeper, at most 30 s later).
    const until = Date.now() + 40_000;
    let email = await criterion("2026-10", u(HA), "dinh-danh.email");
    while (email?.points !== 2 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      email = await criterion("2026-10", u(HA), "dinh-danh.email");
    }
    expect(email).toEqual({ points: 2, max: 2 });
    const after = (await scores("2026-10")).get(u(HA))!;
    const before = oct.beforeAppeal.get(u(HA))!;
    // A district unit: khoa-hoc and cong-bao do not apply (98 points), totals scaled ×100/98.
    expect(after.total! - before.total!).toBeCloseTo((2 * 100) / 98, 1);
    expect(rankingProblems(await scores("2026-10"))).toEqual([]);
  });

  it("02/11 09:00: October's checklist is clean (B's failed audit is not 'all failed'); October is closed with its official report; previous = September", async () => {
    const checklist = await getCloseChecklist(db.knex, "2026-10");
    expect(checklist.clean, JSON.stringify(checklist)).toBe(true);
    const closed = await closeAt("2026-10", at("2026-11-02T09:00:00+07:00"));
    octReportId = closed.report.id;
    const p = await db.knex("periods").where({ code: "2026-10" }).first("frozen_at", "rubric_version_id");
    expect(p.frozen_at).not.toBeNull();
    expect(p.rubric_version_id).toBe(rubricV1);
    oct.final = await scores("2026-10");
    for (const r of oct.final.values()) expect(r.frozen).toBe(true);
    expect(previousProblems(sep.final!, oct.final)).toEqual([]);
  });

  // ------------------------------------------------------------------ November
  it("R5 (03/11): A's category is back, B is up; November is scored under rubric version 2", async () => {
    farm.setOverride(A, null);
    rounds.r5 = await runScheduled("2026-11-03");
    expect((await roundAudits(rounds.r5)).map((a) => a.status)).toEqual(ALL.map(() => "done"));
    expect(await waitScoresFollow("2026-11")).toEqual([]);
    expect(await criterion("2026-11", u(A), "noi-dung.gioi-thieu")).toEqual({ points: 3, max: 3 });
    expect((await scores("2026-11")).get(u(B))?.status).toBe("scored");
  });


  it("R6 (17/11): scores follow", async () => {
    rounds.r6 = await runScheduled("2026-11-17");
    expect((await roundAudits(rounds.r6)).map((a) => a.status)).toEqual(ALL.map(() => "done"));
    expect(await waitScoresFollow("2026-11")).toEqual([]);
  });


  it("November: version 2 (news 5 points), October and the quarter under version 1; A regains its 3 points; previous = October", async () => {
    const codes = await db.knex("periods").whereIn("code", ["2026-09", "2026-10", "2026-11", "2026-Q4"]).select("code", "rubric_version_id");
    const versionOf = Object.fromEntries(codes.map((r: { code: string; rubric_version_id: number }) => [r.code, r.rubric_version_id]));
    expect(versionOf).toEqual({ "2026-09": rubricV1, "2026-10": rubricV1, "2026-11": rubricV2, "2026-Q4": rubricV1 });
    const nov = await scores("2026-11");
    for (const r of nov.values()) expect(r.rubric_version_id).toBe(rubricV2);
    expect((await criterion("2026-11", u(H1), "noi-dung.tin-tuc"))?.max).toBe(5);
    expect((await criterion("2026-10", u(H1), "noi-dung.tin-tuc"))?.max).toBe(4);
    expect(await criterion("2026-11", u(A), "noi-dung.gioi-thieu")).toEqual({ points: 3, max: 3 });
    for (const id of ALL) expect(nov.get(u(id))?.audits_count, id).toBe(2);
    // Version 2 against a clean month under version 1 (September; October for the new unit): no farm
    // site serves HTTPS (share 0), so HTTPS now costs 1 point instead of 2, and news (full on every
    // site) weighs 5 instead of 4: one raw point more, scaled ×100/99 (Sở, Ban) or ×100/98 (huyện).
    // HA's accepted appeal (no expiry) also covers November's identical e-mail findings: 2 points more.
    const problems: string[] = [];
    for (const id of ALL) {
      const baseline = id === G ? oct.final!.get(u(G))!.total! : sep.final!.get(u(id))!.total!;
      const scale = ([H1, H2, HA].includes(id) ? 100 / 98 : 100 / 99) * (id === HA ? 3 : 1);
      const got = nov.get(u(id))!.total!;
      if (Math.abs(got - (baseline + scale)) > 0.011) problems.push(`${id}: November ${got}, expected ${baseline} + ${scale.toFixed(3)}`);
    }
    expect(problems).toEqual([]);
    expect(rankingProblems(nov)).toEqual([]);
    expect(previousProblems(oct.final!, nov)).toEqual([]);
  });

  it("25/11: closing November is refused (the month has not ended) and changes nothing", async () => {
    await expect(closeAt("2026-11", at("2026-11-25T09:00:00+07:00"))).rejects.toMatchObject({ code: "not_ended" });
    // Late on 30/11 (Vietnam) is still November.
    await expect(closeAt("2026-11", at("2026-11-30T23:30:00+07:00"))).rejects.toMatchObject({ code: "not_ended" });
    const p = await db.knex("periods").where({ code: "2026-11" }).first("frozen_at");
    expect(p.frozen_at).toBeNull();
    expect([...(await scores("2026-11")).values()].every((r) => !r.frozen)).toBe(true);
  });

  // ------------------------------------------------------------------ The official report vs the dashboard
  describe("October's official report (LibreOffice) and the ranking page (Chromium) agree", () => {
    let dir: string;
    let server: DashboardServer;
    let browser: Browser;
    let csvRows: string[][] = [];
    let pageRows: { group: string; rank: string; name: string; total: string; tier: string; cells: string[] }[] = [];
    let pageText = "";

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), "tt-season-"));
    });
    afterAll(async () => {
      await browser?.close().catch(() => undefined);
      await server?.close().catch(() => undefined);
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it("the official report of the closed month converts with LibreOffice", { timeout: 180_000 }, async () => {
      // The official report archived when October was closed.
      const report = await db.knex("reports").where({ id: octReportId }).first("file_name", "content");
      expect(report?.file_name).toMatch(/^bao-cao-2026-10\.xlsx$/);
      const file = path.join(dir, report.file_name);
      await writeFile(file, report.content);
      const profile = `file://${path.join(dir, "profile")}`;
      await run("soffice", [`-env:UserInstallation=${profile}`, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", dir, file], {
        timeout: 150_000,
      });
      const csv = await readFile(file.replace(/\.xlsx$/, ".csv"), "utf8");
      csvRows = parseCsv(csv);
      expect(csv).not.toMatch(/NaN|undefined/);
    });

    it("the ranking page of October, as the inspector", { timeout: 300_000 }, async () => {
      server = await startServer({ knex: db.knex, port: 0 });
      browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
      const context = await browser.newContext({ baseURL: server.url, locale: "vi-VN" });
      const page = await context.newPage();
      await page.goto("/dang-nhap");
      await page.getByLabel("Tên đăng nhập").fill("kiemtra");
      await page.getByLabel("Mật khẩu").fill(PASSWORD);
      await Promise.all([page.waitForURL((x) => !x.pathname.startsWith("/dang-nhap")), page.getByRole("button", { name: "Đăng nhập" }).click()]);
      await page.goto("/?ky=2026-10");
      pageText = await page.locator("main").innerText();
      pageRows = await page.$$eval("section", (sections) =>
        sections.flatMap((sec) => {
          const group = sec.querySelector("h2")?.textContent ?? "";
          const heads = [...sec.querySelectorAll("thead th")].map((th) => th.textContent?.trim() ?? "");
          const iRank = heads.indexOf("Hạng");
          const iName = heads.indexOf("Đơn vị");
          const iTotal = heads.indexOf("Tổng");
          const iTier = heads.indexOf("Xếp loại");
          return [...sec.querySelectorAll("tbody tr")].map((tr) => {
            const cells = [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? "");
            return { group, rank: cells[iRank], name: cells[iName], total: cells[iTotal], tier: cells[iTier], cells };
          });
        }),
      );
      expect(pageText).not.toMatch(/NaN|undefined/);
      expect(pageRows.length).toBeGreaterThan(0);
    });

    it("unit by unit: same total and rank in the report, on the page and in the database; no empty number cell", async () => {
      const oct = await scores("2026-10");
      const names = new Map<number, string>((await db.knex("units").select("id", "name")).map((r: { id: number; name: string }) => [r.id, r.name]));
      const header = csvRows.findIndex((r) => r[0] === "STT");
      expect(header).toBeGreaterThanOrEqual(0);
      const sub = csvRows[header + 1];
      const col = (label: string) => {
        const i = csvRows[header].indexOf(label);
        return i >= 0 ? i : sub.indexOf(label);
      };
      const iTotal = col("Tổng điểm (/100)");
      const iTier = col("Xếp loại");
      const iRank = col("Thứ hạng");
      const iPrev = col("Điểm kỳ trước");
      const iPrevRank = col("Hạng kỳ trước");
      expect([iTotal, iRank, iPrev, iPrevRank].every((i) => i > 0)).toBe(true);
      const problems: string[] = [];
      for (const id of ALL) {
        const s = oct.get(u(id))!;
        const name = names.get(u(id))!;
        const line = csvRows.find((r) => r[1] === name);
        const row = pageRows.find((r) => r.name.replace(/\s*\(chưa kiểm tra\)$/, "") === name);
        if (!line) problems.push(`${name}: not in the report`);
        if (!row) problems.push(`${name}: not on the ranking page`);
        if (!line || !row) continue;
        const want = s.total!.toFixed(2);
        if (num(line[iTotal]) !== want) problems.push(`${name}: report total "${line[iTotal]}", database ${want}`);
        if (num(row.total) !== want) problems.push(`${name}: page total "${row.total}", database ${want}`);
        if (line[iRank].trim() !== String(s.rank)) problems.push(`${name}: report rank "${line[iRank]}", database ${s.rank}`);
        if (row.rank !== String(s.rank)) problems.push(`${name}: page rank "${row.rank}", database ${s.rank}`);
        if (line[iTier].trim() !== row.tier || !row.tier) problems.push(`${name}: report tier "${line[iTier]}", page tier "${row.tier}"`);
        // Criterion groups, in the same order on both: the page shows "points/max".
        for (let k = 0; k < 5; k++) {
          const onPage = num(row.cells[3 + k]?.split("/")[0]);
          if (num(line[3 + k]) !== onPage) problems.push(`${name}: group ${k + 1} report "${line[3 + k]}", page "${row.cells[3 + k]}"`);
        }
        for (let c = 3; c < iTotal; c++) if (line[c].trim() === "") problems.push(`${name}: empty group-points cell ${csvRows[header + 1][c] || csvRows[header][c]} in the report`);
        if (s.previous_total === null && name !== names.get(u(G))) problems.push(`${name}: no previous total in the database although audited in September`);
        if (s.previous_total !== null) {
          if (line[iPrev + 1].trim() === "") problems.push(`${name}: empty change cell in the report`);
          if (num(line[iPrev]) !== s.previous_total.toFixed(2)) problems.push(`${name}: report previous total "${line[iPrev]}", database ${s.previous_total}`);
          if (line[iPrevRank].trim() !== String(s.previous_rank)) problems.push(`${name}: report previous rank "${line[iPrevRank]}", database ${s.previous_rank}`);
        }
        for (const c of row.cells) if (c === "") problems.push(`${name}: an empty cell on the ranking page (${JSON.stringify(row.cells)})`);
      }
      expect(problems).toEqual([]);
    });
  });
});

/** "85,12" / "85.12" / " 85,1 " → "85.12" (two decimals), or the raw text when not a number. */
function num(s: string | undefined): string {
  const t = (s ?? "").trim().replace(/\s/g, "").replace(",", ".");
  const n = Number(t);
  return t !== "" && Number.isFinite(n) ? n.toFixed(2) : `«${s}»`;
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
