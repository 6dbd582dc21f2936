// "Lịch sử sáp nhập / đổi tên" of a unit: the merges into it and renames (two-level local
// government, decision 0016), the predecessors' period scores (closed periods under the names
// frozen at closing), and, for a merged unit, the unit that holds its data now.
import { Link } from "@remix-run/react";
import { fmtDate, fmtScore } from "../lib/format.ts";

export interface UnitLineageView {
  events: {
    id: number;
    kind: "merge" | "rename";
    effectiveOn: string;
    predecessor: { id: number; name: string };
    successor: { id: number; name: string };
    oldName: string | null;
    newName: string | null;
    note: string | null;
    createdBy: string | null;
  }[];
  predecessors: { id: number; code: string; name: string; mergedOn: string | null }[];
  predecessorPeriods: {
    unitId: number;
    unitName: string;
    periodCode: string;
    label: string;
    status: "scored" | "not_audited";
    total: number | null;
    tier: string | null;
    rank: number | null;
    frozen: boolean;
  }[];
  mergedInto: { id: number; name: string; effectiveOn: string } | null;
}

/** `unitHref`: where a unit's name links (the dashboard's unit page, or the admin page). */
export function UnitLineage({ lineage, unitHref = (id) => `/don-vi/${id}` }: { lineage: UnitLineageView; unitHref?: (id: number) => string }) {
  if (!lineage.events.length && !lineage.mergedInto) return null;
  return (
    <section aria-labelledby="lich-su-sap-nhap">
      <h2 id="lich-su-sap-nhap">Lịch sử sáp nhập / đổi tên</h2>
      {lineage.mergedInto ? (
        <p className="notice" role="status">
          Đơn vị này đã sáp nhập vào <Link to={unitHref(lineage.mergedInto.id)}>{lineage.mergedInto.name}</Link> từ ngày {fmtDate(lineage.mergedInto.effectiveOn)}. Website,
          kết quả kiểm tra và phát hiện của đơn vị được tính cho đơn vị tiếp nhận; các kỳ đã chốt giữ nguyên như lúc chốt.
        </p>
      ) : null}
      {lineage.events.length ? (
        <ul>
          {lineage.events.map((e) => (
            <li key={e.id}>
              {fmtDate(e.effectiveOn)}:{" "}
              {e.kind === "merge" ? (
                <>
                  sáp nhập <Link to={unitHref(e.predecessor.id)}>{e.predecessor.name}</Link> vào <Link to={unitHref(e.successor.id)}>{e.successor.name}</Link>
                </>
              ) : (
                <>
                  đổi tên “{e.oldName}” thành “{e.newName}”
                </>
              )}
              {e.note ? <> — {e.note}</> : null}
              {e.createdBy ? <span className="muted"> (ghi nhận bởi {e.createdBy})</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {lineage.predecessorPeriods.length ? (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Kết quả các kỳ của đơn vị trước sáp nhập, cuộn ngang được">
          <table>
            <caption style={{ textAlign: "left" }}>Kết quả các kỳ của đơn vị trước sáp nhập</caption>
            <thead>
              <tr>
                <th scope="col">Kỳ</th>
                <th scope="col">Đơn vị</th>
                <th scope="col" className="num">Tổng điểm</th>
                <th scope="col">Xếp loại</th>
                <th scope="col" className="num">Hạng</th>
                <th scope="col">Trạng thái kỳ</th>
              </tr>
            </thead>
            <tbody>
              {lineage.predecessorPeriods.map((p) => (
                <tr key={`${p.unitId}-${p.periodCode}`}>
                  <td>
                    <Link to={`/don-vi/${p.unitId}?ky=${encodeURIComponent(p.periodCode)}`}>{p.label}</Link>
                  </td>
                  <td>{p.unitName}</td>
                  <td className="num">{p.status === "scored" ? fmtScore(p.total) : "Chưa kiểm tra"}</td>
                  <td>{p.tier ?? "—"}</td>
                  <td className="num">{p.rank ?? "—"}</td>
                  <td>{p.frozen ? "Đã chốt" : "Chưa chốt"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
