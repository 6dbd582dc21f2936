// Closing a period (chốt kỳ) against a real PostgreSQL: checklist, refusals, close → frozen + official
// report archived + logged, reopen with a reason → open, logged, recomputed; the API route with a token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiToken } from "../../app/lib/api.server.ts";
import { action as apiCloseAction } from "../../app/routes/api.v1.periods_.$code.close.tsx";
import { loader as apiChecklistLoader } from "../../app/routes/api.v1.periods_.$code.checklist.tsx";
import { getArchivedReport, listReports } from "../../db/queries/reports.ts";
import { recomputePeriods } from "../../db/queries/scoring.ts";
import { seedDefaultRubric } from "../../db/seeds/rubric-default.ts";
import {
  closePeriod,
  getCloseChecklist,
  getPeriodCloseStatus,
  listPeriodCloseStates,
  periodStateText,
  PeriodCloseError,
  reopenPeriod,
} from "../../reports/close-period.ts";
import { runScheduledReports } from "../../reports/schedule.ts";
import { closePageAction, loadClosePage } from "../../app/lib/period-close.server.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { addAudit, addUnit, addUser, metrics, seedGroups } from "../scoring/fixtures.ts";
import { readWorkbook, sheetText } from "./read.ts";

let db: TestDatabase;
let inspector: number;
let head: number;
let units: Record<"a" | "b" | "c" | "d", { unitId: number; siteId: number }>;
let appealId: number;
let queuedAuditId: number;

/** 09:00 on 1 November 2026 in Vietnam: October has ended. */
const NOV_1 = new Date("2026-11-01T02:00:00Z");

async function refusal(p: Promise<unknown>): Promise<PeriodCloseError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PeriodCloseError) return e;
    throw e;
  }
  throw new Error("expected a PeriodCloseError");
}

beforeAll(async () => {
  db = await createTestDatabase();
  const k = db.knex;
  await seedGroups(k);
  await seedDefaultRubric(k);
  inspector = await addUser(k, "thanhtra", "inspector");
  await k("users").where({ id: inspector }).update({ full_name: "Nguyễn Thị Thanh" });
  units = {
    a: await addUnit(k, "so-a", "Sở Tư pháp", "so", "so-nganh"),
    b: await addUnit(k, "so-b", "Sở Y tế", "so", "so-nganh"),
    c: await addUnit(k, "huyen-c", "UBND huyện Tuy Phước", "ubnd_huyen", "huyen"),
    d: await addUnit(k, "xa-d", "UBND xã Phước Lộc", "ubnd_xa", "xa"),
  };
  head = await addUser(k, "truongdv", "unit_head", units.a.unitId);
  const { findingIds } = await addAudit(k, units.a, "2026-10-10T02:00:00Z", metrics({ technical: { https: false } }), [{ code: "technical.no-https" }]);
  await addAudit(k, units.b, "2026-10-12T02:00:00Z", metrics({ encoding: { pagesCompliant: 0 } }), [{ code: "encoding.legacy-text" }]);
  // d: only a failed audit in October.
  await k("site_audits").insert({ site_id: units.d.siteId, unit_id: units.d.unitId, status: "failed", reference_time: "2026-10-15T02:00:00Z", finished_at: "2026-10-15T02:10:00Z", error: "Không truy cập được trang chủ" });
  // b: an audit of October still queued; an audit of November (not October's business).
  [{ id: queuedAuditId }] = await k("site_audits").insert({ site_id: units.b.siteId, unit_id: units.b.unitId, status: "queued", reference_time: "2026-10-31T16:30:00Z" }).returning("id");
  await k("site_audits").insert({ site_id: units.c.siteId, unit_id: units.c.unitId, status: "running", reference_time: "2026-10-31T17:30:00Z" });
  [{ id: appealId }] = await k("appeals").insert({ finding_id: findingIds[0], unit_id: units.a.unitId, filed_by: head, explanation: "Trang đã có HTTPS" }).returning("id");
  await recomputePeriods(k, ["2026-10"]);
});

afterAll(async () => {
  await db?.drop();
});

describe("input validation", () => {
  it("names a bad period code as typed, in Vietnamese", async () => {
    for (const bad of ["2026-13", "abc", "", "2026/10"]) {
      const e = await refusal(closePeriod(db.knex, { periodCode: bad, userId: inspector, now: NOV_1 }));
      expect(e.code).toBe("bad_period");
      expect(e.message).toMatch(/Mã kỳ không hợp lệ|Thiếu mã kỳ/);
      expect(e.message).not.toMatch(/month13|\/month/);
      if (bad) expect(e.message).toContain(`"${bad}"`);
    }
    const e = await refusal(getCloseChecklist(db.knex, "2026-13"));
    expect(e.message).toContain('"2026-13"');
  });

  it("refuses anyone but an active inspector", async () => {
    expect((await refusal(closePeriod(db.knex, { periodCode: "2026-10", userId: head, now: NOV_1, confirmWarnings: true }))).code).toBe("forbidden");
    expect((await refusal(reopenPeriod(db.knex, { periodCode: "2026-10", userId: head, reason: "thử" }))).code).toBe("forbidden");
  });
});

describe("the pre-close checklist", () => {
  it("lists units not audited, units whose audits all failed, pending appeals and unfinished audits", async () => {
    const c = await getCloseChecklist(db.knex, "2026-10");
    expect(c.clean).toBe(false);
    expect(c.notAudited.map((u) => u.name)).toEqual(["UBND huyện Tuy Phước"]);
    expect(c.allFailed).toEqual([expect.objectContaining({ name: "UBND xã Phước Lộc", failedAudits: 1, lastError: "Không truy cập được trang chủ" })]);
    expect(c.pendingAppeals).toEqual([expect.objectContaining({ appealId, unitName: "Sở Tư pháp", findingCode: "technical.no-https" })]);
    // The queued audit's reference time is 23:30 on 31/10 in Vietnam (October); the running one is November's.
    expect(c.pendingAudits.map((a) => a.auditId)).toEqual([queuedAuditId]);
  });
});

const textsForm = (over: Record<string, string>) => {
  const f = new FormData();
  const fields: Record<string, string> = {
    intent: "texts",
    ky: "2026-10",
    parentBody: "UBND TỈNH BÌNH ĐỊNH",
    department: "Sở Thông tin và Truyền thông",
    abbreviation: "STTTT",
    place: "Quy Nhơn",
    signerTitle: "Phó Giám đốc",
    signerName: "Trần Văn Bình",
    recipients: "UBND tỉnh (để báo cáo)\nCác sở, ban, ngành\nLưu: VT, CNTT",
    overview: "Nhận xét chung do cán bộ viết.",
    results: "Kết quả do cán bộ viết.",
    shortcomings: "Hạn chế do cán bộ viết.",
    proposals: "Đề xuất do cán bộ viết.",
    ...over,
  };
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe("closing", () => {
  it("refuses a period that has not ended (Vietnam time)", async () => {
    // 23:59 on 31/10 in Vietnam is still October.
    const e = await refusal(closePeriod(db.knex, { periodCode: "2026-10", userId: inspector, now: new Date("2026-10-31T16:59:00Z"), confirmWarnings: true }));
    expect(e.code).toBe("not_ended");
    expect(e.message).toContain("chưa kết thúc");
    expect(e.message).toContain("01/11/2026");
    const q = await refusal(closePeriod(db.knex, { periodCode: "2026-Q4", userId: inspector, now: NOV_1, confirmWarnings: true }));
    expect(q.code).toBe("not_ended");
    const status = await getPeriodCloseStatus(db.knex, "2026-11", NOV_1);
    expect(status.state).toBe("running");
    expect(periodStateText(status)).toBe("Đang diễn ra");
    expect(await db.knex("periods").where({ code: "2026-10" }).first("frozen_at")).toEqual({ frozen_at: null });
  });

  it("asks for confirmation when the checklist is not clean", async () => {
    const e = await refusal(closePeriod(db.knex, { periodCode: "2026-10", userId: inspector, now: NOV_1 }));
    expect(e.code).toBe("needs_confirmation");
    expect(e.checklist?.notAudited.length).toBe(1);
    expect((await db.knex("periods").where({ code: "2026-10" }).first("frozen_at")).frozen_at).toBeNull();
  });

  it("scheduled report of a period not closed is a draft, named so", async () => {
    const [r] = (await runScheduledReports(db.knex, NOV_1)).filter((x) => x.periodCode === "2026-10");
    expect(r.outcome).toBe("draft");
    const file = await getArchivedReport(db.knex, r.reportId!);
    expect(file!.fileName).toBe("bao-cao-2026-10-ban-nhap.xlsx");
    const wb = await readWorkbook(Buffer.from(file!.content));
    expect(wb.title).toContain("bản nháp");
    expect(sheetText(wb.getWorksheet("Tổng hợp")!)).toContain("BẢN NHÁP");
  });

  it("lets the inspector edit the letterhead and the drafted assessment before closing", async () => {
    const page = await loadClosePage(db.knex, "2026-10", NOV_1);
    expect(page.texts?.editable).toBe(true);
    expect(page.texts?.drafted).toBe(true);
    expect(page.texts?.assessment.results).toMatch(/đơn vị có kết quả đánh giá/);
    const bad = await closePageAction(db.knex, { id: inspector }, textsForm({ abbreviation: "sở tt" }), { ip: null });
    expect(bad).toEqual({ ok: false, message: "Chữ viết tắt chỉ gồm chữ in hoa và chữ số (ví dụ SKHCN)." });
    const ok = await closePageAction(db.knex, { id: inspector }, textsForm({}), { ip: null });
    expect(ok.ok).toBe(true);
    const again = await loadClosePage(db.knex, "2026-10", NOV_1);
    expect(again.texts?.drafted).toBe(false);
    expect(again.texts?.letterhead.signerName).toBe("Trần Văn Bình");
  });

  it("freezes the scores, archives the official report without the draft stamp, and logs who and when", async () => {
    const r = await closePeriod(db.knex, { periodCode: "2026-10", userId: inspector, now: NOV_1, confirmWarnings: true, ip: "127.0.0.1" });
    expect(r.frozenAt).toBe("2026-11-01T02:00:00Z");
    expect(r.closedBy.username).toBe("thanhtra");
    expect(r.report.fileName).toBe("bao-cao-2026-10.xlsx");
    const period = await db.knex("periods").where({ code: "2026-10" }).first();
    expect(new Date(period.frozen_at).toISOString()).toBe("2026-11-01T02:00:00.000Z");
    expect(period.frozen_by).toBe(inspector);
    const rows = await db.knex("period_scores").where({ period_id: period.id });
    expect(rows.length).toBe(4);
    expect(rows.every((x) => x.frozen && x.unit_snapshot)).toBe(true);

    const archived = await listReports(db.knex, { periodCode: "2026-10" });
    expect(archived.map((x) => x.fileName)).toContain("bao-cao-2026-10.xlsx");
    const file = await getArchivedReport(db.knex, r.report.id);
    expect((await db.knex("reports").where({ id: r.report.id }).first("official")).official).toBe(true);
    const wb = await readWorkbook(Buffer.from(file!.content));
    const all = wb.worksheets.map((ws) => sheetText(ws)).join("\n");
    expect(all).not.toContain("BẢN NHÁP");
    expect(wb.title).not.toContain("nháp");
    expect(all).toContain("Sở Tư pháp");
    // The letterhead and assessment saved on /chot-ky are printed and frozen with the period.
    for (const t of ["Trần Văn Bình", "PHÓ GIÁM ĐỐC", "/BC-STTTT", "Quy Nhơn, ngày 01 tháng 11 năm 2026", "- Lưu: VT, CNTT.", "Hạn chế do cán bộ viết."]) expect(all, t).toContain(t);
    const late = await closePageAction(db.knex, { id: inspector }, textsForm({ signerName: "Người khác" }), { ip: null });
    expect(late).toEqual({ ok: false, message: "Kỳ đã chốt: thông tin văn bản đã được giữ cố định cùng kỳ, mở lại kỳ để sửa." });
    const frozenTexts = await loadClosePage(db.knex, "2026-10", NOV_1);
    expect(frozenTexts.texts?.editable).toBe(false);

    const log = await db.knex("audit_log").where({ entity: "period", entity_id: "2026-10" }).orderBy("id");
    expect(log.map((l) => l.action)).toEqual(["period.freeze", "period.close"]);
    const close = log[1];
    expect(close.user_id).toBe(inspector);
    expect(close.ip).toBe("127.0.0.1");
    expect(close.details).toMatchObject({ reportId: r.report.id, confirmedWarnings: true, checklist: { notAudited: 1, allFailed: 1, pendingAppeals: 1, pendingAudits: 1 } });

    const states = await listPeriodCloseStates(db.knex, NOV_1);
    const oct = states.find((s) => s.code === "2026-10")!;
    expect(oct.state).toBe("closed");
    expect(oct.officialReportId).toBe(r.report.id);
    expect(periodStateText(oct)).toBe("Đã chốt 01/11/2026 09:00 bởi Nguyễn Thị Thanh");
    expect((await getPeriodCloseStatus(db.knex, "2026-Q4", NOV_1)).state).toBe("running");
  });

  it("refuses closing a closed period", async () => {
    const e = await refusal(closePeriod(db.knex, { periodCode: "2026-10", userId: inspector, now: NOV_1, confirmWarnings: true }));
    expect(e.code).toBe("already_closed");
    expect(e.message).toContain("đã được chốt");
  });

  it("scheduled report of a closed period is official", async () => {
    const [r] = (await runScheduledReports(db.knex, NOV_1)).filter((x) => x.periodCode === "2026-10");
    expect(r.outcome).toBe("final");
    expect((await getArchivedReport(db.knex, r.reportId!))!.fileName).toBe("bao-cao-2026-10.xlsx");
  });
});

describe("reopening", () => {
  it("needs a reason, not too long", async () => {
    for (const reason of ["", "   \n  "]) {
      const e = await refusal(reopenPeriod(db.knex, { periodCode: "2026-10", userId: inspector, reason }));
      expect(e.code).toBe("bad_reason");
      expect(e.message).toContain("lý do");
    }
    expect((await refusal(reopenPeriod(db.knex, { periodCode: "2026-10", userId: inspector, reason: "x".repeat(1001) }))).code).toBe("bad_reason");
    expect((await refusal(reopenPeriod(db.knex, { periodCode: "2026-09", userId: inspector, reason: "thử" }))).code).toBe("not_closed");
    expect((await db.knex("periods").where({ code: "2026-10" }).first("frozen_at")).frozen_at).not.toBeNull();
  });

  it("opens the period again, logs the reason, keeps the official report (superseded) and recomputes", async () => {
    const k = db.knex;
    // An audit found after the close: frozen scores ignore it until the period is reopened.
    await addAudit(k, units.c, "2026-10-20T02:00:00Z", metrics());
    await recomputePeriods(k, ["2026-10"]);
    const period = await k("periods").where({ code: "2026-10" }).first("id");
    const before = await k("period_scores").where({ period_id: period.id, unit_id: units.c.unitId }).first();
    expect(before.status).toBe("not_audited");
    const official = (await k("reports").where({ period_id: period.id, official: true }).first("id")).id;

    const reopenedAt = new Date("2026-11-05T03:00:00Z");
    const r = await reopenPeriod(k, { periodCode: "2026-10", userId: inspector, reason: "Bổ sung lượt kiểm tra UBND huyện Tuy Phước bị sót", now: reopenedAt });
    expect(r.supersededReportIds).toContain(official);
    const p = await k("periods").where({ code: "2026-10" }).first();
    expect(p.frozen_at).toBeNull();
    expect(p.frozen_by).toBeNull();
    expect(p.frozen_settings).toBeNull();
    const rows = await k("period_scores").where({ period_id: period.id });
    expect(rows.some((x) => x.frozen || x.unit_snapshot)).toBe(false);
    const after = rows.find((x) => x.unit_id === units.c.unitId)!;
    expect(after.status).toBe("scored");
    expect(after.audits_count).toBe(1);

    const kept = await k("reports").where({ id: official }).first("file_name", "superseded_at", "superseded_reason", "content");
    expect(kept.file_name).toBe("bao-cao-2026-10.xlsx");
    expect(kept.content.length).toBeGreaterThan(1000);
    expect(new Date(kept.superseded_at).toISOString()).toBe(reopenedAt.toISOString());
    expect(kept.superseded_reason).toContain("bị sót");

    const log = await k("audit_log").where({ action: "period.reopen", entity_id: "2026-10" }).first();
    expect(log.user_id).toBe(inspector);
    expect(log.details.reason).toBe("Bổ sung lượt kiểm tra UBND huyện Tuy Phước bị sót");
    const status = await getPeriodCloseStatus(k, "2026-10", reopenedAt);
    expect(status.state).toBe("open");
    expect(periodStateText(status)).toBe("Chưa chốt");
    expect(status.officialReportId).toBeNull();
  });
});

describe("the JSON API", () => {
  const token = "tt_closeperiodtesttoken_0123456789";
  const other = "tt_closeperiodnotinspector_012345";
  const context = () => ({ knex: db.knex, ip: "127.0.0.1", secure: false });
  const post = (code: string, body?: unknown, t = token) =>
    apiCloseAction({
      request: new Request(`http://localhost/api/v1/periods/${code}/close`, {
        method: "POST",
        headers: { authorization: `Bearer ${t}`, "content-type": "application/json" },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      }),
      context: context(),
      params: { code },
    } as never) as Promise<Response>;

  beforeAll(async () => {
    await db.knex("api_tokens").insert({ name: "Văn phòng UBND tỉnh", token_hash: hashApiToken(token), created_by: inspector });
    await db.knex("api_tokens").insert({ name: "Không phải cán bộ kiểm tra", token_hash: hashApiToken(other), created_by: head });
  });

  it("answers 401 without a token, 403 for a token not made by an inspector, 400 for a bad code", async () => {
    const noToken = (await apiCloseAction({ request: new Request("http://localhost/api/v1/periods/2026-10/close", { method: "POST" }), context: context(), params: { code: "2026-10" } } as never).catch((r: Response) => r)) as Response;
    expect(noToken.status).toBe(401);
    expect((await post("2026-10", { confirm: true }, other)).status).toBe(403);
    const bad = await post("2026-13", { confirm: true });
    expect(bad.status).toBe(400);
    const body = await bad.json();
    expect(body.error.code).toBe("bad_period");
    expect(body.error.message).toContain('"2026-13"');
    expect((await post("2026-10", "{nope")).status).toBe(400);
  });

  it("returns the checklist and asks for confirm, then closes with a token", async () => {
    const cl = (await apiChecklistLoader({
      request: new Request("http://localhost/api/v1/periods/2026-10/checklist", { headers: { authorization: `Bearer ${token}` } }),
      context: context(),
      params: { code: "2026-10" },
    } as never)) as Response;
    expect(cl.status).toBe(200);
    const clBody = await cl.json();
    expect(clBody.canClose).toBe(true);
    expect(clBody.checklist.clean).toBe(false);

    const first = await post("2026-10");
    expect(first.status).toBe(409);
    const fb = await first.json();
    expect(fb.error.code).toBe("needs_confirmation");
    expect(fb.checklist.pendingAppeals.length).toBe(1);

    const ok = await post("2026-10", { confirm: true });
    expect(ok.status).toBe(200);
    const b = await ok.json();
    expect(b.period.code).toBe("2026-10");
    expect(b.period.closedBy.username).toBe("thanhtra");
    expect(b.report.fileName).toBe("bao-cao-2026-10.xlsx");
    expect(b.report.url).toBe(`/bao-cao/luu/${b.report.id}`);
    const log = await db.knex("audit_log").where({ action: "period.close", entity_id: "2026-10" }).orderBy("id", "desc").first();
    expect(log.details.via).toBe("api");

    const again = await post("2026-10", { confirm: true });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe("already_closed");
    const notEnded = await post("2099-01", { confirm: true });
    expect(notEnded.status).toBe(409);
    expect((await notEnded.json()).error.code).toBe("not_ended");
  });
});
