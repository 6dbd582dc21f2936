// The SMTP transport (nodemailer): TT_SMTP_URL, else the setting smtp_url (e.g.
// "smtp://127.0.0.1:2525"); none → mail stays in the outbox. TT_MAIL_FROM sets the sender.
import type { Knex } from "knex";
import nodemailer from "nodemailer";

export const DEFAULT_FROM = "Tuân Thủ <khong-tra-loi@tuanthu.local>";

export async function smtpUrl(knex: Knex): Promise<string | null> {
  const env = (process.env.TT_SMTP_URL ?? "").trim();
  if (env) return env;
  const row = await knex("settings").where({ key: "smtp_url" }).first("value");
  return typeof row?.value === "string" && /^smtps?:\/\//i.test(row.value) ? row.value : null;
}

export function createTransport(url: string) {
  return nodemailer.createTransport(url, {
    from: process.env.TT_MAIL_FROM || DEFAULT_FROM,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  } as never);
}

export async function sendText(transport: ReturnType<typeof createTransport>, m: { to: string; subject: string; text: string }): Promise<void> {
  await transport.sendMail({ to: m.to, subject: m.subject, text: m.text });
}
