import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { getPeriodByCode, listGroups, listPeriodsWithScores } from "../../db/queries/dashboard.ts";
import { getProvinceTrend, getRankingPage, listScoreTiers, parseRankingSort, type RankingSort } from "../../db/queries/scores.ts";
import { canSeeUnit, requireUser } from "../lib/auth.server.ts";
import { CRITERION_GROUP_LABELS, CRITERION_GROUPS, fmtDate, fmtPeriod, fmtPointsOf, fmtScore } from "../lib/format.ts";
import { cached } from "../lib/cache.server.ts";
import { ScoreBarChart, TrendChart } from "../components/charts.tsx";

export const meta: MetaFunction = () => [{ title: "Xếp hạng · Tuân Thủ" }];

const PER_GROUP = 20;
const PER_PAGE = 50;

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const { knex } = args.context;
  const sp = new URL(args.request.url).searchParams;
  const periods = await cached(knex, "periods-with-scores", 5_000, () => listPeriodsWithScores(knex));
  const wanted = sp.get("ky");
  const period = (wanted ? await getPeriodByCode(knex, wanted) : undefined) ?? periods[0];
  const group = sp.get("nhom") || null;
  const tier = sp.get("xep-loai") || null;
  const q = (sp.get("q") ?? "").trim().slice(0, 100) || null;
  const page = Math.min(100_000, Math.max(1, Math.trunc(Number(sp.get("trang"))) || 1));
  const sort = parseRankingSort(sp.get("sap-xep"), sp.get("chieu"));
  const groups = await cached(knex, "unit-groups", 30_000, () => listGroups(knex));
  if (!period) {
    return { user: { role: user.role, unitId: user.unitId }, periods: [], period: null, groups, tiers: [], ranking: [], trend: [], page, perPage: PER_PAGE, group, tier, q, sort, visible: {} as Record<number, boolean> };
  }
  const limit = group ? PER_PAGE : PER_GROUP;
  const [ranking, tiers, trend] = await Promise.all([
    getRankingPage(knex, period.id, { group, tier, search: q, sort, limit, offset: group ? (page - 1) * PER_PAGE : 0 }),
    cached(knex, `tiers:${period.id}`, 5_000, () => listScoreTiers(knex, period.id)),
    cached(knex, `trend:${period.kind}`, 30_000, () => getProvinceTrend(knex, period.kind)),
  ]);
  const visible: Record<number, boolean> = {};
  for (const g of ranking) for (const r of g.rows) visible[r.unitId] = canSeeUnit(user, r.unitId);
  return {
    user: { role: user.role, unitId: user.unitId },
    periods: periods.map((p) => ({ code: p.code, label: p.frozen_at ? `${fmtPeriod(p.code)} (đã chốt)` : fmtPeriod(p.code) })),
    period: { ...period, label: fmtPeriod(period.code) },
    groups,
    tiers,
    ranking,
    // The province average of the last 12 periods of this kind up to this one.
    trend: trend
      .filter((t) => t.startsOn <= period.starts_on)
      .slice(-12)
      .map((t) => ({ label: t.label, average: t.average })),
    page,
    perPage: PER_PAGE,
    group,
    tier,
    q,
    sort,
    visible,
  };
}

function Change({ now, before }: { now: number | null; before: number | null }) {
  if (now == null || before == null) return <span className="muted">—</span>;
  const d = Math.round((now - before) * 100) / 100;
  if (d === 0) return <span>{fmtScore(0)}</span>;
  return d > 0 ? <span className="ok">▲ +{fmtScore(d)}</span> : <span className="bad">▼ {fmtScore(d)}</span>;
}

export default function Overview() {
  const d = useLoaderData<typeof loader>();
  const [sp] = useSearchParams();
  if (!d.period) {
    return (
      <>
        <h1>Xếp hạng</h1>
        <p>Chưa có kỳ đánh giá nào được chấm điểm.</p>
      </>
    );
  }
  const chartRows = d.ranking.flatMap((g) => g.rows).filter((r) => r.total != null).slice(0, 30);
  const exportLink = (format: "csv" | "xlsx") => {
    const q = new URLSearchParams({ ky: d.period!.code, "dinh-dang": format });
    if (d.group) q.set("nhom", d.group);
    if (d.tier) q.set("xep-loai", d.tier);
    if (d.q) q.set("q", d.q);
    if (d.sort) {
      q.set("sap-xep", d.sort.key);
      q.set("chieu", d.sort.desc ? "giam" : "tang");
    }
    return `/xep-hang/tai?${q}`;
  };
  const sortHeader = (key: RankingSort["key"], label: string, className?: string) => {
    const current = d.sort?.key === key || (!d.sort && key === "hang") ? (d.sort?.desc ? "descending" : "ascending") : undefined;
    // First click: rank and name ascending, points descending (best first); then the other way.
    const firstDesc = !["hang", "ten"].includes(key);
    const desc = current ? current === "ascending" : firstDesc;
    const next = new URLSearchParams(sp);
    next.delete("trang");
    next.set("sap-xep", key);
    next.set("chieu", desc ? "giam" : "tang");
    return (
      <th scope="col" className={className} aria-sort={current ?? "none"} key={key}>
        <Link to={`?${next}`} title={`Sắp xếp theo ${label.toLowerCase()}`}>
          {label}
        </Link>
      </th>
    );
  };
  const pageLink = (p: number) => {
    const next = new URLSearchParams(sp);
    next.set("trang", String(p));
    return `?${next}`;
  };
  return (
    <>
      <h1>Xếp hạng {d.period.label}</h1>
      <p className="muted">
        Kỳ {fmtDate(d.period.starts_on)} – {fmtDate(d.period.ends_on)}
        {" · "}
        {d.period.frozen_at ? (
          <>
            <span className="tag ok">Đã chốt</span> ngày {fmtDate(d.period.frozen_at)}
          </>
        ) : (
          <span>Chưa chốt: điểm còn thay đổi khi có kiểm tra mới hoặc giải trình được chấp nhận</span>
        )}
      </p>
      <Form method="get" className="filters" role="search" aria-label="Lọc bảng xếp hạng">
        <div>
          <label htmlFor="ky">Kỳ đánh giá</label>
          <select id="ky" name="ky" defaultValue={d.period.code}>
            {d.periods.map((p) => (
              <option key={p.code} value={p.code}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="nhom">Nhóm</label>
          <select id="nhom" name="nhom" defaultValue={d.group ?? ""}>
            <option value="">Tất cả nhóm</option>
            {d.groups.map((g) => (
              <option key={g.code} value={g.code}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="xep-loai">Xếp loại</label>
          <select id="xep-loai" name="xep-loai" defaultValue={d.tier ?? ""}>
            <option value="">Tất cả</option>
            {d.tiers.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="q">Tìm đơn vị</label>
          <input id="q" name="q" type="search" defaultValue={d.q ?? ""} placeholder="Tên hoặc mã đơn vị" />
        </div>
        <button type="submit">Lọc</button>
      </Form>
      <p className="no-print">
        Tải bảng đang xem (mọi trang): <a href={exportLink("xlsx")}>Excel</a> · <a href={exportLink("csv")}>CSV</a>
      </p>

      {d.ranking.length === 0 ? <p>Không có đơn vị nào phù hợp.</p> : null}
      {d.ranking.map((g) => (
        <section key={g.code} aria-labelledby={`nhom-${g.code}`}>
          <h2 id={`nhom-${g.code}`}>
            {g.name} <span className="muted">({g.total} đơn vị)</span>
          </h2>
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Bảng dữ liệu, cuộn ngang được">
            <table>
              <caption className="muted" style={{ textAlign: "left" }}>
                Bảng xếp hạng nhóm {g.name}, {d.period!.label}
              </caption>
              <thead>
                <tr>
                  {sortHeader("hang", "Hạng", "num")}
                  {sortHeader("ten", "Đơn vị")}
                  <th scope="col" className="hide-sm">Website</th>
                  {CRITERION_GROUPS.map((c) => sortHeader(c, CRITERION_GROUP_LABELS[c], "num hide-sm"))}
                  {sortHeader("tong", "Tổng", "num")}
                  <th scope="col">Xếp loại</th>
                  {sortHeader("thay-doi", "So với kỳ trước", "num")}
                </tr>
              </thead>
              <tbody>
                {g.rows.map((r) => (
                  <tr key={r.unitId}>
                    <td className="num">{r.rank ?? "—"}</td>
                    <td>
                      {d.visible[r.unitId] ? <Link to={`/don-vi/${r.unitId}?ky=${d.period!.code}`}>{r.unitName}</Link> : r.unitName}
                      {r.status === "not_audited" ? <span className="muted"> (chưa kiểm tra)</span> : null}
                    </td>
                    <td className="hide-sm">
                      {r.website ? <span style={{ wordBreak: "break-all" }}>{r.website.replace(/^https?:\/\//, "").replace(/\/$/, "")}</span> : "—"}
                    </td>
                    {CRITERION_GROUPS.map((c) => (
                      <td className="num hide-sm" key={c}>
                        {fmtPointsOf(r.groupPoints[c]?.points, r.groupPoints[c]?.max)}
                      </td>
                    ))}
                    <td className="num">
                      <strong>{fmtScore(r.total)}</strong>
                    </td>
                    <td className="tier">{r.tier ?? "—"}</td>
                    <td className="num">
                      <Change now={r.total} before={r.previousTotal} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {!d.group && g.total > g.rows.length ? (
            <p>
              <Link to={`?ky=${d.period!.code}&nhom=${g.code}${d.tier ? `&xep-loai=${encodeURIComponent(d.tier)}` : ""}${d.q ? `&q=${encodeURIComponent(d.q)}` : ""}`}>
                Xem tất cả {g.total} đơn vị nhóm {g.name}
              </Link>
            </p>
          ) : null}
          {d.group && g.total > d.perPage ? (
            <nav className="pager" aria-label="Phân trang">
              {d.page > 1 ? <Link to={pageLink(d.page - 1)}>← Trang trước</Link> : null}
              <span>
                Trang {d.page}/{Math.ceil(g.total / d.perPage)}
              </span>
              {d.page * d.perPage < g.total ? <Link to={pageLink(d.page + 1)}>Trang sau →</Link> : null}
            </nav>
          ) : null}
        </section>
      ))}

      <section aria-labelledby="bieu-do">
        <h2 id="bieu-do">Biểu đồ</h2>
        <h3>Tổng điểm các đơn vị đang hiển thị</h3>
        <ScoreBarChart
          label={`Biểu đồ cột tổng điểm của ${chartRows.length} đơn vị`}
          data={chartRows.map((r) => ({ name: r.unitName, total: r.total ?? 0 }))}
        />
        <h3>Điểm trung bình toàn tỉnh qua các kỳ</h3>
        <TrendChart
          label={`Điểm trung bình toàn tỉnh: ${d.trend.map((t) => `${t.label} ${t.average ?? "—"}`).join(", ")}`}
          data={d.trend}
          dataKey="average"
          name="Điểm trung bình"
        />
      </section>
    </>
  );
}
