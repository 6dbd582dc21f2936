// Scoring: immutability of published rubric versions (enforced in the database, not only in
// code), frozen snapshots on period scores, and the settings scoring reads.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- A published (or archived) rubric version is used by scores: its criteria never change.
    create function rubric_criteria_guard() returns trigger language plpgsql as $$
    declare
      v_status text;
    begin
      select status into v_status from rubric_versions
       where id = coalesce(new.rubric_version_id, old.rubric_version_id);
      if v_status is distinct from 'draft' and v_status is not null then
        raise exception 'rubric version % is %: its criteria cannot be changed (copy it to a new draft)',
          coalesce(new.rubric_version_id, old.rubric_version_id), v_status
          using errcode = 'P0001';
      end if;
      if tg_op = 'UPDATE' and new.rubric_version_id <> old.rubric_version_id then
        raise exception 'a criterion cannot move between rubric versions' using errcode = 'P0001';
      end if;
      return coalesce(new, old);
    end $$;
    create trigger rubric_criteria_immutable
      before insert or update or delete on rubric_criteria
      for each row execute function rubric_criteria_guard();

    -- Only draft → published and published → archived; nothing else of a non-draft changes.
    create function rubric_versions_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        if old.status <> 'draft' then
          raise exception 'rubric version % is %: it cannot be deleted', old.id, old.status using errcode = 'P0001';
        end if;
        return old;
      end if;
      if old.status = 'draft' then
        return new;
      end if;
      if old.status = 'published' and new.status = 'archived'
         and new.name = old.name and new.version = old.version
         and new.effective_from is not distinct from old.effective_from
         and new.legal_basis is not distinct from old.legal_basis then
        return new;
      end if;
      raise exception 'rubric version % is %: it cannot be changed in place (copy it to a new draft)', old.id, old.status
        using errcode = 'P0001';
    end $$;
    create trigger rubric_versions_immutable
      before update or delete on rubric_versions
      for each row execute function rubric_versions_guard();

    -- What a frozen report needs that lives in mutable rows: the unit as it was named then,
    -- its website, its group; and the scoring settings (tier thresholds, rubric) of the period.
    alter table period_scores add column unit_snapshot jsonb;
    alter table periods add column frozen_settings jsonb;

    create index site_audits_done_ref_idx on site_audits(reference_time) where status = 'done';
    create index appeals_accepted_idx on appeals(finding_id) where status = 'accepted';
    create unique index appeals_one_open_idx on appeals(finding_id) where status in ('pending','accepted');

    insert into settings(key, value) values ('tier_thresholds',
      '[{"tier":"Xuất sắc","min":90},{"tier":"Tốt","min":80},{"tier":"Khá","min":65},{"tier":"Trung bình","min":50},{"tier":"Yếu","min":0}]'::jsonb)
    on conflict (key) do nothing;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop trigger if exists rubric_criteria_immutable on rubric_criteria;
    drop trigger if exists rubric_versions_immutable on rubric_versions;
    drop function if exists rubric_criteria_guard();
    drop function if exists rubric_versions_guard();
    drop index if exists site_audits_done_ref_idx, appeals_accepted_idx, appeals_one_open_idx;
    alter table period_scores drop column if exists unit_snapshot;
    alter table periods drop column if exists frozen_settings;
    delete from settings where key = 'tier_thresholds';
  `);
}
