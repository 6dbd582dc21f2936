// The appeals queue: for inspectors every appeal, undecided ones first by due date (working days,
// setting appeal_due_working_days); for a unit head their unit's appeals and their status.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { appealDueWorkingDays, setAppealDueWorkingDays } from "../../db/queries/appeals.ts";
import { listAppealQueue } from "../../db/queries/dashboard-appeals.ts";
import { CsrfField } from "../components/csrf.tsx";
import { APPEAL_STEP_LABELS, displayStatus, dueText } from "../lib/appeal-view.ts";
import { requireMutation, requireUser } from "../lib/auth.server.ts";
import { fmtDate } from "../lib/format.ts";

export const meta: MetaFunction = () => [{ title: "Giải trình · Tuân Thủ" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args, { roles: ["inspector", "unit_head"] });
  const all = new URL(args.request.url).searchParams.get("tat-ca") === "1";
  const inspector = user.role === "inspector";
  const [rows, dueDays] = await Promise.all([
    listAppealQueue(args.context.knex, inspector ? { open: !all } : { unitId: user.unitId ?? -1 }),
    appealDueWorkingDays(args.context.knex),
  ]);
  return { rows, inspector, all, dueDays };
}

const settingSchema = z.object({
  dueDays: z.coerce.number({ message: "Nhập số ngày làm việc." }).int("Nhập số nguyên.").min(1, "Tối thiểu 1 ngày làm việc.").max(60, "Tối đa 60 ngày làm việc."),
});

export async function action(args: ActionFunctionArgs) {
  const { form, audit } = await requireMutation(args, { roles: ["inspector"] });
  const parsed = settingSchema.safeParse({ dueDays: form.get("dueDays") });
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0].message };
  await setAppealDueWorkingDays(args.context.knex, parsed.data.dueDays);
  await audit("settings.appeal-due", "settings", "appeal_due_working_days", { days: parsed.data.dueDays });
  return { ok: true, message: `Đã lưu: giải trình mới có hạn xử lý ${parsed.data.dueDays} ngày làm việc.` };
}

export default function AppealQueue() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <>
      <h1>{d.inspector ? "Hàng đợi giải trình" : "Giải trình của đơn vị"}</h1>
      {d.inspector ? (
        <p>
          {d.all ? <Link to="/giai-trinh">Chỉ hiện giải trình chưa quyết định</Link> : <Link to="/giai-trinh?tat-ca=1">Hiện cả giải trình đã quyết định</Link>}
        </p>
      ) : null}
      {d.rows.length ? (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Danh sách giải trình, cuộn ngang được">
          <table data-testid="appeal-queue">
            <thead>
              <tr>
                <th scope="col">Số</th>
                <th scope="col">Đơn vị</th>
                <th scope="col">Phát hiện</th>
                <th scope="col">Gửi ngày</th>
                <th scope="col">Hạn xử lý</th>
                <th scope="col">Trạng thái</th>
                <th scope="col">Tệp</th>
              </tr>
            </thead>
            <tbody>
              {d.rows.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link to={`/giai-trinh/${a.id}`} aria-label={`Mở giải trình số ${a.id}`}>
                      #{a.id}
                    </Link>
                  </td>
                  <td>{a.unit_name}</td>
                  <td>
                    {a.finding_message} <code className="muted">{a.finding_code}</code>
                  </td>
                  <td>{fmtDate(a.filed_at)}</td>
                  <td>{dueText(a)}</td>
                  <td>{APPEAL_STEP_LABELS[displayStatus(a)] ?? a.status}</td>
                  <td>{a.attachments}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{d.inspector && !d.all ? "Không có giải trình nào chờ xử lý." : "Chưa có giải trình."}</p>
      )}
      {d.inspector ? (
        <section aria-labelledby="han-xu-ly">
          <h2 id="han-xu-ly">Hạn xử lý</h2>
          <Form method="post" action={`/giai-trinh${params.toString() ? `?${params}` : ""}`}>
            <CsrfField />
            <label htmlFor="dueDays">Số ngày làm việc để quyết định một giải trình (không tính thứ Bảy, Chủ nhật và ngày nghỉ lễ)</label>{" "}
            <input id="dueDays" name="dueDays" type="number" min={1} max={60} defaultValue={d.dueDays} required />{" "}
            <button type="submit">Lưu</button>
          </Form>
          {r ? (
            <p role={r.ok ? "status" : "alert"} className={r.ok ? "" : "form-error"}>
              {r.message}
            </p>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
