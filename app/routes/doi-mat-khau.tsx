import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { z } from "zod";
import { deleteUserSessions } from "../../db/queries/sessions.ts";
import { getUserById, setPasswordHash } from "../../db/queries/users.ts";
import { hashPassword, requireMutation, requireUser, verifyPassword } from "../lib/auth.server.ts";
import { CsrfField } from "../components/csrf.tsx";
import { fieldErrors } from "../lib/forms.ts";

export const meta: MetaFunction = () => [{ title: "Đổi mật khẩu · Tuân Thủ" }];

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args);
  return null;
}

const schema = z
  .object({
    current: z.string().min(1, "Nhập mật khẩu hiện tại."),
    next: z.string().min(10, "Mật khẩu mới cần ít nhất 10 ký tự."),
    confirm: z.string(),
  })
  .refine((v) => v.next === v.confirm, { path: ["confirm"], message: "Mật khẩu nhập lại không khớp." });

export async function action(args: ActionFunctionArgs) {
  const { user, form, audit } = await requireMutation(args);
  const parsed = schema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { errors: fieldErrors(parsed.error), ok: false };
  const row = await getUserById(args.context.knex, user.id);
  if (!row || !(await verifyPassword(row.password_hash, parsed.data.current))) {
    return { errors: { current: "Mật khẩu hiện tại không đúng." } as Record<string, string>, ok: false };
  }
  await setPasswordHash(args.context.knex, user.id, await hashPassword(parsed.data.next));
  await deleteUserSessions(args.context.knex, user.id, user.sessionId);
  await audit("user.password-change", "user", user.id);
  return { errors: {} as Record<string, string>, ok: true };
}

export default function ChangePassword() {
  const data = useActionData<typeof action>();
  const e = data?.errors ?? {};
  return (
    <section className="login-box">
      <h1>Đổi mật khẩu</h1>
      {data?.ok ? <p className="notice" role="status">Đã đổi mật khẩu.</p> : null}
      <Form method="post">
        <CsrfField />
        {(
          [
            ["current", "Mật khẩu hiện tại", "current-password"],
            ["next", "Mật khẩu mới", "new-password"],
            ["confirm", "Nhập lại mật khẩu mới", "new-password"],
          ] as const
        ).map(([name, label, ac]) => (
          <div className="field" key={name}>
            <label htmlFor={name}>{label}</label>
            <input
              id={name}
              name={name}
              type="password"
              autoComplete={ac}
              aria-invalid={e[name] ? true : undefined}
              aria-describedby={e[name] ? `${name}-err` : undefined}
            />
            {e[name] ? (
              <p className="field-error" id={`${name}-err`}>
                {e[name]}
              </p>
            ) : null}
          </div>
        ))}
        <button type="submit">Đổi mật khẩu</button>
      </Form>
    </section>
  );
}
