// The permission matrix over HTTP: every route file × method × role (and anonymous), with an
// explicit expectation per cell. Route files are enumerated from app/routes, so a new route
// without an entry here fails the suite. Denied POSTs carry a valid CSRF token for the role,
// so a refusal comes from the permission check, not from CSRF.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateReport } from "../../reports/generate.ts";
import { hashApiToken } from "../../app/lib/api.server.ts";
import { MATRIX, ROLES, USERS, type Ctx, type Outcome, type Role } from "./routes.ts";
import { isLoginRedirect, login, send, startWorld, type Answer, type Session, type World } from "./http.ts";

function outcomeOf(a: Answer): Outcome | "other" {
  if (isLoginRedirect(a)) return "login";
  if ([400, 401, 403, 404, 405].includes(a.status)) return a.status as Outcome;
  if (a.status >= 200 && a.status < 400) return "ok";
  return "other";
}

const ROUTES_DIR = path.resolve(import.meta.dirname, "../../app/routes");
const routeFiles = fs.readdirSync(ROUTES_DIR).filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f));

let w: World;
let ctx: Ctx;
const sessions: Partial<Record<Role, Session>> = {};
let apiToken = "";

beforeAll(async () => {
  w = await startWorld();
  const { knex } = w.db;
  const s = w.seed;
  const gen = (unitId?: number) => generateReport(knex, { periodCode: "2026-11", unitId, allowDraft: true }).then((r) => r.reportId!);
  ctx = {
    A: s.units.soA,
    B: s.units.soB,
    pageA: s.pages.homeA,
    pageB: s.pages.homeB,
    reportProvince: await gen(),
    reportA: await gen(s.units.soA),
    reportB: await gen(s.units.soB),
  };
  for (const r of ["inspector", "unit_head", "province"] as const) sessions[r] = await login(w, USERS[r]);
  apiToken = "tt_matrixtesttoken_0123456789abcdef";
  await knex("api_tokens").insert({ name: "Hệ thống thử", token_hash: hashApiToken(apiToken) });
  await knex("api_tokens").insert({ name: "Đã thu hồi", token_hash: hashApiToken("tt_revokedtoken_0123456789abcdef"), revoked_at: knex.fn.now() });
}, 180_000);

afterAll(async () => {
  await w?.close();
});

describe("route enumeration", () => {
  it("has an expectation for every route file, and every loader/action has a GET/POST case", () => {
    const missing: string[] = [];
    for (const f of routeFiles) {
      const src = fs.readFileSync(path.join(ROUTES_DIR, f), "utf8");
      const cases = MATRIX[f];
      if (!cases) {
        missing.push(`${f}: no entry`);
        continue;
      }
      if (/export\s+(async\s+)?function\s+loader\b/.test(src) && !cases.some((c) => c.method === "GET")) missing.push(`${f}: loader without a GET case`);
      if (/export\s+(async\s+)?function\s+action\b/.test(src) && !cases.some((c) => c.method === "POST")) missing.push(`${f}: action without a POST case`);
    }
    expect(missing).toEqual([]);
    // And the table names no route that does not exist any more.
    expect(Object.keys(MATRIX).filter((k) => !routeFiles.includes(k))).toEqual([]);
  });
});

describe("route × method × role", () => {
  it("allows and denies exactly as the table says", async () => {
    const wrong: string[] = [];
    for (const [file, cases] of Object.entries(MATRIX)) {
      for (const c of cases) {
        for (const role of ROLES) {
          let session: Session | null = role === "anonymous" ? null : sessions[role]!;
          if (c.fresh && role !== "anonymous") session = await login(w, USERS[role]);
          const form = c.form ? Object.fromEntries(Object.entries(c.form).map(([k, v]) => [k, v === "__A__" ? String(ctx.A) : v === "__B__" ? String(ctx.B) : v])) : {};
          const p = c.path(ctx);
          const a = await send(w, c.method, p, { session, form, multipart: c.multipart });
          const got = outcomeOf(a);
          if (got !== c.expect[role]) wrong.push(`${file} ${c.method} ${p} as ${role}: expected ${c.expect[role]}, got ${got} (${a.status} ${a.location ?? ""})`);
          // A denial never carries the page's data.
          if (got === 403 || got === 404 || got === "login") expect(a.body).not.toContain("Sở Tài chính");
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it("refuses loaders fetched as single-fetch data requests (whole match and one route) the same way", async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const [file, cases] of Object.entries(MATRIX)) {
      if (file.startsWith("api.") || file.startsWith("favicon")) continue;
      const routeId = `routes/${file.replace(/\.tsx?$/, "")}`;
      for (const c of cases.filter((x) => x.method === "GET")) {
        for (const role of ROLES) {
          const want = c.expect[role];
          if (want === "ok") continue;
          const u = new URL(c.path(ctx), "http://x");
          const base = `${u.pathname === "/" ? "/_root" : u.pathname}.data`;
          const sep = u.search ? "&" : "?";
          for (const dataPath of [`${base}${u.search}`, `${base}${u.search}${sep}_routes=${encodeURIComponent(routeId)}`]) {
            const a = await send(w, "GET", dataPath, { session: role === "anonymous" ? null : sessions[role]! });
            checked++;
            // Single fetch answers a redirect with 202 and an encoded redirect to the login page.
            const denied = want === "login" ? a.status === 202 && a.body.includes('"redirect","/dang-nhap?next=') : a.status === want;
            if (!denied || a.body.includes("Sở Tài chính")) wrong.push(`${file} ${dataPath} as ${role}: want ${want}, got ${a.status} ${a.body.slice(0, 100)}`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(wrong).toEqual([]);
  }, 60_000);
});

describe("JSON API and bearer tokens", () => {
  const endpoints = (c: Ctx) => ["/api/v1/periods", "/api/v1/periods/2026-11/scores", "/api/v1/units", `/api/v1/units/${c.A}/findings?period=2026-11`];

  it("answers 200 with a valid token, 401 without one, with a wrong, revoked or malformed one, even with a session", async () => {
    for (const p of endpoints(ctx)) {
      const ok = await send(w, "GET", p, { headers: { authorization: `Bearer ${apiToken}` } });
      expect(ok.status, p).toBe(200);
      expect(ok.headers.get("content-type")).toMatch(/application\/json/);
      for (const auth of [undefined, "Bearer tt_wrongtoken_0123456789abcdef", "Bearer tt_revokedtoken_0123456789abcdef", `Basic ${apiToken}`, `Bearer ${apiToken}'--`, "Bearer "]) {
        const a = await send(w, "GET", p, { headers: auth ? { authorization: auth } : {}, session: sessions.inspector });
        expect(a.status, `${p} ${auth}`).toBe(401);
        expect(JSON.parse(a.body).error.code).toBe("unauthorized");
      }
    }
  });

  it("exposes no mutation: POST to an API endpoint is refused", async () => {
    for (const p of endpoints(ctx)) {
      const a = await send(w, "POST", p, { headers: { authorization: `Bearer ${apiToken}` }, form: { x: "1" } });
      expect(a.status, p).toBe(405);
    }
  });
});
