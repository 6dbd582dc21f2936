// npm run bench -- reports [--units 2000] [--findings 10] [--out FILE.xlsx]
// Builds the annual province report for a synthetic province (every unit with its own sheet) and
// prints the time and the peak memory. Targets: ≤ 5 s and ≤ 400 MB for 2,000 units.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { renderReport } from "../reports/build.ts";
import { sha256 } from "../reports/write.ts";
import { syntheticModel } from "../test/reports/model-fixture.ts";

const { values } = parseArgs({
  options: { units: { type: "string", default: "2000" }, findings: { type: "string", default: "10" }, out: { type: "string" } },
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
