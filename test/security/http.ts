// The dashboard over plain HTTP for the security tests: a fresh database with the e2e seed, the
// server in-process, and small helpers to log in and send requests as a role (no browser).
import http from "node:http";
import { startServer, type DashboardServer } from "../../app/server.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { PASSWORD, seedDashboard, type SeedResult } from "../e2e/seed.ts";

export interface World {
  db: TestDatabase;
  server: DashboardServer;
  seed: SeedResult;
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const db = await createTestDatabase();
  const seed = await seedDashboard(db.knex);
  const server = await startServer({ knex: db.knex, port: 0 });
  return {
    db,
    server,
    seed,
    async close() {
      await server.close().catch(() => undefined);
      const { closeQueues } = await import("../../crawler/queue/index.ts");
      await closeQueues().catch(() => undefined);
      await db.drop();
    },
  };
}

export interface Session {
  username: string;
  /** The raw session token (cookie value). */
  token: string;
  csrf: string;
}

export interface Answer {
  status: number;
  location: string | null;
  headers: Headers;
  body: string;
  setCookie: string | null;
}

export interface SendOptions {
  session?: Session | null;
  /** Extra cookie header (overrides the session's). */
  cookie?: string;
  /** Form fields for a POST (sent as multipart/form-data when multipart is set). */
  form?: Record<string, string>;
  multipart?: boolean;
  /** Add the session's CSRF token to the form (default true for POST with a session). */
  withCsrf?: boolean;
  headers?: Record<string, string>;
}

export async function send(w: World, method: "GET" | "POST", path: string, o: SendOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  const cookie = o.cookie ?? (o.session ? `tt_session=${o.session.token}` : undefined);
  if (cookie) headers.cookie = cookie;
  let body: BodyInit | undefined;
  if (method === "POST") {
    const fields: Record<string, string> = { ...(o.form ?? {}) };
    if (o.session && o.withCsrf !== false && fields._csrf === undefined) fields._csrf = o.session.csrf;
    if (o.multipart) {
      const fd = new FormData();
      for (const [k, v] of Object.entries(fields)) fd.append(k, v);
      body = fd;
    } else {
      body = new URLSearchParams(fields);
    }
  }
  const res = await fetch(`${w.server.url}${path}`, { method, headers, body, redirect: "manual" });
  return {
    status: res.status,
    location: res.headers.get("location"),
    headers: res.headers,
    body: await res.text(),
    setCookie: res.headers.get("set-cookie"),
  };
}

/** A raw request whose path is sent byte for byte (fetch would normalise "/a/../b"). */
export function rawGet(w: World, path: string, cookie?: string): Promise<{ status: number; body: string; location: string | null }> {
  const u = new URL(w.server.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, method: "GET", path, headers: cookie ? { cookie } : {} },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, location: (res.headers.location as string | undefined) ?? null }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

export function tokenFromSetCookie(setCookie: string | null): string | null {
  const m = /tt_session=([^;]*)/.exec(setCookie ?? "");
  return m && m[1] ? decodeURIComponent(m[1]) : null;
}

export function csrfFromHtml(html: string): string | null {
  const m = /name="_csrf"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="_csrf"/.exec(html);
  return m ? (m[1] ?? m[2]) : null;
}

/** Log in over HTTP and read the session's CSRF token from a page with a form. */
export async function login(w: World, username: string, opts: { cookie?: string; password?: string } = {}): Promise<Session> {
  const res = await send(w, "POST", "/dang-nhap", {
    form: { username, password: opts.password ?? PASSWORD, next: "/" },
    cookie: opts.cookie,
  });
  const token = tokenFromSetCookie(res.setCookie);
  if (res.status !== 302 || !token) throw new Error(`login ${username} failed: ${res.status} ${res.body.slice(0, 200)}`);
  const page = await send(w, "GET", "/doi-mat-khau", { cookie: `tt_session=${token}` });
  const csrf = csrfFromHtml(page.body);
  if (!csrf) throw new Error(`no CSRF token for ${username} (status ${page.status})`);
  return { username, token, csrf };
}

export function isLoginRedirect(a: Answer): boolean {
  return (a.status === 302 || a.status === 303) && (a.location ?? "").startsWith("/dang-nhap?next=");
}
