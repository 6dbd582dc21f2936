// Appeals as a workflow (issue 15 §1) and e-mail notifications (§2).
// - appeals: a status the unit head can follow (pending = "Đã gửi", under_review, accepted,
//   rejected; "expired" is an accepted appeal past its expires_on, shown, not stored), a due date
//   in working days, and the decision's scope (finding, page, site, criterion) and expiry.
// - appeal_attachments: PDF/images the unit sends, stored with the appeal (bytea).
// - accepted_findings: the findings an accepted appeal covers, scope and expiry resolved; scoring
//   reads it instead of "appeals where status = 'accepted'" (db/scoring/compute.ts, the lead's).
// - mail_outbox: every e-mail, written in the same transaction as its event and sent by a pg-boss
//   job (app/lib/mail/worker.ts), so a failing mail server never blocks an audit or a decision.
// - notification_prefs: which events each user receives (no row = receives).
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table appeals drop constraint if exists appeals_status_check;
    alter table appeals add constraint appeals_status_check
      check (status in ('pending','under_review','accepted','rejected','expired'));
    alter table appeals
      add column due_on date,
      add column review_started_at timestamptz,
      add column review_started_by integer references users(id),
      add column scope text not null default 'finding' check (scope in ('finding','page','site','criterion')),
      add column criterion_code text,
      add column expires_on date;
    create index appeals_status_idx on appeals(status, due_on);
    drop index if exists appeals_one_open_idx;
    create unique index appeals_one_open_idx on appeals(finding_id) where status in ('pending','under_review','accepted');

    create table appeal_attachments (
      id serial primary key,
      appeal_id integer not null references appeals(id) on delete cascade,
      filename text not null check (length(filename) <= 255),
      content_type text not null check (content_type in ('application/pdf','image/png','image/jpeg','image/gif','image/webp')),
      size_bytes integer not null check (size_bytes > 0 and size_bytes <= 5242880),
      body bytea not null,
      created_at timestamptz not null default now()
    );
    create index appeal_attachments_appeal_idx on appeal_attachments(appeal_id);

    -- Resolved per accepted appeal, driven by the (few) accepted appeals. A later finding is
    -- covered when its audit's Vietnam day is on or before expires_on (no expiry: always).
    create view accepted_findings as
    select a.finding_id, a.id as appeal_id
      from appeals a where a.status = 'accepted'
    union
    select f.id, a.id
      from appeals a
      join findings o on o.id = a.finding_id
      join site_audits oa on oa.id = o.site_audit_id
      join findings f on f.unit_id = o.unit_id and f.site_id = o.site_id
      join site_audits sa on sa.id = f.site_audit_id
     where a.status = 'accepted' and a.scope in ('finding','page','site')
       -- the appealed audit and later ones: an acceptance does not rewrite earlier audits
       and sa.reference_time >= oa.reference_time
       and (a.expires_on is null or (sa.reference_time at time zone 'Asia/Ho_Chi_Minh')::date <= a.expires_on)
       and case a.scope
             when 'finding' then f.code = o.code and f.url is not distinct from o.url and f.category_id is not distinct from o.category_id
             when 'page' then f.url = o.url
             else f.code = o.code and f.category_id is not distinct from o.category_id
           end
    union
    select f.id, a.id
      from appeals a
      join findings o on o.id = a.finding_id
      join site_audits oa on oa.id = o.site_audit_id
      join findings f on f.unit_id = o.unit_id
      join site_audits sa on sa.id = f.site_audit_id
     where a.status = 'accepted' and a.scope = 'criterion' and a.criterion_code is not null
       and sa.reference_time >= oa.reference_time
       and (a.expires_on is null or (sa.reference_time at time zone 'Asia/Ho_Chi_Minh')::date <= a.expires_on)
       and exists (select 1 from rubric_criteria rc
                    where rc.code = a.criterion_code and jsonb_exists(coalesce(rc.measure->'findingCodes', '[]'::jsonb), f.code));

    create table notification_prefs (
      user_id integer not null references users(id) on delete cascade,
      event text not null,
      enabled boolean not null,
      primary key (user_id, event)
    );

    create table mail_outbox (
      id bigserial primary key,
      event text not null,
      user_id integer references users(id) on delete set null,
      to_address text not null,
      subject text not null,
      body_text text not null,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      attempts integer not null default 0,
      last_error text,
      last_attempt_at timestamptz
    );
    create index mail_outbox_unsent_idx on mail_outbox(id) where sent_at is null;
    create index mail_outbox_created_idx on mail_outbox(created_at desc);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table if exists mail_outbox, notification_prefs, appeal_attachments;
    drop view if exists accepted_findings;
    drop index if exists appeals_status_idx;
    drop index if exists appeals_one_open_idx;
    create unique index appeals_one_open_idx on appeals(finding_id) where status in ('pending','accepted');
    alter table appeals drop column if exists due_on, drop column if exists review_started_at,
      drop column if exists review_started_by, drop column if exists scope,
      drop column if exists criterion_code, drop column if exists expires_on;
    alter table appeals drop constraint if exists appeals_status_check;
    alter table appeals add constraint appeals_status_check check (status in ('pending','accepted','rejected'));
  `);
}
