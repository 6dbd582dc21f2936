// npm run bench -- <name> [args…]: runs bench/<name>.ts; with no name, lists the benchmarks.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dir = path.dirname(fileURLToPath(import.meta.url));
const available = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.endsWith(".test.ts"))
  .map((f) => f.replace(/\.ts$/, ""))
  .sort();
const [name, ...rest] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`Usage: npm run bench -- <${available.join("|")}> [options]`);
  process.exit(name ? 2 : 0);
}
const tsx = path.join(dir, "..", "node_modules", ".bin", "tsx");
const result = spawnSync(tsx, [path.join(dir, `${name}.ts`), ...rest], { stdio: "inherit" });
process.exit(result.status ?? 1);
