// Two periods side by side: the ranking (every unit, both totals, ranks and the change), or one
// unit's criteria (?don-vi=ID). Issue 15 §3.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { compareUnitCriteria, comparePeriods, parseCompareSort, type CompareSort } from "../../db/queries/compare.ts";
import { getPeriodByCode, getUnitInfo, listGroups, listPeriodsWithScores } from "../../db/queries/dashboard.ts";
import { cached } from "../lib/cache.server.ts";
import { canSeeUnit, requireUser } from "../lib/auth.server.ts";
import { CRITERION_GROUP_LABELS, fmtPeriod, fmtPointsOf, fmtScore } from "../lib/format.ts";

export const meta: MetaFunction = () => [{ title: "So sánh hai kỳ · Tuân Thủ" }];

const PER_PAGE = 50;

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const { knex } = args.context;
  const sp = new URL(args.request.url).searchParams;
  const periods = await cached(knex, "periods-with-scores", 5_000, () => listPeriodsWithScores(knex));
  const b = (sp.get("ky2") ? await getPeriodByCode(knex, sp.get("ky2")!) : undefined) ?? periods[0];
  // By default the period before B of the same kind, else the next one in the list.
  const a =
    (sp.get("ky1") ? await getPeriodByCode(knex, sp.get("ky1")!) : undefined) ??
    periods.find((p) => b && p.kind === b.kind && p.ends_on < b.starts_on) ??
    periods.find((p) => b && p.code !== b.code);
  const options = periods.map((p) => ({ code: p.code, label: p.frozen_at ? `${fmtPeriod(p.code)} (đã chốt)` : fmtPeriod(p.code) }));
  const groups = await cached(knex, "unit-groups", 30_000, () => listGroups(knex));
  const group = sp.get("nhom") || null;
  const q = (sp.get("q") ?? "").trim().slice(0, 100) || null;
  const sort = parseCompareSort(sp.get("sap-xep"));
  const page = Math.min(100_000, Math.max(1, Math.trunc(Number(sp.get("trang"))) || 1));
  const unitParam = sp.get("don-vi");
  const unitId = unitParam && /^\d{1,9}$/.test(unitParam) ? Number(unitParam) : null;
  const base = { periods: options, groups, group, q, sort, page, perPage: PER_PAGE };
  if (!a || !b) return { ...base, a: null, b: null, unit: null, criteria: [], rows: [], total: 0, visible: {} as Record<number, boolean> };
  const pa = { code: a.code, label: fmtPeriod(a.code) };
  const pb = { code: b.code, label: fmtPeriod(b.code) };
  if (unitId !== null) {
    const info = canSeeUnit(user, unitId) ? await getUnitInfo(knex, unitId) : undefined;
    if (!info) throw new Response("Không tìm thấy đơn vị hoặc bạn không có quyền xem đơn vị này.", { status: 404 });
    const criteria = await compareUnitCriteria(knex, unitId, a.id, b.id);
    return { ...base, a: pa, b: pb, unit: { id: unitId, name: info.name }, criteria, rows: [], total: 0, visible: {} as Record<number, boolean> };
  }
  const { rows, total } = await comparePeriods(knex, a.id, b.id, { group, search: q, sort, limit: PER_PAGE, offset: (page - 1) * PER_PAGE });
  const visible: Record<number, boolean> = {};
  for (const r of rows) visible[r.unitId] = canSeeUnit(user, r.unitId);
  return { ...base, a: pa, b: pb, unit: null, criteria: [], rows, total, visible };
}

function Delta({ v }: { v: number | null }) {
  if (v == null) return <span className="muted">—</span>;
  const d = Math.round(v * 100) / 100;
  if (d === 0) return <span>{fmtScore(0)}</span>;
  return d > 0 ? <span className="ok">▲ +{fmtScore(d)}</span> : <span className="bad">▼ {fmtScore(d)}</span>;
}

const SORT_LABELS: Record<CompareSort, string> = {
  "b-desc": "Điểm kỳ sau (cao trước)",
  "delta-asc": "Giảm nhiều nhất trước",
  "delta-desc": "Tăng nhiều nhất trước",
  name: "Tên đơn vị",
};

export default function Compare() {
  const d = useLoaderData<typeof loader>();
  const [sp] = useSearchParams();
  if (!d.a || !d.b) {
    return (
      <>
        <h1>So sánh hai kỳ</h1>
        <p>Cần ít nhất hai kỳ đã chấm điểm để so sánh.</p>
      </>
    );
  }
  const pageLink = (p: number) => {
    const next = new URLSearchParams(sp);
    next.set("trang", String(p));
    return `?${next}`;
  };
  const pages = Math.max(1, Math.ceil(d.total / d.perPage));
  const pickers = (
    <>
      <div>
        <label htmlFor="ky1">Kỳ trước</label>
        <select id="ky1" name="ky1" defaultValue={d.a.code}>
          {d.periods.map((p) => (
            <option key={p.code} value={p.code}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="ky2">Kỳ sau</label>
        <select id="ky2" name="ky2" defaultValue={d.b.code}>
          {d.periods.map((p) => (
            <option key={p.code} value={p.code}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
    </>
  );
  if (d.unit) {
    return (
      <>
        <h1>
          So sánh {d.a.label} và {d.b.label}: {d.unit.name}
        </h1>
        <p>
          <Link to={`/don-vi/${d.unit.id}`}>← Trang đơn vị</Link> · <Link to={`/so-sanh?ky1=${d.a.code}&ky2=${d.b.code}`}>So sánh mọi đơn vị</Link>
        </p>
        <Form method="get" className="filters" aria-label="Chọn hai kỳ">
          <input type="hidden" name="don-vi" value={d.unit.id} />
          {pickers}
          <div>
            <button type="submit">So sánh</button>
          </div>
        </Form>
        {d.criteria.length === 0 ? (
          <p>Đơn vị chưa có điểm theo tiêu chí ở hai kỳ này.</p>
        ) : (
          <table className="data">
            <caption>Điểm từng tiêu chí ở hai kỳ</caption>
            <thead>
              <tr>
                <th scope="col">Nhóm</th>
                <th scope="col">Tiêu chí</th>
                <th scope="col" className="num">
                  {d.a.label}
                </th>
                <th scope="col" className="num">
                  {d.b.label}
                </th>
                <th scope="col" className="num">
                  Thay đổi
                </th>
              </tr>
            </thead>
            <tbody>
              {d.criteria.map((c) => (
                <tr key={c.code}>
                  <td>{CRITERION_GROUP_LABELS[c.groupCode] ?? c.groupCode}</td>
                  <td>{c.name}</td>
                  <td className="num">{c.pointsA == null ? "—" : fmtPointsOf(c.pointsA, c.maxA)}</td>
                  <td className="num">{c.pointsB == null ? "—" : fmtPointsOf(c.pointsB, c.maxB)}</td>
                  <td className="num">
                    <Delta v={c.pointsA == null || c.pointsB == null ? null : c.pointsB - c.pointsA} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>
    );
  }
  return (
    <>
      <h1>
        So sánh {d.a.label} và {d.b.label}
      </h1>
      <Form method="get" className="filters" role="search" aria-label="Chọn hai kỳ và lọc">
        {pickers}
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
        <div>
          <label htmlFor="sap-xep">Sắp xếp</label>
          <select id="sap-xep" name="sap-xep" defaultValue={d.sort}>
            {(Object.keys(SORT_LABELS) as CompareSort[]).map((k) => (
              <option key={k} value={k}>
                {SORT_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit">Xem</button>
        </div>
      </Form>
      <p className="muted">
        {d.total === 0 ? "Không có đơn vị nào khớp." : `${d.total.toLocaleString("vi-VN")} đơn vị; hiển thị ${(d.page - 1) * d.perPage + 1}–${Math.min(d.total, d.page * d.perPage)}.`}
      </p>
      {d.rows.length > 0 && (
        <table className="data">
          <caption>Tổng điểm và thứ hạng trong nhóm ở hai kỳ</caption>
          <thead>
            <tr>
              <th scope="col">Đơn vị</th>
              <th scope="col">Nhóm</th>
              <th scope="col" className="num">
                Điểm {d.a.label}
              </th>
              <th scope="col" className="num">
                Hạng
              </th>
              <th scope="col" className="num">
                Điểm {d.b.label}
              </th>
              <th scope="col" className="num">
                Hạng
              </th>
              <th scope="col" className="num">
                Thay đổi
              </th>
            </tr>
          </thead>
          <tbody>
            {d.rows.map((r) => (
              <tr key={r.unitId}>
                <td>
                  {d.visible[r.unitId] ? <Link to={`/so-sanh?ky1=${d.a!.code}&ky2=${d.b!.code}&don-vi=${r.unitId}`}>{r.name}</Link> : r.name}
                </td>
                <td>{r.groupName ?? r.groupCode}</td>
                <td className="num">{r.totalA == null ? "—" : fmtScore(r.totalA)}</td>
                <td className="num">{r.rankA ?? "—"}</td>
                <td className="num">{r.totalB == null ? "—" : fmtScore(r.totalB)}</td>
                <td className="num">{r.rankB ?? "—"}</td>
                <td className="num">
                  <Delta v={r.delta} />
                </td>
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
