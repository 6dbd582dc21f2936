// The expectation table of the security matrix: route file × method × role → outcome.
// Kept apart from the test so the CSRF test walks the same mutations.

export type Role = "inspector" | "unit_head" | "province" | "anonymous";
export const ROLES: Role[] = ["inspector", "unit_head", "province", "anonymous"];
export const USERS: Record<Exclude<Role, "anonymous">, string> = { inspector: "kiemtra", unit_head: "thutruong.a", province: "tinh" };

/**
 * ok: 2xx, or a redirect that is not to the login page; login: redirect to /dang-nhap?next=…;
 * a number: exactly that status. 404 for a unit head on another unit's data (no existence leak).
 */
export type Outcome = "ok" | "login" | 400 | 401 | 403 | 404 | 405;

export interface Ctx {
  A: number; // the unit head's own unit
  B: number; // another unit
  pageA: number;
  pageB: number;
  reportProvince: number;
  reportA: number;
  reportB: number;
}

export interface Case {
  method: "GET" | "POST";
  path: (c: Ctx) => string;
  form?: Record<string, string>;
  multipart?: boolean;
  /** Log in a throwaway session for this request (the action ends the session). */
  fresh?: boolean;
  expect: Record<Role, Outcome>;
  note?: string;
}

const all = (o: Outcome): Record<Role, Outcome> => ({ inspector: o, unit_head: o, province: o, anonymous: o });
const users = (o: Outcome): Record<Role, Outcome> => ({ inspector: o, unit_head: o, province: o, anonymous: "login" });
const inspectorOnly: Record<Role, Outcome> = { inspector: "ok", unit_head: 403, province: 403, anonymous: "login" };
const api401 = all(401); // a dashboard session is not an API credential

/** Keyed by the file name in app/routes. */
export const MATRIX: Record<string, Case[]> = {
  "_index.tsx": [
    { method: "GET", path: () => "/", expect: users("ok") },
    { method: "POST", path: () => "/?index", expect: all(405), note: "no action" },
  ],
  "api.$.tsx": [{ method: "GET", path: () => "/api/khong-co", expect: all(404) }],
  "api.v1.periods.tsx": [{ method: "GET", path: () => "/api/v1/periods", expect: api401 }],
  "api.v1.periods_.$code.scores.tsx": [{ method: "GET", path: () => "/api/v1/periods/2026-11/scores", expect: api401 }],
  "api.v1.periods_.$code.close.tsx": [
    { method: "GET", path: () => "/api/v1/periods/2026-10/close", expect: api401 },
    { method: "POST", path: () => "/api/v1/periods/2026-10/close", expect: api401, note: "closing needs an inspector's API token, a session is not one" },
  ],
  "api.v1.periods_.$code.checklist.tsx": [{ method: "GET", path: () => "/api/v1/periods/2026-10/checklist", expect: api401 }],
  "api.v1.units.tsx": [{ method: "GET", path: () => "/api/v1/units", expect: api401 }],
  "api.v1.units_.$id.findings.tsx": [{ method: "GET", path: (c) => `/api/v1/units/${c.A}/findings?period=2026-11`, expect: api401 }],
  "anh-chup.$auditId.tsx": [{ method: "GET", path: () => "/anh-chup/999999", expect: { inspector: 404, unit_head: 404, province: 404, anonymous: "login" }, note: "no screenshot in the seed" }],
  "ban-goc.$pageId.tsx": [
    { method: "GET", path: (c) => `/ban-goc/${c.pageA}`, expect: users("ok") },
    { method: "GET", path: (c) => `/ban-goc/${c.pageB}`, expect: { inspector: "ok", unit_head: 404, province: "ok", anonymous: "login" } },
  ],
  "bang-chung.$pageId.tsx": [
    { method: "GET", path: (c) => `/bang-chung/${c.pageA}`, expect: users("ok") },
    { method: "GET", path: (c) => `/bang-chung/${c.pageB}`, expect: { inspector: "ok", unit_head: 404, province: "ok", anonymous: "login" } },
  ],
  "bao-cao.tsx": [
    { method: "GET", path: () => "/bao-cao", expect: users("ok") },
    { method: "POST", path: () => "/bao-cao", expect: all(405), note: "no action" },
  ],
  "bao-cao_.luu.$id.tsx": [
    { method: "GET", path: (c) => `/bao-cao/luu/${c.reportProvince}`, expect: { inspector: "ok", unit_head: 404, province: "ok", anonymous: "login" } },
    { method: "GET", path: (c) => `/bao-cao/luu/${c.reportA}`, expect: users("ok") },
    { method: "GET", path: (c) => `/bao-cao/luu/${c.reportB}`, expect: { inspector: "ok", unit_head: 404, province: "ok", anonymous: "login" } },
  ],
  "bao-cao_.pdf.$id.tsx": [
    { method: "GET", path: () => "/bao-cao/pdf/2147483647", expect: { inspector: 404, unit_head: 404, province: 404, anonymous: "login" }, note: "no such report (a real one runs LibreOffice)" },
  ],
  "bao-cao_.tai.tsx": [
    { method: "GET", path: () => "/bao-cao/tai", expect: users("ok"), note: "redirects to /bao-cao" },
    { method: "POST", path: () => "/bao-cao/tai", form: { ky: "2026-11", nhap: "1" }, expect: { inspector: "ok", unit_head: 403, province: "ok", anonymous: "login" } },
    { method: "POST", path: (c) => `/bao-cao/tai?donVi=${c.A}`, form: { ky: "2026-11", nhap: "1", donVi: "__A__" }, expect: users("ok") },
    { method: "POST", path: (c) => `/bao-cao/tai?donVi=${c.B}`, form: { ky: "2026-11", nhap: "1", donVi: "__B__" }, expect: { inspector: "ok", unit_head: 403, province: "ok", anonymous: "login" } },
  ],
  "chot-ky.tsx": [
    { method: "GET", path: () => "/chot-ky?ky=2026-10", expect: inspectorOnly },
    { method: "POST", path: () => "/chot-ky", form: { intent: "close", ky: "abc" }, expect: inspectorOnly, note: "bad period code answered with a message" },
    { method: "POST", path: () => "/chot-ky", form: { intent: "reopen", ky: "2026-10", lyDo: "" }, expect: inspectorOnly, note: "reopen without a reason refused with a message" },
  ],
  "dang-nhap.tsx": [
    { method: "GET", path: () => "/dang-nhap", expect: all("ok"), note: "public; signed-in users are redirected to /" },
    { method: "POST", path: () => "/dang-nhap", form: { username: "", password: "" }, expect: all("ok"), note: "public; empty form answered with an error" },
  ],
  "dang-xuat.tsx": [
    { method: "GET", path: () => "/dang-xuat", expect: all("ok"), note: "redirects to /" },
    { method: "POST", path: () => "/dang-xuat", fresh: true, expect: users("ok") },
  ],
  "doi-mat-khau.tsx": [
    { method: "GET", path: () => "/doi-mat-khau", expect: users("ok") },
    { method: "POST", path: () => "/doi-mat-khau", form: { current: "", next: "", confirm: "" }, expect: users("ok"), note: "field errors" },
  ],
  "don-vi.$id.tsx": [
    { method: "GET", path: (c) => `/don-vi/${c.A}`, expect: users("ok") },
    { method: "GET", path: (c) => `/don-vi/${c.B}`, expect: { inspector: "ok", unit_head: 404, province: "ok", anonymous: "login" } },
    { method: "POST", path: (c) => `/don-vi/${c.A}`, form: { intent: "khong-co" }, expect: { inspector: "ok", unit_head: "ok", province: 403, anonymous: "login" } },
    { method: "POST", path: (c) => `/don-vi/${c.B}`, form: { intent: "khong-co" }, expect: { inspector: "ok", unit_head: 404, province: 403, anonymous: "login" } },
    { method: "POST", path: (c) => `/don-vi/${c.A}`, form: { intent: "decide", appealId: "1", decision: "accept", reason: "thử quyền" }, expect: { inspector: "ok", unit_head: 403, province: 403, anonymous: "login" }, note: "only inspectors decide appeals" },
    { method: "POST", path: (c) => `/don-vi/${c.A}`, form: { intent: "file", findingId: "x", explanation: "" }, expect: { inspector: 403, unit_head: "ok", province: 403, anonymous: "login" }, note: "only unit heads file appeals" },
  ],
  "favicon[.]ico.tsx": [{ method: "GET", path: () => "/favicon.ico", expect: all("ok") }],
  "kiem-tra.tsx": [
    { method: "GET", path: () => "/kiem-tra", expect: users("ok") },
    { method: "POST", path: () => "/kiem-tra", form: { intent: "khong-co" }, expect: inspectorOnly },
    { method: "POST", path: () => "/kiem-tra", form: { intent: "schedule", cron: "" }, expect: inspectorOnly },
  ],
  "kiem-tra_.tien-do.tsx": [{ method: "GET", path: () => "/kiem-tra/tien-do", expect: users("ok") }],
  "so-sanh.tsx": [
    { method: "GET", path: () => "/so-sanh?ky1=2026-10&ky2=2026-11", expect: users("ok") },
    { method: "GET", path: (c) => `/so-sanh?ky1=2026-10&ky2=2026-11&don-vi=${c.A}`, expect: users("ok") },
    { method: "GET", path: (c) => `/so-sanh?ky1=2026-10&ky2=2026-11&don-vi=${c.B}`, expect: { inspector: "ok", unit_head: 404, province: "ok", anonymous: "login" } },
    { method: "POST", path: () => "/so-sanh", expect: all(405), note: "no action" },
  ],
  "tieu-chi.tsx": [
    { method: "GET", path: () => "/tieu-chi?ky=2026-11&ma=noi-dung.lich-cong-tac&chi-mat-diem=1", expect: users("ok") },
    { method: "POST", path: () => "/tieu-chi", expect: all(405), note: "no action" },
  ],
  "don-vi.$id_.thay-doi.tsx": [
    { method: "GET", path: (c) => `/don-vi/${c.A}/thay-doi`, expect: users("ok") },
    { method: "GET", path: (c) => `/don-vi/${c.B}/thay-doi`, expect: { inspector: "ok", unit_head: 404, province: "ok", anonymous: "login" } },
    { method: "POST", path: (c) => `/don-vi/${c.A}/thay-doi`, expect: all(405), note: "no action" },
  ],
  "giai-trinh._index.tsx": [
    { method: "GET", path: () => "/giai-trinh", expect: { inspector: "ok", unit_head: "ok", province: 403, anonymous: "login" } },
    { method: "POST", path: () => "/giai-trinh?index", form: { intent: "khong-co" }, expect: inspectorOnly },
  ],
  "giai-trinh.$id.tsx": [
    { method: "GET", path: () => "/giai-trinh/999999", expect: { inspector: 404, unit_head: 404, province: 403, anonymous: "login" }, note: "no such appeal" },
    { method: "POST", path: () => "/giai-trinh/999999", form: { intent: "khong-co" }, expect: { inspector: 404, unit_head: 403, province: 403, anonymous: "login" } },
  ],
  "giai-trinh.gui.tsx": [
    { method: "GET", path: () => "/giai-trinh/gui", expect: { inspector: 403, unit_head: "ok", province: 403, anonymous: "login" }, note: "redirects to the list" },
    { method: "POST", path: () => "/giai-trinh/gui", form: { findingId: "x", explanation: "" }, multipart: true, expect: { inspector: 403, unit_head: "ok", province: 403, anonymous: "login" }, note: "field errors" },
  ],
  "giai-trinh.tep.$fileId.tsx": [
    { method: "GET", path: () => "/giai-trinh/tep/999999", expect: { inspector: 404, unit_head: 404, province: 403, anonymous: "login" }, note: "no such file" },
  ],
  "tai-khoan.tsx": [
    { method: "GET", path: () => "/tai-khoan", expect: users("ok") },
    { method: "POST", path: () => "/tai-khoan", form: { email: "khong-phai-thu" }, expect: users("ok"), note: "field error" },
  ],
  "quan-ly.thu-da-gui.tsx": [
    { method: "GET", path: () => "/quan-ly/thu-da-gui", expect: { inspector: "ok", unit_head: 403, province: 403, anonymous: "login" } },
    { method: "POST", path: () => "/quan-ly/thu-da-gui", expect: all(405), note: "no action" },
  ],
  "xep-hang.tai.tsx": [
    { method: "GET", path: () => "/xep-hang/tai?ky=2026-11&dinh-dang=csv", expect: users("ok") },
    { method: "GET", path: () => "/xep-hang/tai?ky=2026-11&dinh-dang=exe", expect: { inspector: 400, unit_head: 400, province: 400, anonymous: "login" } },
  ],
  "quan-ly.tsx": [
    { method: "GET", path: () => "/quan-ly", expect: inspectorOnly },
    { method: "POST", path: () => "/quan-ly", expect: { inspector: 405, unit_head: 405, province: 405, anonymous: 405 }, note: "no action" },
  ],
  "quan-ly._index.tsx": [{ method: "GET", path: () => "/quan-ly?index", expect: inspectorOnly }],
  "quan-ly.bo-tieu-chi.tsx": [
    { method: "GET", path: () => "/quan-ly/bo-tieu-chi", expect: inspectorOnly },
    { method: "POST", path: () => "/quan-ly/bo-tieu-chi", form: { intent: "publish", versionId: "0" }, expect: inspectorOnly },
  ],
  "quan-ly.don-vi.tsx": [
    { method: "GET", path: () => "/quan-ly/don-vi", expect: inspectorOnly },
    { method: "POST", path: () => "/quan-ly/don-vi", form: { code: "" }, expect: inspectorOnly },
  ],
  "quan-ly.don-vi_.$id.tsx": [
    { method: "GET", path: (c) => `/quan-ly/don-vi/${c.A}`, expect: inspectorOnly },
    { method: "POST", path: (c) => `/quan-ly/don-vi/${c.A}`, form: { intent: "khong-co" }, expect: inspectorOnly },
  ],
  "quan-ly.khoa-api.tsx": [
    { method: "GET", path: () => "/quan-ly/khoa-api", expect: inspectorOnly },
    { method: "POST", path: () => "/quan-ly/khoa-api", form: { intent: "create", name: "" }, expect: inspectorOnly },
  ],
  "quan-ly.ngay-nghi.tsx": [
    { method: "GET", path: () => "/quan-ly/ngay-nghi", expect: inspectorOnly },
    { method: "POST", path: () => "/quan-ly/ngay-nghi", form: { intent: "delete", day: "x" }, expect: inspectorOnly },
  ],
  "quan-ly.nguoi-dung.tsx": [
    { method: "GET", path: () => "/quan-ly/nguoi-dung", expect: inspectorOnly },
    { method: "POST", path: () => "/quan-ly/nguoi-dung", form: { intent: "active", userId: "0", active: "false" }, expect: { ...inspectorOnly, inspector: 400 }, note: "unknown user: 400 with a message" },
  ],
  "quan-ly.nhap-excel.tsx": [
    { method: "GET", path: () => "/quan-ly/nhap-excel", expect: inspectorOnly },
    { method: "POST", path: () => "/quan-ly/nhap-excel", multipart: true, form: {}, expect: { ...inspectorOnly, inspector: 400 }, note: "multipart, no file: 400 with a message" },
  ],
};

