// Charts render in the browser only (recharts measures the DOM); each has a text alternative.
import { useEffect, useState, type ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";

function useMounted(): boolean {
  const [m, setM] = useState(false);
  useEffect(() => setM(true), []);
  return m;
}

function useWidth(max: number): number {
  const [w, setW] = useState(max);
  useEffect(() => {
    const update = () => setW(Math.max(260, Math.min(max, window.innerWidth - 40)));
    update();
    window.addEventListener("resize", update);
    return () => window.removeEventListener("resize", update);
  }, [max]);
  return w;
}

function Frame({ label, children }: { label: string; children: ReactNode }) {
  return (
    <figure className="chart" role="img" aria-label={label}>
      {children}
    </figure>
  );
}

export function ScoreBarChart({ data, label }: { data: { name: string; total: number }[]; label: string }) {
  const mounted = useMounted();
  const width = useWidth(1100);
  return (
    <Frame label={label}>
      {mounted ? (
        <BarChart width={width} height={260} data={data} margin={{ top: 8, right: 8, bottom: 60, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="name" angle={-35} textAnchor="end" interval={0} height={70} tick={{ fontSize: 11 }} />
          <YAxis domain={[0, 100]} />
          <Tooltip />
          <Bar dataKey="total" name="Tổng điểm" fill="#0b4f9c" isAnimationActive={false} />
        </BarChart>
      ) : null}
    </Frame>
  );
}

export function TrendChart({
  data,
  label,
  dataKey,
  name,
}: {
  data: Record<string, string | number | null>[];
  label: string;
  dataKey: string;
  name: string;
}) {
  const mounted = useMounted();
  const width = useWidth(700);
  return (
    <Frame label={label}>
      {mounted ? (
        <LineChart width={width} height={240} data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} />
          <YAxis />
          <Tooltip />
          <Line type="monotone" dataKey={dataKey} name={name} stroke="#a4161a" isAnimationActive={false} connectNulls />
        </LineChart>
      ) : null}
    </Frame>
  );
}

export function WeeklyBarChart({ data, label }: { data: { label: string; posts: number }[]; label: string }) {
  const mounted = useMounted();
  const width = useWidth(700);
  return (
    <Frame label={label}>
      {mounted ? (
        <BarChart width={width} height={220} data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Bar dataKey="posts" name="Số tin bài" fill="#1b5e20" isAnimationActive={false} />
        </BarChart>
      ) : null}
    </Frame>
  );
}
