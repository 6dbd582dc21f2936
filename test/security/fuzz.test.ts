// Fuzzing the web edge: every route × method × role (the matrix of routes.ts, whose route list
// matrix.test.ts checks against app/routes) with malformed values: NUL, invalid UTF-8 escapes and
// bytes, huge values, wrong content types, broken multipart, malformed cookies. Every answer must
// be below 500, an error must carry a Vietnamese message, and no table may change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MATRIX, ROLES, USERS, type Ctx, type Role } from "./routes.ts";
import { login, startWorld, type Session, type World } from "./http.ts";
import { fingerprint } from "./state.ts";
import { isVietnamese } from "./vietnamese.ts";

let w: World;
let ctx: Ctx;
const sessions: Partial<Record<Role, Session>> = {};

beforeAll(async () => {
  w = await startWorld();
  const s = w.seed;
  ctx = { A: s.units.soA, B: s.units.soB, pageA: s.pages.homeA, pageB: s.pages.homeB, reportProvince: 1, reportA: 1, reportB: 1 };
  for (const r of ["inspector", "unit_head", "province"] as const) sessions[r] = await login(w, USERS[r]);
}, 180_000);

afterAll(async () => {
  await w?.close();
});

const HUGE = "Đ".repeat(40_000); // 120 kB of UTF-8: over the form limit
/** Query values: raw (already escaped) text appended to a URL. */
const QUERY_VALUES = ["a%00b", "%FF", "%C3%28", "%E0%A4%A", "%", "%ED%A0%80", "x".repeat(6_000)];
const COOKIES = (token: string | null) => ["tt_session=%", "tt_session=%E0%A4%A", "tt_session=%00", `tt_session=${token ?? "x"}%FF`, "tt_session", "tt_session=;tt_session=%"];

interface Body {
  label: string;
  headers: Record<string, string>;
  body: (csrf: string) => Buffer;
}

const fields = (csrf: string, value: string) =>
  ["_csrf", "intent", "username", "password", "name", "code", "unitId", "userId", "siteId", "ky", "cron", "file"].map((k) => `${k}=${k === "_csrf" ? csrf : value}`).join("&");

const BODIES: Body[] = [
  { label: "NUL escape", headers: { "content-type": "application/x-www-form-urlencoded" }, body: (c) => Buffer.from(fields(c, "a%00b")) },
  { label: "invalid UTF-8 escape", headers: { "content-type": "application/x-www-form-urlencoded" }, body: (c) => Buffer.from(fields(c, "%FF%FE")) },
  { label: "broken escape", headers: { "content-type": "application/x-www-form-urlencoded" }, body: (c) => Buffer.from(fields(c, "%E0%A4%A")) },
  { label: "invalid UTF-8 bytes", headers: { "content-type": "application/x-www-form-urlencoded" }, body: (c) => Buffer.concat([Buffer.from(fields(c, "x")), Buffer.from([0x26, 0x71, 0x3d, 0xc3, 0x28, 0xff])]) },
  { label: "huge value", headers: { "content-type": "application/x-www-form-urlencoded" }, body: (c) => Buffer.from(`${fields(c, "x")}&q=${encodeURIComponent(HUGE)}`) },
  { label: "JSON", headers: { "content-type": "application/json" }, body: (c) => Buffer.from(JSON.stringify({ _csrf: c, intent: "x" })) },
  { label: "text/plain", headers: { "content-type": "text/plain" }, body: (c) => Buffer.from(`_csrf=${c}\r\nintent=x`) },
  { label: "XML", headers: { "content-type": "application/xml" }, body: () => Buffer.from(`<?xml version="1.0"?><a>\u0000</a>`) },
  { label: "no content type", headers: {}, body: (c) => Buffer.from(fields(c, "x")) },
  { label: "multipart without boundary", headers: { "content-type": "multipart/form-data" }, body: (c) => Buffer.from(`--b\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${c}\r\n--b--\r\n`) },
  { label: "truncated multipart", headers: { "content-type": "multipart/form-data; boundary=b" }, body: (c) => Buffer.from(`--b\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${c}\r\n--b\r\nContent-Disp`) },
  { label: "empty multipart", headers: { "content-type": "multipart/form-data; boundary=b" }, body: () => Buffer.alloc(0) },
  { label: "multipart with NUL", headers: { "content-type": "multipart/form-data; boundary=b" }, body: (c) => Buffer.from(`--b\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${c}\r\n--b\r\nContent-Disposition: form-data; name="intent"\r\n\r\nx\u0000y\r\n--b--\r\n`) },
  { label: "multipart, garbage", headers: { "content-type": "multipart/form-data; boundary=b" }, body: () => Buffer.from([0x2d, 0x2d, 0x62, 0x0d, 0x0a, 0xff, 0xfe, 0x00, 0x01, 0x0d, 0x0a]) },
];

interface Failure {
  what: string;
  status: number;
  body: string;
}

async function check(what: string, res: Response, failures: Failure[]): Promise<void> {
  const body = await res.text();
  const api = new URL(res.url || "http://x/").pathname.startsWith("/api/");
  if (res.status >= 500) failures.push({ what, status: res.status, body: body.slice(0, 160) });
  else if (res.status >= 400) {
    const message = api ? (() => { try { return String(JSON.parse(body).error.message); } catch { return "(not JSON)"; } })() : body;
    if (!isVietnamese(message)) failures.push({ what: `${what} (no Vietnamese message)`, status: res.status, body: body.slice(0, 160) });
  }
}

/** Runs the requests a few at a time (the machine is small; the server is one process). */
async function inBatches<T>(items: T[], size: number, fn: (t: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

describe("fuzz: every route × method × role with malformed input", () => {
  it("never answers 5xx, answers errors in Vietnamese, and changes no table", async () => {
    const before = await fingerprint(w.db.knex);
    const failures: Failure[] = [];
    const jobs: (() => Promise<void>)[] = [];
    let requests = 0;
    for (const [file, cases] of Object.entries(MATRIX)) {
      for (const c of cases) {
        const path = c.path(ctx);
        for (const role of ROLES) {
          const session = role === "anonymous" ? null : sessions[role]!;
          const cookie = session ? `tt_session=${session.token}` : "";
          const sep = path.includes("?") ? "&" : "?";
          if (c.method === "GET") {
            for (const v of QUERY_VALUES) {
              for (const name of ["q", "ky"]) {
                jobs.push(async () => {
                  const res = await fetch(`${w.server.url}${path}${sep}${name}=${v}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });
                  await check(`${file} GET ${path}${sep}${name}=${v.slice(0, 20)} as ${role}`, res, failures);
                });
              }
            }
            for (const bad of COOKIES(session?.token ?? null)) {
              jobs.push(async () => {
                const res = await fetch(`${w.server.url}${path}`, { headers: { cookie: bad }, redirect: "manual" });
                await check(`${file} GET ${path} cookie ${bad} as ${role}`, res, failures);
              });
            }
          } else {
            for (const b of BODIES) {
              // A fresh (logout) case is never sent with its own token: its body must be refused first.
              jobs.push(async () => {
                const res = await fetch(`${w.server.url}${path}`, { method: "POST", headers: { ...b.headers, ...(cookie ? { cookie } : {}) }, body: new Uint8Array(b.body(session?.csrf ?? "x")), redirect: "manual" });
                await check(`${file} POST ${path} ${b.label} as ${role}`, res, failures);
              });
            }
            for (const bad of COOKIES(session?.token ?? null)) {
              jobs.push(async () => {
                const res = await fetch(`${w.server.url}${path}`, { method: "POST", headers: { cookie: bad, "content-type": "application/x-www-form-urlencoded" }, body: "intent=x&_csrf=x", redirect: "manual" });
                await check(`${file} POST ${path} cookie ${bad} as ${role}`, res, failures);
              });
            }
          }
        }
      }
    }
    await inBatches(jobs, 6, async (job) => {
      requests++;
      await job();
    });
    expect(requests).toBeGreaterThan(2000);
    // One line per kind of failure (route and variant), so that a systematic one does not hide the others.
    const kinds = [...new Map(failures.map((f) => [f.what.replace(/ as \w+$/, ""), f])).values()];
    expect(kinds.slice(0, 60)).toEqual([]);
    expect(await fingerprint(w.db.knex)).toEqual(before);
    // The sessions used by the fuzz are all still alive (no logout slipped through).
    for (const s of Object.values(sessions)) expect((await fetch(`${w.server.url}/`, { headers: { cookie: `tt_session=${s!.token}` }, redirect: "manual" })).status).toBe(200);
  }, 120_000);
});
