// Closing a period ("chốt kỳ"), the database side: the pre-close checklist, the state of each
// period (closed by whom and when, running, open), who may close (active inspectors, also behind
// an API token), marking the closing report official, and reopening with a reason.
// The orchestration of a close (freeze + official report + archive) is reports/close-period.ts,
// so that db/ never imports reports/.
import type { Knex } from "knex";
import { recomputePeriods } from "../scoring/compute.ts";
import { formatPeriodLabel, parsePeriodCode, PeriodCodeError, type PeriodKind, type PeriodSpec } from "../scoring/period-codes.ts";
import { formatVietnamDayTime, vietnamDay, VIETNAM_TIME_ZONE } from "../time.ts";

const TZ = VIETNAM_TIME_ZONE;
export const REOPEN_REASON_MAX = 1000;
const LIST_CAP = 1000;

export type PeriodCloseErrorCode =
  | "bad_period"
  | "forbidden"
  | "not_ended"
  | "already_closed"
  | "not_closed"
  | "needs_confirmation"
  | "bad_reason"
  | "no_rubric"
  | "not_scored";

/** A refused close or reopen; `message` is one clear Vietnamese sentence for users. */
export class PeriodCloseError extends Error {
  constructor(
    readonly code: PeriodCloseErrorCode,
    message: string,
    /** For needs_confirmation: the checklist that was not clean. */
    readonly checklist?: PeriodChecklist,
  ) {
    super(message);
    this.name = "PeriodCloseError";
  }
}

/** Shown (quoted) in messages: trimmed, without control characters, at most 40 characters. */
function quoteInput(input: unknown): string {
  const s = String(input ?? "")
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, " ")
    .trim();
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** The period of a user-typed code, or PeriodCloseError("bad_period") naming what was typed. */
export function parseClosePeriodCode(input: unknown): PeriodSpec {
  try {
    if (typeof input !== "string" || !input.trim()) throw new PeriodCodeError("");
    return parsePeriodCode(input);
  } catch (e) {
    if (!(e instanceof PeriodCodeError)) throw e;
    const shown = quoteInput(input);
    throw new PeriodCloseError(
      "bad_period",
      shown
        ? `Mã kỳ không hợp lệ: "${shown}". Dùng dạng 2026-11 (tháng), 2026-Q4 (quý), 2026-H2 (6 tháng) hoặc 2026 (năm).`
        : "Thiếu mã kỳ. Dùng dạng 2026-11 (tháng), 2026-Q4 (quý), 2026-H2 (6 tháng) hoặc 2026 (năm).",
    );
  }
}

const vietnamDayOf = (at: Date): string => vietnamDay(at);

/** A period has ended when its last day (Vietnam time) is before today. */
export function periodHasEnded(spec: PeriodSpec, now: Date): boolean {
  return spec.endsOn < vietnamDayOf(now);
}

/** dd/mm/yyyy for a 'YYYY-MM-DD' day. */
function dmy(day: string): string {
  const [y, m, d] = day.split("-");
  return `${d}/${m}/${y}`;
}

export interface InspectorRef {
  id: number;
  username: string;
  fullName: string;
}

/** The user, if an active inspector; otherwise PeriodCloseError("forbidden"). */
export async function requireInspector(knex: Knex, userId: number | null | undefined): Promise<InspectorRef> {
  const row = Number.isInteger(userId)
    ? await knex("users").where({ id: userId }).first("id", "username", "full_name", "role", "active")
    : undefined;
  if (!row || row.role !== "inspector" || !row.active) {
    throw new PeriodCloseError("forbidden", "Chỉ cán bộ kiểm tra (tài khoản đang hoạt động) mới được chốt hoặc mở lại kỳ.");
  }
  return { id: row.id, username: row.username, fullName: row.full_name || row.username };
}

/** The active inspector a username names (the command line), or PeriodCloseError("forbidden"). */
export async function findInspectorByUsername(knex: Knex, username: string): Promise<InspectorRef> {
  const row = await knex("users").where({ username: username.trim() }).first("id");
  if (!row) throw new PeriodCloseError("forbidden", `Không có tài khoản "${quoteInput(username)}".`);
  return requireInspector(knex, row.id);
}

/**
 * The user behind an API token: its creator, who must still be an active inspector
 * (tokens are created by inspectors; a token made by a since-deactivated account cannot close).
 */
export async function findApiTokenInspector(knex: Knex, tokenId: number): Promise<InspectorRef> {
  const row = await knex("api_tokens").where({ id: tokenId }).whereNull("revoked_at").first("created_by");
  return requireInspector(knex, row?.created_by ?? null);
}

// ---------------------------------------------------------------------------------------
// The pre-close checklist

export interface ChecklistUnit {
  unitId: number;
  code: string;
  name: string;
  groupCode: string;
}

export interface PeriodChecklist {
  periodCode: string;
  /** Active units with no finished or failed audit in the period. */
  notAudited: ChecklistUnit[];
  /** Units whose audits in the period all failed (none finished). */
  allFailed: (ChecklistUnit & { failedAudits: number; lastError: string | null })[];
  /** Appeals still pending on findings of the period's audits. */
  pendingAppeals: { appealId: number; unitId: number; unitName: string; findingId: number; findingCode: string; filedAt: Date }[];
  /** The period's audits still queued or running. */
  pendingAudits: { auditId: number; unitId: number; unitName: string; siteUrl: string; status: "queued" | "running"; queuedAt: Date }[];
  /** True when every list is empty. */
  clean: boolean;
}

function windowBindings(spec: PeriodSpec): [string, string, string, string] {
  return [spec.startsOn, TZ, spec.endsOn, TZ];
}
const IN_WINDOW = `sa.reference_time >= (?::date)::timestamp at time zone ? and sa.reference_time < ((?::date) + 1)::timestamp at time zone ?`;

export async function getCloseChecklist(knex: Knex, periodCode: string): Promise<PeriodChecklist> {
  const spec = parseClosePeriodCode(periodCode);
  const w = windowBindings(spec);
  const { rows: units } = await knex.raw(
    `with a as (
       select sa.unit_id, sa.status, sa.error, sa.finished_at, sa.queued_at
         from site_audits sa
        where ${IN_WINDOW})
     select u.id, u.code, u.name, u.group_code,
            count(a.unit_id) filter (where a.status = 'done')::int as done,
            count(a.unit_id) filter (where a.status = 'failed')::int as failed,
            (array_agg(a.error order by coalesce(a.finished_at, a.queued_at) desc) filter (where a.status = 'failed'))[1] as last_error
       from units u
       join unit_groups g on g.code = u.group_code
       left join a on a.unit_id = u.id
      where u.active
      group by u.id, g.sort
      order by g.sort, u.group_code, u.name, u.id`,
    w,
  );
  const ref = (r: Record<string, any>): ChecklistUnit => ({ unitId: r.id, code: r.code, name: r.name, groupCode: r.group_code });
  const { rows: appeals } = await knex.raw(
    `select ap.id, ap.unit_id, u.name as unit_name, ap.finding_id, f.code, ap.filed_at
       from appeals ap
       join findings f on f.id = ap.finding_id
       join site_audits sa on sa.id = f.site_audit_id
       join units u on u.id = ap.unit_id
      where ap.status = 'pending' and ${IN_WINDOW}
      order by ap.filed_at, ap.id
      limit ${LIST_CAP}`,
    w,
  );
  const { rows: audits } = await knex.raw(
    `select sa.id, sa.unit_id, u.name as unit_name, s.base_url, sa.status, sa.queued_at
       from site_audits sa
       join units u on u.id = sa.unit_id
       join sites s on s.id = sa.site_id
      where sa.status in ('queued', 'running') and ${IN_WINDOW}
      order by sa.queued_at, sa.id
      limit ${LIST_CAP}`,
    w,
  );
  const checklist: PeriodChecklist = {
    periodCode: spec.code,
    notAudited: units.filter((r: any) => r.done === 0 && r.failed === 0).map(ref),
    allFailed: units
      .filter((r: any) => r.done === 0 && r.failed > 0)
      .map((r: any) => ({ ...ref(r), failedAudits: r.failed, lastError: r.last_error ?? null })),
    pendingAppeals: appeals.map((r: any) => ({
      appealId: r.id,
      unitId: r.unit_id,
      unitName: r.unit_name,
      findingId: r.finding_id,
      findingCode: r.code,
      filedAt: r.filed_at,
    })),
    pendingAudits: audits.map((r: any) => ({
      auditId: r.id,
      unitId: r.unit_id,
      unitName: r.unit_name,
      siteUrl: r.base_url,
      status: r.status,
      queuedAt: r.queued_at,
    })),
    clean: false,
  };
  checklist.clean =
    checklist.notAudited.length + checklist.allFailed.length + checklist.pendingAppeals.length + checklist.pendingAudits.length === 0;
  return checklist;
}

/** One line per checklist item, in Vietnamese (the CLI prints them; the page shows the same words). */
export function checklistLines(c: PeriodChecklist): { ok: boolean; text: string }[] {
  return [
    c.notAudited.length
      ? { ok: false, text: `${c.notAudited.length} đơn vị chưa được kiểm tra trong kỳ` }
      : { ok: true, text: "Mọi đơn vị đều đã được kiểm tra trong kỳ" },
    c.allFailed.length
      ? { ok: false, text: `${c.allFailed.length} đơn vị có mọi lượt kiểm tra trong kỳ đều lỗi` }
      : { ok: true, text: "Không có đơn vị nào mà mọi lượt kiểm tra đều lỗi" },
    c.pendingAppeals.length
      ? { ok: false, text: `${c.pendingAppeals.length} giải trình đang chờ xử lý trên phát hiện của kỳ` }
      : { ok: true, text: "Không còn giải trình chờ xử lý" },
    c.pendingAudits.length
      ? { ok: false, text: `${c.pendingAudits.length} lượt kiểm tra của kỳ còn đang chờ hoặc đang chạy` }
      : { ok: true, text: "Không còn lượt kiểm tra nào đang chờ hoặc đang chạy" },
  ];
}

// ---------------------------------------------------------------------------------------
// Period states

export type PeriodCloseStateName = "closed" | "running" | "open";

export interface PeriodCloseState {
  code: string;
  kind: PeriodKind;
  label: string;
  startsOn: string;
  endsOn: string;
  /** closed: frozen; running: its last day is today or later; open: ended, not closed. */
  state: PeriodCloseStateName;
  frozenAt: Date | null;
  frozenBy: InspectorRef | null;
  /** The official report archived when the period was closed (not superseded). */
  officialReportId: number | null;
  /** Units with a score row (scored or not audited). */
  units: number;
}

const KIND_ORDER: Record<PeriodKind, number> = { month: 0, quarter: 1, half: 2, year: 3 };

/** "Đã chốt 05/11/2026 09:30 bởi Nguyễn Văn A" / "Chưa chốt" / "Đang diễn ra". */
export function periodStateText(s: Pick<PeriodCloseState, "state" | "frozenAt" | "frozenBy">): string {
  if (s.state === "closed") {
    return ["Đã chốt", s.frozenAt ? formatVnDateTime(s.frozenAt) : null, s.frozenBy ? `bởi ${s.frozenBy.fullName}` : null].filter(Boolean).join(" ");
  }
  return s.state === "running" ? "Đang diễn ra" : "Chưa chốt";
}

/** dd/mm/yyyy HH:mm in Vietnam time. */
export const formatVnDateTime = (at: Date | string): string => formatVietnamDayTime(at);

async function selectStates(knex: Knex, now: Date, where?: { code: string }): Promise<PeriodCloseState[]> {
  const q = knex("periods as p")
    .leftJoin("users as u", "u.id", "p.frozen_by")
    .select(
      "p.code",
      "p.kind",
      "p.starts_on",
      "p.ends_on",
      "p.frozen_at",
      "p.frozen_by",
      "u.username",
      "u.full_name",
      knex.raw("(select count(*)::int from period_scores ps where ps.period_id = p.id) as units"),
      knex.raw(
        `(select r.id from reports r where r.period_id = p.id and r.official and r.kind = 'province' and r.superseded_at is null
           order by r.id desc limit 1) as official_report_id`,
      ),
    );
  if (where) q.where("p.code", where.code);
  const rows: Record<string, any>[] = await q;
  const today = vietnamDayOf(now);
  return rows
    .map((r) => {
      const state: PeriodCloseStateName = r.frozen_at ? "closed" : r.ends_on >= today ? "running" : "open";
      return {
        code: r.code,
        kind: r.kind,
        label: formatPeriodLabel(r.code),
        startsOn: r.starts_on,
        endsOn: r.ends_on,
        state,
        frozenAt: r.frozen_at ?? null,
        frozenBy: r.frozen_by ? { id: r.frozen_by, username: r.username, fullName: r.full_name || r.username } : null,
        officialReportId: r.official_report_id ?? null,
        units: r.units,
      };
    })
    .sort((a, b) => b.endsOn.localeCompare(a.endsOn) || KIND_ORDER[a.kind as PeriodKind] - KIND_ORDER[b.kind as PeriodKind]);
}

/** Every period known to the database (newest first; on one end day: month, quarter, half, year). */
export async function listPeriodCloseStates(knex: Knex, now: Date = new Date()): Promise<PeriodCloseState[]> {
  return selectStates(knex, now);
}

export interface PeriodCloseStatus extends PeriodCloseState {
  ended: boolean;
  checklist: PeriodChecklist;
  /** Why it cannot be closed now (null when it can). */
  refusal: string | null;
}

/** One period's state and checklist (the period need not exist in the database yet). */
export async function getPeriodCloseStatus(knex: Knex, periodCode: string, now: Date = new Date()): Promise<PeriodCloseStatus> {
  const spec = parseClosePeriodCode(periodCode);
  const [row] = await selectStates(knex, now, { code: spec.code });
  const ended = periodHasEnded(spec, now);
  const state: PeriodCloseState = row ?? {
    code: spec.code,
    kind: spec.kind,
    label: formatPeriodLabel(spec),
    startsOn: spec.startsOn,
    endsOn: spec.endsOn,
    state: ended ? "open" : "running",
    frozenAt: null,
    frozenBy: null,
    officialReportId: null,
    units: 0,
  };
  const checklist = await getCloseChecklist(knex, spec.code);
  return { ...state, ended, checklist, refusal: closeRefusal(spec, state, now) };
}

/** The reason a close is refused before anything is done (state and clock), or null. */
export function closeRefusal(spec: PeriodSpec, state: Pick<PeriodCloseState, "state" | "frozenAt" | "frozenBy">, now: Date): string | null {
  const label = formatPeriodLabel(spec);
  if (state.state === "closed") return `${label} đã được chốt (${periodStateText(state).replace(/^Đã chốt /, "")}). Muốn sửa, hãy mở lại kỳ kèm lý do.`;
  if (!periodHasEnded(spec, now)) {
    const next = dmy(nextDay(spec.endsOn));
    return `${label} chưa kết thúc (đến hết ngày ${dmy(spec.endsOn)}): chỉ chốt được từ ngày ${next}.`;
  }
  return null;
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------
// Marking the official report; reopening

/** Marks the report archived by a close as the period's official report. */
export async function markReportOfficial(knex: Knex, reportId: number): Promise<void> {
  await knex("reports").where({ id: reportId }).update({ official: true });
}

export interface ReopenOptions {
  periodCode: string;
  userId: number;
  reason: string;
  /** The clock (default now): recorded as the reopen time. */
  now?: Date;
  ip?: string | null;
}

export interface ReopenResult {
  periodCode: string;
  label: string;
  reopenedAt: Date;
  reopenedBy: InspectorRef;
  reason: string;
  previousFrozenAt: Date;
  /** Archived reports of the period now marked superseded (kept in the archive). */
  supersededReportIds: number[];
  /** Units recomputed after unfreezing. */
  unitsScored: number;
  unitsNotAudited: number;
}

/** A reopen reason: trimmed, non-empty, at most REOPEN_REASON_MAX characters. */
export function validateReopenReason(reason: unknown): string {
  const r = String(reason ?? "")
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
    .trim();
  if (!r) throw new PeriodCloseError("bad_reason", "Cần nhập lý do mở lại kỳ: việc mở lại được ghi vào nhật ký.");
  if (r.length > REOPEN_REASON_MAX) {
    throw new PeriodCloseError("bad_reason", `Lý do mở lại kỳ dài quá ${REOPEN_REASON_MAX} ký tự (hiện ${r.length} ký tự).`);
  }
  return r;
}

/**
 * Reopens a closed period: unfreezes it (frozen_at and the frozen copies cleared, score rows no
 * longer frozen), marks its archived non-draft reports superseded (kept, with the reason),
 * logs `period.reopen` with the reason, and recomputes its scores — all in one transaction.
 */
export async function reopenPeriod(knex: Knex, opts: ReopenOptions): Promise<ReopenResult> {
  const spec = parseClosePeriodCode(opts.periodCode);
  const reason = validateReopenReason(opts.reason);
  const user = await requireInspector(knex, opts.userId);
  const now = opts.now ?? new Date();
  const label = formatPeriodLabel(spec);
  return knex.transaction(async (trx) => {
    const period = await trx("periods").where({ code: spec.code }).forUpdate().first("id", "frozen_at", "frozen_by");
    if (!period || !period.frozen_at) throw new PeriodCloseError("not_closed", `${label} chưa được chốt, không cần mở lại.`);
    await trx("periods").where({ id: period.id }).update({ frozen_at: null, frozen_by: null, frozen_settings: null });
    await trx("period_scores").where({ period_id: period.id }).update({ frozen: false, unit_snapshot: null });
    await trx("criterion_score_sets").where({ period_id: period.id }).update({ details: trx.raw("'{}'::jsonb") });
    const superseded: { id: number }[] = await trx("reports")
      .where({ period_id: period.id })
      .whereNull("superseded_at")
      .where((q) => q.where("official", true).orWhereNot("file_name", "like", "%-ban-nhap.xlsx"))
      .update({ superseded_at: now, superseded_reason: reason })
      .returning("id");
    await trx("audit_log").insert({
      at: now,
      user_id: user.id,
      actor: user.username,
      action: "period.reopen",
      entity: "period",
      entity_id: spec.code,
      details: JSON.stringify({ reason, previousFrozenAt: period.frozen_at, previousFrozenBy: period.frozen_by, supersededReportIds: superseded.map((r) => r.id) }),
      ip: opts.ip ?? null,
    });
    const res = await recomputePeriods(trx, [spec.code]);
    return {
      periodCode: spec.code,
      label,
      reopenedAt: now,
      reopenedBy: user,
      reason,
      previousFrozenAt: period.frozen_at,
      supersededReportIds: superseded.map((r) => r.id).sort((a, b) => a - b),
      unitsScored: res.unitsScored,
      unitsNotAudited: res.unitsNotAudited,
    };
  });
}
