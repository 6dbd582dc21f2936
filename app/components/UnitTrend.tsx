// A unit's total across monthly periods (oldest first), with links to compare two periods and
// two audits. The data is the unit page's score history (issue 15 §3).
import { Link } from "@remix-run/react";
import { TrendChart } from "./charts.tsx";

export interface TrendPoint {
  code: string;
  label: string;
  kind: string;
  total: number | null;
}

export function UnitTrend({ unitId, history }: { unitId: number; history: TrendPoint[] }) {
  const months = history.filter((h) => h.kind === "month").slice(0, 24).reverse();
  const latest = months.at(-1);
  const before = months.at(-2);
  return (
    <>
      {months.length > 1 ? (
        <TrendChart
          label={`Tổng điểm theo tháng: ${months.map((m) => `${m.label} ${m.total ?? "—"}`).join(", ")}`}
          data={months.map((m) => ({ label: m.label, total: m.total }))}
          dataKey="total"
          name="Tổng điểm"
        />
      ) : null}
      <p>
        {latest && before ? (
          <>
            <Link to={`/so-sanh?ky1=${before.code}&ky2=${latest.code}&don-vi=${unitId}`}>So sánh từng tiêu chí giữa hai kỳ</Link>
            {" · "}
          </>
        ) : null}
        <Link to={`/don-vi/${unitId}/thay-doi`}>Thay đổi giữa hai lần kiểm tra</Link>
      </p>
    </>
  );
}
