// Request body limits per route (app/edge/body.ts enforces them before Remix runs; the import
// route checks the streamed upload against its own). Exceeding a limit is answered 413.
export const FORM_BODY_LIMIT = 64 * 1024;
/** The Excel import: the file itself, and the whole multipart body around it. */
export const IMPORT_FILE_LIMIT = 10 * 1024 * 1024;
export const IMPORT_BODY_LIMIT = IMPORT_FILE_LIMIT + 64 * 1024;
export const IMPORT_PATH = "/quan-ly/nhap-excel";

/** Filing an appeal with attachments (app/routes/giai-trinh.gui.tsx): 3 files of 5 MB and the form. */
export const APPEAL_PATH = "/giai-trinh/gui";
export const APPEAL_BODY_LIMIT = 3 * 5 * 1024 * 1024 + 64 * 1024;

export function bodyLimitFor(pathname: string): number {
  const p = pathname.replace(/\.data$/, "");
  return p === IMPORT_PATH ? IMPORT_BODY_LIMIT : p === APPEAL_PATH ? APPEAL_BODY_LIMIT : FORM_BODY_LIMIT;
}

export function tooLargeMessage(limit: number): string {
  const size = limit >= 1024 * 1024 ? `${Math.floor(limit / (1024 * 1024))} MB` : `${Math.floor(limit / 1024)} kB`;
  return `Dữ liệu gửi lên quá lớn (tối đa ${size}).`;
}

/** Raised by the streamed body when it passes its limit; the import route answers it with 413. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(tooLargeMessage(limit));
    this.name = "BodyTooLargeError";
  }
}

/**
 * By name, not instanceof: the edge (app/edge, loaded by tsx) and the routes (the Vite server
 * bundle) each have their own copy of this class. Follows `cause` chains.
 */
export function isBodyTooLarge(e: unknown): boolean {
  for (let x = e, depth = 0; x instanceof Error && depth < 5; x = x.cause, depth++) {
    if (x.name === "BodyTooLargeError" || x.name === "MaxPartSizeExceededError") return true;
  }
  return false;
}
