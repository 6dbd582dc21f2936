// The user's account: the e-mail address notifications go to, and which events they receive.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { EVENTS_BY_ROLE, getPrefs, MAIL_EVENT_LABELS, setPrefs, setUserEmail } from "../../db/queries/notifications.ts";
import { CsrfField } from "../components/csrf.tsx";
import { requireMutation, requireUser } from "../lib/auth.server.ts";

export const meta: MetaFunction = () => [{ title: "Tài khoản · Tuân Thủ" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const knex = args.context.knex;
  const row = await knex("users as u").leftJoin("units as un", "un.id", "u.unit_id").where("u.id", user.id).first("u.email", "un.head_email");
  const events = EVENTS_BY_ROLE[user.role] ?? [];
  const prefs = await getPrefs(knex, user.id);
  return {
    email: (row?.email as string | null) ?? "",
    fallback: user.role === "unit_head" ? ((row?.head_email as string | null) ?? null) : null,
    events: events.map((e) => ({ event: e, label: MAIL_EVENT_LABELS[e], on: prefs[e] })),
  };
}

const emailSchema = z.union([z.literal(""), z.string().trim().max(254, "Địa chỉ thư quá dài.").email("Địa chỉ thư không hợp lệ.")]);

export async function action(args: ActionFunctionArgs) {
  const { user, form, audit } = await requireMutation(args);
  const email = emailSchema.safeParse(String(form.get("email") ?? "").trim());
  if (!email.success) return { ok: false, message: email.error.issues[0].message };
  const chosen = new Set(form.getAll("events").map(String));
  const enabled: Record<string, boolean> = {};
  for (const e of EVENTS_BY_ROLE[user.role] ?? []) enabled[e] = chosen.has(e);
  await setUserEmail(args.context.knex, user.id, email.data || null);
  await setPrefs(args.context.knex, user.id, enabled);
  await audit("user.notifications", "user", user.id, { email: email.data || null, enabled });
  return { ok: true, message: "Đã lưu cài đặt thông báo." };
}

export default function Account() {
  const d = useLoaderData<typeof loader>();
  const r = useActionData<typeof action>();
  return (
    <>
      <h1>Tài khoản</h1>
      <h2>Thông báo qua thư điện tử</h2>
      {r ? (
        <p role={r.ok ? "status" : "alert"} className={r.ok ? "notice" : "form-error"}>
          {r.message}
        </p>
      ) : null}
      <Form method="post">
        <CsrfField />
        <div>
          <label htmlFor="email">Địa chỉ nhận thư</label>{" "}
          <input id="email" name="email" type="email" defaultValue={d.email} size={40} maxLength={254} />
          {d.fallback ? <p className="muted">Để trống: thư gửi tới địa chỉ của đơn vị ({d.fallback}).</p> : null}
        </div>
        <fieldset>
          <legend>Nhận thư khi</legend>
          {d.events.map((e) => (
            <div key={e.event}>
              <label>
                <input type="checkbox" name="events" value={e.event} defaultChecked={e.on} /> {e.label}
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit">Lưu</button>
      </Form>
    </>
  );
}
