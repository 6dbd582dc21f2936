import { parsePage } from "../crawler/parse/page.ts";
import { readFileSync } from "node:fs";
const html = readFileSync("/tmp/large.html","utf8");
const page = { url: "https://a/", finalUrl: "https://a/", status: 200, headers: {"content-type":"text/html; charset=utf-8"}, body: Buffer.from(html), fetchedAt: new Date() } as any;
for (let i=0;i<10;i++) parsePage(page);
