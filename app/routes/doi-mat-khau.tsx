import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { z } from "zod";
import { deleteUserSessions } from "../../db/queries/sessions.ts";
import { setPasswordHash } from "../../db/queries/users.ts";
import { checkCurrentPassword, hashPassword, LOGIN_WINDOW_MINUTES, requireMutation, requireUser } from "../lib/auth.server.ts";
import { CsrfField } from "../components/csrf.tsx";
import { fieldErrors } from "../lib/forms.ts";

export const meta: MetaFunction = () => [{ title: "Đổi mật khẩu · Tuân Thủ" }];

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args);
  return null;
}

const schema = z
  .object({
    current: z.string({ invalid_type_error: "Nhập mật khẩu hiện tại." }).min(1, "Nhập mật khẩu hiện tại.").max(1000, "Mật khẩu hiện tại không đúng."),
    next: z.string({ invalid_type_error: "Nhập mật khẩu mới." }).min(10, "Mật khẩu mới cần ít nhất 10 ký tự.").max(200, "Mật khẩu quá dài."),
    confirm: z.string({ invalid_type_error: "Nhập lại mật khẩu mới." }),
  })
  .refine((v) => v.next === v.confirm, { path: ["confirm"], message: "Mật khẩu nhập lại không khớp." });

export async function action(args: ActionFunctionArgs) {
  const { user, form, audit } = await requireMutation(args);
  const parsed = schema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { errors: fieldErrors(parsed.error), ok: false };
  const check = await checkCurrentPassword(args.context.knex, user, parsed.data.current, args.context.ip);
  if (check === "throttled") {
    const message = `Nhập sai mật khẩu hiện tại quá nhiều lần. Vui lòng thử lại sau ${LOGIN_WINDOW_MINUTES} phút.`;
    return { errors: { current: message } as Record<string, string>, ok: false };
  }
  if (check === "wrong") return { errors: { current: "Mật khẩu hiện tại không đúng." } as Record<string, string>, ok: false };
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
