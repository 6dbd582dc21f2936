// One criterion across units ("which units lack Lịch công tác?"): each unit's points on it in a
// period, lowest first, optionally only the units that lost points. Issue 15 §3.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { criterionAcrossUnits, listPeriodCriteria } from "../../db/queries/compare.ts";
import { getPeriodByCode, listGroups, listPeriodsWithScores } from "../../db/queries/dashboard.ts";
import { cached } from "../lib/cache.server.ts";
import { canSeeUnit, requireUser } from "../lib/auth.server.ts";
import { CRITERION_GROUP_LABELS, fmtPeriod, fmtPointsOf } from "../lib/format.ts";

export const meta: MetaFunction = () => [{ title: "Theo tiêu chí · Tuân Thủ" }];

const PER_PAGE = 50;

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const { knex } = args.context;
  const sp = new URL(args.request.url).searchParams;
  const periods = await cached(knex, "periods-with-scores", 5_000, () => listPeriodsWithScores(knex));
  const period = (sp.get("ky") ? await getPeriodByCode(knex, sp.get("ky")!) : undefined) ?? periods[0];
  const groups = await cached(knex, "unit-groups", 30_000, () => listGroups(knex));
  const group = sp.get("nhom") || null;
  const q = (sp.get("q") ?? "").trim().slice(0, 100) || null;
  // Checkbox: absent on a submitted form means "all units"; the first visit shows the losing ones.
  const losingOnly = sp.has("ma") ? sp.get("chi-mat-diem") === "1" : true;
  const page = Math.min(100_000, Math.max(1, Math.trunc(Number(sp.get("trang"))) || 1));
  const options = periods.map((p) => ({ code: p.code, label: p.frozen_at ? `${fmtPeriod(p.code)} (đã chốt)` : fmtPeriod(p.code) }));
  const base = { periods: options, groups, group, q, losingOnly, page, perPage: PER_PAGE };
  if (!period) return { ...base, period: null, criteria: [], criterion: null, rows: [], total: 0, visible: {} as Record<number, boolean> };
  const criteria = await listPeriodCriteria(knex, period.id);
  const criterion = criteria.find((c) => c.code === sp.get("ma")) ?? criteria[0] ?? null;
  if (!criterion) return { ...base, period: { code: period.code, label: fmtPeriod(period.code) }, criteria, criterion: null, rows: [], total: 0, visible: {} as Record<number, boolean> };
  const { rows, total } = await criterionAcrossUnits(knex, period.id, criterion.code, { losingOnly, group, search: q, limit: PER_PAGE, offset: (page - 1) * PER_PAGE });
  const visible: Record<number, boolean> = {};
  for (const r of rows) visible[r.unitId] = canSeeUnit(user, r.unitId);
  return { ...base, period: { code: period.code, label: fmtPeriod(period.code) }, criteria, criterion, rows, total, visible };
}

export default function CriterionView() {
  const d = useLoaderData<typeof loader>();
  const [sp] = useSearchParams();
  if (!d.period) {
    return (
      <>
        <h1>Theo tiêu chí</h1>
        <p>Chưa có kỳ đánh giá nào được chấm điểm.</p>
      </>
    );
  }
  const pageLink = (p: number) => {
    const next = new URLSearchParams(sp);
    next.set("trang", String(p));
    return `?${next}`;
  };
  const pages = Math.max(1, Math.ceil(d.total / d.perPage));
  return (
    <>
      <h1>
        Theo tiêu chí: {d.criterion?.name ?? "—"} ({d.period.label})
      </h1>
      <Form method="get" className="filters" role="search" aria-label="Chọn tiêu chí và lọc">
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
          <label htmlFor="ma">Tiêu chí</label>
          <select id="ma" name="ma" defaultValue={d.criterion?.code}>
            {d.criteria.map((c) => (
              <option key={c.code} value={c.code}>
                {CRITERION_GROUP_LABELS[c.groupCode] ?? c.groupCode}: {c.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="nhom">Nhóm</label>
          <select id="nhom" name="nhom" defaultValue={d.group ?? ""}>
            <option value="">Tất cả</option>
            {d.groups.map((g) => (
              <option key={g.code} value={g.code}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="q">Tìm đơn vị</label>
          <input id="q" name="q" type="search" defaultValue={d.q ?? ""} placeholder="Tên hoặc mã, không cần dấu" />
        </div>
        <div className="check">
          <input id="chi-mat-diem" name="chi-mat-diem" type="checkbox" value="1" defaultChecked={d.losingOnly} />
          <label htmlFor="chi-mat-diem">Chỉ đơn vị bị trừ điểm</label>
        </div>
        <div>
          <button type="submit">Xem</button>
        </div>
      </Form>
      <p className="muted">
        {d.total === 0
          ? d.losingOnly
            ? "Không đơn vị nào bị trừ điểm ở tiêu chí này."
            : "Không có đơn vị nào khớp."
          : `${d.total.toLocaleString("vi-VN")} đơn vị${d.losingOnly ? " bị trừ điểm" : ""}; hiển thị ${(d.page - 1) * d.perPage + 1}–${Math.min(d.total, d.page * d.perPage)}, điểm thấp trước.`}
      </p>
      {d.rows.length > 0 && (
        <table className="data">
          <caption>Điểm của từng đơn vị ở tiêu chí này</caption>
          <thead>
            <tr>
              <th scope="col">Đơn vị</th>
              <th scope="col">Nhóm</th>
              <th scope="col" className="num">
                Điểm
              </th>
              <th scope="col" className="num">
                Tỷ lệ đạt
              </th>
            </tr>
          </thead>
          <tbody>
            {d.rows.map((r) => (
              <tr key={r.unitId}>
                <td>{d.visible[r.unitId] ? <Link to={`/don-vi/${r.unitId}?ky=${d.period!.code}`}>{r.name}</Link> : r.name}</td>
                <td>{r.groupName ?? "—"}</td>
                <td className="num">{fmtPointsOf(r.points, r.maxPoints)}</td>
                <td className="num">{r.share == null || !Number.isFinite(r.share) ? "—" : `${Math.round(r.share * 100)} %`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <nav className="pager" aria-label="Trang">
          {d.page > 1 && <Link to={pageLink(d.page - 1)}>← Trang trước</Link>}
          <span>
            Trang {d.page}/{pages}
          </span>
          {d.page < pages && <Link to={pageLink(d.page + 1)}>Trang sau →</Link>}
        </nav>
      )}
    </>
  );
}
