// The page-load figures of a unit's sites on its page (issue 14 §2): this month's medians against
// the four budgets of the 2025 national criteria, the legal basis, and the runs they come from
// (Lighthouse, mobile, throttled). No run yet = "chưa xác minh được", which costs no point.
import { PAGE_LOAD_BUDGETS, PAGE_LOAD_LEGAL_BASIS, formatSeconds, withinBudget, type PageLoadMetric } from "../../crawler/perf/budgets.ts";
import { fmtDateTime } from "../lib/format.ts";

type Figures = Record<PageLoadMetric, number | null>;

export interface PageLoadRunView extends Figures {
  id: number;
  url: string;
  kind: string;
  measuredAt: string | Date;
  error: string | null;
  durationMs: number;
  throttling: string;
  tool: string;
}

export interface PageLoadSiteView {
  siteId: number;
  baseUrl: string;
  figures: {
    month: string;
    site: (Figures & { runs: number }) | null;
    pages: (Figures & { url: string; kind: string; runs: number; failed: number })[];
    okRuns: number;
    failedRuns: number;
    lastError: string | null;
  };
  runs: PageLoadRunView[];
}

function Verdict({ metric, value }: { metric: PageLoadMetric; value: number | null }) {
  const ok = withinBudget(metric, value);
  if (ok === null) return <span className="tag warn">Chưa xác minh được</span>;
  return ok ? <span className="tag ok">Đạt</span> : <span className="tag bad">Không đạt</span>;
}

export function PageLoad({ sites }: { sites: PageLoadSiteView[] }) {
  const month = sites[0]?.figures.month;
  const monthLabel = month ? `${month.slice(5)}/${month.slice(0, 4)}` : "";
  return (
    <section aria-labelledby="toc-do-tai-trang">
      <h2 id="toc-do-tai-trang">Tốc độ tải trang{monthLabel ? ` tháng ${monthLabel}` : ""}</h2>
      <p className="muted">
        Căn cứ: {PAGE_LOAD_LEGAL_BASIS}. Đo bằng Lighthouse (chế độ di động, mạng 4G chậm và CPU chậm 4 lần mô phỏng) trên trang chủ và
        một số trang chính; mỗi chỉ số lấy trung vị các lần đo trong tháng, tính theo trang chậm nhất.
      </p>
      {!sites.length ? <p>Đơn vị chưa có trang web đang hoạt động.</p> : null}
      {sites.map((s) => (
        <div key={s.siteId} className="page-load-site">
          <h3>{s.baseUrl}</h3>
          {s.figures.site ? null : (
            <p>
              <span className="tag warn">Chưa xác minh được</span>{" "}
              {s.figures.failedRuns
                ? `Cả ${s.figures.failedRuns} lần đo trong tháng đều không thành công${s.figures.lastError ? `: ${s.figures.lastError}` : ""}.`
                : "Chưa có lần đo nào trong tháng."}{" "}
              Không bị trừ điểm cho đến khi đo được.
            </p>
          )}
          <table>
            <thead>
              <tr>
                <th scope="col">Chỉ số</th>
                <th scope="col">Ngưỡng</th>
                <th scope="col">Trung vị</th>
                <th scope="col">Kết quả</th>
              </tr>
            </thead>
            <tbody>
              {PAGE_LOAD_BUDGETS.map((b) => {
                const value = s.figures.site ? s.figures.site[b.metric] : null;
                return (
                  <tr key={b.metric}>
                    <th scope="row">
                      {b.label} <span className="muted">({b.lighthouseName})</span>
                    </th>
                    <td>dưới {formatSeconds(b.limitMs)}</td>
                    <td>{formatSeconds(value)}</td>
                    <td>
                      <Verdict metric={b.metric} value={value} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {s.runs.length ? (
            <details>
              <summary>
                {s.figures.okRuns + s.figures.failedRuns} lần đo trong tháng ({s.figures.okRuns} thành công, {s.figures.failedRuns} không đo được)
                {s.runs.length < s.figures.okRuns + s.figures.failedRuns ? `, hiển thị ${s.runs.length} lần gần nhất` : ""}
              </summary>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Thời điểm</th>
                    <th scope="col">Trang</th>
                    {PAGE_LOAD_BUDGETS.map((b) => (
                      <th scope="col" key={b.metric} title={b.label}>
                        {b.lighthouseName}
                      </th>
                    ))}
                    <th scope="col">Công cụ</th>
                  </tr>
                </thead>
                <tbody>
                  {s.runs.map((r) => (
                    <tr key={r.id}>
                      <td>{fmtDateTime(r.measuredAt)}</td>
                      <td>
                        <a href={r.url} rel="noreferrer noopener" target="_blank">
                          {r.kind === "home" ? "Trang chủ" : r.url}
                        </a>
                      </td>
                      {r.error ? (
                        <td colSpan={PAGE_LOAD_BUDGETS.length}>
                          <span className="tag warn">Không đo được</span> {r.error}
                        </td>
                      ) : (
                        PAGE_LOAD_BUDGETS.map((b) => (
                          <td key={b.metric} className={withinBudget(b.metric, r[b.metric]) === false ? "bad" : undefined}>
                            {formatSeconds(r[b.metric])}
                          </td>
                        ))
                      )}
                      <td className="muted">
                        {r.tool}, {r.throttling === "simulate" ? "mô phỏng" : "giới hạn thật"}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ) : null}
        </div>
      ))}
    </section>
  );
}
