// The web edge, item by item (issue 17 §4, §5): after-login redirects, body limits (413),
// cross-origin mutations (403), atomic login and password-change throttling, equal login timing,
// API tokens of deactivated users, unit names and site URLs, malformed cookies, NUL bytes,
// invalid UTF-8, wrong content types, broken multipart, bad unit ids in the user form.
// docs/security.md lists each attempt with its result.
import http from "node:http";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiToken } from "../../app/lib/api.server.ts";
import { hashPassword, LOGIN_MAX_FAILURES, PASSWORD_CHANGE_MAX_FAILURES } from "../../app/lib/auth.server.ts";
import { FORM_BODY_LIMIT, IMPORT_BODY_LIMIT } from "../../app/lib/body-limits.ts";
import { PASSWORD } from "../e2e/seed.ts";
import { login, send, startWorld, tokenFromSetCookie, type Session, type World } from "./http.ts";
import { fingerprint } from "./state.ts";
import { isVietnamese } from "./vietnamese.ts";

let w: World;
let inspector: Session;

beforeAll(async () => {
  w = await startWorld();
  inspector = await login(w, "kiemtra");
}, 180_000);

afterAll(async () => {
  await w?.close();
});

interface Raw {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A raw request: the body is written as given (chunked unless contentLength is set), the answer read whenever it comes. */
function raw(method: string, path: string, o: { headers?: Record<string, string>; body?: Buffer | (() => AsyncIterable<Buffer>); timeoutMs?: number } = {}): Promise<Raw> {
  const u = new URL(w.server.url);
  return new Promise((resolve, reject) => {
    // A fresh connection per request (agent: false): a kept-alive socket the server is closing
    // would reset a request that never reached it.
    let answered = false;
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers: o.headers ?? {}, agent: false }, (res) => {
      answered = true;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on("error", reject);
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer to ${method} ${path} within ${o.timeoutMs ?? 15000} ms`));
    }, o.timeoutMs ?? 15_000);
    req.on("close", () => {
      clearTimeout(timer);
      if (!answered) reject(new Error(`${method} ${path}: the connection closed without an answer`));
    });
    req.on("error", (e) => {
      // The server may close the socket while we are still writing a refused body: not our failure
      // as long as an answer arrived (the response handler resolves first).
      const code = (e as NodeJS.ErrnoException).code;
      if (!answered || (code !== "EPIPE" && code !== "ECONNRESET")) reject(e);
    });
    if (typeof o.body === "function") {
      const gen = o.body();
      void (async () => {
        try {
          for await (const chunk of gen) if (!req.write(chunk)) await new Promise((r) => req.once("drain", r));
          req.end();
        } catch {
          /* socket closed by the server */
        }
      })();
    } else req.end(o.body);
  });
}

async function* chunks(total: number, size = 64 * 1024): AsyncIterable<Buffer> {
  const chunk = Buffer.alloc(size, "a");
  for (let sent = 0; sent < total; sent += size) yield chunk;
}

const cookieOf = (s: Session) => `tt_session=${s.token}`;

// ---------------------------------------------------------------------------------------------
describe("after-login redirect (next=)", () => {
  const HOSTILE = [
    "/%5Cevil.example/phish",
    "/\\evil.example/phish",
    "//evil.example/phish",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%255Cevil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "https://evil.example/",
    "http:evil.example",
    "/%E0%A4%A",
    "\\\\evil.example",
  ];

  it("follows only same-origin relative paths after login; every hostile target goes to /", async () => {
    const origin = new URL(w.server.url).origin;
    const wrong: string[] = [];
    for (const next of HOSTILE) {
      const a = await send(w, "POST", "/dang-nhap", { headers: { "x-forwarded-for": "192.0.2.80" }, form: { username: "tinh", password: PASSWORD, next } });
      const loc = a.location ?? "";
      if (a.status !== 302 || new URL(loc, w.server.url).origin !== origin || loc.startsWith("//") || loc.includes("\\")) wrong.push(`${next} → ${a.status} ${loc}`);
    }
    // The same through the loader of a signed-in user.
    const s = await login(w, "tinh");
    for (const next of HOSTILE) {
      const a = await send(w, "GET", `/dang-nhap?next=${encodeURIComponent(next)}`, { session: s });
      const loc = a.location ?? "";
      if (a.status >= 500 || (a.status === 302 && (new URL(loc, w.server.url).origin !== origin || loc.startsWith("//") || loc.includes("\\")))) wrong.push(`GET ${next} → ${a.status} ${loc}`);
    }
    expect(wrong).toEqual([]);
    // A genuine target is kept, query included.
    const ok = await send(w, "POST", "/dang-nhap", { headers: { "x-forwarded-for": "192.0.2.80" }, form: { username: "tinh", password: PASSWORD, next: "/bao-cao?ky=2026-11" } });
    expect(ok.location).toBe("/bao-cao?ky=2026-11");
  });
});

// ---------------------------------------------------------------------------------------------
describe("request body limits", () => {
  it("answers an anonymous 600 MB login POST with 413 at once, reading almost none of it", async () => {
    const rss0 = process.memoryUsage().rss;
    const a = await raw("POST", "/dang-nhap", {
      headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(600 * 1024 * 1024) },
      body: () => chunks(2 * 1024 * 1024),
      timeoutMs: 10_000,
    });
    expect(a.status).toBe(413);
    expect(isVietnamese(a.body)).toBe(true);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(100 * 1024 * 1024);
  });

  it("answers a chunked form body over the form limit with 413 (no Content-Length to trust)", async () => {
    const a = await raw("POST", "/dang-nhap", { headers: { "content-type": "application/x-www-form-urlencoded" }, body: () => chunks(FORM_BODY_LIMIT * 4, 16 * 1024) });
    expect(a.status).toBe(413);
    expect(a.body).toContain("quá lớn");
    const logged = await raw("POST", "/kiem-tra", { headers: { cookie: cookieOf(inspector), "content-type": "application/x-www-form-urlencoded" }, body: () => chunks(FORM_BODY_LIMIT * 2, 16 * 1024) });
    expect(logged.status).toBe(413);
  });

  it("gives the import its own, larger limit: 413 beyond it, declared or streamed", async () => {
    const h = { cookie: cookieOf(inspector), "content-type": "multipart/form-data; boundary=xyz" };
    const declared = await raw("POST", "/quan-ly/nhap-excel", { headers: { ...h, "content-length": String(IMPORT_BODY_LIMIT + 1) }, body: () => chunks(1024 * 1024) });
    expect(declared.status).toBe(413);
    // A real multipart upload, chunked, whose file passes the limit.
    const head = Buffer.from(`--xyz\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${inspector.csrf}\r\n--xyz\r\nContent-Disposition: form-data; name="file"; filename="lon.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`);
    const streamed = await raw("POST", "/quan-ly/nhap-excel", {
      headers: h,
      body: async function* () {
        yield head;
        yield* chunks(IMPORT_BODY_LIMIT + 1024 * 1024);
        yield Buffer.from("\r\n--xyz--\r\n");
      },
      timeoutMs: 30_000,
    });
    expect(streamed.status).toBe(413);
    expect(isVietnamese(streamed.body)).toBe(true);
    // A form's limit does not apply to the import: 1 MB of file is read (and refused as not an .xlsx, 400).
    const small = new FormData();
    small.append("_csrf", inspector.csrf);
    small.append("file", new Blob([Buffer.alloc(1024 * 1024, "x")]), "nho.xlsx");
    const res = await fetch(`${w.server.url}/quan-ly/nhap-excel`, { method: "POST", headers: { cookie: cookieOf(inspector) }, body: small });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Không đọc được tệp");
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
describe("cross-origin mutations", () => {
  it("refuses a POST whose Origin is another host, or whose Sec-Fetch-Site is cross-site, with 403 on every route, even with a valid token", async () => {
    const before = await fingerprint(w.db.knex);
    const paths = ["/dang-nhap", "/dang-xuat", "/doi-mat-khau", "/kiem-tra", "/chot-ky", "/bao-cao/tai", `/don-vi/${w.seed.units.soA}`, "/quan-ly/don-vi", "/quan-ly/nguoi-dung", "/quan-ly/khoa-api", "/quan-ly/ngay-nghi", "/quan-ly/bo-tieu-chi", "/quan-ly/nhap-excel", "/api/v1/periods/2026-10/close", "/"];
    const wrong: string[] = [];
    for (const p of paths) {
      const variants: Record<string, string>[] = [{ origin: "https://evil.example" }, { origin: "null" }, { "sec-fetch-site": "cross-site" }, { "sec-fetch-site": "same-site", origin: "https://sub.evil.example" }];
      for (const headers of variants) {
        const a = await send(w, "POST", p, { session: inspector, headers, form: { intent: "schedule", cron: "0 3 * * 2", username: "tinh", password: PASSWORD } });
        if (a.status !== 403 || !isVietnamese(a.body) || a.setCookie) wrong.push(`${p} ${JSON.stringify(headers)}: ${a.status}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await fingerprint(w.db.knex)).toEqual(before);
    // Same origin (the browser's own form) and no Origin at all (curl) still work.
    const same = await send(w, "POST", "/dang-nhap", { headers: { origin: new URL(w.server.url).origin, "sec-fetch-site": "same-origin", "x-forwarded-for": "192.0.2.81" }, form: { username: "tinh", password: PASSWORD } });
    expect(tokenFromSetCookie(same.setCookie)).toBeTruthy();
  });
});

// ---------------------------------------------------------------------------------------------
describe("throttling", () => {
  it("evaluates at most LOGIN_MAX_FAILURES of 40 parallel wrong guesses (atomic in PostgreSQL)", async () => {
    const { knex } = w.db;
    const ip = { "x-forwarded-for": "203.0.113.66" };
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => send(w, "POST", "/dang-nhap", { headers: ip, form: { username: "thutruong.b", password: `doan-sai-${i}` } })));
    expect(answers.every((a) => a.status === 200 && !a.setCookie)).toBe(true);
    const failed = await knex("audit_log").where({ action: "login.failed", actor: "thutruong.b" }).count<{ c: string }[]>("* as c");
    const throttled = await knex("audit_log").where({ action: "login.throttled", actor: "thutruong.b" }).count<{ c: string }[]>("* as c");
    expect(Number(failed[0].c)).toBe(LOGIN_MAX_FAILURES);
    expect(Number(throttled[0].c)).toBe(40 - LOGIN_MAX_FAILURES);
    expect(answers.filter((a) => a.body.includes("Vui lòng thử lại sau")).length).toBe(40 - LOGIN_MAX_FAILURES);
  }, 60_000);

  it("throttles wrong current passwords on /doi-mat-khau, then refuses even the right one", async () => {
    const { knex } = w.db;
    await knex("users").insert({ username: "doimk", password_hash: await hashPassword(PASSWORD), full_name: "Người đổi mật khẩu", role: "province" });
    const s = await login(w, "doimk");
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => send(w, "POST", "/doi-mat-khau", { session: s, form: { current: `sai-${i}`, next: "mat-khau-moi-2026", confirm: "mat-khau-moi-2026" } })),
    );
    expect(guesses.filter((a) => a.body.includes("Mật khẩu hiện tại không đúng")).length).toBe(PASSWORD_CHANGE_MAX_FAILURES);
    expect(guesses.filter((a) => a.body.includes("quá nhiều lần")).length).toBe(12 - PASSWORD_CHANGE_MAX_FAILURES);
    const right = await send(w, "POST", "/doi-mat-khau", { session: s, form: { current: PASSWORD, next: "mat-khau-moi-2026", confirm: "mat-khau-moi-2026" } });
    expect(right.body).toContain("quá nhiều lần");
    const row = await knex("users").where({ username: "doimk" }).first("password_changed_at");
    expect(row.password_changed_at).toBeNull();
    expect(Number((await knex("audit_log").where({ action: "password-change.throttled", actor: "doimk" }).count<{ c: string }[]>("* as c"))[0].c)).toBeGreaterThan(0);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
describe("login timing", () => {
  it("takes as long for an unknown username as for a known one with a wrong password (argon2 either way)", async () => {
    const time = async (username: string, i: number) => {
      const t0 = performance.now();
      const a = await send(w, "POST", "/dang-nhap", { headers: { "x-forwarded-for": `198.18.${i}.${username.length}` }, form: { username, password: "khong-dung-mat-khau" } });
      expect(a.body).toContain("không đúng");
      return performance.now() - t0;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 8; i++) {
      known.push(await time("kiemtra", i));
      unknown.push(await time(`khong-ton-tai-${i}`, i));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // Same work on both paths; a missing verify would make unknown names several times faster.
    expect(median(unknown) / median(known)).toBeGreaterThan(0.7);
    expect(median(unknown) / median(known)).toBeLessThan(1.5);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
describe("API tokens of deactivated users", () => {
  it("stop working when their creator is deactivated, and work again when reactivated", async () => {
    const { knex } = w.db;
    const [u] = await knex("users").insert({ username: "kiemtra.api", password_hash: await hashPassword(PASSWORD), full_name: "Cán bộ tạo khóa", role: "inspector" }).returning("id");
    const token = "tt_owner_deactivation_0123456789abcdef";
    await knex("api_tokens").insert({ name: "Khóa của cán bộ", token_hash: hashApiToken(token), created_by: u.id });
    const call = () => send(w, "GET", "/api/v1/units", { headers: { authorization: `Bearer ${token}` } });
    expect((await call()).status).toBe(200);
    const off = await send(w, "POST", "/quan-ly/nguoi-dung", { session: inspector, form: { intent: "active", userId: String(u.id), active: "false" } });
    expect(off.status).toBe(200);
    const refused = await call();
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body).error.message).toMatch(/không hợp lệ|thu hồi/);
    await send(w, "POST", "/quan-ly/nguoi-dung", { session: inspector, form: { intent: "active", userId: String(u.id), active: "true" } });
    expect((await call()).status).toBe(200);
  });
});

// ---------------------------------------------------------------------------------------------
describe("unit names and site URLs", () => {
  const unitForm = (name: string, website = "") => ({ code: `DV-${Math.random().toString(36).slice(2, 8)}`, name, shortName: "", unitType: "so", groupCode: "so-nganh", headEmail: "", website });

  it("refuses right-to-left overrides, invisible characters and lookalike letters in unit names", async () => {
    const { knex } = w.db;
    const before = await fingerprint(knex);
    const hostile = [
      "Sở Tài chính\u202E",
      "\u202ENIHC IAT OS",
      "Sở Tư\u2066 pháp\u2069",
      "Sở Tài \u0441hính", // Cyrillic es
      "Sở Nội vụ \u03BF", // Greek omicron
      "Ｓở Tài chính", // fullwidth S
      "Sở Tài chính\u200B",
      "Sở \u{1D413}ài chính", // mathematical bold T
      "Sở\u0000 Tài chính",
    ];
    const wrong: string[] = [];
    for (const name of hostile) {
      const a = await send(w, "POST", "/quan-ly/don-vi", { session: inspector, form: unitForm(name) });
      if (a.status >= 500 || a.status === 302 || !isVietnamese(a.body)) wrong.push(`${JSON.stringify(name)}: ${a.status}`);
    }
    expect(wrong).toEqual([]);
    // And the edit form of an existing unit.
    const edit = await send(w, "POST", `/quan-ly/don-vi/${w.seed.units.soA}`, { session: inspector, form: { intent: "unit", ...unitForm("Sở Tài \u0441hính"), code: "SO-A" } });
    expect(edit.status).toBeLessThan(500);
    expect(await fingerprint(knex)).toEqual(before);
  });

  it("stores names NFC-normalised (a decomposed name is composed)", async () => {
    const nfd = "Sở Văn hóa và Thể thao".normalize("NFD");
    const a = await send(w, "POST", "/quan-ly/don-vi", { session: inspector, form: unitForm(nfd) });
    expect(a.status).toBe(302);
    const id = Number(/\/quan-ly\/don-vi\/(\d+)/.exec(a.location ?? "")?.[1]);
    const row = await w.db.knex("units").where({ id }).first("name");
    expect(row.name).toBe("Sở Văn hóa và Thể thao".normalize("NFC"));
    expect(row.name).not.toBe(nfd);
  });

  it("refuses site URLs with user:password and URLs longer than the limit, on the new-unit and site forms", async () => {
    const { knex } = w.db;
    const before = await fingerprint(knex);
    const bad = ["https://admin:matkhau@soxyz.example.gov.vn/", "http://user@soxyz.example.gov.vn/", "soxyz.example.gov.vn@evil.example", `https://soxyz.example.gov.vn/${"a".repeat(10_000)}`];
    const wrong: string[] = [];
    for (const website of bad) {
      const a = await send(w, "POST", "/quan-ly/don-vi", { session: inspector, form: unitForm("Sở Khoa học và Công nghệ", website) });
      if (a.status === 302 || a.status >= 500 || !isVietnamese(a.body)) wrong.push(`new unit ${website.slice(0, 60)}: ${a.status}`);
      const s = await send(w, "POST", `/quan-ly/don-vi/${w.seed.units.soA}`, { session: inspector, form: { intent: "site-create", baseUrl: website, renderMode: "auto", maxPages: "", crawlDelayMs: "" } });
      if (s.status >= 500 || !isVietnamese(s.body)) wrong.push(`site ${website.slice(0, 60)}: ${s.status}`);
    }
    expect(wrong).toEqual([]);
    expect(await fingerprint(knex)).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
describe("bad input is a 4xx with a Vietnamese message, and changes nothing", () => {
  it("treats a malformed session cookie as no session on every page (login redirect, not 500)", async () => {
    const wrong: string[] = [];
    for (const cookie of ["tt_session=%", "tt_session=%E0%A4%A", "tt_session=%00", `tt_session=${inspector.token}%`, "tt_session"]) {
      for (const p of ["/", "/kiem-tra", "/quan-ly", "/bao-cao", "/doi-mat-khau", "/dang-nhap"]) {
        const a = await send(w, "GET", p, { cookie });
        if (a.status >= 500) wrong.push(`${cookie} ${p}: ${a.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("refuses NUL bytes in filters, forms and the anonymous login with 400", async () => {
    const before = await fingerprint(w.db.knex);
    const wrong: string[] = [];
    for (const p of ["/?q=%00", "/?nhom=so%00", "/quan-ly/don-vi?q=a%00b", "/don-vi/1%00", "/kiem-tra?ky=2026%0011"]) {
      const a = await send(w, "GET", p, { session: inspector });
      if (a.status !== 400 || !isVietnamese(a.body)) wrong.push(`GET ${p}: ${a.status}`);
    }
    const posts: [string, Record<string, string>, Session | null][] = [
      ["/dang-nhap", { username: "tinh\u0000", password: "x" }, null],
      ["/dang-nhap", { username: "tinh", password: "a\u0000b" }, null],
      ["/quan-ly/don-vi", { code: "X1", name: "Sở\u0000 Tư pháp", unitType: "so", groupCode: "so-nganh", website: "" }, inspector],
      ["/kiem-tra", { intent: "schedule", cron: "0 3 * * 2\u0000" }, inspector],
      ["/quan-ly/ngay-nghi", { intent: "add", day: "2027-01-01", name: "Tết\u0000" }, inspector],
    ];
    for (const [p, form, session] of posts) {
      for (const multipart of [false, true]) {
        const a = await send(w, "POST", p, { session, form, multipart });
        if (a.status !== 400 || !isVietnamese(a.body)) wrong.push(`POST ${p} ${multipart ? "multipart" : "urlencoded"}: ${a.status}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await fingerprint(w.db.knex)).toEqual(before);
  });

  it("refuses invalid UTF-8, JSON, text, empty-typed and broken multipart POSTs with 4xx", async () => {
    const before = await fingerprint(w.db.knex);
    const c = { cookie: cookieOf(inspector) };
    const cases: [string, Record<string, string>, Buffer][] = [
      ["invalid UTF-8 escape", { "content-type": "application/x-www-form-urlencoded" }, Buffer.from(`_csrf=${inspector.csrf}&intent=schedule&cron=%FF%FE`)],
      ["invalid UTF-8 bytes", { "content-type": "application/x-www-form-urlencoded" }, Buffer.concat([Buffer.from(`_csrf=${inspector.csrf}&intent=schedule&cron=`), Buffer.from([0xc3, 0x28])])],
      ["broken escape", { "content-type": "application/x-www-form-urlencoded" }, Buffer.from(`_csrf=${inspector.csrf}&intent=schedule&cron=%E0%A4%A`)],
      ["JSON", { "content-type": "application/json" }, Buffer.from(JSON.stringify({ _csrf: inspector.csrf, intent: "schedule", cron: "0 3 * * 2" }))],
      ["text", { "content-type": "text/plain" }, Buffer.from(`_csrf=${inspector.csrf}\nintent=schedule`)],
      ["no content type", {}, Buffer.from(`_csrf=${inspector.csrf}&intent=schedule`)],
      ["multipart without boundary", { "content-type": "multipart/form-data" }, Buffer.from(`--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n`)],
      ["truncated multipart", { "content-type": "multipart/form-data; boundary=x" }, Buffer.from(`--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${inspector.csrf}\r\n--x\r\nContent-Disposition: form-da`)],
      ["empty multipart", { "content-type": "multipart/form-data; boundary=x" }, Buffer.alloc(0)],
    ];
    const wrong: string[] = [];
    for (const p of ["/kiem-tra", "/quan-ly/nguoi-dung", "/dang-nhap", "/quan-ly/nhap-excel"]) {
      for (const [label, headers, body] of cases) {
        const a = await raw("POST", p, { headers: { ...c, ...headers, "content-length": String(body.length) }, body });
        if (a.status < 400 || a.status >= 500 || !isVietnamese(a.body)) wrong.push(`${p} ${label}: ${a.status} ${a.body.slice(0, 80)}`);
      }
      // An empty body without a type is an empty form: the CSRF check (403) or a form error answers it.
      const empty = await raw("POST", p, { headers: { ...c, "content-length": "0" }, body: Buffer.alloc(0) });
      if (empty.status >= 500 || (empty.status >= 400 && !isVietnamese(empty.body))) wrong.push(`${p} empty: ${empty.status}`);
    }
    expect(wrong).toEqual([]);
    expect(await fingerprint(w.db.knex)).toEqual(before);
  });

  it("answers an out-of-range, malformed, unknown or missing unitId in the user form with 400 and a Vietnamese message", async () => {
    const before = await fingerprint(w.db.knex);
    const base = { intent: "create", username: "thutruong.moi", fullName: "Thủ trưởng mới", email: "", role: "unit_head", password: "mat-khau-du-dai-2026" };
    const wrong: string[] = [];
    for (const unitId of ["99999999999", "2147483648", "-1", "1.5", "abc", "1e3", "2147483647", "", undefined]) {
      const form: Record<string, string> = { ...base };
      if (unitId !== undefined) form.unitId = unitId;
      const a = await send(w, "POST", "/quan-ly/nguoi-dung", { session: inspector, form });
      if (a.status !== 400 || !/Đơn vị không|gắn với một đơn vị/.test(a.body)) wrong.push(`create unitId=${unitId}: ${a.status}`);
      const u = await send(w, "POST", "/quan-ly/nguoi-dung", { session: inspector, form: { intent: "update", userId: String((await w.db.knex("users").where({ username: "tinh" }).first("id")).id), role: "unit_head", ...(unitId === undefined ? {} : { unitId }) } });
      if (u.status !== 400 || !/Đơn vị không|gắn với một đơn vị/.test(u.body)) wrong.push(`update unitId=${unitId}: ${u.status}`);
    }
    expect(wrong).toEqual([]);
    expect(await fingerprint(w.db.knex)).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
describe("the Excel import", () => {
  async function workbook(rows: (string | null)[][]): Promise<Blob> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Đơn vị");
    ws.addRow(["Tên đơn vị", "Loại", "Nhóm", "Website", "Email thủ trưởng"]);
    for (const r of rows) ws.addRow(r);
    return new Blob([new Uint8Array(await wb.xlsx.writeBuffer())]);
  }
  async function upload(file: Blob): Promise<{ status: number; body: string }> {
    const fd = new FormData();
    fd.append("_csrf", inspector.csrf);
    fd.append("file", file, "don-vi.xlsx");
    const res = await fetch(`${w.server.url}/quan-ly/nhap-excel`, { method: "POST", headers: { cookie: cookieOf(inspector) }, body: fd });
    return { status: res.status, body: await res.text() };
  }

  it("applies the unit form's rules to every row: a 10,000-character name, a 25 kB URL, user:password, lookalikes are row errors; nothing is stored", async () => {
    const before = await fingerprint(w.db.knex);
    const a = await upload(
      await workbook([
        ["UBND xã Tân Hà", "UBND cấp xã", "UBND cấp xã", "https://tanha.example.gov.vn", null],
        ["Đ".repeat(10_000), "UBND cấp xã", "UBND cấp xã", "https://dai.example.gov.vn", null],
        ["UBND xã Đông Hà", "UBND cấp xã", "UBND cấp xã", `https://dongha.example.gov.vn/${"a".repeat(25_000)}`, null],
        ["UBND xã Bắc Hà", "UBND cấp xã", "UBND cấp xã", "https://admin:pw@bacha.example.gov.vn", null],
        ["UBND xã Nam H\u0430", "UBND cấp xã", "UBND cấp xã", "https://namha.example.gov.vn", null],
        ["UBND xã Tây Hà\u202E", "UBND cấp xã", "UBND cấp xã", "https://tayha.example.gov.vn", null],
      ]),
    );
    expect(a.status).toBe(400);
    expect(a.body).toContain("Có 5 dòng lỗi");
    expect(a.body).toContain("Tên đơn vị quá dài");
    expect(a.body).toContain("Địa chỉ website quá dài");
    expect(a.body).toContain("user:password");
    expect(a.body).not.toContain("Đ".repeat(200)); // cell text is quoted back cut short
    expect(a.body.length).toBeLessThan(200_000);
    expect(await fingerprint(w.db.knex)).toEqual(before);
  });

  it("reports thousands of bad rows in pages: an exact count, the first 1,000 kept, 50 rendered, a small page", async () => {
    const rows = Array.from({ length: 3_000 }, (_, i) => [`UBND xã Số ${i}`, "Hợp tác xã", "UBND cấp xã", "không-phải-địa-chỉ", "sai-email"]);
    const a = await upload(await workbook(rows));
    expect(a.status).toBe(400);
    expect(a.body).toContain("Có 3.000 dòng lỗi (hiển thị 1.000 dòng lỗi đầu tiên)");
    expect(a.body).toContain("trang 1/20");
    expect((a.body.match(/<tr>/g) ?? []).length).toBeLessThanOrEqual(51);
    expect(a.body.length).toBeLessThan(1_000_000);
  }, 60_000);
});
