// When the holiday table changes, documents' posting deadlines counted in working days may
// change: the done audits of open periods whose documents span a changed day are re-evaluated
// from what they stored (issue and posting dates), without crawling again, and rescored.
import type { Knex } from "knex";
import { loadHolidays } from "../../db/queries/audits.ts";
import { auditsWithDocumentsSpanning, replaceAuditDeadlines } from "../../db/queries/deadlines.ts";
import { documentDeadline, lateDocumentFinding } from "../checks/freshness.ts";

export async function reevaluateDeadlines(knex: Knex, changedDays: string[]): Promise<{ audits: number; changed: number }> {
  const audits = await auditsWithDocumentsSpanning(knex, changedDays);
  if (!audits.length) return { audits: 0, changed: 0 };
  const holidays = await loadHolidays(knex);
  let changed = 0;
  for (const a of audits) {
    const documents = a.documents.map((d) => documentDeadline(d.url, d.issued, d.posted, d.limit, holidays));
    const same = documents.every((d, i) => d.workingDays === a.documents[i].workingDays && d.late === a.documents[i].late);
    if (same) continue;
    const late = documents.filter((d) => d.late).map((d) => lateDocumentFinding(d, null));
    await replaceAuditDeadlines(knex, a, documents, late, "deadline.late-document");
    changed++;
  }
  return { audits: audits.length, changed };
}
