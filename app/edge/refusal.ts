// A refusal answered by the HTTP edge before Remix runs: a status and one Vietnamese sentence.
export class Refusal {
  constructor(
    readonly status: number,
    readonly message: string,
  ) {}
}

export function refusalResponse(r: Refusal, apiPath: boolean): Response {
  if (apiPath) {
    const code = r.status === 413 ? "payload_too_large" : r.status === 415 ? "unsupported_media_type" : r.status === 403 ? "forbidden" : "bad_request";
    return new Response(JSON.stringify({ error: { code, message: r.message } }), {
      status: r.status,
      headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  const html =
    `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Lỗi ${r.status} · Tuân Thủ</title></head>` +
    `<body><main><h1>Lỗi ${r.status}</h1><p>${escapeHtml(r.message)}</p><p><a href="/">Về trang xếp hạng</a></p></main></body></html>`;
  return new Response(html, { status: r.status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
