// What the report commands share: a usage error (exit 2) and the check of --out's directory.
import { stat } from "node:fs/promises";
import path from "node:path";

export class UsageError extends Error {}

export async function checkOutputDir(file: string): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  const s = await stat(dir).catch(() => null);
  if (!s || !s.isDirectory()) throw new UsageError(`Thư mục không tồn tại: ${dir}`);
}
