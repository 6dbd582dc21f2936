import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { z } from "zod";
import {
  getAuditFindings,
  getFinding,
  getFindingsByIds,
  getLastAuditAttempts,
  getLatestUnitAudits,
  getPeriodByCode,
  getUnitAuditHistory,
  getUnitAuditSummaries,
  getUnitInfo,
  getUnitSites,
  listPeriodsWithScores,
  type FindingRow,
} from "../../db/queries/dashboard.ts";
import { listUnitAppeals } from "../../db/queries/dashboard-appeals.ts";
import { getScorePeriod, getUnitHistory, getUnitScoreInPeriod } from "../../db/queries/scores.ts";
import { decideAppealAction, fileAppealAction } from "../lib/appeals.server.ts";
import { notFound, requireMutation, requireUnitAccess, requireUser } from "../lib/auth.server.ts";
import { measuredText, type DetailLike, type MeasureLike } from "../lib/measured.ts";
import {
  APPEAL_STATUS_LABELS,
  AUDIT_STATUS_LABELS,
  CATEGORY_LABELS,
  CATEGORY_STATUS_LABELS,
  CRITERION_GROUP_LABELS,
  fmtDate,
  fmtDateTime,
  fmtPeriod,
  fmtScore,
  IDENTITY_LABELS,
  SEVERITY_LABELS,
  UNIT_TYPE_LABELS,
} from "../lib/format.ts";
import { collectItems, postsPerWeek } from "../lib/freshness.ts";
import { CsrfField } from "../components/csrf.tsx";
import { WeeklyBarChart } from "../components/charts.tsx";
import { MAX_ID, toId } from "../lib/ids.ts";
import { countUnverifiedAgainstUnit, listUnverified } from "../../db/queries/unverified.ts";
import { ScoringError } from "../../db/scoring/errors.ts";
import { CoverageList, UnverifiedList } from "../components/unverified.tsx";
import { UnitLineage } from "../components/UnitLineage.tsx";
import { getUnitLineage } from "../../db/queries/unit-lineage.ts";
import { requireUnitAccessThroughLineage } from "../lib/unit-lineage.server.ts";
import { CriterionHelpList, toHelpInputs } from "../components/CriterionHelp.tsx";
import { getRubric } from "../../db/queries/rubric.ts";
import { PageLoad } from "../components/PageLoad.tsx";
import { pageLoadOfUnit } from "../../db/queries/page-load.ts";
import { monthCodeAt } from "../../db/time.ts";
import { HomeScreenshot } from "../components/HomeScreenshot.tsx";
import { getLatestUnitScreenshot } from "../../db/queries/screenshots.ts";
import { UnitTrend } from "../components/UnitTrend.tsx";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.unit.name ?? "Đơn vị"} · Tuân Thủ` }];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const unitId = toId(args.params.id);
  if (!Number.isInteger(unitId) || unitId <= 0) throw notFound();
  const { knex } = args.context;
  // HL: a unit head also reads the units merged into their unit (decision 0016).
  await requireUnitAccessThroughLineage(knex, user, unitId);
  const unit = await getUnitInfo(knex, unitId);
  if (!unit) throw notFound("Không tìm thấy đơn vị.");
  const sp = new URL(args.request.url).searchParams;
  const periods = await listPeriodsWithScores(knex);
  const wanted = sp.get("ky");
  const period = (wanted ? await getPeriodByCode(knex, wanted) : undefined) ?? periods[0] ?? null;

  const [sites, history, appeals, scoreHistory] = await Promise.all([
    getUnitSites(knex, unitId),
    getUnitAuditHistory(knex, unitId),
    listUnitAppeals(knex, unitId),
    getUnitHistory(knex, unitId),
  ]);
  const scorePeriod = period ? await getScorePeriod(knex, period.code) : null;
  const unitScore = scorePeriod ? await getUnitScoreInPeriod(knex, scorePeriod, unitId) : null;
  const score = unitScore?.score ?? null;
  const criteria = unitScore?.criteria ?? [];
  // HL: a merged unit's findings belong to its successor now (its closed periods still list them).
  const lineage = await getUnitLineage(knex, unitId);
  const linked = await getFindingsByIds(knex, lineage.currentUnitId, [...new Set(criteria.flatMap((c) => c.findingIds))]);
  const latest = await getLatestUnitAudits(knex, unitId, period?.ends_on ?? null);
  // The last audit of each site that ended: a failed one is shown as failed, never as a clean result.
  const attempts = await getLastAuditAttempts(knex, unitId, period?.ends_on ?? null);
  const failed = attempts.filter((a) => a.status !== "done");
  const auditFindings = await getAuditFindings(knex, latest.map((a) => a.id));
  const summaries = period ? await getUnitAuditSummaries(knex, unitId, period.starts_on, period.ends_on) : [];
  const items = collectItems([...summaries, ...latest]);
  const weekly = period ? postsPerWeek(items, period.starts_on, period.ends_on) : [];
  const primary = latest[0]?.summary ?? null;
  // HV: "chưa xác minh được" items of the period's audits, and what the latest audits read.
  const unverified = await listUnverified(knex, unitId, period?.starts_on ?? null, period?.ends_on ?? null, period ? undefined : latest.map((a) => a.id));

  return {
    canAppeal: user.role === "unit_head" && user.unitId === unitId,
    canDecide: user.role === "inspector",
    unit: { ...unit, typeLabel: UNIT_TYPE_LABELS[unit.unit_type] ?? unit.unit_type },
    sites: sites.map((s: { id: number; base_url: string; active: boolean }) => ({ id: s.id, base_url: s.base_url, active: s.active })),
    periods: periods.map((p) => ({ code: p.code, label: p.frozen_at ? `${fmtPeriod(p.code)} (đã chốt)` : fmtPeriod(p.code) })),
    period: period ? { ...period, label: fmtPeriod(period.code) } : null,
    score: score
      ? {
          total: score.total,
          max_total: score.maxTotal,
          tier: score.tier,
          rank: score.rank,
          group_size: unitScore!.groupSize,
          status: score.status,
          previous_total: score.previousTotal,
          audits_count: score.auditsCount,
          groupPoints: score.groupPoints,
        }
      : null,
    criteria: criteria.map((c) => ({
      criterion_code: c.code,
      group_code: c.groupCode,
      name: c.name,
      points: c.points,
      max_points: c.maxPoints,
      finding_ids: c.findingIds,
      measured: measuredText(c.detail as DetailLike, c.measure as MeasureLike | null),
    })),
    failed: failed.map((a) => ({ id: a.id, base_url: a.base_url, status: a.status, error: a.error, at: a.finished_at ?? a.reference_time })),
    scoreHistory: scoreHistory.map((h) => ({ code: h.periodCode, label: h.label, kind: h.kind, status: h.status, total: h.total, tier: h.tier, rank: h.rank, groupSize: h.groupSize, frozen: h.frozen })),
    linked,
    latest: latest.map((a) => ({ id: a.id, base_url: a.base_url, finished_at: a.finished_at })),
    categories: (primary?.categories ?? []) as { id: string; status: string; url: string | null }[],
    identity: (primary?.identity ?? null) as Record<string, boolean> | null,
    freshness: primary?.freshness
      ? { postsLast30Days: primary.freshness.postsLast30Days, daysSinceLastPost: primary.freshness.daysSinceLastPost, latestPublished: primary.freshness.latestPublished }
      : null,
    weekly,
    newest: items.slice(0, 10),
    findings: auditFindings,
    history,
    appeals,
    unverified,
    coverage: latest.map((a) => ({ baseUrl: a.base_url, coverage: a.summary?.coverage ?? null })),
    lineage,
    // HS: this month's page-load medians and runs of the unit's sites (issue 14 §2).
    pageLoad: await pageLoadOfUnit(knex, unitId, period && /^\d{4}-\d{2}$/.test(period.code) ? period.code : monthCodeAt(new Date())),
    // HT: what each criterion of the period's rubric measures, its legal basis, how to fix it.
    // HX: Chromium's screenshot of the home page from the latest audit that took one (issue 13 §4).
    homeScreenshot: await getLatestUnitScreenshot(knex, unitId),
    criterionHelp: score?.rubricVersionId ? toHelpInputs((await getRubric(knex, score.rubricVersionId)).criteria.filter((c) => criteria.some((x) => x.code === c.code))) : [],
  };
}

const fileSchema = z.object({
  intent: z.literal("file"),
  findingId: z.coerce.number().int().positive().max(MAX_ID),
  explanation: z.string().trim().min(10, "Nội dung giải trình cần ít nhất 10 ký tự.").max(4000, "Nội dung giải trình quá dài (tối đa 4000 ký tự)."),
});
const decideSchema = z.object({
  intent: z.literal("decide"),
  appealId: z.coerce.number().int().positive().max(MAX_ID),
  decision: z.enum(["accept", "reject"], { message: "Chọn chấp nhận hoặc từ chối." }),
  reason: z.string().trim().min(3, "Nhập lý do quyết định.").max(2000, "Lý do quá dài."),
});

export async function action(args: ActionFunctionArgs) {
  const unitId = toId(args.params.id);
  // fileAppeal/decideAppeal (db/queries/appeals.ts) write the audit_log rows themselves.
  const { user, form } = await requireMutation(args, { roles: ["unit_head", "inspector"] });
  requireUnitAccess(user, unitId);
  const intent = form.get("intent");
  if (intent === "file") {
    if (user.role !== "unit_head") throw new Response("Chỉ thủ trưởng đơn vị được gửi giải trình.", { status: 403 });
    const parsed = fileSchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message };
    const finding = await getFinding(args.context.knex, parsed.data.findingId);
    if (!finding || finding.unit_id !== unitId) throw notFound("Không tìm thấy phát hiện.");
    const res = await fileAppealAction(args.context.knex, { findingId: finding.id, userId: user.id, explanation: parsed.data.explanation });
    if (!res.ok) return { ok: false, error: res.error };
    return { ok: true, message: "Đã gửi giải trình." };
  }
  if (intent === "decide") {
    if (user.role !== "inspector") throw new Response("Chỉ cán bộ kiểm tra được quyết định giải trình.", { status: 403 });
    const parsed = decideSchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message };
    const res = await decideAppealAction(args.context.knex, {
      appealId: parsed.data.appealId,
      unitId,
      userId: user.id,
      accept: parsed.data.decision === "accept",
      reason: parsed.data.reason,
    });
    if (!res.ok) return { ok: false, error: res.error };
    return { ok: true, message: parsed.data.decision === "accept" ? "Đã chấp nhận giải trình." : "Đã từ chối giải trình." };
  }
  if (intent === "count-unverified") {
    if (user.role !== "inspector") throw new Response("Chỉ cán bộ kiểm tra được quyết định mục chưa xác minh được.", { status: 403 });
    const parsed = countUnverifiedSchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message };
    try {
      await countUnverifiedAgainstUnit(args.context.knex, { unitId, siteAuditId: parsed.data.siteAuditId, itemKey: parsed.data.itemKey, userId: user.id });
    } catch (err) {
      if (err instanceof ScoringError) return { ok: false, error: err.message };
      throw err;
    }
    return { ok: true, message: "Đã tính mục này là không đạt; điểm các kỳ chưa chốt đã được tính lại." };
  }
  return { ok: false, error: "Thao tác không hợp lệ." };
}

const countUnverifiedSchema = z.object({
  intent: z.literal("count-unverified"),
  siteAuditId: z.coerce.number({ message: "Lượt kiểm tra không hợp lệ." }).int().positive().max(MAX_ID),
  itemKey: z.string().trim().min(1, "Thiếu mục cần quyết định.").max(200, "Mục không hợp lệ."),
});

function FindingLine({ f, canAppeal, anchor = true }: { f: FindingRow; canAppeal: boolean; anchor?: boolean }) {
  const here = useLocation();
  const preview = typeof f.details?.preview === "string" ? f.details.preview : null;
  return (
    <li id={anchor ? `phat-hien-${f.id}` : undefined}>
      <span className={f.severity === "error" ? "bad" : f.severity === "warning" ? "warn" : ""}>[{SEVERITY_LABELS[f.severity] ?? f.severity}]</span>{" "}
      {f.message} <code className="muted">{f.code}</code>
      {f.category_id ? <> · {CATEGORY_LABELS[f.category_id] ?? f.category_id}</> : null}
      {f.snippet ? (
        <div>
          Trích: <q lang="vi">{f.snippet}</q>
        </div>
      ) : null}
      {preview ? (
        <div>
          Chuyển sang Unicode{typeof f.details?.scheme === "string" ? ` (từ ${f.details.scheme})` : ""}: <span className="preview">{preview}</span>
        </div>
      ) : null}
      <div>
        {f.page_id ? <Link to={`/bang-chung/${f.page_id}`}>Xem bằng chứng (trang đã lưu)</Link> : f.url ? <span className="muted">{f.url}</span> : null}
        {f.appeal_status ? <> · Giải trình: {APPEAL_STATUS_LABELS[f.appeal_status]}</> : null}
      </div>
      {canAppeal && !f.appeal_status ? (
        <details>
          <summary>Gửi giải trình cho phát hiện này</summary>
          <Form method="post" action="/giai-trinh/gui" encType="multipart/form-data">
            <CsrfField />
            <input type="hidden" name="findingId" value={f.id} />
            <label htmlFor={`gt-${f.id}`}>Nội dung giải trình</label>
            <textarea id={`gt-${f.id}`} name="explanation" rows={3} cols={50} required minLength={10} />
            <div>
              <label htmlFor={`gt-tep-${f.id}`}>Tệp đính kèm (PDF hoặc ảnh, tối đa 3 tệp, 5 MB mỗi tệp)</label>{" "}
              <input id={`gt-tep-${f.id}`} name="attachments" type="file" multiple accept="application/pdf,image/png,image/jpeg,image/gif,image/webp" />
            </div>
            <div>
              <button type="submit">Gửi giải trình</button>
            </div>
          </Form>
        </details>
      ) : null}
    </li>
  );
}

export default function UnitDetail() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const linkedById = new Map(d.linked.map((f) => [f.id, f]));
  const encodingFindings = d.findings.filter((f) => f.check_id === "encoding");
  const here = useLocation();
  return (
    <>
      <p>
        <Link to="/">← Bảng xếp hạng</Link>
      </p>
      <h1>{d.unit.name}</h1>
      <p className="muted">
        {d.unit.typeLabel} · {d.unit.group_name ?? d.unit.group_code}
        {!d.unit.active ? " · đã ngừng theo dõi" : ""}
      </p>
      {d.canDecide && d.unit.active ? (
        // Re-audit after the unit fixed its site: the Kiểm tra page queues it and shows progress;
        // the scores of the open periods follow when the audit finishes.
        <Form method="post" action="/kiem-tra" className="inline">
          <CsrfField />
          <input type="hidden" name="intent" value="audit-unit" />
          <input type="hidden" name="unitId" value={d.unit.id} />
          <button type="submit">Kiểm tra ngay</button>
        </Form>
      ) : null}
      <p>
        Website:{" "}
        {d.sites.map((s, i) => (
          <span key={s.id}>
            {i > 0 ? ", " : ""}
            {s.base_url}
            {s.active ? "" : " (ngừng)"}
          </span>
        ))}
      </p>
      {result ? (
        <p className={result.ok ? "notice" : "form-error"} role={result.ok ? "status" : "alert"}>
          {result.ok ? result.message : result.error}
        </p>
      ) : null}

      <Form method="get" className="filters">
        <div>
          <label htmlFor="ky">Kỳ đánh giá</label>
          <select id="ky" name="ky" defaultValue={d.period?.code}>
            {d.periods.map((p) => (
              <option key={p.code} value={p.code}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Xem</button>
      </Form>

      <section aria-labelledby="chua-xac-minh">
        <h2 id="chua-xac-minh">Phạm vi kiểm tra và mục chưa xác minh được</h2>
        <CoverageList items={d.coverage} />
        <UnverifiedList items={d.unverified} canDecide={d.canDecide} action={here.pathname + here.search} />
      </section>

      <section aria-labelledby="diem">
        <h2 id="diem">
          Điểm {d.period?.label ?? ""}{" "}
          {d.period?.frozen_at ? (
            <span className="tag ok" title={`Đã chốt ngày ${fmtDate(d.period.frozen_at)}`}>
              Đã chốt
            </span>
          ) : d.period ? (
            <span className="tag muted">Chưa chốt</span>
          ) : null}
        </h2>
        {d.failed.map((a) => (
          <p key={a.id} className="notice-warn" role="status">
            <strong className="warn">Kiểm tra không thành công</strong> ({a.base_url}, {fmtDateTime(a.at)}): {a.error ?? "không rõ lý do"}. Lần kiểm tra này không
            được tính điểm{d.latest.some((l) => l.base_url === a.base_url) ? "; kết quả dưới đây là của lần kiểm tra thành công trước đó" : ""}.
          </p>
        ))}
        {d.score ? (
          <div className="cards">
            <div className="card">
              Tổng điểm: <strong>{fmtScore(d.score.total)}</strong> / {fmtScore(d.score.max_total)}
            </div>
            <div className="card">Xếp loại: <strong>{d.score.tier ?? "—"}</strong></div>
            <div className="card">
              Thứ hạng trong nhóm: <strong>{d.score.rank ?? "—"}</strong>
              {d.score.rank != null ? `/${d.score.group_size}` : ""}
            </div>
            <div className="card">Kỳ trước: <strong>{fmtScore(d.score.previous_total)}</strong></div>
          </div>
        ) : (
          <p>Chưa có điểm cho kỳ này.</p>
        )}
        {d.criteria.length ? (
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Bảng dữ liệu, cuộn ngang được">
            <table>
              <caption className="muted" style={{ textAlign: "left" }}>Điểm theo từng tiêu chí; điểm bị trừ dẫn tới phát hiện</caption>
              <thead>
                <tr>
                  <th scope="col">Nhóm</th>
                  <th scope="col">Tiêu chí</th>
                  <th scope="col" className="num">Điểm</th>
                  <th scope="col" className="num">Tối đa</th>
                  <th scope="col">Điểm bị trừ do</th>
                </tr>
              </thead>
              <tbody>
                {d.criteria.map((c) => {
                  const lost = c.points == null ? null : Math.round((Number(c.max_points) - Number(c.points)) * 100) / 100;
                  return (
                    <tr key={c.criterion_code}>
                      <td>{CRITERION_GROUP_LABELS[c.group_code] ?? c.group_code}</td>
                      <td>{c.name}</td>
                      <td className="num">{fmtScore(c.points)}</td>
                      <td className="num">{fmtScore(c.max_points)}</td>
                      <td>
                        {lost ? <span className="bad">−{fmtScore(lost)}: </span> : null}
                        {lost && c.measured ? <span className="muted">{c.measured} </span> : null}
                        {c.finding_ids.length === 0 ? (lost ? (c.measured ? null : <span className="muted">(không có phát hiện gắn kèm)</span>) : "—") : null}
                        {c.finding_ids.map((id, i) => {
                          const f = linkedById.get(Number(id));
                          return (
                            <span key={id}>
                              {i > 0 ? "; " : ""}
                              <a href={`#phat-hien-${id}`}>{f ? f.message : `Phát hiện #${id}`}</a>
                              {f?.appeal_status === "accepted" ? " (giải trình đã chấp nhận)" : ""}
                            </span>
                          );
                        })}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
        <CriterionHelpList criteria={d.criterionHelp} />
      </section>

      <section aria-labelledby="chuyen-muc">
        <h2 id="chuyen-muc">Chuyên mục bắt buộc</h2>
        {d.categories.length ? (
          <ul className="cat-grid">
            {d.categories.map((c) => (
              <li key={c.id} className={`cat-${c.status}`}>
                <strong>{CATEGORY_LABELS[c.id] ?? c.id}</strong>
                <br />
                {CATEGORY_STATUS_LABELS[c.status] ?? c.status}
              </li>
            ))}
          </ul>
        ) : (
          <p>Chưa có kết quả kiểm tra chuyên mục.</p>
        )}
      </section>

      <section aria-labelledby="cap-nhat">
        <h2 id="cap-nhat">Tần suất cập nhật</h2>
        {d.freshness ? (
          <p>
            Tin bài trong 30 ngày: <strong>{d.freshness.postsLast30Days}</strong> · Bài mới nhất: {fmtDate(d.freshness.latestPublished)}
            {d.freshness.daysSinceLastPost != null ? ` (${d.freshness.daysSinceLastPost} ngày trước)` : ""}
          </p>
        ) : null}
        {d.weekly.length ? (
          <WeeklyBarChart
            data={d.weekly}
            label={`Số tin bài mỗi tuần: ${d.weekly.map((w) => `tuần ${w.label}: ${w.posts}`).join(", ")}`}
          />
        ) : null}
        <h3>Tin bài mới nhất</h3>
        {d.newest.length ? (
          <ul>
            {d.newest.map((it) => (
              <li key={it.url}>
                {fmtDate(it.published)} — {it.title ?? it.url} <span className="muted">({it.url})</span>
              </li>
            ))}
          </ul>
        ) : (
          <p>Chưa ghi nhận tin bài nào.</p>
        )}
      </section>

      <section aria-labelledby="unicode">
        <h2 id="unicode">Unicode TCVN 6909:2001</h2>
        {encodingFindings.length ? (
          <ul>
            {encodingFindings.map((f) => (
              <FindingLine key={f.id} f={f} canAppeal={false} anchor={false} />
            ))}
          </ul>
        ) : d.latest.length ? (
          <p className="ok">Không có phát hiện về mã ký tự trong lần kiểm tra gần nhất.</p>
        ) : (
          <p>Chưa có lần kiểm tra thành công nào để đánh giá.</p>
        )}
      </section>

      <section aria-labelledby="dinh-danh">
        <h2 id="dinh-danh">Thông tin định danh ở chân trang</h2>
        {d.identity ? (
          <ul>
            {Object.entries(IDENTITY_LABELS).map(([k, label]) => (
              <li key={k}>
                {d.identity![k] ? <span className="ok">✓ Có</span> : <span className="bad">✗ Thiếu</span>} — {label}
              </li>
            ))}
          </ul>
        ) : (
          <p>Chưa có kết quả.</p>
        )}
      </section>

      <section aria-labelledby="phat-hien">
        <h2 id="phat-hien">Phát hiện của lần kiểm tra gần nhất</h2>
        {d.latest.map((a) => (
          <p key={a.id} className="muted">
            {a.base_url}: kiểm tra lúc {fmtDateTime(a.finished_at)}
          </p>
        ))}
        {d.findings.length || d.linked.length ? (
          <ul>
            {[...d.findings, ...d.linked.filter((l) => !d.findings.some((f) => f.id === l.id))].map((f) => (
              <FindingLine key={f.id} f={f} canAppeal={d.canAppeal} />
            ))}
          </ul>
        ) : d.latest.length ? (
          <p>Không có phát hiện.</p>
        ) : d.failed.length ? (
          <p className="warn">Chưa có kết quả: lần kiểm tra gần nhất không thành công (xem ở trên).</p>
        ) : (
          <p>Chưa có lần kiểm tra nào hoàn thành.</p>
        )}
        <HomeScreenshot shot={d.homeScreenshot} />
      </section>

      <section aria-labelledby="giai-trinh">
        <h2 id="giai-trinh">Giải trình</h2>
        {d.appeals.length ? (
          <ul>
            {d.appeals.map((a) => (
              <li key={a.id}>
                <strong>{APPEAL_STATUS_LABELS[a.status]}</strong> — <Link to={`/giai-trinh/${a.id}`}>giải trình #{a.id}</Link> về “{a.finding_message}” · gửi {fmtDateTime(a.filed_at)} bởi {a.filed_by_name}
                <div>{a.explanation}</div>
                {a.decided_at ? (
                  <div className="muted">
                    Quyết định {fmtDateTime(a.decided_at)} bởi {a.decided_by_name}: {a.decision_reason}
                  </div>
                ) : null}
                {d.canDecide && a.status === "pending" ? (
                  <Form method="post" action={here.pathname + here.search} className="filters">
                    <CsrfField />
                    <input type="hidden" name="intent" value="decide" />
                    <input type="hidden" name="appealId" value={a.id} />
                    <div>
                      <label htmlFor={`ly-do-${a.id}`}>Lý do</label>
                      <input id={`ly-do-${a.id}`} name="reason" required minLength={3} />
                    </div>
                    <button type="submit" name="decision" value="accept">Chấp nhận</button>
                    <button type="submit" name="decision" value="reject" className="danger">Từ chối</button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>Chưa có giải trình.</p>
        )}
      </section>

      <section aria-labelledby="qua-cac-ky">
        <h2 id="qua-cac-ky">Điểm qua các kỳ</h2>
        <UnitTrend unitId={d.unit.id} history={d.scoreHistory} />
        {d.scoreHistory.length ? (
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Bảng dữ liệu, cuộn ngang được">
            <table>
              <thead>
                <tr>
                  <th scope="col">Kỳ</th>
                  <th scope="col" className="num">Tổng điểm</th>
                  <th scope="col">Xếp loại</th>
                  <th scope="col" className="num">Hạng trong nhóm</th>
                  <th scope="col">Trạng thái kỳ</th>
                </tr>
              </thead>
              <tbody>
                {d.scoreHistory.map((h) => (
                  <tr key={h.code}>
                    <td>
                      <Link to={`?ky=${h.code}`}>{h.label}</Link>
                    </td>
                    <td className="num">{h.status === "scored" ? fmtScore(h.total) : "Chưa kiểm tra"}</td>
                    <td>{h.tier ?? "—"}</td>
                    <td className="num">{h.rank != null ? `${h.rank}/${h.groupSize}` : "—"}</td>
                    <td>{h.frozen ? "Đã chốt" : "Chưa chốt"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>Chưa có điểm của kỳ nào.</p>
        )}
      </section>

      <UnitLineage lineage={d.lineage} />
      <PageLoad sites={d.pageLoad} />

      <section aria-labelledby="lich-su">
        <h2 id="lich-su">Lịch sử kiểm tra</h2>
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Bảng dữ liệu, cuộn ngang được">
          <table>
            <thead>
              <tr>
                <th scope="col">Website</th>
                <th scope="col">Trạng thái</th>
                <th scope="col">Bắt đầu</th>
                <th scope="col">Kết thúc</th>
                <th scope="col" className="num">Trang</th>
                <th scope="col" className="num">Phát hiện</th>
              </tr>
            </thead>
            <tbody>
              {d.history.map((h) => (
                <tr key={h.id}>
                  <td style={{ wordBreak: "break-all" }}>{h.base_url}</td>
                  <td>
                    {AUDIT_STATUS_LABELS[h.status] ?? h.status}
                    {h.error ? <span className="bad"> ({h.error})</span> : null}
                  </td>
                  <td>{fmtDateTime(h.started_at)}</td>
                  <td>{fmtDateTime(h.finished_at)}</td>
                  <td className="num">
                    {h.pages_done}/{h.pages_planned}
                  </td>
                  <td className="num">{h.findings_count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
