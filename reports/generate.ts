// Generating a report: load the model, render, archive (who and when, sha256).
import type { Knex } from "knex";
import { archiveReport, loadReportModel } from "../db/queries/reports.ts";
import { renderReport, reportFileName } from "./build.ts";
import { sha256 } from "./write.ts";

export interface GenerateOptions {
  periodCode: string;
  /** A unit report for this unit; the province report when absent. */
  unitId?: number;
  /** Who asked (archived with the file); null for the scheduler or the command line. */
  userId?: number | null;
  /**
   * For a period that is not frozen: build a draft ("bản nháp", marked on every sheet and in the
   * file name) instead of refusing. Default false: the dashboard and the command refuse.
   */
  allowDraft?: boolean;
  /** Date printed on a draft (frozen reports carry their freeze date). */
  now?: Date;
  /** Store the file in the reports table (default true). */
  archive?: boolean;
}

export interface GeneratedReport {
  fileName: string;
  buffer: Buffer;
  sha256: string;
  /** Id in the reports table, null when not archived. */
  reportId: number | null;
  draft: boolean;
}

/** Throws ReportError (db/queries/reports.ts) with a one-line Vietnamese message for a bad request. */
export async function generateReport(knex: Knex, opts: GenerateOptions): Promise<GeneratedReport> {
  const model = await loadReportModel(knex, {
    periodCode: opts.periodCode,
    unitId: opts.unitId,
    allowDraft: opts.allowDraft ?? false,
    now: opts.now,
  });
  const buffer = await renderReport(model);
  const fileName = reportFileName(model);
  const hash = sha256(buffer);
  const reportId =
    opts.archive === false
      ? null
      : await archiveReport(knex, {
          periodCode: model.period.code,
          unitId: model.kind === "unit" ? model.unitId : null,
          fileName,
          content: buffer,
          sha256: hash,
          userId: opts.userId ?? null,
        });
  return { fileName, buffer, sha256: hash, reportId, draft: model.draft };
}
