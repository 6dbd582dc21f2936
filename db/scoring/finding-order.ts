// The order of a unit's findings in explanations and reports: counted ones first, then by
// severity, code, category, URL and id. Shared so that live and frozen reports list them alike.
const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

export interface OrderedFinding {
  counted: boolean;
  severity: keyof typeof SEVERITY_ORDER;
  code: string;
  categoryId: string | null;
  url: string | null;
  id: number;
}

export function compareFindings(a: OrderedFinding, b: OrderedFinding): number {
  return (
    Number(b.counted) - Number(a.counted) ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    a.code.localeCompare(b.code) ||
    (a.categoryId ?? "").localeCompare(b.categoryId ?? "") ||
    (a.url ?? "").localeCompare(b.url ?? "") ||
    a.id - b.id
  );
}
