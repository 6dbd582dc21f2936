import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { deleteUserSessions } from "../../db/queries/sessions.ts";
import { getUnitRow, listUnitOptions } from "../../db/queries/units.ts";
import { createUser, getUserById, listUsers, ROLES, setPasswordHash, updateUser, usernameTaken } from "../../db/queries/users.ts";
import { hashPassword, requireMutation, requireUser } from "../lib/auth.server.ts";
import { fieldErrors } from "../lib/forms.ts";
import { ROLE_LABELS } from "../lib/format.ts";
import { CsrfField } from "../components/csrf.tsx";
import { Field } from "../components/field.tsx";
import { toId } from "../lib/ids.ts";

export async function loader(args: LoaderFunctionArgs) {
  const me = await requireUser(args, { roles: ["inspector"] });
  const [users, units] = await Promise.all([listUsers(args.context.knex), listUnitOptions(args.context.knex)]);
  return { users, units, meId: me.id, roles: ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] })) };
}

const roleUnit = <T extends { role: string; unitId: number | null }>(v: T, ctx: z.RefinementCtx) => {
  if (v.role === "unit_head" && !v.unitId) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["unitId"], message: "Thủ trưởng đơn vị phải gắn với một đơn vị." });
};
// Out-of-range or non-numeric ids are a field error, not a query that fails (toId).
const unitIdField = z.preprocess(
  (v) => (v === "" || v == null ? null : toId(v)),
  z.number({ invalid_type_error: "Đơn vị không hợp lệ." }).int("Đơn vị không hợp lệ.").positive("Đơn vị không hợp lệ.").nullable(),
);

/** "Đơn vị không tồn tại." when a unit head is bound to a unit id that is not in the table. */
async function unitMissing(knex: Parameters<typeof getUnitRow>[0], role: string, unitId: number | null): Promise<boolean> {
  return role === "unit_head" && unitId !== null && !(await getUnitRow(knex, unitId));
}
const password = z.string().min(10, "Mật khẩu cần ít nhất 10 ký tự.").max(200, "Mật khẩu quá dài.");

const createSchema = z
  .object({
    username: z
      .string()
      .trim()
      .min(3, "Tên đăng nhập cần ít nhất 3 ký tự.")
      .max(50, "Tên đăng nhập tối đa 50 ký tự.")
      .regex(/^[a-z0-9._-]+$/, "Tên đăng nhập chỉ gồm chữ thường không dấu, số, dấu chấm, gạch."),
    fullName: z.string().trim().min(2, "Nhập họ và tên.").max(200, "Họ tên quá dài."),
    email: z
      .string()
      .trim()
      .transform((v) => v || null)
      .refine((v) => v === null || z.string().email().safeParse(v).success, "Thư điện tử không hợp lệ."),
    role: z.enum(["inspector", "unit_head", "province"], { errorMap: () => ({ message: "Chọn vai trò." }) }),
    unitId: unitIdField,
    password,
  })
  .superRefine(roleUnit);

const updateSchema = z
  .object({
    userId: z.coerce.number().int().positive(),
    role: z.enum(["inspector", "unit_head", "province"], { errorMap: () => ({ message: "Chọn vai trò." }) }),
    unitId: unitIdField,
  })
  .superRefine(roleUnit);

type Result = { intent: string; userId?: number; errors: Record<string, string>; message?: string; values?: Record<string, string> };

// A refused form answers 400 (with its Vietnamese field errors), so that clients see the refusal.
export async function action(args: ActionFunctionArgs) {
  const result = await run(args);
  return data(result, { status: Object.keys(result.errors).length ? 400 : 200 });
}

async function run(args: ActionFunctionArgs): Promise<Result> {
  const { user: me, form, audit } = await requireMutation(args, { roles: ["inspector"] });
  const { knex } = args.context;
  const intent = String(form.get("intent") ?? "");
  const values = Object.fromEntries([...form].filter(([k]) => k !== "_csrf" && k !== "password").map(([k, v]) => [k, String(v)]));
  if (intent === "create") {
    const parsed = createSchema.safeParse(Object.fromEntries(form));
    const errors = parsed.success ? {} : fieldErrors(parsed.error);
    if (parsed.success && (await usernameTaken(knex, parsed.data.username))) errors.username = "Tên đăng nhập đã tồn tại.";
    if (parsed.success && (await unitMissing(knex, parsed.data.role, parsed.data.unitId))) errors.unitId = "Đơn vị không tồn tại.";
    if (!parsed.success || Object.keys(errors).length) return { intent, errors, values };
    const id = await createUser(knex, { ...parsed.data, passwordHash: await hashPassword(parsed.data.password) });
    await audit("user.create", "user", id, { username: parsed.data.username, role: parsed.data.role, unitId: parsed.data.unitId });
    return { intent, errors: {}, message: `Đã tạo tài khoản ${parsed.data.username}.` };
  }
  const userId = toId(form.get("userId"));
  const target = Number.isInteger(userId) && userId > 0 ? await getUserById(knex, userId) : undefined;
  if (!target) return { intent, errors: { _form: "Không tìm thấy người dùng." } };
  if (intent === "update") {
    const parsed = updateSchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) return { intent, userId, errors: fieldErrors(parsed.error) };
    if (await unitMissing(knex, parsed.data.role, parsed.data.unitId)) return { intent, userId, errors: { unitId: "Đơn vị không tồn tại." } };
    if (userId === me.id && parsed.data.role !== "inspector") return { intent, userId, errors: { role: "Không thể tự bỏ quyền cán bộ kiểm tra của chính mình." } };
    await updateUser(knex, userId, { role: parsed.data.role, unitId: parsed.data.unitId });
    await deleteUserSessions(knex, userId);
    await audit("user.update", "user", userId, { role: parsed.data.role, unitId: parsed.data.unitId });
    return { intent, userId, errors: {}, message: `Đã cập nhật vai trò của ${target.username}.` };
  }
  if (intent === "reset-password") {
    const parsed = password.safeParse(form.get("password") ?? "");
    if (!parsed.success) return { intent, userId, errors: { password: parsed.error.issues[0].message } };
    await setPasswordHash(knex, userId, await hashPassword(parsed.data));
    await deleteUserSessions(knex, userId);
    await audit("user.reset-password", "user", userId);
    return { intent, userId, errors: {}, message: `Đã đặt lại mật khẩu cho ${target.username}.` };
  }
  if (intent === "active") {
    const active = form.get("active") === "true";
    if (userId === me.id && !active) return { intent, userId, errors: { _form: "Không thể tự khóa tài khoản của chính mình." } };
    await updateUser(knex, userId, { active });
    if (!active) await deleteUserSessions(knex, userId);
    await audit(active ? "user.activate" : "user.deactivate", "user", userId);
    return { intent, userId, errors: {}, message: active ? `Đã mở khóa ${target.username}.` : `Đã khóa ${target.username}.` };
  }
  return { intent, errors: { _form: "Thao tác không hợp lệ." } };
}

export default function UsersAdmin() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const ce = a?.intent === "create" ? a.errors : {};
  const cv = a?.intent === "create" ? (a.values ?? {}) : {};
  const rowErr = (id: number, intent: string) => (a && a.userId === id && a.intent === intent ? a.errors : {});
  return (
    <>
      <h1>Người dùng</h1>
      {a?.message ? <p className="notice" role="status">{a.message}</p> : null}
      {a?.errors._form ? <p className="form-error" role="alert">{a.errors._form}</p> : null}
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Bảng dữ liệu, cuộn ngang được">
        <table>
          <thead>
            <tr>
              <th scope="col">Tên đăng nhập</th>
              <th scope="col">Họ tên</th>
              <th scope="col">Vai trò và đơn vị</th>
              <th scope="col">Đặt lại mật khẩu</th>
              <th scope="col">Trạng thái</th>
            </tr>
          </thead>
          <tbody>
            {d.users.map((u) => {
              const ue = rowErr(u.id, "update");
              const pe = rowErr(u.id, "reset-password");
              return (
                <tr key={u.id}>
                  <td>{u.username}</td>
                  <td>{u.full_name}</td>
                  <td>
                    <Form method="post">
                      <CsrfField />
                      <input type="hidden" name="intent" value="update" />
                      <input type="hidden" name="userId" value={u.id} />
                      <label htmlFor={`role-${u.id}`} className="muted">Vai trò</label>
                      <select id={`role-${u.id}`} name="role" defaultValue={u.role}>
                        {d.roles.map((r) => (
                          <option key={r.value} value={r.value}>
                            {r.label}
                          </option>
                        ))}
                      </select>
                      {ue.role ? <p className="field-error">{ue.role}</p> : null}
                      <label htmlFor={`unit-${u.id}`} className="muted">Đơn vị (cho thủ trưởng)</label>
                      <select id={`unit-${u.id}`} name="unitId" defaultValue={u.unit_id ?? ""}>
                        <option value="">—</option>
                        {d.units.map((n) => (
                          <option key={n.id} value={n.id}>
                            {n.name}
                          </option>
                        ))}
                      </select>
                      {ue.unitId ? <p className="field-error">{ue.unitId}</p> : null}
                      <button type="submit" className="secondary">Lưu</button>
                    </Form>
                  </td>
                  <td>
                    <Form method="post">
                      <CsrfField />
                      <input type="hidden" name="intent" value="reset-password" />
                      <input type="hidden" name="userId" value={u.id} />
                      <label htmlFor={`pw-${u.id}`} className="muted">Mật khẩu mới</label>
                      <input id={`pw-${u.id}`} name="password" type="password" autoComplete="new-password" size={14} />
                      {pe.password ? <p className="field-error">{pe.password}</p> : null}
                      <button type="submit" className="secondary">Đặt lại</button>
                    </Form>
                  </td>
                  <td>
                    {u.active ? "Hoạt động" : "Đã khóa"}
                    {u.id !== d.meId ? (
                      <Form method="post">
                        <CsrfField />
                        <input type="hidden" name="intent" value="active" />
                        <input type="hidden" name="userId" value={u.id} />
                        <input type="hidden" name="active" value={u.active ? "false" : "true"} />
                        <button type="submit" className={u.active ? "danger" : ""}>
                          {u.active ? "Khóa" : "Mở khóa"}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h2>Tạo tài khoản</h2>
      <Form method="post" noValidate>
        <CsrfField />
        <input type="hidden" name="intent" value="create" />
        <Field name="username" label="Tên đăng nhập" error={ce.username} prefix="n">
          {(p) => <input {...p} defaultValue={cv.username} autoComplete="off" />}
        </Field>
        <Field name="fullName" label="Họ và tên" error={ce.fullName} prefix="n">
          {(p) => <input {...p} defaultValue={cv.fullName} />}
        </Field>
        <Field name="email" label="Thư điện tử (không bắt buộc)" error={ce.email} prefix="n">
          {(p) => <input {...p} type="email" defaultValue={cv.email} />}
        </Field>
        <Field name="role" label="Vai trò" error={ce.role} prefix="n">
          {(p) => (
            <select {...p} defaultValue={cv.role ?? "unit_head"}>
              {d.roles.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="unitId" label="Đơn vị (bắt buộc với thủ trưởng đơn vị)" error={ce.unitId} prefix="n">
          {(p) => (
            <select {...p} defaultValue={cv.unitId ?? ""}>
              <option value="">—</option>
              {d.units.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="password" label="Mật khẩu ban đầu (ít nhất 10 ký tự)" error={ce.password} prefix="n">
          {(p) => <input {...p} type="password" autoComplete="new-password" />}
        </Field>
        <button type="submit">Tạo tài khoản</button>
      </Form>
    </>
  );
}
