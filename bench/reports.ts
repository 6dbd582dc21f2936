// npm run bench -- reports [--units 2000] [--findings 10] [--out FILE.xlsx] [--pdf]
// Builds the annual province report for a synthetic province (every unit with its own sheet) and
// prints the time and the peak memory. Targets: ≤ 5 s and ≤ 400 MB for 2,000 units.
// --pdf then converts it with LibreOffice (reports/pdf.ts, up to 2 h) and prints the wall time,
// LibreOffice's CPU time (of the finished child processes) and the page count.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { renderReport } from "../reports/build.ts";
import { sha256 } from "../reports/write.ts";
import { syntheticModel } from "../test/reports/model-fixture.ts";

const { values } = parseArgs({
  options: { units: { type: "string", default: "2000" }, findings: { type: "string", default: "10" }, out: { type: "string" }, pdf: { type: "boolean", default: false } },
});
const units = Number(values.units);
const findingsPerUnit = Number(values.findings);

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const model = syntheticModel({ units, findingsPerUnit, notAuditedEvery: 25 });
const t1 = performance.now();
const buf = await renderReport(model);
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
if (values.out) writeFileSync(values.out, buf);

const findings = model.details.reduce((s, d) => s + d.findings.length, 0);
const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
console.log(`reports: annual province report, ${units} units, ${findings} findings, ${2 + model.details.length} sheets`);
console.log(`  model ${(t1 - t0).toFixed(0)} ms, render+zip ${(t2 - t1).toFixed(0)} ms, total ${((t2 - t0) / 1000).toFixed(2)} s (target ≤ 5 s)`);
console.log(`  CPU time ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (user+system; wall time suffers when the machine is shared)`);
console.log(`  file ${mb(buf.length)} MB (sha256 ${sha256(buf).slice(0, 16)}…), peak RSS ${mb(peakRss)} MB (target ≤ 400 MB)`);

if (values.pdf) {
  const { convertToPdf } = await import("../reports/pdf.ts");
  const children0 = childCpuSeconds();
  const p0 = performance.now();
  const pdf = await convertToPdf(buf, { timeoutMs: 2 * 3600_000 });
  const wall = (performance.now() - p0) / 1000;
  const dir = mkdtempSync(path.join(os.tmpdir(), "tt-bench-pdf-"));
  let pages = "?";
  try {
    writeFileSync(path.join(dir, "r.pdf"), pdf);
    pages = execFileSync("pdfinfo", [path.join(dir, "r.pdf")]).toString().match(/Pages:\s+(\d+)/)?.[1] ?? "?";
  } catch {
    // pdfinfo (poppler-utils) is optional
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const cpuLo = childCpuSeconds() - children0;
  console.log(`  PDF (LibreOffice) ${wall.toFixed(0)} s wall, ${cpuLo.toFixed(0)} s CPU, ${pages} pages, ${mb(pdf.length)} MB`);
}

/** CPU seconds of this process's finished children (user + system), from /proc (Linux). */
function childCpuSeconds(): number {
  try {
    const f = execFileSync("cat", [`/proc/${process.pid}/stat`]).toString();
    const fields = f.slice(f.lastIndexOf(")") + 2).split(" ");
    // cutime and cstime are fields 16 and 17 of stat (14 and 15 after the name).
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
}
