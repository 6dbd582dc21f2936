import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { deleteHoliday, listHolidays, listHolidayYears, upsertHoliday } from "../../db/queries/holidays.ts";
import { requireMutation, requireUser } from "../lib/auth.server.ts";
import { parseVnDate } from "../lib/dates.ts";
import { fieldErrors } from "../lib/forms.ts";
import { fmtDate } from "../lib/format.ts";
import { CsrfField } from "../components/csrf.tsx";
import { reevaluateDeadlines } from "../../crawler/audit/reevaluate-deadlines.ts";
import { applyPendingRescores } from "../lib/rescore.server.ts";
import { Field } from "../components/field.tsx";

const KIND_LABELS: Record<string, string> = { holiday: "Ngày nghỉ lễ, Tết", compensatory: "Nghỉ bù", working_day: "Ngày làm việc bù" };
const WEEKDAYS = ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args, { roles: ["inspector"] });
  const sp = new URL(args.request.url).searchParams;
  const thisYear = new Date().getFullYear();
  const year = Math.min(2100, Math.max(2000, Number(sp.get("nam")) || thisYear));
  const [days, years] = await Promise.all([listHolidays(args.context.knex, year), listHolidayYears(args.context.knex)]);
  return {
    year,
    years: [...new Set([...years, thisYear, thisYear + 1, year])].sort(),
    days: days.map((d) => ({ ...d, weekday: WEEKDAYS[new Date(`${d.day}T00:00:00Z`).getUTCDay()] })),
  };
}

const schema = z.object({
  day: z.string().transform((v, ctx) => {
    const d = parseVnDate(v);
    if (!d) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "Ngày phải có dạng dd/mm/yyyy." });
      return z.NEVER;
    }
    return d;
  }),
  name: z.string().trim().min(2, "Nhập tên ngày nghỉ.").max(200, "Tên quá dài."),
  kind: z.enum(["holiday", "compensatory", "working_day"], { errorMap: () => ({ message: "Chọn loại ngày." }) }),
});

type Result = { ok: boolean; message?: string; errors: Record<string, string> };

export async function action(args: ActionFunctionArgs): Promise<Result> {
  const { user, form, audit } = await requireMutation(args, { roles: ["inspector"] });
  const intent = form.get("intent");
  if (intent === "delete") {
    const day = String(form.get("day") ?? "");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return { ok: false, errors: { _form: "Ngày không hợp lệ." } };
    const done = await deleteHoliday(args.context.knex, day);
    if (done) await audit("holiday.delete", "holiday", day);
    const note = done ? await rescoreForDay(args.context.knex, day) : "";
    return { ok: done, message: done ? `Đã xóa ngày ${fmtDate(day)}.${note}` : undefined, errors: done ? {} : { _form: "Không tìm thấy ngày này." } };
  }
  const parsed = schema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  await upsertHoliday(args.context.knex, { ...parsed.data, userId: user.id });
  await audit("holiday.save", "holiday", parsed.data.day, { name: parsed.data.name, kind: parsed.data.kind });
  const note = await rescoreForDay(args.context.knex, parsed.data.day);
  return { ok: true, message: `Đã lưu ngày ${fmtDate(parsed.data.day)}.${note}`, errors: {} };
}

/** Deadlines that span the changed day are counted again, and the scores follow. */
async function rescoreForDay(knex: Parameters<typeof reevaluateDeadlines>[0], day: string): Promise<string> {
  const r = await reevaluateDeadlines(knex, [day]);
  await applyPendingRescores(knex);
  return r.changed ? ` Đã tính lại thời hạn đăng văn bản của ${r.changed} lượt kiểm tra và điểm các kỳ chưa chốt.` : "";
}

export default function Holidays() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const e = a?.errors ?? {};
  return (
    <>
      <h1>Lịch ngày nghỉ năm {d.year}</h1>
      <p className="muted">Dùng để tính ngày làm việc cho thời hạn đăng văn bản. Ngày do quy tắc sinh ra có thể sửa theo quyết định nghỉ chính thức hằng năm.</p>
      <Form method="get" className="filters">
        <div>
          <label htmlFor="nam">Năm</label>
          <select id="nam" name="nam" defaultValue={d.year}>
            {d.years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Xem</button>
      </Form>
      {a?.message ? <p className="notice" role="status">{a.message}</p> : null}
      {e._form ? <p className="form-error" role="alert">{e._form}</p> : null}
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Bảng dữ liệu, cuộn ngang được">
        <table>
          <thead>
            <tr>
              <th scope="col">Ngày</th>
              <th scope="col">Thứ</th>
              <th scope="col">Tên</th>
              <th scope="col">Loại</th>
              <th scope="col">Nguồn</th>
              <th scope="col">Thao tác</th>
            </tr>
          </thead>
          <tbody>
            {d.days.map((h) => (
              <tr key={h.day}>
                <td>{fmtDate(h.day)}</td>
                <td>{h.weekday}</td>
                <td>{h.name}</td>
                <td>{KIND_LABELS[h.kind] ?? h.kind}</td>
                <td>{h.source === "rule" ? "Theo quy tắc" : "Cán bộ nhập"}</td>
                <td>
                  <Form method="post" action={`/quan-ly/ngay-nghi?nam=${d.year}`}>
                    <CsrfField />
                    <input type="hidden" name="intent" value="delete" />
                    <input type="hidden" name="day" value={h.day} />
                    <button type="submit" className="danger" aria-label={`Xóa ngày ${fmtDate(h.day)}`}>
                      Xóa
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {d.days.length === 0 ? <p>Chưa có ngày nghỉ nào cho năm này.</p> : null}
      </div>
      <h2>Thêm hoặc sửa ngày</h2>
      <p className="muted">Nhập lại một ngày đã có để sửa tên hoặc loại.</p>
      <Form method="post" action={`/quan-ly/ngay-nghi?nam=${d.year}`} noValidate>
        <CsrfField />
        <input type="hidden" name="intent" value="save" />
        <Field name="day" label="Ngày (dd/mm/yyyy)" error={e.day} prefix="h">
          {(p) => <input {...p} placeholder={`02/09/${d.year}`} inputMode="numeric" />}
        </Field>
        <Field name="name" label="Tên" error={e.name} prefix="h">
          {(p) => <input {...p} size={40} />}
        </Field>
        <Field name="kind" label="Loại" error={e.kind} prefix="h">
          {(p) => (
            <select {...p} defaultValue="holiday">
              {Object.entries(KIND_LABELS).map(([k, l]) => (
                <option key={k} value={k}>
                  {l}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit">Lưu</button>
      </Form>
    </>
  );
}
