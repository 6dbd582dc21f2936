// No icon: answer browsers' automatic request quietly instead of logging a routing error.
export function loader() {
  return new Response(null, { status: 204, headers: { "Cache-Control": "public, max-age=86400" } });
}
