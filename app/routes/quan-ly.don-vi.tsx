import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { listGroups } from "../../db/queries/dashboard.ts";
import { createSite, createUnit, listUnitsAdmin, UNIT_TYPES, unitCodeTaken } from "../../db/queries/units.ts";
import { requireMutation, requireUser } from "../lib/auth.server.ts";
import { fieldErrors } from "../lib/forms.ts";
import { GROUP_LABELS, UNIT_TYPE_LABELS } from "../lib/format.ts";
import { siteUrlSchema, unitSchema } from "../lib/unit-forms.server.ts";
import { CsrfField } from "../components/csrf.tsx";
import { Field } from "../components/field.tsx";
import { UnitFields } from "../components/unit-fields.tsx";
import { applyPendingRescores } from "../lib/rescore.server.ts";

const PER_PAGE = 100;

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args, { roles: ["inspector"] });
  const sp = new URL(args.request.url).searchParams;
  const q = (sp.get("q") ?? "").trim().slice(0, 100);
  const wanted = Math.trunc(Number(sp.get("trang") ?? "1"));
  const page = Number.isFinite(wanted) && wanted >= 1 && wanted <= 100_000 ? wanted : 1;
  const [units, groups] = await Promise.all([
    listUnitsAdmin(args.context.knex, q || null, { limit: PER_PAGE, offset: (page - 1) * PER_PAGE }),
    listGroups(args.context.knex),
  ]);
  const pages = Math.max(1, Math.ceil(units.total / PER_PAGE));
  return { units: units.rows, total: units.total, page, pages, perPage: PER_PAGE, groups, q, unitTypes: UNIT_TYPES.map((t) => ({ value: t, label: UNIT_TYPE_LABELS[t] })) };
}

export async function action(args: ActionFunctionArgs) {
  const { form, audit } = await requireMutation(args, { roles: ["inspector"] });
  const { knex } = args.context;
  const parsed = unitSchema.safeParse(Object.fromEntries(form));
  const site = siteUrlSchema.safeParse(String(form.get("website") ?? ""));
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  if (!site.success && String(form.get("website") ?? "").trim()) errors.website = site.error.issues[0].message;
  if (parsed.success && (await unitCodeTaken(knex, parsed.data.code))) errors.code = "Mã đơn vị đã được dùng.";
  if (parsed.success && !(await knex("unit_groups").where({ code: parsed.data.groupCode }).first())) errors.groupCode = "Nhóm không tồn tại.";
  if (!parsed.success || Object.keys(errors).length) return { errors, values: Object.fromEntries([...form].filter(([k]) => k !== "_csrf").map(([k, v]) => [k, String(v)])) };
  const id = await knex.transaction(async (trx) => {
    const unitId = await createUnit(trx, parsed.data);
    if (site.success) await createSite(trx, unitId, { baseUrl: site.data, renderMode: "auto", isPrimary: true });
    return unitId;
  });
  await audit("unit.create", "unit", id, { name: parsed.data.name });
  await applyPendingRescores(knex);
  return redirect(`/quan-ly/don-vi/${id}?tao-moi=1`);
}

export default function UnitsAdmin() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const e: Record<string, string> = a?.errors ?? {};
  const v: Record<string, string> = a?.values ?? {};
  return (
    <>
      <h1>Đơn vị và website</h1>
      <Form method="get" className="filters" role="search">
        <div>
          <label htmlFor="q">Tìm đơn vị</label>
          <input id="q" name="q" type="search" defaultValue={d.q} />
        </div>
        <button type="submit">Tìm</button>
      </Form>
      <p className="muted" aria-live="polite">
        {d.total === 0
          ? d.q
            ? `Không có đơn vị nào khớp với “${d.q}”.`
            : "Chưa có đơn vị nào."
          : `${d.q ? `Tìm thấy ${d.total.toLocaleString("vi-VN")} đơn vị khớp với “${d.q}”` : `${d.total.toLocaleString("vi-VN")} đơn vị`}; hiển thị ${((d.page - 1) * d.perPage + 1).toLocaleString("vi-VN")}–${Math.min(d.page * d.perPage, d.total).toLocaleString("vi-VN")}.`}
      </p>
      <UnitPager page={d.page} pages={d.pages} q={d.q} />
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Bảng dữ liệu, cuộn ngang được">
        <table>
          <thead>
            <tr>
              <th scope="col">Mã</th>
              <th scope="col">Tên đơn vị</th>
              <th scope="col">Loại</th>
              <th scope="col">Nhóm</th>
              <th scope="col">Website</th>
              <th scope="col">Trạng thái</th>
            </tr>
          </thead>
          <tbody>
            {d.units.map((u) => (
              <tr key={u.id}>
                <td>{u.code}</td>
                <td>
                  <Link to={`/quan-ly/don-vi/${u.id}`}>{u.name}</Link>
                </td>
                <td>{UNIT_TYPE_LABELS[u.unit_type] ?? u.unit_type}</td>
                <td>{d.groups.find((g) => g.code === u.group_code)?.name ?? GROUP_LABELS[u.group_code] ?? u.group_code}</td>
                <td style={{ wordBreak: "break-all" }}>
                  {u.website ?? "—"}
                  {u.sites > 1 ? ` (+${u.sites - 1})` : ""}
                </td>
                <td>{u.active ? "Đang theo dõi" : u.merged_into ? `Đã sáp nhập vào ${u.merged_into}` : "Ngừng"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <UnitPager page={d.page} pages={d.pages} q={d.q} />

      <h2>Thêm đơn vị</h2>
      <Form method="post" noValidate>
        <CsrfField />
        <UnitFields values={v} errors={e} unitTypes={d.unitTypes} groups={d.groups} markOptional />
        <Field name="website" label="Website chính (không bắt buộc)" error={e.website} prefix="u">
          {(p) => <input {...p} defaultValue={v.website} placeholder="https://" />}
        </Field>
        <button type="submit">Thêm đơn vị</button>
      </Form>
    </>
  );
}

function UnitPager({ page, pages, q }: { page: number; pages: number; q: string }) {
  if (pages <= 1) return null;
  const href = (p: number) => `?${new URLSearchParams({ ...(q ? { q } : {}), trang: String(p) }).toString()}`;
  return (
    <nav className="pager" aria-label="Phân trang danh sách đơn vị">
      {page > 1 ? <Link to={href(page - 1)}>« Trang trước</Link> : null} <span>Trang {page}/{pages}</span>{" "}
      {page < pages ? <Link to={href(page + 1)}>Trang sau »</Link> : null}
    </nav>
  );
}
