// Site audits, their pages (as evidence) and findings. Writes are fenced by the attempt
// number: a stale attempt (a worker presumed dead that comes back) can no longer write.
import zlib from "node:zlib";
import type { Knex } from "knex";
import { requestRescoreForAudit } from "../scoring/rescore.ts";

export class StaleAttemptError extends Error {
  constructor(siteAuditId: number, attempt: number) {
    super(`site audit ${siteAuditId}: attempt ${attempt} is no longer current`);
    this.name = "StaleAttemptError";
  }
}

export interface RoundRequest {
  trigger: "schedule" | "manual" | "demo" | "bench" | "test";
  siteIds?: number[];
  unitIds?: number[];
  referenceTime?: Date;
  requestedBy?: number | null;
}

export interface QueuedAudit {
  id: number;
  siteId: number;
}

/** Creates a round and one queued site audit per active site of active units (filtered). */
export async function createRound(knex: Knex, req: RoundRequest): Promise<{ roundId: number; audits: QueuedAudit[] }> {
  return knex.transaction(async (trx) => {
    const [round] = await trx("audit_rounds")
      .insert({ trigger: req.trigger, requested_by: req.requestedBy ?? null, reference_time: req.referenceTime ?? trx.fn.now() })
      .returning(["id", "reference_time"]);
    const sites = trx("sites as s")
      .join("units as u", "u.id", "s.unit_id")
      .where("s.active", true)
      .andWhere("u.active", true)
      .select(trx.raw("? as round_id", [round.id]), "s.id as site_id", "s.unit_id", trx.raw("?::timestamptz as reference_time", [round.reference_time]));
    if (req.siteIds) sites.whereIn("s.id", req.siteIds);
    if (req.unitIds) sites.whereIn("s.unit_id", req.unitIds);
    const rows: { id: number; site_id: number }[] = await trx
      .into(trx.raw("site_audits (round_id, site_id, unit_id, reference_time)"))
      .insert(sites)
      .returning(["id", "site_id"]);
    if (!rows.length) await trx("audit_rounds").where({ id: round.id }).update({ status: "done", finished_at: trx.fn.now() });
    return { roundId: round.id, audits: rows.map((r) => ({ id: r.id, siteId: r.site_id })) };
  });
}

export async function setJobIds(knex: Knex, pairs: { id: number; jobId: string }[]): Promise<void> {
  if (!pairs.length) return;
  await knex.raw(
    `update site_audits sa set job_id = v.job_id from unnest(?::bigint[], ?::text[]) as v(id, job_id) where sa.id = v.id`,
    [pairs.map((p) => p.id), pairs.map((p) => p.jobId)],
  );
}

export interface AuditContext {
  id: number;
  roundId: number | null;
  status: string;
  attempts: number;
  referenceTime: Date;
  site: {
    id: number;
    baseUrl: string;
    allowedHosts: string[];
    allowPrivate: boolean;
    renderMode: "auto" | "never" | "always";
    maxPages: number | null;
    crawlDelayMs: number | null;
  };
  unit: { id: number; name: string; unitType: string };
}

export async function loadAuditContext(knex: Knex, siteAuditId: number): Promise<AuditContext | null> {
  const row = await knex("site_audits as sa")
    .join("sites as s", "s.id", "sa.site_id")
    .join("units as u", "u.id", "sa.unit_id")
    .where("sa.id", siteAuditId)
    .first(
      "sa.id",
      "sa.round_id",
      "sa.status",
      "sa.attempts",
      "sa.reference_time",
      "s.id as site_id",
      "s.base_url",
      "s.allowed_hosts",
      "s.allow_private",
      "s.render_mode",
      "s.max_pages",
      "s.crawl_delay_ms",
      "u.id as unit_id",
      "u.name as unit_name",
      "u.unit_type",
    );
  if (!row) return null;
  return {
    id: row.id,
    roundId: row.round_id,
    status: row.status,
    attempts: row.attempts,
    referenceTime: new Date(row.reference_time),
    site: {
      id: row.site_id,
      baseUrl: row.base_url,
      allowedHosts: row.allowed_hosts ?? [],
      allowPrivate: row.allow_private,
      renderMode: row.render_mode,
      maxPages: row.max_pages,
      crawlDelayMs: row.crawl_delay_ms,
    },
    unit: { id: row.unit_id, name: row.unit_name, unitType: row.unit_type },
  };
}

/**
 * Starts (or restarts) an attempt in one transaction: the partial results of any earlier
 * attempt are deleted and the progress reset. Returns the attempt number, or null when the
 * audit is already finished (a duplicate delivery of its job).
 */
export async function beginAttempt(knex: Knex, siteAuditId: number, worker: string, jobId: string | null): Promise<number | null> {
  return knex.transaction(async (trx) => {
    const row = await trx("site_audits").where({ id: siteAuditId }).forUpdate().first("status", "attempts");
    if (!row || row.status === "done" || row.status === "cancelled") return null;
    await trx("findings").where({ site_audit_id: siteAuditId }).delete();
    await trx("pages").where({ site_audit_id: siteAuditId }).delete();
    const attempt = row.attempts + 1;
    await trx("site_audits")
      .where({ id: siteAuditId })
      .update({
        status: "running",
        attempts: attempt,
        worker,
        job_id: jobId ?? trx.raw("job_id"),
        started_at: trx.fn.now(),
        heartbeat_at: trx.fn.now(),
        finished_at: null,
        pages_planned: 0,
        pages_done: 0,
        pages_failed: 0,
        error: null,
        summary: null,
      });
    return attempt;
  });
}

export async function updateProgress(
  knex: Knex,
  siteAuditId: number,
  attempt: number,
  p: { planned: number; done: number; failed: number },
): Promise<boolean> {
  const n = await knex("site_audits")
    .where({ id: siteAuditId, attempts: attempt, status: "running" })
    .update({ pages_planned: p.planned, pages_done: p.done, pages_failed: p.failed, heartbeat_at: knex.fn.now() });
  return n > 0;
}

export async function heartbeat(knex: Knex, siteAuditId: number, attempt: number): Promise<boolean> {
  const n = await knex("site_audits").where({ id: siteAuditId, attempts: attempt, status: "running" }).update({ heartbeat_at: knex.fn.now() });
  return n > 0;
}

export interface PageRecord {
  url: string;
  finalUrl: string;
  status: number;
  kind: string | null;
  depth: number;
  fetchedAt: Date;
  durationMs: number | null;
  headers: Record<string, string>;
  contentHash: string | null;
  body: Buffer | null;
  rendered: boolean;
  notModified: boolean;
  title: string | null;
  error: string | null;
}

/** PostgreSQL text and jsonb cannot hold NUL characters; hostile pages put them anywhere. */
function noNul(s: string): string;
function noNul(s: string | null): string | null;
function noNul(s: string | null): string | null {
  return s && s.includes("\u0000") ? s.replace(/\u0000/g, "") : s;
}

function jsonNoNul<T>(value: T): T {
  const text = JSON.stringify(value ?? {});
  if (!text.includes("\\u0000")) return (value ?? {}) as T;
  try {
    return JSON.parse(text.replace(/(?<!\\)\\u0000/g, "")) as T;
  } catch {
    return {} as T;
  }
}

const KEPT_HEADERS = ["content-type", "last-modified", "etag", "server", "content-length", "location", "content-encoding", "cache-control"];

function charsetOf(contentType: string | undefined): string | null {
  const m = contentType ? /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType) : null;
  return m ? m[1].toLowerCase() : null;
}

async function assertCurrent(trx: Knex.Transaction, siteAuditId: number, attempt: number): Promise<void> {
  const row = await trx("site_audits").where({ id: siteAuditId }).forShare().first("attempts", "status");
  if (!row || row.attempts !== attempt || row.status !== "running") throw new StaleAttemptError(siteAuditId, attempt);
}

/** Stores a batch of pages; bodies go to snapshots once per content hash (brotli). */
export async function insertPages(knex: Knex, siteAuditId: number, attempt: number, pages: PageRecord[]): Promise<void> {
  if (!pages.length) return;
  const snapshots = new Map<string, { hash: string; body: Buffer; compression: string; size_bytes: number }>();
  for (const p of pages) {
    if (!p.contentHash || !p.body || p.notModified || snapshots.has(p.contentHash)) continue;
    snapshots.set(p.contentHash, {
      hash: p.contentHash,
      body: zlib.brotliCompressSync(p.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: p.body.length } }),
      compression: "br",
      size_bytes: p.body.length,
    });
  }
  // Unique per (audit, url): a URL reached twice in one crawl (e.g. via a redirect) keeps its first fetch.
  const byUrl = new Map<string, PageRecord>();
  for (const p of pages) if (!byUrl.has(p.url)) byUrl.set(p.url, p);
  await knex.transaction(async (trx) => {
    await assertCurrent(trx, siteAuditId, attempt);
    if (snapshots.size) await trx("snapshots").insert([...snapshots.values()]).onConflict("hash").ignore();
    const rows = [...byUrl.values()].map((p) => {
      const headers: Record<string, string> = {};
      for (const h of KEPT_HEADERS) if (p.headers[h] !== undefined) headers[h] = noNul(p.headers[h]);
      return {
        site_audit_id: siteAuditId,
        url: p.url,
        final_url: p.finalUrl,
        status: p.status,
        kind: p.kind,
        depth: p.depth,
        fetched_at: p.fetchedAt,
        duration_ms: p.durationMs == null ? null : Math.round(p.durationMs),
        content_type: noNul(p.headers["content-type"] ?? null),
        charset_declared: charsetOf(p.headers["content-type"]),
        headers,
        etag: noNul(p.headers.etag ?? null),
        last_modified: noNul(p.headers["last-modified"] ?? null),
        content_hash: p.contentHash && (p.body || p.notModified) ? p.contentHash : null,
        size_bytes: p.body ? p.body.length : null,
        rendered: p.rendered,
        not_modified: p.notModified,
        title: p.title ? noNul(p.title.slice(0, 1000)) : null,
        error: noNul(p.error),
      };
    });
    for (let i = 0; i < rows.length; i += 500) await trx("pages").insert(rows.slice(i, i + 500)).onConflict(["site_audit_id", "url"]).ignore();
  });
}

export interface FindingRecord {
  check: string;
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  url: string | null;
  categoryId?: string | null;
  snippet?: string | null;
  details?: Record<string, unknown>;
}

export interface FinishRequest {
  status: "done" | "failed";
  summary: Record<string, unknown> | null;
  findings: FindingRecord[];
  error: string | null;
  progress: { planned: number; done: number; failed: number };
}

/**
 * Findings, summary and the final status in one transaction: a half-finished attempt is
 * never visible as done. Also closes the round when this was its last open audit.
 */
export async function finishAudit(knex: Knex, siteAuditId: number, attempt: number, req: FinishRequest): Promise<void> {
  await knex.transaction(async (trx) => {
    const row = await trx("site_audits").where({ id: siteAuditId }).forUpdate().first("attempts", "status", "site_id", "unit_id", "round_id");
    if (!row || row.attempts !== attempt || row.status !== "running") throw new StaleAttemptError(siteAuditId, attempt);
    const pageRows: { id: number; url: string; final_url: string | null }[] = await trx("pages").where({ site_audit_id: siteAuditId }).select("id", "url", "final_url");
    const pageId = new Map<string, number>();
    for (const p of pageRows) {
      pageId.set(p.url, p.id);
      if (p.final_url && !pageId.has(p.final_url)) pageId.set(p.final_url, p.id);
    }
    const rows = req.findings.map((f) => ({
      site_audit_id: siteAuditId,
      site_id: row.site_id,
      unit_id: row.unit_id,
      check_id: f.check,
      code: f.code,
      category_id: f.categoryId ?? null,
      severity: f.severity,
      message: noNul(f.message),
      page_id: f.url ? (pageId.get(f.url) ?? null) : null,
      url: noNul(f.url),
      snippet: noNul(f.snippet ?? null),
      details: jsonNoNul(f.details ?? {}),
    }));
    for (let i = 0; i < rows.length; i += 500) await trx("findings").insert(rows.slice(i, i + 500));
    await trx("site_audits")
      .where({ id: siteAuditId })
      .update({
        status: req.status,
        summary: req.summary ? jsonNoNul(req.summary) : null,
        error: noNul(req.error),
        finished_at: trx.fn.now(),
        heartbeat_at: trx.fn.now(),
        pages_planned: req.progress.planned,
        pages_done: req.progress.done,
        pages_failed: req.progress.failed,
      });
    // Scores follow the audit: the request commits with the audit, whoever drains next rescores.
    if (req.status === "done") await requestRescoreForAudit(trx, siteAuditId);
    if (row.round_id) await closeRoundIfComplete(trx, row.round_id);
  });
}

export async function closeRoundIfComplete(knex: Knex, roundId: number): Promise<void> {
  await knex.raw(
    `update audit_rounds set status = 'done', finished_at = now()
      where id = ? and status = 'running'
        and not exists (select 1 from site_audits where round_id = ? and status in ('queued','running'))`,
    [roundId, roundId],
  );
}

/** Marks an audit failed whatever its attempt (its job is gone or out of retries). */
export async function failAudit(knex: Knex, siteAuditId: number, error: string): Promise<void> {
  await knex.transaction(async (trx) => {
    const row = await trx("site_audits").where({ id: siteAuditId }).forUpdate().first("status", "round_id");
    if (!row || row.status === "done" || row.status === "failed" || row.status === "cancelled") return;
    await trx("site_audits").where({ id: siteAuditId }).update({ status: "failed", error, finished_at: trx.fn.now() });
    if (row.round_id) await closeRoundIfComplete(trx, row.round_id);
  });
}

export interface PreviousPageRow {
  url: string;
  kind: string | null;
  depth: number;
  status: number;
  etag: string | null;
  lastModified: string | null;
  contentHash: string | null;
  headers: Record<string, string>;
  title: string | null;
  rendered: boolean;
  error: string | null;
}

/** Pages of the site's latest finished audit in fetch order (for conditional requests), and its item URLs. */
export async function previousAudit(
  knex: Knex,
  siteId: number,
  excludeAuditId: number,
): Promise<{ auditId: number; pages: PreviousPageRow[]; itemUrls: string[] } | null> {
  const prev = await knex("site_audits")
    .where({ site_id: siteId, status: "done" })
    .whereNot({ id: excludeAuditId })
    .orderBy("finished_at", "desc")
    .first("id", "summary");
  if (!prev) return null;
  const rows = await knex("pages")
    .where({ site_audit_id: prev.id })
    .orderBy("id")
    .select("url", "kind", "depth", "status", "etag", "last_modified", "content_hash", "headers", "title", "rendered", "error");
  const items = (prev.summary?.result?.freshness?.items ?? []) as { url: string }[];
  return {
    auditId: prev.id,
    pages: rows.map((r) => ({
      url: r.url,
      kind: r.kind,
      depth: r.depth,
      status: r.status,
      etag: r.etag,
      lastModified: r.last_modified,
      contentHash: r.content_hash,
      headers: r.headers ?? {},
      title: r.title,
      rendered: r.rendered,
      error: r.error,
    })),
    itemUrls: items.map((i) => i.url),
  };
}

export async function loadSnapshotBody(knex: Knex, hash: string): Promise<Buffer | null> {
  const row = await knex("snapshots").where({ hash }).first("body", "compression");
  if (!row) return null;
  if (row.compression === "br") return zlib.brotliDecompressSync(row.body);
  if (row.compression === "gzip") return zlib.gunzipSync(row.body);
  return row.body;
}

export async function loadHolidays(knex: Knex): Promise<Record<string, string>> {
  const rows: { day: string; name: string; kind: string }[] = await knex("holidays").whereNot({ kind: "working_day" }).select("day", "name", "kind");
  const out: Record<string, string> = {};
  for (const r of rows) out[r.day] = r.name;
  return out;
}

export interface RoundProgress {
  roundId: number;
  status: string;
  total: number;
  queued: number;
  running: number;
  done: number;
  failed: number;
  pagesDone: number;
  pagesPlanned: number;
}

export async function roundProgress(knex: Knex, roundId: number): Promise<RoundProgress | null> {
  const round = await knex("audit_rounds").where({ id: roundId }).first("id", "status");
  if (!round) return null;
  const r = await knex("site_audits")
    .where({ round_id: roundId })
    .first(
      knex.raw("count(*)::int as total"),
      knex.raw("count(*) filter (where status = 'queued')::int as queued"),
      knex.raw("count(*) filter (where status = 'running')::int as running"),
      knex.raw("count(*) filter (where status = 'done')::int as done"),
      knex.raw("count(*) filter (where status in ('failed','cancelled'))::int as failed"),
      knex.raw("coalesce(sum(pages_done), 0)::int as pages_done"),
      knex.raw("coalesce(sum(greatest(pages_planned, pages_done)), 0)::int as pages_planned"),
    );
  return {
    roundId,
    status: round.status,
    total: r.total,
    queued: r.queued,
    running: r.running,
    done: r.done,
    failed: r.failed,
    pagesDone: r.pages_done,
    pagesPlanned: r.pages_planned,
  };
}

/** Audits whose worker stopped reporting: running with an old heartbeat while their job is still active. */
export async function staleAudits(
  knex: Knex,
  queueSchema: string,
  queueName: string,
  staleSeconds: number,
): Promise<{ id: number; jobId: string; attempts: number }[]> {
  const rows = await knex.raw(
    `select sa.id, sa.job_id, sa.attempts
       from site_audits sa
       join ${queueSchema}.job j on j.name = ? and j.id::text = sa.job_id and j.state = 'active'
      where (sa.status = 'running' and sa.heartbeat_at < now() - make_interval(secs => ?))
         -- taken by a worker that died (or lost the database) before the audit started
         or (sa.status = 'queued' and j.started_on < now() - make_interval(secs => ?))`,
    [queueName, staleSeconds, staleSeconds],
  );
  return rows.rows.map((r: { id: number; job_id: string; attempts: number }) => ({ id: r.id, jobId: r.job_id, attempts: r.attempts }));
}

/** Queued or running audits whose queue job no longer exists in an open state. */
export async function orphanedAudits(knex: Knex, queueSchema: string, queueName: string, graceSeconds: number): Promise<{ id: number; jobState: string | null }[]> {
  const rows = await knex.raw(
    `select sa.id, j.state as job_state
       from site_audits sa
       left join ${queueSchema}.job j on j.name = ? and j.id::text = sa.job_id
      where sa.status in ('queued','running')
        and sa.job_id is not null
        and coalesce(sa.heartbeat_at, sa.queued_at) < now() - make_interval(secs => ?)
        and (j.id is null or j.state in ('completed','cancelled','failed'))`,
    [queueName, graceSeconds],
  );
  return rows.rows.map((r: { id: number; job_state: string | null }) => ({ id: r.id, jobState: r.job_state }));
}

export async function getSetting<T>(knex: Knex, key: string): Promise<T | null> {
  const row = await knex("settings").where({ key }).first("value");
  return row ? (row.value as T) : null;
}

export async function activeSiteIdsOfUnit(knex: Knex, unitId: number): Promise<number[]> {
  const rows = await knex("sites").where({ unit_id: unitId, active: true }).select("id");
  return rows.map((r) => r.id);
}
