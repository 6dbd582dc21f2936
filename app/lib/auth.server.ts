// Sessions, roles and CSRF: every loader calls requireUser, every action requireMutation.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { hash as argonHash, verify as argonVerify } from "@node-rs/argon2";
import { redirect, type AppLoadContext } from "@remix-run/node";
import type { Knex } from "knex";
import { writeAuditLog } from "../../db/queries/audit-log.ts";
import {
  createSession,
  deleteExpiredSessions,
  deleteSession,
  getSessionUser,
  markAttemptSucceeded,
  reserveAttempt,
  type SessionUser,
} from "../../db/queries/sessions.ts";
import { findUserByUsername, type Role } from "../../db/queries/users.ts";
import "./context.server.ts";

export const SESSION_COOKIE = "tt_session";
const SESSION_TTL_HOURS = 12;
export const LOGIN_MAX_FAILURES = 5;
/** Failures from one address over all usernames before that address is refused too. */
export const LOGIN_MAX_FAILURES_PER_IP = 50;
export const LOGIN_WINDOW_MINUTES = 15;

export type { SessionUser };

interface Args {
  request: Request;
  context: AppLoadContext;
}

function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    if (part.slice(0, i).trim() !== name) continue;
    // A malformed value (`tt_session=%`) is no session, not a 500.
    try {
      return decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

function sessionCookie(value: string, context: AppLoadContext, maxAgeSeconds: number): string {
  const attrs = [`${SESSION_COOKIE}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAgeSeconds}`];
  if (context.secure) attrs.push("Secure");
  return attrs.join("; ");
}

export async function hashPassword(password: string): Promise<string> {
  return argonHash(password);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argonVerify(hash, password);
  } catch {
    return false;
  }
}

// Unknown and inactive usernames are verified against this hash, so that a wrong password costs
// the same argon2 time whether or not the account exists (no username oracle by timing).
let dummyHash: Promise<string> | undefined;
function dummyPasswordHash(): Promise<string> {
  dummyHash ??= argonHash(randomBytes(24).toString("base64url"));
  return dummyHash;
}

/** Checks the password of a user row, or burns the same time on the dummy hash when there is none. */
async function checkPassword(hash: string | null, password: string): Promise<boolean> {
  if (hash) return verifyPassword(hash, password);
  await verifyPassword(await dummyPasswordHash(), password);
  return false;
}

export async function getUser({ request, context }: Args): Promise<SessionUser | null> {
  const token = readCookie(request, SESSION_COOKIE);
  if (!token) return null;
  return (await getSessionUser(context.knex, sha256(token))) ?? null;
}

export function forbidden(message = "Bạn không có quyền truy cập trang này."): Response {
  return new Response(message, { status: 403, statusText: "Forbidden" });
}

export function notFound(message = "Không tìm thấy."): Response {
  return new Response(message, { status: 404, statusText: "Not Found" });
}

/** The signed-in user, or a redirect to the login page; 403 when the role is not allowed. */
export async function requireUser(args: Args, opts: { roles?: Role[] } = {}): Promise<SessionUser> {
  const user = await getUser(args);
  if (!user) {
    const url = new URL(args.request.url);
    throw redirect(`/dang-nhap?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (opts.roles && !opts.roles.includes(user.role)) throw forbidden();
  return user;
}

/** Unit heads may see only their own unit in full; others are answered 404 (no existence leak). */
export function requireUnitAccess(user: SessionUser, unitId: number): void {
  if (user.role === "unit_head" && user.unitId !== unitId) throw notFound("Không tìm thấy đơn vị.");
}

export function canSeeUnit(user: SessionUser, unitId: number): boolean {
  return user.role !== "unit_head" || user.unitId === unitId;
}

function tokensEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/**
 * For actions: the user (role-checked), the parsed form and an audit-log writer.
 * A missing or wrong CSRF token is refused with 403 before anything changes.
 */
export async function requireMutation(
  args: Args,
  opts: { roles?: Role[]; form?: FormData } = {},
): Promise<{ user: SessionUser; form: FormData; audit: (action: string, entity?: string, entityId?: string | number | null, details?: Record<string, unknown>) => Promise<void> }> {
  const user = await requireUser(args, opts);
  const form = opts.form ?? (await args.request.formData());
  const sent = form.get("_csrf");
  if (typeof sent !== "string" || !tokensEqual(sent, user.csrfToken)) {
    throw forbidden("Yêu cầu không hợp lệ (thiếu hoặc sai mã chống giả mạo CSRF). Hãy tải lại trang và thử lại.");
  }
  const audit = (action: string, entity?: string, entityId?: string | number | null, details?: Record<string, unknown>) =>
    writeAuditLog(args.context.knex, {
      userId: user.id,
      actor: user.username,
      action,
      entity: entity ?? null,
      entityId: entityId ?? null,
      details,
      ip: args.context.ip,
    });
  return { user, form, audit };
}

export type LoginResult = { ok: true; cookie: string } | { ok: false; error: string };

export async function login(
  knex: Knex,
  context: AppLoadContext,
  username: string,
  password: string,
  userAgent: string | null,
  previousToken: string | null,
): Promise<LoginResult> {
  const ip = context.ip;
  const attempt = await reserveAttempt(knex, {
    kind: "login",
    username,
    ip,
    windowMinutes: LOGIN_WINDOW_MINUTES,
    maxByUser: LOGIN_MAX_FAILURES,
    maxByIp: LOGIN_MAX_FAILURES_PER_IP,
  });
  if (attempt === null) {
    await writeAuditLog(knex, { userId: null, actor: username, action: "login.throttled", ip });
    return {
      ok: false,
      error: `Đăng nhập sai quá ${LOGIN_MAX_FAILURES} lần. Vui lòng thử lại sau ${LOGIN_WINDOW_MINUTES} phút.`,
    };
  }
  const user = await findUserByUsername(knex, username);
  const valid = await checkPassword(user && user.active ? user.password_hash : null, password);
  if (valid) await markAttemptSucceeded(knex, attempt);
  if (!user || !valid) {
    await writeAuditLog(knex, { userId: null, actor: username, action: "login.failed", ip });
    return { ok: false, error: "Tên đăng nhập hoặc mật khẩu không đúng." };
  }
  // A fresh session id at every login: a token planted before login never becomes valid.
  if (previousToken) await deleteSession(knex, sha256(previousToken));
  await deleteExpiredSessions(knex);
  const token = randomBytes(32).toString("base64url");
  await createSession(knex, {
    idHash: sha256(token),
    userId: user.id,
    csrfToken: randomBytes(24).toString("base64url"),
    ttlHours: SESSION_TTL_HOURS,
    ip,
    userAgent,
  });
  await writeAuditLog(knex, { userId: user.id, actor: user.username, action: "login", entity: "user", entityId: user.id, ip });
  return { ok: true, cookie: sessionCookie(token, context, SESSION_TTL_HOURS * 3600) };
}

export const PASSWORD_CHANGE_MAX_FAILURES = 5;

/**
 * The current password on /doi-mat-khau, throttled like a login (per account, any address):
 * "throttled" after PASSWORD_CHANGE_MAX_FAILURES wrong ones in LOGIN_WINDOW_MINUTES.
 */
export async function checkCurrentPassword(knex: Knex, user: SessionUser, password: string, ip: string | null): Promise<"ok" | "wrong" | "throttled"> {
  const attempt = await reserveAttempt(knex, {
    kind: "password-change",
    username: user.username,
    ip: null,
    windowMinutes: LOGIN_WINDOW_MINUTES,
    maxByUser: PASSWORD_CHANGE_MAX_FAILURES,
  });
  if (attempt === null) {
    await writeAuditLog(knex, { userId: user.id, actor: user.username, action: "password-change.throttled", ip });
    return "throttled";
  }
  const row = await findUserByUsername(knex, user.username);
  if (!(await checkPassword(row?.password_hash ?? null, password))) return "wrong";
  await markAttemptSucceeded(knex, attempt);
  return "ok";
}

/**
 * Where to go after login: only a same-origin relative path. Refuses absolute and
 * protocol-relative URLs, backslashes (browsers read "/\host" as "//host"), control characters,
 * and the same hidden behind %-escapes; anything else becomes "/".
 */
export function safeNext(v: string | null | undefined): string {
  if (!v || v.length > 2000 || !v.startsWith("/")) return "/";
  let decoded = v;
  for (let i = 0; i < 3; i++) {
    if (/[\\\u0000-\u001f\u007f]/.test(decoded) || decoded.startsWith("//")) return "/";
    try {
      const next = decodeURIComponent(decoded);
      if (next === decoded) break;
      decoded = next;
    } catch {
      return "/";
    }
  }
  if (/[\\\u0000-\u001f\u007f]/.test(decoded) || decoded.startsWith("//")) return "/";
  const base = "http://tuan-thu.invalid";
  let u: URL;
  try {
    u = new URL(v, base);
  } catch {
    return "/";
  }
  return u.origin === base ? `${u.pathname}${u.search}${u.hash}` : "/";
}

export function currentToken(request: Request): string | null {
  return readCookie(request, SESSION_COOKIE);
}

export async function logout(args: Args): Promise<string> {
  const token = readCookie(args.request, SESSION_COOKIE);
  if (token) await deleteSession(args.context.knex, sha256(token));
  return sessionCookie("", args.context, 0);
}

export function sessionIdHash(user: SessionUser): string {
  return user.sessionId;
}
