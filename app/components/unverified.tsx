// "Chưa xác minh được" items of a unit (docs/decisions/0013-unverified.md) and the coverage of
// its latest audits, on the unit page. Each undecided item offers the inspector "Tính là không
// đạt" (count it against the unit); "Kiểm tra ngay" above re-audits the unit.
import { Form } from "@remix-run/react";
import { CsrfField } from "./csrf.tsx";

export const UNVERIFIED_REASON_LABELS: Record<string, string> = {
  blocked: "bộ thu thập bị chặn (HTTP 403/429, tường lửa)",
  "render-failed": "không hiển thị được trang bằng Chromium",
  timeout: "quá thời gian chờ",
  "not-fetched": "chưa tải được trong giới hạn của lượt kiểm tra",
  transient: "lỗi tạm thời của máy chủ sau khi đã thử lại",
};

const COVERAGE_REASON_LABELS: Record<string, string> = {
  ...UNVERIFIED_REASON_LABELS,
  "not-found": "không tồn tại (404/410)",
  other: "lỗi khác",
};

export interface UnverifiedView {
  siteAuditId: number;
  baseUrl: string;
  day: string;
  key: string;
  label: string;
  reason: string;
  detail: string;
  url: string | null;
  decision: string | null;
  decidedBy: string | null;
}

export interface CoverageView {
  baseUrl: string;
  coverage: {
    found: number;
    fetched: number;
    ok: number;
    failed: number;
    failedByReason: Record<string, number>;
    notFetched: number;
    robotsSkipped: number;
    retried: number;
  } | null;
}

function fmtDay(day: string): string {
  const [y, m, d] = day.split("-");
  return `${d}/${m}/${y}`;
}

export function CoverageList({ items }: { items: CoverageView[] }) {
  const shown = items.filter((i) => i.coverage);
  if (!shown.length) return null;
  return (
    <ul className="coverage">
      {shown.map((i) => {
        const c = i.coverage!;
        const reasons = Object.entries(c.failedByReason ?? {})
          .filter(([, n]) => n > 0)
          .map(([r, n]) => `${COVERAGE_REASON_LABELS[r] ?? r}: ${n}`);
        return (
          <li key={i.baseUrl}>
            {i.baseUrl}: tìm thấy {c.found} trang, đã tải {c.fetched}, tải được {c.ok}, lỗi {c.failed}
            {reasons.length ? ` (${reasons.join("; ")})` : ""}, chưa tải {c.notFetched}
            {c.robotsSkipped ? `, robots.txt không cho phép ${c.robotsSkipped}` : ""}
            {c.retried ? `, ${c.retried} trang phải thử lại` : ""}.
          </li>
        );
      })}
    </ul>
  );
}

export function UnverifiedList({ items, canDecide, action }: { items: UnverifiedView[]; canDecide: boolean; action: string }) {
  if (!items.length) return <p className="muted">Không có mục nào chưa xác minh được.</p>;
  return (
    <ul>
      {items.map((i) => (
        <li key={`${i.siteAuditId}:${i.key}`}>
          <span className="tag warn">Chưa xác minh được</span> <strong>{i.label}</strong> — {UNVERIFIED_REASON_LABELS[i.reason] ?? i.reason}. {i.detail}{" "}
          <span className="muted">
            ({i.baseUrl}, {fmtDay(i.day)})
          </span>
          {i.decision ? (
            <div>
              <strong className="bad">Đã tính là không đạt</strong>
              {i.decidedBy ? ` (${i.decidedBy})` : ""}.
            </div>
          ) : (
            <div className="muted">
              Không trừ điểm cho đến khi cán bộ kiểm tra quyết định: kiểm tra lại, hoặc tính là không đạt.
              {canDecide ? (
                <Form method="post" action={action} className="inline">
                  <CsrfField />
                  <input type="hidden" name="intent" value="count-unverified" />
                  <input type="hidden" name="siteAuditId" value={i.siteAuditId} />
                  <input type="hidden" name="itemKey" value={i.key} />
                  <button type="submit">Tính là không đạt</button>
                </Form>
              ) : null}
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
