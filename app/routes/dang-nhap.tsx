import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { currentToken, getUser, login, safeNext } from "../lib/auth.server.ts";

export const meta: MetaFunction = () => [{ title: "Đăng nhập · Tuân Thủ" }];

function text(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}

export async function loader(args: LoaderFunctionArgs) {
  // Public page: the only loader that does not require a user.
  const user = await getUser(args);
  if (user) throw redirect(safeNext(new URL(args.request.url).searchParams.get("next")));
  return null;
}

export async function action(args: ActionFunctionArgs) {
  const form = await args.request.formData();
  const username = text(form, "username").trim();
  const password = text(form, "password");
  if (!username || !password) return { error: "Vui lòng nhập tên đăng nhập và mật khẩu." };
  if (username.length > 100 || password.length > 1000) return { error: "Tên đăng nhập hoặc mật khẩu không đúng." };
  const result = await login(
    args.context.knex,
    args.context,
    username,
    password,
    args.request.headers.get("user-agent"),
    currentToken(args.request),
  );
  if (!result.ok) return { error: result.error };
  return redirect(safeNext(text(form, "next")), { headers: { "Set-Cookie": result.cookie } });
}

export default function Login() {
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const nav = useNavigation();
  return (
    <section className="login-box">
      <h1>Đăng nhập</h1>
      <Form method="post" reloadDocument>
        <input type="hidden" name="next" value={params.get("next") ?? "/"} />
        <div className="field">
          <label htmlFor="username">Tên đăng nhập</label>
          <input id="username" name="username" autoComplete="username" required />
        </div>
        <div className="field">
          <label htmlFor="password">Mật khẩu</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        {data?.error ? (
          <p className="form-error" role="alert">
            {data.error}
          </p>
        ) : null}
        <button type="submit" disabled={nav.state === "submitting"}>
          Đăng nhập
        </button>
      </Form>
    </section>
  );
}
