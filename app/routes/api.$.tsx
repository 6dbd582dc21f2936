// Unknown API paths answer JSON, not the HTML error page.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiError } from "../lib/api.server.ts";

export async function loader(_args: LoaderFunctionArgs) {
  return apiError(404, "not_found", "Không có điểm cuối API này. Xem docs/api.md.");
}
