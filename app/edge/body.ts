// Request bodies: read within the route's limit (413 beyond it), and a form body checked before
// any action parses it: a form content type (415 otherwise), well-formed urlencoded or
// multipart data, valid UTF-8, no NUL (400 otherwise). A body that fails never reaches Remix.
import type { IncomingMessage } from "node:http";
import { Readable, Transform } from "node:stream";
import { BodyTooLargeError, tooLargeMessage } from "../lib/body-limits.ts";
import { Refusal } from "./refusal.ts";
import { decodesCleanly } from "./url-check.ts";

export const FORM_URLENCODED = "application/x-www-form-urlencoded";

export function declaredTooLarge(req: IncomingMessage, limit: number): Refusal | null {
  const declared = Number(req.headers["content-length"] ?? NaN);
  return Number.isFinite(declared) && declared > limit ? new Refusal(413, tooLargeMessage(limit)) : null;
}

/** The whole body, or a 413 refusal as soon as it passes the limit (the rest is not read). */
export async function readLimited(req: IncomingMessage, limit: number): Promise<Uint8Array<ArrayBuffer> | Refusal> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return new Refusal(413, tooLargeMessage(limit));
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks, size));
}

/** The body as a stream that fails with BodyTooLargeError once it passes the limit. */
export function limitedStream(req: IncomingMessage, limit: number): Readable {
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > limit) cb(new BodyTooLargeError(limit));
      else cb(null, chunk);
    },
  });
  req.on("error", (e) => counter.destroy(e));
  return req.pipe(counter);
}

const badForm = (what: string) => new Refusal(400, `Dữ liệu biểu mẫu không hợp lệ: ${what}.`);
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

export function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";")[0].trim().toLowerCase();
}

export function unsupportedType(contentType: string | null, allowed: string[]): Refusal | null {
  if (allowed.includes(mediaType(contentType))) return null;
  return new Refusal(415, "Kiểu dữ liệu gửi lên không được hỗ trợ: hãy gửi biểu mẫu (application/x-www-form-urlencoded hoặc multipart/form-data).");
}

/** Checks a buffered form body; null when it is fine. */
export async function formRefusal(body: Uint8Array<ArrayBuffer>, contentType: string | null): Promise<Refusal | null> {
  const type = mediaType(contentType);
  if (type === FORM_URLENCODED) {
    let text: string;
    try {
      text = strictUtf8.decode(body);
    } catch {
      return badForm("không phải UTF-8");
    }
    for (const part of text.split("&")) {
      if (!decodesCleanly(part.replace(/\+/g, " "))) return badForm("mã hóa sai hoặc có ký tự NUL");
    }
    return null;
  }
  if (type === "multipart/form-data") {
    let form: FormData;
    try {
      form = await new Response(body, { headers: { "content-type": contentType ?? "" } }).formData();
    } catch {
      return badForm("dữ liệu multipart bị hỏng");
    }
    for (const [name, value] of form) {
      if (name.includes("\u0000") || (typeof value === "string" && value.includes("\u0000"))) return badForm("có ký tự NUL");
    }
    return null;
  }
  return unsupportedType(contentType, [FORM_URLENCODED, "multipart/form-data"]);
}
