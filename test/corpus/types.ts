// The labelled corpus format (cases.json), shared by generate.ts and corpus.test.ts.
import type { PageKind } from "../../crawler/types.ts";

export interface PageSpec {
  url: string;
  status: number;
  headers: Record<string, string>;
  /** Body file under fixtures/ (raw bytes), or null for a failed fetch. */
  file: string | null;
  /** Rendered HTML (as after JavaScript) under fixtures/, when the crawler rendered the page. */
  renderedFile?: string;
  kind?: PageKind;
  error?: string;
}

export type CorpusCheck = "encoding" | "categories" | "freshness" | "deadline" | "identity" | "attribution" | "technical" | "calendar" | "match";

export interface CorpusCase {
  id: string;
  check: CorpusCheck;
  description: string;
  page?: PageSpec;
  site?: {
    baseUrl: string;
    referenceTime: string;
    pages: PageSpec[];
    httpRedirectsToHttps?: boolean | null;
    tlsError?: string | null;
    axe?: { violations: { id: string; impact: string | null; nodes: number; help: string }[] } | null;
  };
  input?: Record<string, unknown>;
  /** Expected labels; see corpus.test.ts for what each check produces. */
  expect: string[];
}
