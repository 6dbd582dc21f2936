// Benchmark of the page checks: parse once + every page-level check, per page, for a typical
// (≈ 80 KB) and a large (≈ 2 MB) Vietnamese page. Prints median and p95, and the large/typical
// time ratio against the size ratio (time should be linear in size).
// Run: npm run bench -- checks
import { performance } from "node:perf_hooks";
import { readFileSync, readdirSync } from "node:fs";
import { Parser } from "htmlparser2";
import type { FetchedPage } from "../crawler/types.ts";
import { runPageChecks } from "../crawler/checks/index.ts";

const SEEDS = new URL("../../shared/seeds/", import.meta.url).pathname;

function sentences(): string[] {
  const out: string[] = [];
  let files: string[] = [];
  try {
    files = readdirSync(SEEDS).sort();
  } catch {
    /* no seeds: use a fixed sentence */
  }
  for (const f of files) {
    for (const line of readFileSync(SEEDS + f, "utf8").split(/\n+/)) {
      const s = line.trim();
      if (s.length > 60 && s.length < 300 && !s.includes("\ufffd")) out.push(s.normalize("NFC"));
    }
  }
  return out.length ? out : ["Trang thông tin điện tử của Sở Tư pháp tỉnh Bình Định cung cấp thông tin về hoạt động của cơ quan."];
}

const S = sentences();
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

function buildPage(targetBytes: number): string {
  const menu = ["Giới thiệu", "Tin tức - Sự kiện", "Văn bản", "Lịch công tác", "Thủ tục hành chính", "Hỏi đáp", "Liên hệ", "Sơ đồ site"]
    .map((t, i) => `<li class="has-sub"><a href="/c/${i}">${t}</a><ul class="sub-menu"><li><a href="/c/${i}/1">${S[i % S.length].slice(0, 30)}</a></li></ul></li>`)
    .join("");
  const head = `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Sở Tư pháp tỉnh Bình Định</title><style>body{font-family:Arial,sans-serif}.menu li{display:inline-block}</style><script src="/js/app.js"></script></head><body><header class="header"><nav><ul class="menu">${menu}</ul></nav><form action="/tim-kiem"><input name="keyword"></form></header><div class="breadcrumb"><a href="/">Trang chủ</a> » Tin tức</div><div class="main-content"><h1>Tin tức - Sự kiện</h1><ul class="list-news">`;
  const foot = `</ul></div><footer class="footer"><p>SỞ TƯ PHÁP TỈNH BÌNH ĐỊNH</p><p>Chịu trách nhiệm chính: Ông Nguyễn Văn Hùng</p><p>Địa chỉ: 127 Hai Bà Trưng, Quy Nhơn</p><p>Điện thoại: 0256 3822 123 - Email: stp@binhdinh.gov.vn</p></footer></body></html>`;
  let body = "";
  let i = 0;
  while (Buffer.byteLength(head + body + foot) < targetBytes) {
    const d = String((i % 28) + 1).padStart(2, "0");
    body += `<li class="item"><a href="/tin-tuc/bai-${i}.html"><img src="/img/${i}.jpg" alt="Ảnh ${i}"> ${esc(S[i % S.length].slice(0, 90))}</a> <span class="date">${d}/10/2026 08:30</span><p class="summary">${esc(S[(i * 7 + 3) % S.length])}</p></li>\n`;
    i++;
  }
  return head + body + foot;
}

function page(html: string): FetchedPage {
  return { url: "https://stp.binhdinh.gov.vn/tin-tuc", finalUrl: "https://stp.binhdinh.gov.vn/tin-tuc", status: 200, headers: { "content-type": "text/html; charset=utf-8" }, body: Buffer.from(html, "utf8"), fetchedAt: new Date(), kind: "listing" };
}

function measure(p: FetchedPage, runs: number, work?: () => void): { min: number; median: number; p95: number } {
  const ref = new Date("2026-11-20T03:00:00Z");
  const run = work ?? (() => runPageChecks(p, ref));
  for (let i = 0; i < Math.min(20, runs); i++) run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { min: times[0], median: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)] };
}

/** Bare htmlparser2 tokenisation of the same page: the floor, and a gauge of machine load. */
function rawParse(p: FetchedPage): () => void {
  return () => {
    const parser = new Parser({});
    parser.write(p.body.toString("utf8"));
    parser.end();
  };
}

const typical = page(buildPage(80 * 1024));
const large = page(buildPage(2 * 1024 * 1024));
const t = measure(typical, 300);
const l = measure(large, 25);
const kb = (p: FetchedPage) => (p.body.length / 1024).toFixed(0);
console.log(`page checks (parse once + encoding, categories, dates, identity, attribution), per page`);
console.log(`typical ${kb(typical)} KB: median ${t.median.toFixed(2)} ms, p95 ${t.p95.toFixed(2)} ms, min ${t.min.toFixed(2)} ms  (target ≤ 5 ms median)`);
console.log(`large   ${kb(large)} KB: median ${l.median.toFixed(2)} ms, p95 ${l.p95.toFixed(2)} ms, min ${l.min.toFixed(2)} ms`);
const raw = measure(typical, 300, rawParse(typical));
console.log(`(baseline: bare htmlparser2 tokenisation of the typical page: median ${raw.median.toFixed(2)} ms; checks = ${(t.median / raw.median).toFixed(1)}× that)`);
const sizeRatio = large.body.length / typical.body.length;
console.log(`time ratio large/typical ${(l.median / t.median).toFixed(1)} (min ${(l.min / t.min).toFixed(1)}) vs size ratio ${sizeRatio.toFixed(1)} (linear when close)`);
console.log(`machine load average: ${(await import("node:os")).loadavg()[0].toFixed(1)} on ${(await import("node:os")).cpus().length} cores (figures scale with it)`);
