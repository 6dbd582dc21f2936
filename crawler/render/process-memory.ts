// Memory (proportional set size) of a process and all its descendants (Linux /proc; 0 elsewhere), for the
// renderer's memory bound: Chromium's renderers, GPU and utility processes are children of
// the browser process.
import fs from "node:fs";

const PAGE_BYTES = 4096;

function readStat(pid: number): { ppid: number; rssPages: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "latin1");
    // The command name is in parentheses and may hold spaces: fields are counted after ")".
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(rest[1]), rssPages: Number(rest[21]) };
  } catch {
    return null;
  }
}

export function processTreeRssBytes(rootPid: number): number {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return 0;
  }
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    const s = readStat(pid);
    if (!s) continue;
    rss.set(pid, s.rssPages);
    const list = children.get(s.ppid);
    if (list) list.push(pid);
    else children.set(s.ppid, [pid]);
  }
  let total = 0;
  const todo = [rootPid];
  const seen = new Set<number>();
  while (todo.length) {
    const pid = todo.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    // Proportional set size: memory shared between Chromium's processes (its libraries, shared
    // buffers) is counted once over the tree, not once per process as plain RSS would (summed
    // RSS of four ordinary renders passed 1.5 GB). RSS where PSS is not readable.
    total += pssBytes(pid) ?? (rss.get(pid) ?? 0) * PAGE_BYTES;
    for (const c of children.get(pid) ?? []) todo.push(c);
  }
  return total;
}

function pssBytes(pid: number): number | null {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, "latin1"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
