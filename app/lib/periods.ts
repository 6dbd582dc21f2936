// Period labels in Vietnamese: "Tháng 11/2026", "Quý 4/2026", "6 tháng đầu năm 2026", "Năm 2026".
export function periodLabel(p: { kind: string; code: string; starts_on: string }): string {
  const [y, m] = p.starts_on.split("-").map(Number);
  switch (p.kind) {
    case "month":
      return `Tháng ${m}/${y}`;
    case "quarter":
      return `Quý ${Math.floor((m - 1) / 3) + 1}/${y}`;
    case "half":
      return m <= 6 ? `6 tháng đầu năm ${y}` : `6 tháng cuối năm ${y}`;
    case "year":
      return `Năm ${y}`;
    default:
      return p.code;
  }
}
