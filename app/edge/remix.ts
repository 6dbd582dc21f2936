// The express → Remix glue with the edge checks in front (replaces @remix-run/express's handler,
// which hands the raw request stream to the actions): the request line, cross-origin
// mutations, per-route body limits, and form bodies are checked here; a refusal is a 4xx with
// one Vietnamese sentence and no route code runs. See docs/security.md.
import type { IncomingMessage } from "node:http";
import { createReadableStreamFromReadable, createRequestHandler, writeReadableStreamToWritable, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type express from "express";
import { bodyLimitFor, IMPORT_PATH } from "../lib/body-limits.ts";
import { declaredTooLarge, formRefusal, FORM_URLENCODED, limitedStream, readLimited, unsupportedType } from "./body.ts";
import { crossOriginRefusal } from "./origin.ts";
import { Refusal, refusalResponse } from "./refusal.ts";
import { urlRefusal } from "./url-check.ts";

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (values === undefined) continue;
    for (const v of Array.isArray(values) ? values : [values]) {
      try {
        headers.append(key, v);
      } catch {
        /* a header value the Fetch API refuses: dropped */
      }
    }
  }
  return headers;
}

function publicHost(req: express.Request): string {
  const port = /:(\d+)$/.exec(req.get("x-forwarded-host") ?? req.get("host") ?? "")?.[1];
  return `${req.hostname}${port ? `:${port}` : ""}`;
}

/** The body for Remix, or a refusal. Bodies are buffered within the (small) form limit; the import streams. */
async function bodyFor(req: express.Request, headers: Headers, pathname: string): Promise<{ body: BodyInit | null } | Refusal> {
  const limit = bodyLimitFor(pathname);
  const tooLarge = declaredTooLarge(req, limit);
  if (tooLarge) return tooLarge;
  const api = pathname.startsWith("/api/");
  if (!api && pathname.replace(/\.data$/, "") === IMPORT_PATH) {
    const refused = unsupportedType(headers.get("content-type"), ["multipart/form-data"]);
    if (refused) return refused;
    return { body: createReadableStreamFromReadable(limitedStream(req, limit)) };
  }
  const body = await readLimited(req, limit);
  if (body instanceof Refusal) return body;
  if (api) return { body };
  if (body.length === 0 && !headers.get("content-type")) {
    headers.set("content-type", FORM_URLENCODED); // an empty POST is an empty form
    return { body };
  }
  const refused = await formRefusal(body, headers.get("content-type"));
  return refused ?? { body };
}

async function send(res: express.Response, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/** Answers a refusal (JSON under /api/, a small Vietnamese HTML page elsewhere). */
export async function sendRefusal(res: express.Response, r: Refusal, api: boolean): Promise<void> {
  // An unread body: the connection is not reused.
  if (r.status === 413) res.setHeader("Connection", "close");
  await send(res, refusalResponse(r, api));
}

export function remixHandler(
  build: ServerBuild | (() => Promise<ServerBuild>),
  mode: string,
  getLoadContext: (req: express.Request) => AppLoadContext,
): express.RequestHandler {
  const handle = createRequestHandler(build, mode);
  return async (req, res, next) => {
    try {
      const host = publicHost(req);
      const pathname = req.path;
      const api = pathname.startsWith("/api/");
      const headers = requestHeaders(req);
      const refuse = (r: Refusal) => sendRefusal(res, r, api);
      const early = urlRefusal(req.originalUrl) ?? crossOriginRefusal(req.method, headers, host);
      if (early) return await refuse(early);
      const controller = new AbortController();
      let init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
      if (req.method !== "GET" && req.method !== "HEAD") {
        const body = await bodyFor(req, headers, pathname);
        if (body instanceof Refusal) return await refuse(body);
        init = { ...init, body: body.body, duplex: "half" };
      }
      let done = false;
      res.on("finish", () => (done = true));
      res.on("close", () => {
        if (!done) controller.abort();
      });
      const request = new Request(new URL(`${req.protocol}://${host}${req.originalUrl}`).href, init);
      await send(res, await handle(request, getLoadContext(req)));
    } catch (error) {
      next(error);
    }
  };
}
