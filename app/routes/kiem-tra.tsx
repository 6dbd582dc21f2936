import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import {
  countActiveAudits,
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
import { reloadSchedulers, SCHEDULE_KEY, scheduleStatus, validateSchedule } from "../lib/schedule.server.ts";
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
    scheduleStatus(knex),
  ]);
  const isInspector = user.role === "inspector";
  const sites = isInspector ? await listAuditableSites(knex) : [];
  const units = [...new Map(sites.map((s) => [s.unit_id, { id: s.unit_id, name: s.unit_name }])).values()];
  return {
    isInspector,
    active,
    counts,
    recent,
    schedule,
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
    const v = validateSchedule(form.get("cron") ?? "");
    if (!v.ok) return { ok: false, field: "cron", error: v.error, nextRuns: v.nextRuns };
    await setSetting(knex, SCHEDULE_KEY, v.expression);
    await audit("settings.audit-schedule", "settings", SCHEDULE_KEY, { cron: v.expression });
    // Schedulers in this process apply it now; the others re-read the setting within 15 s.
    await reloadSchedulers();
    return { ok: true, message: `Đã lưu lịch kiểm tra. Áp dụng ngay: ${v.description ?? v.expression}, lần tới ${v.nextRuns[0]}.` };
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
  const refusedRuns: string[] = (result && !result.ok && "nextRuns" in result ? result.nextRuns : null) ?? [];
  const s = d.schedule;
  const SOURCE = { setting: "lịch đã lưu", env: "biến môi trường AUDIT_CRON", default: "lịch mặc định" } as const;
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
        <div data-testid="schedule-now">
          <p>
            Lịch đang áp dụng: <strong data-testid="schedule-description">{s.description ?? "theo biểu thức cron"}</strong> (cron{" "}
            <code data-testid="schedule">{s.expression}</code>, giờ Việt Nam, {SOURCE[s.source]}).
          </p>
          <p>
            Ba lần chạy tới:{" "}
            <span data-testid="schedule-next">
              {s.nextRuns.map((r, i) => (
                <span key={r}>
                  {i ? " · " : ""}
                  <time>{r}</time>
                </span>
              ))}
            </span>
          </p>
          {s.storedError ? (
            <p className="form-error" role="alert" data-testid="schedule-stored-invalid">
              Lịch đã lưu <code>{s.stored}</code> không hợp lệ nên không được dùng: {s.storedError} Hãy lưu lại một lịch đúng.
            </p>
          ) : null}
          {s.envError ? (
            <p className="form-error" role="alert">
              Biến môi trường AUDIT_CRON không hợp lệ nên không được dùng: {s.envError}
            </p>
          ) : null}
        </div>
        {d.isInspector ? (
          <Form method="post" className="filters">
            <CsrfField />
            <input type="hidden" name="intent" value="schedule" />
            <div>
              <label htmlFor="cron">Biểu thức cron (phút giờ ngày tháng thứ)</label>
              <input id="cron" name="cron" defaultValue={s.stored ?? s.expression} aria-invalid={err("cron") ? true : undefined} aria-describedby="cron-help" />
              <p id="cron-help" className="muted">Ví dụ: 0 2 * * 1 = 2 giờ sáng thứ Hai hằng tuần.</p>
              {err("cron") ? (
                <div className="field-error" role="alert" data-testid="cron-error">
                  <p>{err("cron")}</p>
                  {refusedRuns.length ? <p>Các lần chạy tới của biểu thức này: {refusedRuns.join(" · ")}.</p> : null}
                </div>
              ) : null}
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
