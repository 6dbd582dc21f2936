// A local SMTP catcher (smtp-server) for the demo and the tests: it accepts every message on
// 127.0.0.1, keeps it in memory (decoded by mailparser) and, given a directory, writes it there as
// an .eml file. Nothing leaves the machine.
import fs from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface CaughtMail {
  to: string[];
  subject: string;
  text: string;
  at: Date;
  file: string | null;
}

export interface MailCatcher {
  port: number;
  url: string;
  messages: CaughtMail[];
  waitFor(pred: (m: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  close(): Promise<void>;
}

export async function startMailCatcher(opts: { port: number; dir?: string }): Promise<MailCatcher> {
  const messages: CaughtMail[] = [];
  if (opts.dir) fs.mkdirSync(opts.dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    size: 20 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            let file: string | null = null;
            if (opts.dir) {
              file = path.join(opts.dir, `${String(messages.length + 1).padStart(4, "0")}-${Date.now()}.eml`);
              fs.writeFileSync(file, raw);
            }
            messages.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject ?? "",
              text: parsed.text ?? "",
              at: new Date(),
              file,
            });
            callback();
          })
          .catch((err: Error) => callback(err));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () => resolve());
  });
  server.on("error", () => undefined);
  return {
    port: opts.port,
    url: `smtp://127.0.0.1:${opts.port}`,
    messages,
    async waitFor(pred, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const m = messages.find(pred);
        if (m) return m;
        if (Date.now() > until) throw new Error(`Không nhận được thư mong đợi sau ${timeoutMs} ms (đã nhận ${messages.length}: ${messages.map((x) => x.subject).join(" | ")})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
