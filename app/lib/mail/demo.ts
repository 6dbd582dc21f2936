// The demo's mail: a local SMTP catcher (MAIL_CATCHER_PORT, default 2525) writing every message
// to .data/mail-demo/*.eml, the smtp_url setting pointed at it, every account given a local
// address, and the mail sender started. Inspectors read the mail at /quan-ly/thu-da-gui.
import path from "node:path";
import type { Knex } from "knex";
import { startMailCatcher } from "./catcher.ts";
import { startMailWorker } from "./worker.ts";

export async function startDemoMail(knex: Knex, url: string, say: (line: string) => void): Promise<{ stop(): Promise<void> }> {
  const port = Number(process.env.MAIL_CATCHER_PORT ?? 2525);
  const dir = path.resolve(process.env.MAIL_CATCHER_DIR ?? ".data/mail-demo");
  let catcher: Awaited<ReturnType<typeof startMailCatcher>> | null = null;
  try {
    catcher = await startMailCatcher({ port, dir });
  } catch (err) {
    say(`    Không mở được hộp thư thử nghiệm trên cổng ${port} (${(err as Error).message}); thư nằm chờ trong hàng đợi. Đặt MAIL_CATCHER_PORT để đổi cổng.`);
  }
  if (catcher) {
    await knex("settings").insert({ key: "smtp_url", value: JSON.stringify(catcher.url) }).onConflict("key").merge(["value"]);
    await knex("users").whereNull("email").update({ email: knex.raw("username || '@demo.tuanthu.local'") });
    say(`    Thư thông báo: bắt giữ tại máy (SMTP ${catcher.url}), không gửi ra ngoài; xem tại /quan-ly/thu-da-gui hoặc thư mục ${dir}.`);
  }
  const worker = await startMailWorker({ url, tickMs: 10_000 });
  return {
    async stop() {
      await worker.stop();
      await catcher?.close();
    },
  };
}
