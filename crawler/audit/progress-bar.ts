// A progress bar on stderr for the worker and round CLIs (the database holds the truth;
// this only shows it).
import cliProgress from "cli-progress";

export interface Bar {
  update(done: number, total: number, label?: string): void;
  log(line: string): void;
  stop(): void;
}

export function stderrBar(format = "{label} [{bar}] {value}/{total}"): Bar {
  const tty = !!process.stderr.isTTY;
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format, hideCursor: tty, clearOnComplete: false, noTTYOutput: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, label = "") {
      if (!started) {
        bar.start(Math.max(1, total), done, { label });
        started = true;
      } else {
        bar.setTotal(Math.max(1, total));
        bar.update(done, { label });
      }
    },
    log(line) {
      if (started && tty) {
        process.stderr.write("\r\x1b[K");
        process.stderr.write(`${line}\n`);
        bar.render();
      } else process.stderr.write(`${line}\n`);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
