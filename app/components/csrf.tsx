import { useRouteLoaderData } from "@remix-run/react";

/** The per-session CSRF token as a hidden field; every mutating form includes it. */
export function CsrfField() {
  const data = useRouteLoaderData("root") as { csrf: string | null } | undefined;
  return <input type="hidden" name="_csrf" value={data?.csrf ?? ""} />;
}

export function useCsrf(): string {
  const data = useRouteLoaderData("root") as { csrf: string | null } | undefined;
  return data?.csrf ?? "";
}
