// Small local HTTP servers for the crawler's unit tests (loopback only).
import http from "node:http";

export interface TestServer {
  url: string;
  port: number;
  host: string;
  hits: { path: string; headers: http.IncomingHttpHeaders; at: number }[];
  close(): Promise<void>;
}

export async function startServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  onConnection?: () => void,
): Promise<TestServer> {
  const hits: TestServer["hits"] = [];
  const server = http.createServer((req, res) => {
    hits.push({ path: req.url ?? "/", headers: req.headers, at: Date.now() });
    handler(req, res);
  });
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (s) => {
    onConnection?.();
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    host: `127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export function html(res: http.ServerResponse, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...headers });
  res.end(`<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>T</title></head><body>${body}</body></html>`);
}
