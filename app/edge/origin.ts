// Cross-origin mutations are refused on every route (403), before any route code runs: a
// browser's Sec-Fetch-Site says cross-site/same-site, or its Origin names another host.
// Clients that send neither (curl, the API's server-to-server callers) are not browsers a page
// could drive; they still need the CSRF token or a bearer token.
import { Refusal } from "./refusal.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export function crossOriginRefusal(method: string, headers: Headers, host: string | null): Refusal | null {
  if (SAFE.has(method)) return null;
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return refuse();
  const origin = headers.get("origin");
  if (origin === null) return null;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return refuse(); // "null" (sandboxed frames, data: pages) or garbage
  }
  if (!host || originHost.toLowerCase() !== host.toLowerCase()) return refuse();
  return null;
}

function refuse(): Refusal {
  return new Refusal(403, "Yêu cầu từ trang web khác bị từ chối (khác nguồn gốc). Hãy thao tác trực tiếp trên Tuân Thủ.");
}
