// A holiday added or removed changes documents' posting deadlines counted in working days: the
// stored audits of open periods are re-evaluated (summary, late-document findings) and rescored.
import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { seedDefaultRubric } from "../../db/seeds/rubric-default.ts";
import { recomputeAll } from "../../db/scoring/compute.ts";
import { drainRescoreRequests } from "../../db/scoring/rescore.ts";
import { reevaluateDeadlines } from "../../crawler/audit/reevaluate-deadlines.ts";
import { addAudit, addUnit, metrics, seedGroups } from "./fixtures.ts";

let db: TestDatabase;
let auditId: number;
let unitId: number;

// Issued Thursday 01/10/2026, posted Tuesday 06/10/2026: Fri 02, Mon 05, Tue 06 = 3 working days
// against a limit of 2 → late. With Monday 05/10 a holiday: 2 working days → on time.
const DOC = { url: "https://so-a.gov.vn/van-ban/qd-12", issued: "2026-10-01", posted: "2026-10-06", workingDays: 3, limit: 2, late: true };

beforeAll(async () => {
  db = await createTestDatabase();
  const k = db.knex;
  await seedGroups(k);
  await seedDefaultRubric(k);
  const u = await addUnit(k, "so-a", "Sở Tư pháp", "so", "so-nganh");
  unitId = u.unitId;
  const m = metrics({ deadlines: { documentsChecked: 1, documentsOnTime: 0 } });
  ({ auditId } = await addAudit(k, u, "2026-10-10T02:00:00Z", m, [{ code: "deadline.late-document", categoryId: "van-ban", url: DOC.url, severity: "warning" }]));
  await k("site_audits").where({ id: auditId }).update({ summary: JSON.stringify({ ...m, result: { freshness: { documents: [DOC] } } }) });
  await recomputeAll(k);
});

afterAll(async () => {
  await db?.drop();
});

async function octoberTotal(): Promise<number> {
  const r = await db.knex("period_scores as ps").join("periods as p", "p.id", "ps.period_id").where({ "p.code": "2026-10", "ps.unit_id": unitId }).first("ps.total");
  return Number(r.total);
}

test("a holiday inside a late document's span makes it on time; removing it makes it late again", async () => {
  const k = db.knex;
  const before = await octoberTotal();
  expect(before).toBeLessThan(100);

  await k("holidays").insert({ day: "2026-10-05", name: "Nghỉ bù", kind: "compensatory", source: "inspector" });
  expect(await reevaluateDeadlines(k, ["2026-10-05"])).toEqual({ audits: 1, changed: 1 });
  await drainRescoreRequests(k);
  const audit = await k("site_audits").where({ id: auditId }).first("summary");
  expect(audit.summary.deadlines).toEqual({ documentsChecked: 1, documentsOnTime: 1 });
  expect(audit.summary.result.freshness.documents[0]).toMatchObject({ workingDays: 2, late: false });
  expect(Number((await k("findings").where({ site_audit_id: auditId, code: "deadline.late-document" }).count({ n: "*" }))[0].n)).toBe(0);
  expect(await octoberTotal()).toBe(100);

  // A day outside every span changes nothing.
  expect(await reevaluateDeadlines(k, ["2026-10-20"])).toEqual({ audits: 0, changed: 0 });

  await k("holidays").where({ day: "2026-10-05" }).delete();
  expect(await reevaluateDeadlines(k, ["2026-10-05"])).toEqual({ audits: 1, changed: 1 });
  await drainRescoreRequests(k);
  const late = await k("findings").where({ site_audit_id: auditId, code: "deadline.late-document" }).first("message", "url");
  expect(late).toMatchObject({ url: DOC.url, message: expect.stringContaining("3 ngày làm việc") });
  expect(await octoberTotal()).toBe(before);
});
