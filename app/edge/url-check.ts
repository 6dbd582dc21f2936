// The request line: every %-escape of the path and query must decode to valid UTF-8, and no
// NUL byte may appear (PostgreSQL refuses NUL in text: that used to be a 500).
import { Refusal } from "./refusal.ts";

export function decodesCleanly(s: string): boolean {
  let d: string;
  try {
    d = decodeURIComponent(s);
  } catch {
    return false;
  }
  return !d.includes("\u0000");
}

export function urlRefusal(rawUrl: string): Refusal | null {
  const q = rawUrl.indexOf("?");
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query = q < 0 ? "" : rawUrl.slice(q + 1);
  const ok = decodesCleanly(path) && query.split("&").every((part) => decodesCleanly(part.replace(/\+/g, " ")));
  return ok ? null : new Refusal(400, "Địa chỉ yêu cầu có ký tự không hợp lệ (mã hóa sai hoặc ký tự NUL).");
}
