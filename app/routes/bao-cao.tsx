import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listReports } from "../../db/queries/reports.ts";
import { listPeriods } from "../../db/queries/scores.ts";
import { listUnitOptions } from "../../db/queries/units.ts";
import { requireUser } from "../lib/auth.server.ts";
import { fmtDate, fmtDateTime } from "../lib/format.ts";
import { useCsrf } from "../components/csrf.tsx";

export const meta: MetaFunction = () => [{ title: "Báo cáo · Tuân Thủ" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const { knex } = args.context;
  const isUnitHead = user.role === "unit_head";
  const [periods, archived, units] = await Promise.all([
    listPeriods(knex),
    listReports(knex, { unitId: isUnitHead ? user.unitId! : undefined, limit: 50 }),
    isUnitHead ? Promise.resolve([]) : listUnitOptions(knex),
  ]);
  return {
    isUnitHead,
    myUnit: isUnitHead ? { id: user.unitId!, name: user.unitName ?? "" } : null,
    periods: periods.filter((p) => p.scored + p.notAudited > 0),
    archived: archived.filter((r) => !isUnitHead || r.kind === "unit"),
    units,
  };
}

export default function Reports() {
  const d = useLoaderData<typeof loader>();
  const csrf = useCsrf();
  return (
    <>
      <h1>Báo cáo định kỳ</h1>
      <p>
        Báo cáo Excel theo tháng, quý, 6 tháng, năm. Kỳ đã chốt cho báo cáo chính thức; kỳ chưa chốt chỉ tải được <strong>bản nháp</strong>.
        {d.isUnitHead ? ` Thủ trưởng đơn vị chỉ tải được báo cáo của ${d.myUnit?.name || "đơn vị mình"}.` : ""}
      </p>
      {d.periods.length === 0 ? <p>Chưa có kỳ nào được chấm điểm.</p> : null}
      {d.periods.length ? (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Bảng dữ liệu, cuộn ngang được">
          <table>
            <thead>
              <tr>
                <th scope="col">Kỳ</th>
                <th scope="col">Thời gian</th>
                <th scope="col">Trạng thái</th>
                <th scope="col">Tải báo cáo</th>
              </tr>
            </thead>
            <tbody>
              {d.periods.map((p) => (
                <tr key={p.code}>
                  <td>{p.label}</td>
                  <td>
                    {fmtDate(p.startsOn)} – {fmtDate(p.endsOn)}
                  </td>
                  <td>{p.frozenAt ? `Đã chốt ${fmtDate(p.frozenAt)}` : "Chưa chốt"}</td>
                  <td>
                    <form method="post" action="/bao-cao/tai" className="filters" style={{ marginBottom: 0 }}>
                      <input type="hidden" name="_csrf" value={csrf} />
                      <input type="hidden" name="ky" value={p.code} />
                      {!p.frozenAt ? <input type="hidden" name="nhap" value="1" /> : null}
                      {d.isUnitHead ? (
                        <input type="hidden" name="donVi" value={d.myUnit!.id} />
                      ) : (
                        <div>
                          <label htmlFor={`dv-${p.code}`}>Phạm vi</label>
                          <select id={`dv-${p.code}`} name="donVi" defaultValue="">
                            <option value="">Toàn tỉnh</option>
                            {d.units.map((u) => (
                              <option key={u.id} value={u.id}>
                                {u.name}
                              </option>
                            ))}
                          </select>
                        </div>
                      )}
                      <button type="submit">{p.frozenAt ? "Tải báo cáo" : "Tải bản nháp"}</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <h2>Báo cáo đã tạo</h2>
      {d.archived.length ? (
        <ul>
          {d.archived.map((r) => (
            <li key={r.id}>
              <a href={`/bao-cao/luu/${r.id}`} download>
                {r.fileName}
              </a>{" "}
              (<a href={`/bao-cao/pdf/${r.id}`} download>
                PDF
              </a>){" "}
              {r.official ? (
                r.supersededAt ? (
                  <span className="tag">Đã thay thế: kỳ được mở lại ngày {fmtDateTime(r.supersededAt)}{r.supersededReason ? ` (${r.supersededReason})` : ""}</span>
                ) : (
                  <span className="tag">Chính thức (kỳ đã chốt)</span>
                )
              ) : null}{" "}
              <span className="muted">
                ({fmtDateTime(r.createdAt)}, {Math.round(Number(r.sizeBytes) / 1024)} KB)
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p>Chưa có báo cáo nào.</p>
      )}
    </>
  );
}
