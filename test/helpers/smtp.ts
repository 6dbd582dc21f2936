// The local SMTP catcher for tests (app/lib/mail/catcher.ts) and the mail sender pointed at it.
export { startMailCatcher, type MailCatcher, type CaughtMail } from "../../app/lib/mail/catcher.ts";
