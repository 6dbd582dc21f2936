// Stored page bodies: snapshots are compressed once per content hash (brotli by default).
import { brotliDecompressSync, gunzipSync } from "node:zlib";

export function decompressSnapshot(s: { body: Buffer; compression: string }): Buffer {
  if (s.compression === "br") return brotliDecompressSync(s.body);
  if (s.compression === "gzip") return gunzipSync(s.body);
  return s.body;
}
