// The list of migrations, imported statically so that they load the same way under tsx,
// vitest and the bundled server. Add new migrations here, in order.
import type { Knex } from "knex";
import * as initial from "./20261122000000_initial.ts";
import * as scoring from "./20261122010500_scoring.ts";
import * as scoringCriterionFk from "./20261122010600_scoring_criterion_fk.ts";
import * as scoringSetBasedIntegrity from "./20261122010700_scoring_set_based_integrity.ts";
import * as scoringIntegrityPlan from "./20261122010800_scoring_integrity_plan.ts";
import * as scoringAuditValues from "./20261122010900_scoring_audit_values.ts";
import * as criterionScoreSets from "./20261122011000_criterion_score_sets.ts";
import * as rescoring from "./20261130010000_rescoring.ts";
import * as periodScoresHot from "./20261130010100_period_scores_hot.ts";
import * as searchFold from "./20261130100000_search_fold.ts";
import * as scheduledSlots from "./20261130020000_scheduled_slots.ts";
import * as reportSupersede from "./20261130030001_report_supersede.ts";
import * as loginAttemptKind from "./20261130120000_login_attempt_kind.ts";
import * as periodReportTexts from "./20261130160000_period_report_texts.ts";
import * as unverifiedDecisions from "./20261130140000_unverified_decisions.ts";
import * as unitLineage from "./20261201010000_unit_lineage.ts";
import * as pageLoad from "./20261201040000_page_load.ts";
import * as appealsMail from "./20261201080000_appeals_mail.ts";
import * as auditScreenshots from "./20261201060000_audit_screenshots.ts";

export const MIGRATIONS: Record<string, Knex.Migration> = {
  "20261122000000_initial.ts": initial,
  "20261122010500_scoring.ts": scoring,
  "20261122010600_scoring_criterion_fk.ts": scoringCriterionFk,
  "20261122010700_scoring_set_based_integrity.ts": scoringSetBasedIntegrity,
  "20261122010800_scoring_integrity_plan.ts": scoringIntegrityPlan,
  "20261122010900_scoring_audit_values.ts": scoringAuditValues,
  "20261122011000_criterion_score_sets.ts": criterionScoreSets,
  "20261130010000_rescoring.ts": rescoring,
  "20261130010100_period_scores_hot.ts": periodScoresHot,
  "20261130100000_search_fold.ts": searchFold,
  "20261130020000_scheduled_slots.ts": scheduledSlots,
  "20261130030001_report_supersede.ts": reportSupersede,
  "20261130120000_login_attempt_kind.ts": loginAttemptKind,
  "20261130160000_period_report_texts.ts": periodReportTexts,
  "20261130140000_unverified_decisions.ts": unverifiedDecisions,
  "20261201010000_unit_lineage.ts": unitLineage,
  "20261201040000_page_load.ts": pageLoad,
  "20261201080000_appeals_mail.ts": appealsMail,
  "20261201060000_audit_screenshots.ts": auditScreenshots,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(MIGRATIONS).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => MIGRATIONS[name],
};
