// The initial schema. History first: an audit is never overwritten by the next one;
// pages, findings and scores always hang off the audit (or period) that produced them.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table settings (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    );

    create table unit_groups (
      code text primary key,
      name text not null,
      sort integer not null default 0
    );

    create table units (
      id serial primary key,
      code text not null unique,
      name text not null,
      short_name text,
      unit_type text not null check (unit_type in ('so','ban','ubnd_huyen','ubnd_xa','don_vi_su_nghiep','cong_tinh')),
      group_code text not null references unit_groups(code),
      parent_id integer references units(id),
      head_email text,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index units_group_idx on units(group_code) where active;

    create table sites (
      id serial primary key,
      unit_id integer not null references units(id),
      base_url text not null,
      allowed_hosts text[] not null default '{}',
      allow_private boolean not null default false,
      render_mode text not null default 'auto' check (render_mode in ('auto','never','always')),
      max_pages integer check (max_pages is null or max_pages > 0),
      crawl_delay_ms integer check (crawl_delay_ms is null or crawl_delay_ms >= 0),
      is_primary boolean not null default true,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (unit_id, base_url)
    );
    create index sites_unit_idx on sites(unit_id);

    create table users (
      id serial primary key,
      username text not null unique,
      password_hash text not null,
      full_name text not null default '',
      email text,
      role text not null check (role in ('inspector','unit_head','province')),
      unit_id integer references units(id),
      active boolean not null default true,
      password_changed_at timestamptz,
      created_at timestamptz not null default now(),
      check (role <> 'unit_head' or unit_id is not null)
    );

    create table sessions (
      id text primary key,
      user_id integer not null references users(id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ip text,
      user_agent text
    );
    create index sessions_user_idx on sessions(user_id);

    create table login_attempts (
      id bigserial primary key,
      username text not null,
      ip text,
      success boolean not null,
      at timestamptz not null default now()
    );
    create index login_attempts_recent_idx on login_attempts(username, at desc);
    create index login_attempts_ip_idx on login_attempts(ip, at desc);

    create table api_tokens (
      id serial primary key,
      name text not null,
      token_hash text not null unique,
      created_by integer references users(id),
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    create table audit_rounds (
      id serial primary key,
      trigger text not null check (trigger in ('schedule','manual','demo','bench','test')),
      requested_by integer references users(id),
      reference_time timestamptz not null default now(),
      created_at timestamptz not null default now(),
      finished_at timestamptz,
      status text not null default 'running' check (status in ('running','done','cancelled'))
    );

    -- One row per attempt to audit a site. A retried job replaces its partial audit (same row,
    -- pages and findings deleted and redone), so a round holds at most one audit per site.
    create table site_audits (
      id bigserial primary key,
      round_id integer references audit_rounds(id),
      site_id integer not null references sites(id),
      unit_id integer not null references units(id),
      status text not null default 'queued' check (status in ('queued','running','done','failed','cancelled')),
      attempts integer not null default 0,
      worker text,
      job_id text,
      reference_time timestamptz not null default now(),
      queued_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      heartbeat_at timestamptz,
      pages_planned integer not null default 0,
      pages_done integer not null default 0,
      pages_failed integer not null default 0,
      error text,
      summary jsonb,
      unique (round_id, site_id)
    );
    create index site_audits_site_idx on site_audits(site_id, finished_at desc);
    create index site_audits_unit_idx on site_audits(unit_id, finished_at desc);
    create index site_audits_running_idx on site_audits(status) where status in ('queued','running');

    -- Page bodies, compressed, stored once per content hash (sha256 of the raw body).
    create table snapshots (
      hash text primary key,
      body bytea not null,
      compression text not null default 'br' check (compression in ('br','gzip','none')),
      size_bytes integer not null,
      stored_at timestamptz not null default now()
    );

    create table pages (
      id bigserial primary key,
      site_audit_id bigint not null references site_audits(id) on delete cascade,
      url text not null,
      final_url text,
      status integer,
      kind text,
      depth integer not null default 0,
      fetched_at timestamptz not null default now(),
      duration_ms integer,
      content_type text,
      charset_declared text,
      headers jsonb not null default '{}',
      etag text,
      last_modified text,
      content_hash text references snapshots(hash),
      size_bytes integer,
      rendered boolean not null default false,
      not_modified boolean not null default false,
      title text,
      error text,
      unique (site_audit_id, url)
    );
    create index pages_hash_idx on pages(content_hash);

    create table findings (
      id bigserial primary key,
      site_audit_id bigint not null references site_audits(id) on delete cascade,
      site_id integer not null references sites(id),
      unit_id integer not null references units(id),
      check_id text not null,
      code text not null,
      category_id text,
      severity text not null check (severity in ('error','warning','info')),
      message text not null,
      page_id bigint references pages(id) on delete set null,
      url text,
      snippet text,
      details jsonb not null default '{}',
      created_at timestamptz not null default now()
    );
    create index findings_audit_idx on findings(site_audit_id);
    create index findings_unit_idx on findings(unit_id, created_at desc);
    create index findings_check_idx on findings(check_id, code);

    create table rubric_versions (
      id serial primary key,
      name text not null,
      version integer not null,
      status text not null default 'draft' check (status in ('draft','published','archived')),
      effective_from date,
      legal_basis text,
      based_on_id integer references rubric_versions(id),
      notes text,
      created_by integer references users(id),
      created_at timestamptz not null default now(),
      published_at timestamptz,
      unique (name, version)
    );

    create table rubric_criteria (
      id serial primary key,
      rubric_version_id integer not null references rubric_versions(id) on delete cascade,
      code text not null,
      group_code text not null check (group_code in ('noi-dung','cap-nhat','unicode','dinh-danh','ky-thuat')),
      name text not null,
      max_points numeric(6,2) not null check (max_points >= 0),
      measure jsonb not null,
      applies_to text[] not null default '{}',
      legal_basis text,
      sort integer not null default 0,
      unique (rubric_version_id, code)
    );

    create table periods (
      id serial primary key,
      kind text not null check (kind in ('month','quarter','half','year')),
      code text not null unique,
      starts_on date not null,
      ends_on date not null,
      frozen_at timestamptz,
      frozen_by integer references users(id),
      rubric_version_id integer references rubric_versions(id),
      check (ends_on >= starts_on)
    );

    create table period_scores (
      period_id integer not null references periods(id) on delete cascade,
      unit_id integer not null references units(id),
      rubric_version_id integer not null references rubric_versions(id),
      group_code text not null,
      status text not null check (status in ('scored','not_audited')),
      audits_count integer not null default 0,
      total numeric(7,2),
      max_total numeric(7,2),
      group_points jsonb not null default '{}',
      tier text,
      rank integer,
      previous_total numeric(7,2),
      previous_rank integer,
      computed_at timestamptz not null default now(),
      frozen boolean not null default false,
      primary key (period_id, unit_id)
    );
    create index period_scores_rank_idx on period_scores(period_id, group_code, rank);
    create index period_scores_unit_idx on period_scores(unit_id, period_id);

    create table criterion_scores (
      period_id integer not null references periods(id) on delete cascade,
      unit_id integer not null references units(id),
      criterion_code text not null,
      group_code text not null,
      points numeric(7,2),
      max_points numeric(7,2) not null,
      detail jsonb not null default '{}',
      finding_ids bigint[] not null default '{}',
      primary key (period_id, unit_id, criterion_code)
    );

    create table appeals (
      id serial primary key,
      finding_id bigint not null references findings(id),
      unit_id integer not null references units(id),
      filed_by integer not null references users(id),
      filed_at timestamptz not null default now(),
      explanation text not null,
      status text not null default 'pending' check (status in ('pending','accepted','rejected')),
      decided_by integer references users(id),
      decided_at timestamptz,
      decision_reason text
    );
    create index appeals_finding_idx on appeals(finding_id);
    create index appeals_unit_idx on appeals(unit_id, status);

    create table audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      user_id integer references users(id),
      actor text,
      action text not null,
      entity text,
      entity_id text,
      details jsonb not null default '{}',
      ip text
    );
    create index audit_log_at_idx on audit_log(at desc);

    create table holidays (
      day date primary key,
      name text not null,
      kind text not null default 'holiday' check (kind in ('holiday','compensatory','working_day')),
      source text not null default 'rule' check (source in ('rule','inspector')),
      updated_by integer references users(id),
      updated_at timestamptz not null default now()
    );

    create table reports (
      id serial primary key,
      period_id integer not null references periods(id),
      unit_id integer references units(id),
      kind text not null check (kind in ('province','unit')),
      file_name text not null,
      content bytea not null,
      sha256 text not null,
      created_by integer references users(id),
      created_at timestamptz not null default now()
    );
    create index reports_period_idx on reports(period_id, kind);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table if exists reports, holidays, audit_log, appeals, criterion_scores, period_scores, periods,
      rubric_criteria, rubric_versions, findings, pages, snapshots, site_audits, audit_rounds, api_tokens,
      login_attempts, sessions, users, sites, units, unit_groups, settings cascade;
  `);
}
