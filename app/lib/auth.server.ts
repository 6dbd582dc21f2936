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
  recentFailures,
  recordLoginAttempt,
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
    if (part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
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
  const failures = await recentFailures(knex, username, ip, LOGIN_WINDOW_MINUTES);
  if (failures.byUser >= LOGIN_MAX_FAILURES || failures.byIp >= LOGIN_MAX_FAILURES_PER_IP) {
    await writeAuditLog(knex, { userId: null, actor: username, action: "login.throttled", ip });
    return {
      ok: false,
      error: `Đăng nhập sai quá ${LOGIN_MAX_FAILURES} lần. Vui lòng thử lại sau ${LOGIN_WINDOW_MINUTES} phút.`,
    };
  }
  const user = await findUserByUsername(knex, username);
  const valid = user && user.active ? await verifyPassword(user.password_hash, password) : false;
  await recordLoginAttempt(knex, username, ip, Boolean(valid));
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
