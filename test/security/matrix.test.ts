// The permission matrix over HTTP: every route file × method × role (and anonymous), with an
// explicit expectation per cell. Route files are enumerated from app/routes, so a new route
// without an entry here fails the suite. Denied POSTs carry a valid CSRF token for the role,
// so a refusal comes from the permission check, not from CSRF.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateReport } from "../../reports/generate.ts";
import { hashApiToken } from "../../app/lib/api.server.ts";
import { isLoginRedirect, login, send, startWorld, type Answer, type Session, type World } from "./http.ts";

type Role = "inspector" | "unit_head" | "province" | "anonymous";
const ROLES: Role[] = ["inspector", "unit_head", "province", "anonymous"];
const USERS: Record<Exclude<Role, "anonymous">, string> = { inspector: "kiemtra", unit_head: "thutruong.a", province: "tinh" };

/**
 * ok: 2xx, or a redirect that is not to the login page; login: redirect to /dang-nhap?next=…;
 * a number: exactly that status. 404 for a unit head on another unit's data (no existence leak).
 */
type Outcome = "ok" | "login" | 401 | 403 | 404 | 405;

interface Ctx {
  A: number; // the unit head's own unit
  B: number; // another unit
  pageA: number;
  pageB: number;
  reportProvince: number;
  reportA: number;
  reportB: number;
}

interface Case {
  method: "GET" | "POST";
  path: (c: Ctx) => string;
  form?: Record<string, string>;
  multipart?: boolean;
  /** Log in a throwaway session for this request (the action ends the session). */
  fresh?: boolean;
  expect: Record<Role, Outcome>;
  note?: string;
}

const all = (o: Outcome): Record<Role, Outcome> => ({ inspector: o, unit_head: o, province: o, anonymous: o });
const users = (o: Outcome): Record<Role, Outcome> => ({ inspector: o, unit_head: o, province: o, anonymous: "login" });
const inspectorOnly: Record<Role, Outcome> = { inspector: "ok", unit_head: 403, province: 403, anonymous: "login" };
const api401 = all(401); // a dashboard session is not an API credential

/** Keyed by the file name in app/routes. */
export const MATRIX: Record<string, Case[]> = {
  "_index.tsx": [
    { method: "GET", path: () => "/", expect: users("ok") },
    { method: "POST", path: () => "/?index", expect: all(405), note: "no action" },
  ],
  "api.$.tsx": [{ method: "GET", path: () => "/api/khong-co", expect: all(404) }],
  "api.v1.periods.tsx": [{ method: "GET", path: () => "/api/v1/periods", expect: api401 }],
  "api.v1.periods_.$code.scores.tsx": [{ method: "GET", path: () => "/api/v1/periods/2026-11/scores", expect: api401 }],
  "api.v1.units.tsx": [{ method: "GET", path: () => "/api/v1/units", expect: api401 }],
  "api.v1.units_.$id.findings.tsx": [{ method: "GET", path: (c) => `/api/v1/units/${c.A}/findings?period=2026-11`, expect: api401 }],
  "ban-goc.$pageId.tsx": [
    { method: "GET", path: (c) => `/ban-goc/${c.pageA}`, expect: users("ok") },
    { method: "GET", path: (c) => `/ban-goc/${c.pageB}`, expect: { inspector: "ok", unit_head: 404, province: "ok", anonymous: "login" } },
  ],
  "bang-chung.$pageId.tsx": [
    { method: "GET", path: (c) => `/bang-chung/${c.pageA}`, expect: users("ok") },
    { method: "GET", path: (c) => `/bang-chung/${c.pageB}`, expect: { inspector: "ok", unit_head: 404, province: "ok", anonymous: "login" } },
  ],
  "bao-cao.tsx": [
    { method: "GET", path: () => "/bao-cao", expect: users("ok") },
    { method: "POST", path: () => "/bao-cao", expect: all(405), note: "no action" },
  ],
  "bao-cao_.luu.$id.tsx": [
    { method: "GET", path: (c) => `/bao-cao/luu/${c.reportProvince}`, expect: { inspector: "ok", unit_head: 404, province: "ok", anonymous: "login" } },
    { method: "GET", path: (c) => `/bao-cao/luu/${c.reportA}`, expect: users("ok") },
    { method: "GET", path: (c) => `/bao-cao/luu/${c.reportB}`, expect: { inspector: "ok", unit_head: 404, province: "ok", anonymous: "login" } },
  ],
  "bao-cao_.tai.tsx": [
    { method: "GET", path: () => "/bao-cao/tai", expect: users("ok"), note: "redirects to /bao-cao" },
    { method: "POST", path: () => "/bao-cao/tai", form: { ky: "2026-11", nhap: "1" }, expect: { inspector: "ok", unit_head: 403, province: "ok", anonymous: "login" } },
    { method: "POST", path: () => "/bao-cao/tai", form: { ky: "2026-11", nhap: "1" }, expect: { inspector: "ok", unit_head: 403, province: "ok", anonymous: "login" } },
    { method: "POST", path: (c) => `/bao-cao/tai?donVi=${c.A}`, form: { ky: "2026-11", nhap: "1", donVi: "__A__" }, expect: users("ok") },
    { method: "POST", path: (c) => `/bao-cao/tai?donVi=${c.B}`, form: { ky: "2026-11", nhap: "1", donVi: "__B__" }, expect: { inspector: "ok", unit_head: 403, province: "ok", anonymous: "login" } },
  ],
  "dang-nhap.tsx": [
    { method: "GET", path: () => "/dang-nhap", expect: all("ok"), note: "public; signed-in users are redirected to /" },
    { method: "POST", path: () => "/dang-nhap", form: { username: "", password: "" }, expect: all("ok"), note: "public; empty form answered with an error" },
  ],
  "dang-xuat.tsx": [
    { method: "GET", path: () => "/dang-xuat", expect: all("ok"), note: "redirects to /" },
    { method: "POST", path: () => "/dang-xuat", fresh: true, expect: users("ok") },
  ],
  "doi-mat-khau.tsx": [
    { method: "GET", path: () => "/doi-mat-khau", expect: users("ok") },
    { method: "POST", path: () => "/doi-mat-khau", form: { current: "", next: "", confirm: "" }, expect: users("ok"), note: "field errors" },
  ],
  "don-vi.$id.tsx": [
    { method: "GET", path: (c) => `/don-vi/${c.A}`, expect: users("ok") },
    { method: "GET", path: (c) => `/don-vi/${c.B}`, expect: { inspector: "ok", unit_head: 404, province: "ok", anonymous: "login" } },
    { method: "POST", path: (c) => `/don-vi/${c.A}`, form: { intent: "khong-co" }, expect: { inspector: "ok", unit_head: "ok", province: 403, anonymous: "login" } },
    { method: "POST", path: (c) => `/don-vi/${c.B}`, form: { intent: "khong-co" }, expect: { inspector: "ok", unit_head: 404, province: 403, anonymous: "login" } },
    { method: "POST", path: (c) => `/don-vi/${c.A}`, form: { intent: "decide", appealId: "1", decision: "accept", reason: "thử quyền" }, expect: { inspector: "ok", unit_head: 403, province: 403, anonymous: "login" }, note: "only inspectors decide appeals" },
    { method: "POST", path: (c) => `/don-vi/${c.A}`, form: { intent: "file", findingId: "x", explanation: "" }, expect: { inspector: 403, unit_head: "ok", province: 403, anonymous: "login" }, note: "only unit heads file appeals" },
  ],
  "favicon[.]ico.tsx": [{ method: "GET", path: () => "/favicon.ico", expect: all("ok") }],
  "kiem-tra.tsx": [
    { method: "GET", path: () => "/kiem-tra", expect: users("ok") },
    { method: "POST", path: () => "/kiem-tra", form: { intent: "khong-co" }, expect: inspectorOnly },
    { method: "POST", path: () => "/kiem-tra", form: { intent: "schedule", cron: "" }, expect: inspectorOnly },
  ],
  "kiem-tra_.tien-do.tsx": [{ method: "GET", path: () => "/kiem-tra/tien-do", expect: users("ok") }],
  "quan-ly.tsx": [
    { method: "GET", path: () => "/quan-ly", expect: inspectorOnly },
    { method: "POST", path: () => "/quan-ly", expect: { inspector: 405, unit_head: 405, province: 405, anonymous: 405 }, note: "no action" },
  ],
  "quan-ly._index.tsx": [{ method: "GET", path: () => "/quan-ly?index", expect: inspectorOnly }],
  "quan-ly.bo-tieu-chi.tsx": [
    { method: "GET", path: () => "/quan-ly/bo-tieu-chi", expect: inspectorOnly },
    { method: "POST", path: () => "/quan-ly/bo-tieu-chi", form: { intent: "publish", versionId: "0" }, expect: inspectorOnly },
  ],
  "quan-ly.don-vi.tsx": [
    { method: "GET", path: () => "/quan-ly/don-vi", expect: inspectorOnly },
    { method: "POST", path: () => "/quan-ly/don-vi", form: { code: "" }, expect: inspectorOnly },
  ],
  "quan-ly.don-vi_.$id.tsx": [
    { method: "GET", path: (c) => `/quan-ly/don-vi/${c.A}`, expect: inspectorOnly },
    { method: "POST", path: (c) => `/quan-ly/don-vi/${c.A}`, form: { intent: "khong-co" }, expect: inspectorOnly },
  ],
  "quan-ly.khoa-api.tsx": [
    { method: "GET", path: () => "/quan-ly/khoa-api", expect: inspectorOnly },
    { method: "POST", path: () => "/quan-ly/khoa-api", form: { intent: "create", name: "" }, expect: inspectorOnly },
  ],
  "quan-ly.ngay-nghi.tsx": [
    { method: "GET", path: () => "/quan-ly/ngay-nghi", expect: inspectorOnly },
    { method: "POST", path: () => "/quan-ly/ngay-nghi", form: { intent: "delete", day: "x" }, expect: inspectorOnly },
  ],
  "quan-ly.nguoi-dung.tsx": [
    { method: "GET", path: () => "/quan-ly/nguoi-dung", expect: inspectorOnly },
    { method: "POST", path: () => "/quan-ly/nguoi-dung", form: { intent: "active", userId: "0", active: "false" }, expect: inspectorOnly },
  ],
  "quan-ly.nhap-excel.tsx": [
    { method: "GET", path: () => "/quan-ly/nhap-excel", expect: inspectorOnly },
    { method: "POST", path: () => "/quan-ly/nhap-excel", multipart: true, form: {}, expect: inspectorOnly, note: "multipart, no file" },
  ],
};

function outcomeOf(a: Answer): Outcome | "other" {
  if (isLoginRedirect(a)) return "login";
  if ([401, 403, 404, 405].includes(a.status)) return a.status as Outcome;
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
