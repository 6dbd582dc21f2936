import { performance } from "node:perf_hooks";
import { parsePage } from "../crawler/parse/page.ts";
import { Parser } from "htmlparser2";
import { readFileSync } from "node:fs";
for (const f of ["/tmp/typ.html", "/tmp/large.html"]) {
const html = readFileSync(f,"utf8");
const page = { url: "https://a/", finalUrl: "https://a/", status: 200, headers: {"content-type":"text/html; charset=utf-8"}, body: Buffer.from(html), fetchedAt: new Date() } as any;
const n = f.includes("large") ? 8 : 100;
const T = (name: string, fn: () => unknown) => { for (let i=0;i<2;i++) fn(); const ts: number[] = []; for (let i=0;i<n;i++) { const t0=performance.now(); fn(); ts.push(performance.now()-t0); } ts.sort((a,b)=>a-b); console.log(f, name, "min", ts[0].toFixed(2), "median", ts[n>>1].toFixed(2)); };
T("raw", () => { const p = new Parser({}); p.write(html); p.end(); });
T("parsePage", () => parsePage(page));
}
