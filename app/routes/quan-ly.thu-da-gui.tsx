// Sent (and queued) e-mail, newest first: in the demo the local catcher received them; anywhere,
// the place to see whether mail is waiting for a mail server that is down.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { countUnsent, listOutbox, MAIL_EVENT_LABELS, type MailEvent } from "../../db/queries/notifications.ts";
import { requireUser } from "../lib/auth.server.ts";
import { fmtDateTime } from "../lib/format.ts";

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args, { roles: ["inspector"] });
  const [rows, unsent] = await Promise.all([listOutbox(args.context.knex, 200), countUnsent(args.context.knex)]);
  return { rows, unsent };
}

export default function SentMail() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Thư đã gửi</h1>
      <p>{d.unsent ? `${d.unsent} thư đang chờ gửi (máy chủ thư chưa nhận; hệ thống tự gửi lại).` : "Không có thư nào chờ gửi."}</p>
      {d.rows.length ? (
        <ul data-testid="outbox">
          {d.rows.map((m) => (
            <li key={m.id}>
              <details>
                <summary>
                  {fmtDateTime(m.created_at)} · {m.to_address} · <strong>{m.subject}</strong> ·{" "}
                  {m.sent_at ? `đã gửi ${fmtDateTime(m.sent_at)}` : `chờ gửi (${m.attempts} lần thử${m.last_error ? `: ${m.last_error}` : ""})`} ·{" "}
                  {MAIL_EVENT_LABELS[m.event as MailEvent] ?? m.event}
                </summary>
                <pre style={{ whiteSpace: "pre-wrap" }}>{m.body_text}</pre>
              </details>
            </li>
          ))}
        </ul>
      ) : (
        <p>Chưa có thư nào.</p>
      )}
    </>
  );
}
