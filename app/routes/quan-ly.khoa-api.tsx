import { randomBytes } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { createApiToken, listApiTokens, revokeApiToken } from "../../db/queries/api.ts";
import { hashApiToken } from "../lib/api.server.ts";
import { requireMutation, requireUser } from "../lib/auth.server.ts";
import { fmtDateTime } from "../lib/format.ts";
import { CsrfField } from "../components/csrf.tsx";
import { toId } from "../lib/ids.ts";

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args, { roles: ["inspector"] });
  return { tokens: await listApiTokens(args.context.knex) };
}

export async function action(args: ActionFunctionArgs) {
  const { user, form, audit } = await requireMutation(args, { roles: ["inspector"] });
  if (form.get("intent") === "revoke") {
    const id = toId(form.get("id"));
    const ok = Number.isInteger(id) && (await revokeApiToken(args.context.knex, id));
    if (ok) await audit("api-token.revoke", "api_token", id);
    return { ok, message: ok ? "Đã thu hồi mã truy cập." : "Không tìm thấy mã truy cập.", token: null as string | null };
  }
  const name = String(form.get("name") ?? "").trim();
  if (name.length < 3 || name.length > 100) return { ok: false, message: "Tên hệ thống cần từ 3 đến 100 ký tự.", token: null };
  const token = `tt_${randomBytes(24).toString("base64url")}`;
  const id = await createApiToken(args.context.knex, name, hashApiToken(token), user.id);
  await audit("api-token.create", "api_token", id, { name });
  return { ok: true, message: "Đã tạo mã truy cập. Sao chép ngay: mã chỉ hiện một lần.", token };
}

export default function ApiTokens() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  return (
    <>
      <h1>Mã truy cập API</h1>
      <p>
        Các hệ thống khác của tỉnh đọc dữ liệu qua <code>/api/v1/…</code> với tiêu đề <code>Authorization: Bearer &lt;mã&gt;</code>.
      </p>
      {a ? (
        <div className={a.ok ? "notice" : "form-error"} role={a.ok ? "status" : "alert"}>
          <p>{a.message}</p>
          {a.token ? (
            <p>
              <code data-testid="new-token">{a.token}</code>
            </p>
          ) : null}
        </div>
      ) : null}
      <Form method="post" className="filters">
        <CsrfField />
        <input type="hidden" name="intent" value="create" />
        <div>
          <label htmlFor="name">Tên hệ thống sử dụng</label>
          <input id="name" name="name" required minLength={3} />
        </div>
        <button type="submit">Tạo mã truy cập</button>
      </Form>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Bảng dữ liệu, cuộn ngang được">
        <table>
          <thead>
            <tr>
              <th scope="col">Tên</th>
              <th scope="col">Tạo lúc</th>
              <th scope="col">Dùng gần nhất</th>
              <th scope="col">Trạng thái</th>
            </tr>
          </thead>
          <tbody>
            {d.tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>
                  {fmtDateTime(t.created_at)} ({t.created_by ?? "—"})
                </td>
                <td>{fmtDateTime(t.last_used_at)}</td>
                <td>
                  {t.revoked_at ? (
                    `Đã thu hồi ${fmtDateTime(t.revoked_at)}`
                  ) : (
                    <Form method="post">
                      <CsrfField />
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="id" value={t.id} />
                      <button type="submit" className="danger" aria-label={`Thu hồi mã ${t.name}`}>
                        Thu hồi
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
