// Incremental rescoring: after each change, a scoped rescore of the named units must leave the
// database exactly as a full recompute would (totals, ranks, tiers, change columns, criteria),
// and frozen periods must not move.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Knex } from "knex";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { seedDefaultRubric } from "../../db/seeds/rubric-default.ts";
import { recomputeAll } from "../../db/scoring/compute.ts";
import { freezePeriod } from "../../db/scoring/freeze.ts";
import {
  drainRescoreRequests,
  lastScoringRun,
  pendingRescoreCount,
  requestRescore,
  requestRescoreForAudit,
  rescoreNow,
} from "../../db/scoring/rescore.ts";
import { getRanking, readScores } from "../../db/queries/scores.ts";
import { addAudit, addUnit, metrics, seedGroups } from "./fixtures.ts";

let db: TestDatabase;
const units: { unitId: number; siteId: number; group: string }[] = [];

/** Deterministic metrics for unit i in month m (varied enough to give ties and rank moves). */
function metricsFor(i: number, m: number) {
  const posts = ((i * 7 + m * 3) % 6) + 0.5;
  const compliant = 10 - ((i + m) % 4);
  return metrics({ freshness: { postsPerWeek: posts }, encoding: { pagesCompliant: compliant }, technical: { https: (i + m) % 5 !== 0 } });
}

/** A unit's rank in a period as every screen reads it (ranks are computed at read time). */
async function rankOf(knex: Knex, code: string, unitId: number): Promise<number | null> {
  const row = (await getRanking(knex, code)).find((r) => r.unitId === unitId);
  return row ? row.rank : null;
}

async function snapshot(knex: Knex) {
  const stored = await knex("period_scores as ps")
    .join("periods as p", "p.id", "ps.period_id")
    .orderBy(["p.code", "ps.unit_id"])
    .select("p.id as period_id", "p.code", "ps.unit_id", "ps.group_code", "ps.status", "ps.audits_count", "ps.total", "ps.max_total", "ps.group_points", "ps.tier", "ps.previous_total", "ps.frozen");
  // Ranks and previous ranks as the read side gives them (stored only for closed periods).
  const read = new Map<string, { rank: number | null; previousRank: number | null }>();
  for (const periodId of new Set(stored.map((r) => r.period_id as number))) {
    for (const r of await readScores(knex, periodId)) read.set(`${periodId}|${r.unitId}`, { rank: r.rank, previousRank: r.previousRank });
  }
  const scores = stored.map(({ period_id, ...r }) => ({ ...r, ...read.get(`${period_id}|${r.unit_id}`) }));
  const criteria = await knex("criterion_score_sets as s")
    .join("periods as p", "p.id", "s.period_id")
    .orderBy(["p.code", "s.unit_id"])
    .select("p.code", "s.unit_id", "s.audits", "s.points", "s.shares", "s.finding_ids");
  return { scores, criteria };
}

/** What a full recompute gives now, computed in a transaction that is rolled back. */
async function fullRecomputeSnapshot(knex: Knex) {
  let snap: Awaited<ReturnType<typeof snapshot>> | undefined;
  await knex
    .transaction(async (trx) => {
      await trx("period_scores").whereNot({ frozen: true }).delete();
      await recomputeAll(trx as unknown as Knex);
      snap = await snapshot(trx as unknown as Knex);
      throw new Error("rollback");
    })
    .catch((err) => {
      if ((err as Error).message !== "rollback") throw err;
    });
  return snap!;
}

beforeAll(async () => {
  db = await createTestDatabase();
  const k = db.knex;
  await seedGroups(k);
  await seedDefaultRubric(k);
  const groups = ["so-nganh", "huyen", "xa"];
  const types: Record<string, string> = { "so-nganh": "so", huyen: "ubnd_huyen", xa: "ubnd_xa" };
  for (let i = 0; i < 24; i++) {
    const group = groups[i % 3];
    const u = await addUnit(k, `u-${i}`, `Đơn vị ${i}`, types[group], group);
    units.push({ ...u, group });
  }
  for (const m of [8, 9, 10]) {
    for (let i = 0; i < units.length; i++) {
      if ((i + m) % 7 === 0) continue; // some units not audited in some months
      await addAudit(k, units[i], `2026-${String(m).padStart(2, "0")}-${String(3 + (i % 20)).padStart(2, "0")}T19:30:00Z`, metricsFor(i, m), [
        { code: "technical.no-https" },
      ]);
    }
  }
  await recomputeAll(k);
  // Publishing the default rubric asked for a full rescore: done, so the tests start with none pending.
  await drainRescoreRequests(k);
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

describe("scores follow the data, incrementally", () => {
  test("a new audit: the request written with it rescores its unit and re-ranks its group, as a full recompute would", async () => {
    const k = db.knex;
    const before = await k("period_scores as ps").join("periods as p", "p.id", "ps.period_id").where({ "p.code": "2026-10", "ps.unit_id": units[6].unitId }).first("ps.total");
    const rankBefore = await rankOf(k, "2026-10", units[6].unitId);
    // A much worse audit for unit 6 late in October (Vietnam day 31/10).
    const { auditId } = await addAudit(k, units[6], "2026-10-31T10:00:00Z", metrics({ encoding: { pagesCompliant: 0 }, deadlines: { documentsChecked: 4, documentsOnTime: 0 } }));
    await requestRescoreForAudit(k, auditId);
    expect(await pendingRescoreCount(k)).toBe(1);
    const drained = await drainRescoreRequests(k);
    expect(drained?.run.unitIds).toEqual([units[6].unitId]);
    expect(drained?.result.recomputed.sort()).toEqual(["2026", "2026-10", "2026-H2", "2026-Q4"]);
    expect(await pendingRescoreCount(k)).toBe(0);
    const after = await k("period_scores as ps").join("periods as p", "p.id", "ps.period_id").where({ "p.code": "2026-10", "ps.unit_id": units[6].unitId }).first("ps.total");
    expect(Number(after.total)).toBeLessThan(Number(before.total));
    expect(await rankOf(k, "2026-10", units[6].unitId)).toBeGreaterThan(rankBefore!);
    expect(await snapshot(k)).toEqual(await fullRecomputeSnapshot(k));
  });

  test("an audit of the 1st at 02:00 Vietnam time (the 31st in UTC) counts in the new month", async () => {
    const k = db.knex;
    const { auditId } = await addAudit(k, units[5], "2026-10-31T19:00:00Z", metrics());
    await requestRescoreForAudit(k, auditId);
    const drained = await drainRescoreRequests(k);
    expect(drained?.result.recomputed).toContain("2026-11");
    expect(drained?.result.recomputed).not.toContain("2026-10");
    expect(await snapshot(k)).toEqual(await fullRecomputeSnapshot(k));
  });

  test("a unit added mid-period appears as not audited, then scored after its first audit", async () => {
    const k = db.knex;
    const u = await addUnit(k, "u-new", "Đơn vị mới", "so", "so-nganh");
    await rescoreNow(k, { unitIds: [u.unitId], reason: `unit.create:${u.unitId}` });
    const row = await k("period_scores as ps").join("periods as p", "p.id", "ps.period_id").where({ "p.code": "2026-10", "ps.unit_id": u.unitId }).first("ps.status", "ps.total");
    expect(row).toMatchObject({ status: "not_audited", total: null });
    const { auditId } = await addAudit(k, u, "2026-10-20T02:00:00Z", metrics());
    await requestRescoreForAudit(k, auditId);
    await drainRescoreRequests(k);
    const scored = await k("period_scores as ps").join("periods as p", "p.id", "ps.period_id").where({ "p.code": "2026-10", "ps.unit_id": u.unitId }).first("ps.status", "ps.total");
    expect(scored.status).toBe("scored");
    expect(Number(scored.total)).toBe(100);
    expect(await rankOf(k, "2026-10", u.unitId)).toBe(1);
    expect(await snapshot(k)).toEqual(await fullRecomputeSnapshot(k));
  });

  test("an October audit after November exists: November's change columns follow October's new totals and ranks", async () => {
    const k = db.knex;
    const { auditId } = await addAudit(k, units[8], "2026-10-12T02:00:00Z", metrics({ encoding: { pagesCompliant: 0 }, technical: { https: false } }));
    await requestRescoreForAudit(k, auditId);
    const drained = await drainRescoreRequests(k);
    expect(drained?.result.recomputed).not.toContain("2026-11");
    const nov = await k("period_scores as ps").join("periods as p", "p.id", "ps.period_id").where({ "p.code": "2026-11" }).count({ n: "*" });
    expect(Number(nov[0].n)).toBeGreaterThan(0);
    expect(await snapshot(k)).toEqual(await fullRecomputeSnapshot(k));
  });

  test("a unit moved to another group leaves the old group's ranking and joins the new one", async () => {
    const k = db.knex;
    const moved = units[0]; // so-nganh → huyen
    await k("units").where({ id: moved.unitId }).update({ group_code: "huyen" });
    await rescoreNow(k, { unitIds: [moved.unitId], reason: `unit.update:${moved.unitId}` });
    const rows = await k("period_scores as ps").join("periods as p", "p.id", "ps.period_id").where({ "ps.unit_id": moved.unitId }).whereNull("p.frozen_at").select("ps.group_code");
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.group_code))).toEqual(new Set(["huyen"]));
    expect(await snapshot(k)).toEqual(await fullRecomputeSnapshot(k));
  });

  test("a deactivated unit without audits in a period leaves it; ranks close up", async () => {
    const k = db.knex;
    const gone = units[9];
    await k("units").where({ id: gone.unitId }).update({ active: false });
    await rescoreNow(k, { unitIds: [gone.unitId], reason: `unit.deactivate:${gone.unitId}` });
    expect(await snapshot(k)).toEqual(await fullRecomputeSnapshot(k));
  });

  test("a closed period does not move; the open ones do", async () => {
    const k = db.knex;
    const openRanks = (await snapshot(k)).scores.filter((s) => s.code === "2026-09").map((s) => [s.unit_id, s.rank, s.previousRank]);
    await freezePeriod(k, "2026-09", null);
    const frozenBefore = (await snapshot(k)).scores.filter((s) => s.code === "2026-09");
    // Closing stores the ranks the open period showed.
    const stored = await k("period_scores as ps").join("periods as p", "p.id", "ps.period_id").where({ "p.code": "2026-09" }).orderBy("ps.unit_id").select("ps.unit_id", "ps.rank", "ps.previous_rank");
    expect(stored.map((s) => [s.unit_id, s.rank, s.previous_rank])).toEqual(openRanks);
    expect(openRanks.some(([, rank]) => rank !== null && rank !== 1)).toBe(true);
    const { auditId } = await addAudit(k, units[7], "2026-09-15T02:00:00Z", metrics({ encoding: { pagesCompliant: 0 } }));
    await requestRescoreForAudit(k, auditId);
    const drained = await drainRescoreRequests(k);
    expect(drained?.result.skippedFrozen).toEqual(["2026-09"]);
    expect((await snapshot(k)).scores.filter((s) => s.code === "2026-09")).toEqual(frozenBefore);
    expect(await snapshot(k)).toEqual(await fullRecomputeSnapshot(k));
  });

  test("several requests are merged into one run; the run is recorded", async () => {
    const k = db.knex;
    await requestRescore(k, { unitIds: [units[1].unitId], periodCodes: ["2026-10"], reason: "a" });
    await requestRescore(k, { unitIds: [units[2].unitId], periodCodes: ["2026-08"], reason: "b" });
    const drained = await drainRescoreRequests(k);
    expect(drained?.requests).toBe(2);
    expect(drained?.run.reasons.sort()).toEqual(["a", "b"]);
    expect((await lastScoringRun(k))?.id).toBe(drained?.run.id);
    expect(await drainRescoreRequests(k)).toBeNull();
  });

  test("a request naming an impossible period is refused when made, not when drained", async () => {
    const k = db.knex;
    await expect(requestRescore(k, { unitIds: [units[3].unitId], periodCodes: ["2026-13"], reason: "broken" })).rejects.toThrow(/Mã kỳ không hợp lệ/);
    expect(await pendingRescoreCount(k)).toBe(0);
  });
});
