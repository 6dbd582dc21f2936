import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import {
  countActiveAudits,
  getSetting,
  listActiveAudits,
  listAuditableSites,
  listRecentAudits,
  setSetting,
  type ActiveAudit,
} from "../../db/queries/dashboard-audits.ts";
import { getUnitInfo } from "../../db/queries/dashboard.ts";
import { requireMutation, requireUser } from "../lib/auth.server.ts";
import { AUDIT_STATUS_LABELS, fmtDateTime } from "../lib/format.ts";
import { requestSiteAudit, requestUnitAudit } from "../lib/queue.server.ts";
import { CsrfField } from "../components/csrf.tsx";
import { SCHEDULE_KEY, scheduleSchema, scheduleText } from "../lib/schedule.server.ts";
import { toId } from "../lib/ids.ts";

export const meta: MetaFunction = () => [{ title: "Kiểm tra · Tuân Thủ" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const { knex } = args.context;
  const unitId = user.role === "unit_head" ? user.unitId : null;
  const [active, counts, recent, schedule] = await Promise.all([
    listActiveAudits(knex, unitId, 100),
    countActiveAudits(knex, unitId),
    listRecentAudits(knex, unitId, 30),
    getSetting<unknown>(knex, SCHEDULE_KEY),
  ]);
  const isInspector = user.role === "inspector";
  const sites = isInspector ? await listAuditableSites(knex) : [];
  const units = [...new Map(sites.map((s) => [s.unit_id, { id: s.unit_id, name: s.unit_name }])).values()];
  return {
    isInspector,
    active,
    counts,
    recent,
    schedule: scheduleText(schedule),
    sites: sites.map((s) => ({ id: s.id, label: `${s.unit_name} — ${s.base_url}` })),
    units,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user, form, audit } = await requireMutation(args, { roles: ["inspector"] });
  const { knex } = args.context;
  const intent = form.get("intent");
  if (intent === "audit-site") {
    const siteId = toId(form.get("siteId"));
    if (!Number.isInteger(siteId) || siteId <= 0) return { ok: false, field: "siteId", error: "Chọn một website." };
    const n = await requestSiteAudit(knex, siteId, user.id);
    if (!n) return { ok: false, field: "siteId", error: "Website không tồn tại hoặc đã ngừng theo dõi." };
    await audit("audit.request-site", "site", siteId);
    return { ok: true, message: "Đã đưa website vào hàng đợi kiểm tra." };
  }
  if (intent === "audit-unit") {
    const unitId = toId(form.get("unitId"));
    const unit = Number.isInteger(unitId) && unitId > 0 ? await getUnitInfo(knex, unitId) : undefined;
    if (!unit) return { ok: false, field: "unitId", error: "Chọn một đơn vị." };
    const n = await requestUnitAudit(knex, unitId, user.id);
    if (!n) return { ok: false, field: "unitId", error: "Đơn vị chưa có website đang theo dõi." };
    await audit("audit.request-unit", "unit", unitId, { sites: n });
    return { ok: true, message: `Đã đưa ${n} website của ${unit.name} vào hàng đợi kiểm tra.` };
  }
  if (intent === "schedule") {
    const parsed = scheduleSchema.safeParse({ cron: form.get("cron") ?? "" });
    if (!parsed.success) return { ok: false, field: "cron", error: parsed.error.issues[0].message };
    await setSetting(knex, SCHEDULE_KEY, parsed.data.cron);
    await audit("settings.audit-schedule", "settings", SCHEDULE_KEY, { cron: parsed.data.cron });
    return { ok: true, message: "Đã lưu lịch kiểm tra." };
  }
  return { ok: false, field: null, error: "Thao tác không hợp lệ." };
}

function ProgressRow({ a }: { a: ActiveAudit }) {
  const pct = a.pages_planned > 0 ? Math.min(100, Math.round((a.pages_done / a.pages_planned) * 100)) : 0;
  return (
    <tr data-audit-id={a.id}>
      <td>
        <Link to={`/don-vi/${a.unit_id}`}>{a.unit_name}</Link>
        <div className="muted" style={{ wordBreak: "break-all" }}>{a.base_url}</div>
      </td>
      <td>{AUDIT_STATUS_LABELS[a.status]}</td>
      <td>
        <progress className="progress" max={Math.max(1, a.pages_planned)} value={a.pages_done} aria-label={`Tiến độ kiểm tra ${a.base_url}`}>
          {pct}%
        </progress>{" "}
        <span data-testid="progress-text">
          {a.pages_done}/{a.pages_planned} trang{a.pages_failed ? `, ${a.pages_failed} lỗi` : ""}
        </span>
      </td>
      <td>{fmtDateTime(a.started_at ?? a.queued_at)}</td>
    </tr>
  );
}

export default function Audits() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const progress = useFetcher<{ counts: typeof d.counts; audits: ActiveAudit[] }>();
  useEffect(() => {
    const t = setInterval(() => {
      if (document.visibilityState === "visible") progress.load("/kiem-tra/tien-do");
    }, 2000);
    return () => clearInterval(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const active = progress.data?.audits ?? d.active;
  const counts = progress.data?.counts ?? d.counts;
  const err = (f: string) => (result && !result.ok && result.field === f ? result.error : null);
  return (
    <>
      <h1>Kiểm tra website</h1>
      {result && (result.ok || !result.field) ? (
        <p className={result.ok ? "notice" : "form-error"} role={result.ok ? "status" : "alert"}>
          {result.ok ? result.message : result.error}
        </p>
      ) : null}
      <section aria-labelledby="dang-chay">
        <h2 id="dang-chay">
          Đang chạy và đang chờ <span className="muted">({counts.running} đang chạy, {counts.queued} đang chờ)</span>
        </h2>
        <div aria-live="polite" className="table-wrap">
          {active.length ? (
            <table>
              <thead>
                <tr>
                  <th scope="col">Đơn vị / website</th>
                  <th scope="col">Trạng thái</th>
                  <th scope="col">Tiến độ</th>
                  <th scope="col">Bắt đầu / vào hàng đợi</th>
                </tr>
              </thead>
              <tbody>
                {active.map((a) => (
                  <ProgressRow key={a.id} a={a} />
                ))}
              </tbody>
            </table>
          ) : (
            <p>Không có lượt kiểm tra nào đang chạy.</p>
          )}
        </div>
      </section>

      {d.isInspector ? (
        <section aria-labelledby="kiem-tra-ngay">
          <h2 id="kiem-tra-ngay">Kiểm tra ngay</h2>
          <div className="cards">
            <Form method="post" className="card">
              <CsrfField />
              <input type="hidden" name="intent" value="audit-site" />
              <div className="field">
                <label htmlFor="siteId">Website</label>
                <select id="siteId" name="siteId" aria-invalid={err("siteId") ? true : undefined}>
                  {d.sites.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.label}
                    </option>
                  ))}
                </select>
                {err("siteId") ? <p className="field-error">{err("siteId")}</p> : null}
              </div>
              <button type="submit">Kiểm tra website</button>
            </Form>
            <Form method="post" className="card">
              <CsrfField />
              <input type="hidden" name="intent" value="audit-unit" />
              <div className="field">
                <label htmlFor="unitId">Đơn vị</label>
                <select id="unitId" name="unitId">
                  {d.units.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
                </select>
                {err("unitId") ? <p className="field-error">{err("unitId")}</p> : null}
              </div>
              <button type="submit">Kiểm tra mọi website của đơn vị</button>
            </Form>
          </div>
        </section>
      ) : null}

      <section aria-labelledby="lich">
        <h2 id="lich">Lịch kiểm tra định kỳ</h2>
        <p>
          Lịch hiện tại (cron): <code data-testid="schedule">{d.schedule ?? "chưa đặt"}</code>
        </p>
        {d.isInspector ? (
          <Form method="post" className="filters">
            <CsrfField />
            <input type="hidden" name="intent" value="schedule" />
            <div>
              <label htmlFor="cron">Biểu thức cron (phút giờ ngày tháng thứ)</label>
              <input id="cron" name="cron" defaultValue={d.schedule ?? ""} aria-invalid={err("cron") ? true : undefined} aria-describedby="cron-help" />
              <p id="cron-help" className="muted">Ví dụ: 0 2 * * 1 = 2 giờ sáng thứ Hai hằng tuần.</p>
              {err("cron") ? <p className="field-error" role="alert">{err("cron")}</p> : null}
            </div>
            <button type="submit">Lưu lịch</button>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="gan-day">
        <h2 id="gan-day">Kết quả gần đây</h2>
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Bảng dữ liệu, cuộn ngang được">
          <table>
            <thead>
              <tr>
                <th scope="col">Đơn vị / website</th>
                <th scope="col">Trạng thái</th>
                <th scope="col">Kết thúc</th>
                <th scope="col" className="num">Trang</th>
                <th scope="col" className="num">Lỗi</th>
                <th scope="col" className="num">Cảnh báo</th>
              </tr>
            </thead>
            <tbody>
              {d.recent.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/don-vi/${r.unit_id}`}>{r.unit_name}</Link>
                    <div className="muted" style={{ wordBreak: "break-all" }}>{r.base_url}</div>
                  </td>
                  <td>
                    {AUDIT_STATUS_LABELS[r.status] ?? r.status}
                    {r.error ? <div className="bad">{r.error}</div> : null}
                  </td>
                  <td>{fmtDateTime(r.finished_at)}</td>
                  <td className="num">{r.pages_done}</td>
                  <td className="num">{r.errors}</td>
                  <td className="num">{r.warnings}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
