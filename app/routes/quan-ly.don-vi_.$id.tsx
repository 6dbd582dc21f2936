import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { listGroups } from "../../db/queries/dashboard.ts";
import {
  createSite,
  getUnitRow,
  listSitesOfUnit,
  setSiteActive,
  setUnitActive,
  siteUrlTaken,
  UNIT_TYPES,
  unitCodeTaken,
  updateSite,
  updateUnit,
} from "../../db/queries/units.ts";
import { notFound, requireMutation, requireUser } from "../lib/auth.server.ts";
import { fieldErrors } from "../lib/forms.ts";
import { UNIT_TYPE_LABELS } from "../lib/format.ts";
import { mergeSchema, renameSchema, siteSchema, unitSchema } from "../lib/unit-forms.server.ts";
import { getUnitLineage, LineageError, listMergeCandidates, mergeUnits, renameUnit } from "../../db/queries/unit-lineage.ts";
import { UnitLineage } from "../components/UnitLineage.tsx";
import { fmtDate } from "../lib/format.ts";
import { CsrfField } from "../components/csrf.tsx";
import { Field } from "../components/field.tsx";
import { UnitFields } from "../components/unit-fields.tsx";
import { toId } from "../lib/ids.ts";
import { applyPendingRescores } from "../lib/rescore.server.ts";

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args, { roles: ["inspector"] });
  const id = toId(args.params.id);
  const unit = Number.isInteger(id) && id > 0 ? await getUnitRow(args.context.knex, id) : undefined;
  if (!unit) throw notFound("Không tìm thấy đơn vị.");
  const [sites, groups, lineage, candidates] = await Promise.all([
    listSitesOfUnit(args.context.knex, id),
    listGroups(args.context.knex),
    getUnitLineage(args.context.knex, id),
    unit.active ? listMergeCandidates(args.context.knex, id) : Promise.resolve([]),
  ]);
  return { unit, sites, groups, lineage, candidates, unitTypes: UNIT_TYPES.map((t) => ({ value: t, label: UNIT_TYPE_LABELS[t] })) };
}

/** What a merge or rename will do, shown for confirmation before anything changes. */
interface LineagePreview {
  predecessorIds?: number[];
  predecessorNames?: string[];
  newName?: string;
  effectiveOn: string;
  note: string | null;
}

type Result = { intent: string; siteId?: number; errors: Record<string, string>; message?: string; preview?: LineagePreview };

export async function action(args: ActionFunctionArgs): Promise<Result> {
  const { user, form, audit } = await requireMutation(args, { roles: ["inspector"] });
  const { knex } = args.context;
  const id = toId(args.params.id);
  const unit = Number.isInteger(id) && id > 0 ? await getUnitRow(knex, id) : undefined;
  if (!unit) throw notFound("Không tìm thấy đơn vị.");
  const intent = String(form.get("intent") ?? "");
  const values = Object.fromEntries(form);
  if (intent === "unit") {
    const parsed = unitSchema.safeParse(values);
    const errors = parsed.success ? {} : fieldErrors(parsed.error);
    if (parsed.success && (await unitCodeTaken(knex, parsed.data.code, id))) errors.code = "Mã đơn vị đã được dùng.";
    if (parsed.success && !(await knex("unit_groups").where({ code: parsed.data.groupCode }).first())) errors.groupCode = "Nhóm không tồn tại.";
    if (!parsed.success || Object.keys(errors).length) return { intent, errors };
    await updateUnit(knex, id, parsed.data);
    await audit("unit.update", "unit", id, parsed.data as unknown as Record<string, unknown>);
    await applyPendingRescores(knex);
    return { intent, errors: {}, message: "Đã lưu thông tin đơn vị." };
  }
  if (intent === "merge" || intent === "rename") {
    // Two steps: the first shows what will change, the second (confirm=1) makes the change; the
    // audit-log entry is written with it by db/queries/unit-lineage.ts.
    const confirmed = form.get("confirm") === "1";
    const actor = { userId: user.id, actor: user.username, ip: args.context.ip ?? null };
    try {
      if (intent === "merge") {
        const parsed = mergeSchema.safeParse({ ...values, predecessorIds: form.getAll("predecessorIds").map(String) });
        if (!parsed.success) return { intent, errors: fieldErrors(parsed.error) };
        const names = await knex("units").whereIn("id", parsed.data.predecessorIds).orderBy("name").pluck("name");
        if (!confirmed) return { intent, errors: {}, preview: { ...parsed.data, predecessorNames: names } };
        await mergeUnits(knex, { ...actor, successorId: id, ...parsed.data });
        await applyPendingRescores(knex);
        return { intent, errors: {}, message: `Đã sáp nhập ${names.map((n) => `“${n}”`).join(", ")} vào đơn vị này từ ngày ${fmtDate(parsed.data.effectiveOn)}.` };
      }
      const parsed = renameSchema.safeParse(values);
      if (!parsed.success) return { intent, errors: fieldErrors(parsed.error) };
      if (!confirmed) return { intent, errors: {}, preview: parsed.data };
      await renameUnit(knex, { ...actor, unitId: id, ...parsed.data });
      await applyPendingRescores(knex);
      return { intent, errors: {}, message: `Đã đổi tên đơn vị thành “${parsed.data.newName}” từ ngày ${fmtDate(parsed.data.effectiveOn)}.` };
    } catch (err) {
      if (err instanceof LineageError) return { intent, errors: { _form: err.message } };
      throw err;
    }
  }
  if (intent === "unit-active") {
    const active = form.get("active") === "true";
    if (active) {
      const into = (await getUnitLineage(knex, id)).mergedInto;
      if (into) return { intent, errors: { _form: `Đơn vị đã sáp nhập vào “${into.name}” từ ngày ${fmtDate(into.effectiveOn)}, không theo dõi lại được.` } };
    }
    await setUnitActive(knex, id, active);
    await audit(active ? "unit.activate" : "unit.deactivate", "unit", id);
    await applyPendingRescores(knex);
    return { intent, errors: {}, message: active ? "Đã theo dõi lại đơn vị." : "Đã ngừng theo dõi đơn vị." };
  }
  if (intent === "site-create" || intent === "site-update") {
    const siteId = intent === "site-update" ? toId(form.get("siteId")) : undefined;
    // An update with a missing or malformed site id must not fall through to creating a site.
    if (siteId !== undefined && !(Number.isInteger(siteId) && siteId > 0)) throw notFound("Không tìm thấy website.");
    const parsed = siteSchema.safeParse(values);
    const errors = parsed.success ? {} : fieldErrors(parsed.error);
    if (parsed.success && (await siteUrlTaken(knex, id, parsed.data.baseUrl, siteId))) errors.baseUrl = "Đơn vị đã có website này.";
    if (!parsed.success || Object.keys(errors).length) return { intent, siteId, errors };
    if (siteId) {
      if (!(await updateSite(knex, id, siteId, parsed.data))) throw notFound("Không tìm thấy website.");
      await audit("site.update", "site", siteId, { baseUrl: parsed.data.baseUrl });
      return { intent, siteId, errors: {}, message: "Đã lưu website." };
    }
    const newId = await createSite(knex, id, parsed.data);
    await audit("site.create", "site", newId, { unitId: id, baseUrl: parsed.data.baseUrl });
    return { intent, errors: {}, message: "Đã thêm website." };
  }
  if (intent === "site-active") {
    const siteId = toId(form.get("siteId"));
    const active = form.get("active") === "true";
    if (!Number.isInteger(siteId) || siteId <= 0) throw notFound("Không tìm thấy website.");
    if (!(await setSiteActive(knex, id, siteId, active))) throw notFound("Không tìm thấy website.");
    await audit(active ? "site.activate" : "site.deactivate", "site", siteId);
    return { intent, errors: {}, message: active ? "Đã theo dõi lại website." : "Đã ngừng theo dõi website." };
  }
  return { intent, errors: { _form: "Thao tác không hợp lệ." } };
}

interface SiteRow {
  id: number;
  base_url: string;
  render_mode: string;
  max_pages: number | null;
  crawl_delay_ms: number | null;
  is_primary: boolean;
  active: boolean;
}

function SiteFields({ prefix, s, e }: { prefix: string; s?: SiteRow; e: Record<string, string> }) {
  return (
    <>
      <Field name="baseUrl" label="Địa chỉ website" error={e.baseUrl} prefix={prefix}>
        {(p) => <input {...p} defaultValue={s?.base_url} size={45} />}
      </Field>
      <Field name="renderMode" label="Dựng trang bằng trình duyệt" error={e.renderMode} prefix={prefix}>
        {(p) => (
          <select {...p} defaultValue={s?.render_mode ?? "auto"}>
            <option value="auto">Tự động (khi cần)</option>
            <option value="never">Không bao giờ</option>
            <option value="always">Luôn luôn</option>
          </select>
        )}
      </Field>
      <Field name="maxPages" label="Số trang tối đa mỗi lần kiểm tra" error={e.maxPages} prefix={prefix}>
        {(p) => <input {...p} inputMode="numeric" defaultValue={s?.max_pages ?? ""} />}
      </Field>
      <Field name="crawlDelayMs" label="Độ trễ giữa hai yêu cầu (ms)" error={e.crawlDelayMs} prefix={prefix}>
        {(p) => <input {...p} inputMode="numeric" defaultValue={s?.crawl_delay_ms ?? ""} />}
      </Field>
      <div className="field">
        <input type="checkbox" id={`${prefix}-isPrimary`} name="isPrimary" defaultChecked={s ? s.is_primary : true} />{" "}
        <label htmlFor={`${prefix}-isPrimary`} style={{ display: "inline" }}>
          Website chính
        </label>
      </div>
    </>
  );
}

export default function UnitAdmin() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const [sp] = useSearchParams();
  const errs = (intent: string, siteId?: number) => (a && a.intent === intent && (siteId === undefined || a.siteId === siteId) ? a.errors : {});
  const ue = errs("unit");
  return (
    <>
      <p>
        <Link to="/quan-ly/don-vi">← Danh sách đơn vị</Link>
      </p>
      <h1>{d.unit.name}</h1>
      {sp.get("tao-moi") ? <p className="notice" role="status">Đã thêm đơn vị.</p> : null}
      {a?.message ? <p className="notice" role="status">{a.message}</p> : null}
      {a?.errors._form ? <p className="form-error" role="alert">{a.errors._form}</p> : null}
      <div>
        Trạng thái: <strong>{d.unit.active ? "Đang theo dõi" : d.lineage.mergedInto ? "Đã sáp nhập" : "Ngừng theo dõi"}</strong>{" "}
        {d.lineage.mergedInto ? null : (
        <Form method="post" className="inline">
          <CsrfField />
          <input type="hidden" name="intent" value="unit-active" />
          <input type="hidden" name="active" value={d.unit.active ? "false" : "true"} />
          <button type="submit" className={d.unit.active ? "danger" : ""}>
            {d.unit.active ? "Ngừng theo dõi đơn vị" : "Theo dõi lại"}
          </button>
        </Form>
        )}
      </div>
      <UnitLineage lineage={d.lineage} unitHref={(x) => `/quan-ly/don-vi/${x}`} />
      <h2>Thông tin đơn vị</h2>
      <Form method="post" noValidate>
        <CsrfField />
        <input type="hidden" name="intent" value="unit" />
        <UnitFields
          values={{
            code: d.unit.code,
            name: d.unit.name,
            shortName: d.unit.short_name ?? "",
            unitType: d.unit.unit_type,
            groupCode: d.unit.group_code,
            headEmail: d.unit.head_email ?? "",
          }}
          errors={ue}
          unitTypes={d.unitTypes}
          groups={d.groups}
        />
        <button type="submit">Lưu</button>
      </Form>

      {d.unit.active ? <LineageForms unitName={d.unit.name} candidates={d.candidates} result={a && (a.intent === "merge" || a.intent === "rename") ? a : null} /> : null}

      <h2>Website</h2>
      {d.sites.map((s: SiteRow) => (
        <details key={s.id} className="card" open={a?.intent === "site-update" && a.siteId === s.id}>
          <summary>
            {s.base_url} {s.is_primary ? "(chính)" : ""} {s.active ? "" : "— ngừng theo dõi"}
          </summary>
          <Form method="post" noValidate>
            <CsrfField />
            <input type="hidden" name="intent" value="site-update" />
            <input type="hidden" name="siteId" value={s.id} />
            <SiteFields prefix={`s${s.id}`} s={s} e={errs("site-update", s.id)} />
            <button type="submit">Lưu website</button>
          </Form>
          <Form method="post">
            <CsrfField />
            <input type="hidden" name="intent" value="site-active" />
            <input type="hidden" name="siteId" value={s.id} />
            <input type="hidden" name="active" value={s.active ? "false" : "true"} />
            <button type="submit" className="secondary">
              {s.active ? "Ngừng theo dõi website" : "Theo dõi lại website"}
            </button>
          </Form>
        </details>
      ))}
      <h3>Thêm website</h3>
      <Form method="post" noValidate>
        <CsrfField />
        <input type="hidden" name="intent" value="site-create" />
        <SiteFields prefix="new" e={errs("site-create")} />
        <button type="submit">Thêm website</button>
      </Form>
    </>
  );
}

/** Merging other units into this one, and renaming it: each asks for confirmation first. */
function LineageForms({
  unitName,
  candidates,
  result,
}: {
  unitName: string;
  candidates: { id: number; code: string; name: string }[];
  result: { intent: string; errors: Record<string, string>; preview?: LineagePreview; message?: string } | null;
}) {
  const me = (intent: string) => (result?.intent === intent ? result : null);
  const merge = me("merge");
  const rename = me("rename");
  const me_ = merge?.errors ?? {};
  const re = rename?.errors ?? {};
  return (
    <section aria-labelledby="sap-nhap-doi-ten">
      <h2 id="sap-nhap-doi-ten">Sáp nhập, đổi tên</h2>
      <p className="muted">
        Theo sắp xếp đơn vị hành chính (chính quyền địa phương hai cấp từ 01/07/2025). Sau khi sáp nhập, các đơn vị được sáp nhập ngừng theo dõi; website, kết quả kiểm tra,
        phát hiện và giải trình của chúng chuyển sang đơn vị này. Báo cáo các kỳ đã chốt giữ nguyên.
      </p>
      <h3>Sáp nhập đơn vị khác vào đơn vị này</h3>
      {merge?.preview && !me_._form ? (
        <Form method="post" className="card" aria-label="Xác nhận sáp nhập">
          <CsrfField />
          <input type="hidden" name="intent" value="merge" />
          <input type="hidden" name="confirm" value="1" />
          {merge.preview.predecessorIds?.map((pid) => <input key={pid} type="hidden" name="predecessorIds" value={pid} />)}
          <input type="hidden" name="effectiveOn" value={fmtDate(merge.preview.effectiveOn)} />
          <input type="hidden" name="note" value={merge.preview.note ?? ""} />
          <p role="alert">
            Xác nhận sáp nhập {merge.preview.predecessorNames?.map((n) => `“${n}”`).join(", ")} vào “{unitName}” từ ngày {fmtDate(merge.preview.effectiveOn)}? Các đơn vị này sẽ
            ngừng theo dõi; thao tác được ghi vào nhật ký.
          </p>
          <button type="submit" className="danger">Xác nhận sáp nhập</button>{" "}
          <a href="?">Hủy</a>
        </Form>
      ) : (
        <Form method="post" noValidate>
          <CsrfField />
          <input type="hidden" name="intent" value="merge" />
          {me_._form ? <p className="form-error" role="alert">{me_._form}</p> : null}
          <Field name="predecessorIds" label="Đơn vị được sáp nhập (giữ Ctrl để chọn nhiều)" error={me_.predecessorIds} prefix="gop">
            {(p) => (
              <select {...p} multiple size={8}>
                {candidates.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} ({c.code})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="effectiveOn" label="Ngày hiệu lực (dd/mm/yyyy)" error={me_.effectiveOn} prefix="gop">
            {(p) => <input {...p} placeholder="01/07/2025" inputMode="numeric" />}
          </Field>
          <Field name="note" label="Căn cứ, ghi chú (không bắt buộc)" error={me_.note} prefix="gop">
            {(p) => <textarea {...p} rows={2} maxLength={1000} />}
          </Field>
          <button type="submit">Sáp nhập…</button>
        </Form>
      )}
      <h3>Đổi tên đơn vị</h3>
      {rename?.preview && !re._form ? (
        <Form method="post" className="card" aria-label="Xác nhận đổi tên">
          <CsrfField />
          <input type="hidden" name="intent" value="rename" />
          <input type="hidden" name="confirm" value="1" />
          <input type="hidden" name="newName" value={rename.preview.newName} />
          <input type="hidden" name="effectiveOn" value={fmtDate(rename.preview.effectiveOn)} />
          <input type="hidden" name="note" value={rename.preview.note ?? ""} />
          <p role="alert">
            Xác nhận đổi tên “{unitName}” thành “{rename.preview.newName}” từ ngày {fmtDate(rename.preview.effectiveOn)}? Tên cũ được lưu trong lịch sử; các kỳ đã chốt giữ tên cũ.
          </p>
          <button type="submit" className="danger">Xác nhận đổi tên</button>{" "}
          <a href="?">Hủy</a>
        </Form>
      ) : (
        <Form method="post" noValidate>
          <CsrfField />
          <input type="hidden" name="intent" value="rename" />
          {re._form ? <p className="form-error" role="alert">{re._form}</p> : null}
          <Field name="newName" label="Tên mới" error={re.newName} prefix="doiten">
            {(p) => <input {...p} size={45} />}
          </Field>
          <Field name="effectiveOn" label="Ngày hiệu lực (dd/mm/yyyy)" error={re.effectiveOn} prefix="doiten">
            {(p) => <input {...p} placeholder="01/07/2025" inputMode="numeric" />}
          </Field>
          <Field name="note" label="Căn cứ, ghi chú (không bắt buộc)" error={re.note} prefix="doiten">
            {(p) => <textarea {...p} rows={2} maxLength={1000} />}
          </Field>
          <button type="submit">Đổi tên…</button>
        </Form>
      )}
    </section>
  );
}
