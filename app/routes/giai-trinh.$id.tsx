// One appeal: the unit's text and attachments next to the finding and its evidence (the stored
// snapshot, /bang-chung/:pageId); its status for the unit head; for an inspector the review and
// the decision (accept or reject, scope, expiry, reason). Every step is in the audit log.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { APPEAL_SCOPES, type AppealScope } from "../../db/queries/appeals.ts";
import { countCoveredFindings, getAppealDetail, listAppealAttachments } from "../../db/queries/dashboard-appeals.ts";
import { vietnamToday } from "../../db/time.ts";
import { CsrfField } from "../components/csrf.tsx";
import { decideAppealAction, startReviewAction } from "../lib/appeals.server.ts";
import { APPEAL_STEP_LABELS, displayStatus, dueText, SCOPE_OPTIONS } from "../lib/appeal-view.ts";
import { notFound, requireMutation, requireUnitAccess, requireUser } from "../lib/auth.server.ts";
import { fmtDate, fmtDateTime } from "../lib/format.ts";
import { toId } from "../lib/ids.ts";

export const meta: MetaFunction = () => [{ title: "Giải trình · Tuân Thủ" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args, { roles: ["inspector", "unit_head"] });
  const id = toId(args.params.id);
  if (!Number.isInteger(id) || id <= 0) throw notFound("Không tìm thấy giải trình.");
  const a = await getAppealDetail(args.context.knex, id);
  if (!a) throw notFound("Không tìm thấy giải trình.");
  requireUnitAccess(user, a.unit_id);
  const [files, covered] = await Promise.all([
    listAppealAttachments(args.context.knex, id),
    a.status === "accepted" ? countCoveredFindings(args.context.knex, id) : Promise.resolve(0),
  ]);
  return { a: { ...a, shown: displayStatus(a) }, files, covered, inspector: user.role === "inspector", today: vietnamToday() };
}

const decideSchema = z.object({
  decision: z.enum(["accept", "reject"], { message: "Chọn chấp nhận hoặc từ chối." }),
  scope: z.enum(APPEAL_SCOPES as [AppealScope, ...AppealScope[]], { message: "Chọn phạm vi áp dụng." }).default("finding"),
  expiresOn: z
    .string()
    .trim()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, "Ngày hết hiệu lực không hợp lệ.")
    .optional()
    .transform((v) => (v ? v : null)),
  reason: z.string({ message: "Nhập lý do quyết định." }).trim().min(3, "Nhập lý do quyết định.").max(2000, "Lý do quá dài (tối đa 2000 ký tự)."),
});

export async function action(args: ActionFunctionArgs) {
  const { user, form } = await requireMutation(args, { roles: ["inspector"] });
  const id = toId(args.params.id);
  if (!Number.isInteger(id) || id <= 0) throw notFound("Không tìm thấy giải trình.");
  const intent = form.get("intent");
  if (intent === "review") {
    const r = await startReviewAction(args.context.knex, { appealId: id, userId: user.id });
    return r.ok ? { ok: true, message: "Đã chuyển sang “Đang xem xét”." } : { ok: false, message: r.error };
  }
  if (intent === "decide") {
    const parsed = decideSchema.safeParse({
      decision: form.get("decision") ?? undefined,
      scope: form.get("scope") || undefined,
      expiresOn: form.get("expiresOn") ?? undefined,
      reason: form.get("reason"),
    });
    if (!parsed.success) return { ok: false, message: parsed.error.issues[0].message };
    const accept = parsed.data.decision === "accept";
    const r = await decideAppealAction(args.context.knex, {
      appealId: id,
      userId: user.id,
      accept,
      reason: parsed.data.reason,
      scope: parsed.data.scope,
      expiresOn: parsed.data.expiresOn,
    });
    if (!r.ok) return { ok: false, message: r.error };
    return { ok: true, message: accept ? "Đã chấp nhận giải trình; điểm các kỳ chưa chốt đã được tính lại." : "Đã từ chối giải trình." };
  }
  return { ok: false, message: "Thao tác không hợp lệ." };
}

function fmtSize(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toLocaleString("vi-VN", { maximumFractionDigits: 1 })} MB` : `${Math.max(1, Math.round(n / 1024))} kB`;
}

export default function AppealPage() {
  const { a, files, covered, inspector, today } = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const [params] = useSearchParams();
  const open = a.status === "pending" || a.status === "under_review";
  return (
    <>
      <p>
        <Link to="/giai-trinh">← {inspector ? "Hàng đợi giải trình" : "Giải trình của đơn vị"}</Link> · <Link to={`/don-vi/${a.unit_id}`}>{a.unit_name}</Link>
      </p>
      <h1>Giải trình #{a.id}</h1>
      {params.get("moi") === "1" && !r ? (
        <p role="status" className="notice">
          Đã gửi giải trình. Cán bộ kiểm tra sẽ xử lý trước ngày {dueText(a)}; bạn sẽ nhận thư khi có quyết định.
        </p>
      ) : null}
      {r ? (
        <p role={r.ok ? "status" : "alert"} className={r.ok ? "notice" : "form-error"}>
          {r.message}
        </p>
      ) : null}
      <dl className="facts">
        <dt>Trạng thái</dt>
        <dd data-testid="appeal-status">{APPEAL_STEP_LABELS[a.shown] ?? a.shown}</dd>
        <dt>Gửi lúc</dt>
        <dd>
          {fmtDateTime(a.filed_at)} bởi {a.filed_by_name}
        </dd>
        <dt>Hạn xử lý</dt>
        <dd>{dueText(a)}</dd>
        {a.decided_at ? (
          <>
            <dt>Quyết định</dt>
            <dd data-testid="appeal-decision">
              {a.status === "rejected" ? "Từ chối" : "Chấp nhận"} lúc {fmtDateTime(a.decided_at)} bởi {a.decided_by_name}. Lý do: {a.decision_reason}
            </dd>
            {a.status !== "rejected" ? (
              <>
                <dt>Phạm vi áp dụng</dt>
                <dd>
                  {SCOPE_OPTIONS.find((s) => s.value === a.scope)?.label ?? a.scope}
                  {a.criterion_code ? <> (<code>{a.criterion_code}</code>)</> : null} — {covered} phát hiện được tính là đạt
                </dd>
                <dt>Hiệu lực đến</dt>
                <dd>{a.expires_on ? fmtDate(a.expires_on) : "Không thời hạn"}</dd>
              </>
            ) : null}
          </>
        ) : null}
      </dl>

      <div className="two-col">
        <section aria-labelledby="gt-phat-hien">
          <h2 id="gt-phat-hien">Phát hiện</h2>
          <p>
            {a.finding_message} <code className="muted">{a.finding_code}</code>
          </p>
          {a.finding_snippet ? (
            <p>
              Trích: <q lang="vi">{a.finding_snippet}</q>
            </p>
          ) : null}
          <p>
            Website {a.site_url}
            {a.audit_at ? <>, kiểm tra ngày {fmtDate(a.audit_at)}</> : null}
            {a.finding_url ? (
              <>
                , địa chỉ <span className="muted">{a.finding_url}</span>
              </>
            ) : null}
          </p>
          <p>{a.finding_page_id ? <Link to={`/bang-chung/${a.finding_page_id}`}>Xem bằng chứng (trang đã lưu)</Link> : "Không có trang đã lưu cho phát hiện này."}</p>
        </section>
        <section aria-labelledby="gt-noi-dung">
          <h2 id="gt-noi-dung">Nội dung giải trình của đơn vị</h2>
          <p style={{ whiteSpace: "pre-wrap" }}>{a.explanation}</p>
          <h3>Tệp đính kèm</h3>
          {files.length ? (
            <ul data-testid="appeal-files">
              {files.map((f) => (
                <li key={f.id}>
                  <a href={`/giai-trinh/tep/${f.id}`}>{f.filename}</a> ({f.content_type === "application/pdf" ? "PDF" : "ảnh"}, {fmtSize(f.size_bytes)})
                </li>
              ))}
            </ul>
          ) : (
            <p>Không có tệp đính kèm.</p>
          )}
        </section>
      </div>

      {inspector && open ? (
        <section aria-labelledby="gt-quyet-dinh">
          <h2 id="gt-quyet-dinh">Xử lý giải trình</h2>
          {a.status === "pending" ? (
            <Form method="post">
              <CsrfField />
              <input type="hidden" name="intent" value="review" />
              <button type="submit">Bắt đầu xem xét</button>
            </Form>
          ) : null}
          <Form method="post">
            <CsrfField />
            <input type="hidden" name="intent" value="decide" />
            <fieldset>
              <legend>Quyết định</legend>
              <label>
                <input type="radio" name="decision" value="accept" required /> Chấp nhận (phát hiện được tính là đạt)
              </label>{" "}
              <label>
                <input type="radio" name="decision" value="reject" /> Từ chối
              </label>
            </fieldset>
            <div>
              <label htmlFor="scope">Phạm vi áp dụng khi chấp nhận</label>{" "}
              <select id="scope" name="scope" defaultValue="finding">
                {SCOPE_OPTIONS.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="expiresOn">Hiệu lực đến ngày (để trống: không thời hạn)</label>{" "}
              <input id="expiresOn" name="expiresOn" type="date" min={today} />
            </div>
            <div>
              <label htmlFor="reason">Lý do quyết định</label>
              <textarea id="reason" name="reason" rows={3} cols={60} required minLength={3} maxLength={2000} />
            </div>
            <button type="submit">Lưu quyết định</button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
