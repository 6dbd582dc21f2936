// What the report commands share: a usage error (exit 2) and the check of --out's directory.
import { access, constants, stat } from "node:fs/promises";
import path from "node:path";
import { rename, rm, writeFile } from "node:fs/promises";

export class UsageError extends Error {}

export async function checkOutputDir(file: string): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  const s = await stat(dir).catch(() => null);
  if (!s || !s.isDirectory()) throw new UsageError(`Thư mục không tồn tại: ${dir}`);
  const writable = await access(dir, constants.W_OK).then(
    () => true,
    () => false,
  );
  if (!writable) throw new UsageError(`Không ghi được vào thư mục ${dir}: không có quyền ghi.`);
  const target = await stat(path.resolve(file)).catch(() => null);
  if (target?.isDirectory()) throw new UsageError(`--out là một thư mục, không phải tệp: ${path.resolve(file)}`);
}

/** Writes the file through a temporary name; on failure removes it and says why in one sentence. */
export async function writeOutput(out: string, data: Buffer): Promise<void> {
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "EACCES" || code === "EPERM" ? "không có quyền ghi" : code === "ENOSPC" ? "hết dung lượng đĩa" : code === "EISDIR" ? "đó là một thư mục" : "lỗi hệ thống tệp";
    throw new UsageError(`Không ghi được tệp ${out}: ${why}.`);
  }
}
