// Multipart uploads to a temporary file, never to memory: the file part is written to disk as it
// arrives (counted against its limit: BodyTooLargeError beyond it), text fields stay in memory
// within a small limit. The caller reads the file by path and must call cleanup().
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import {
  unstable_composeUploadHandlers,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type UploadHandler,
} from "@remix-run/node";
import { BodyTooLargeError } from "./body-limits.ts";

export interface UploadedFile {
  path: string;
  filename: string;
  size: number;
}

export interface Upload {
  form: FormData;
  file: UploadedFile | null;
  cleanup(): void;
}

export async function receiveUpload(request: Request, fileField: string, fileLimit: number): Promise<Upload> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tt-upload-"));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  let file: UploadedFile | null = null;
  const toDisk: UploadHandler = async ({ name, filename, data }) => {
    if (name !== fileField || filename === undefined) return undefined;
    if (file) return null; // one file only: further parts are drained below, not stored
    const target = path.join(dir, randomBytes(8).toString("hex"));
    let size = 0;
    async function* counted() {
      for await (const chunk of data) {
        size += chunk.length;
        if (size > fileLimit) throw new BodyTooLargeError(fileLimit);
        yield chunk;
      }
    }
    await pipeline(Readable.from(counted()), fs.createWriteStream(target));
    file = { path: target, filename: filename.slice(0, 200), size };
    return null;
  };
  try {
    const form = await unstable_parseMultipartFormData(
      request,
      unstable_composeUploadHandlers(toDisk, unstable_createMemoryUploadHandler({ maxPartSize: 16 * 1024 })),
    );
    return { form, file, cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}
