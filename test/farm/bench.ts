/**
 * Benchmark sites: N generated sites × M pages (~30–80 KB each) built on demand from a pool
 * of pre-rendered fragments, so that serving costs little next to the crawler being measured.
 */
import { CATEGORIES, CATEGORY_IDS, OPTIONAL_CATEGORIES, type CategoryId } from "./categories.ts";
import { personName, pickParagraphs, pickTitle, slugify } from "./corpus.ts";
import { addDays, httpDate } from "./dates.ts";
import { esc } from "./encode.ts";
import { Rng } from "./prng.ts";
import type { FarmResponse, GroundTruth } from "./types.ts";

export interface BenchOptions {
  sites: number;
  pagesPerSite: number;
  crawlDelayMs?: number;
  latencyMs?: number;
}

/** Categories every bench site links from its menu (landing pages are listings). */
const BENCH_CATS: CategoryId[] = [
  "gioi-thieu",
  "lanh-dao",
  "tin-tuc",
  "chi-dao-dieu-hanh",
  "lich-cong-tac",
  "pho-bien-phap-luat",
  "van-ban",
  "thu-tuc-hanh-chinh",
  "lien-he",
  "so-do-site",
];

interface Pool {
  bodies: Buffer[];
  bodyCuts: Buffer[];
  titles: string[];
  filler: string;
}

const pools = new Map<number, Pool>();
function pool(seed: number): Pool {
  let p = pools.get(seed);
  if (!p) {
    const rng = Rng.derive(seed, "bench-pool");
    const bodies = Array.from({ length: 48 }, () => {
      const target = rng.int(22_000, 62_000);
      const parts: string[] = [];
      let size = 0;
      while (size < target) {
        const para = `<p>${esc(pickParagraphs(rng, 1)[0])}</p>`;
        parts.push(para);
        size += Buffer.byteLength(para);
      }
      return parts.join("\n");
    });
    const titles = Array.from({ length: 400 }, () => pickTitle(rng));
    const filler = `<div class="links">${Array.from({ length: 40 }, (_, i) => `<a href="https://binhdinh.gov.vn/lien-ket/${i}" class="ext">${esc(titles[i])}</a>`).join(" ")}</div>`;
    p = { bodies: bodies.map((b) => Buffer.from(b, "utf8")), bodyCuts: bodies.map((b) => Buffer.from(cut(b, 20_000), "utf8")), titles, filler };
    pools.set(seed, p);
  }
  return p;
}

export interface BenchSite {
  id: string;
  resolve(path: string): FarmResponse | null;
  truth: GroundTruth;
  crawlDelayMs: number;
  latencyMs: number;
}

export function buildBenchSite(index: number, opts: BenchOptions, seed: number, reference: string, origin: string): BenchSite {
  const id = `bench-${String(index + 1).padStart(3, "0")}`;
  const name = `UBND xã Thử Nghiệm ${index + 1}`;
  const p = pool(seed);
  const M = Math.max(1, opts.pagesPerSite);
  // pages: 0 = home, 1..C = category landings, the rest = articles spread over the categories
  const C = Math.min(BENCH_CATS.length, Math.max(0, M - 1));
  const articleCount = Math.max(0, M - 1 - C);
  const catOf = (k: number): number => k % Math.max(1, C);
  const dateOf = (k: number): string => addDays(reference, -((k * 3 + index) % 120));
  const articleUrl = (k: number) => `/bai-viet/${k + 1}-${slugify(p.titles[(k + index) % p.titles.length], 6)}.html`;
  const catUrl = (c: number) => `/${CATEGORIES[BENCH_CATS[c]].slugs[0]}`;
  const dmy = (ymd: string) => ymd.split("-").reverse().join("/");
  const menu = `<nav><ul class="menu">${Array.from({ length: C }, (_, c) => `<li><a href="${catUrl(c)}">${esc(CATEGORIES[BENCH_CATS[c]].labels[0])}</a></li>`).join("")}</ul></nav>`;
  const footer = `<footer><p><strong>${esc(name.toUpperCase())}</strong></p><p>Chịu trách nhiệm: Ông ${esc(personName(Rng.derive(seed, `${id}/chair`)))} - Chủ tịch UBND</p><p>Địa chỉ: Xã Thử Nghiệm ${index + 1}, tỉnh Bình Định</p><p>Điện thoại: 0256 3800 ${100 + (index % 900)} - Email: ${id}@binhdinh.gov.vn</p></footer>`;
  const enc = (x: string) => Buffer.from(x, "utf8");
  const headOf = (title: string) =>
    `<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${esc(title)} - ${esc(name)}</title>\n<style>body{font-family:Arial,sans-serif}.menu li{display:inline-block}</style>\n</head>\n<body>\n`;
  const top = enc(`<header><h1 class="unit-name">${esc(name.toUpperCase())}</h1><form action="/tim-kiem"><input name="q"></form></header>\n${menu}\n<main>`);
  const tail = enc(`</main>\n${p.filler}\n${footer}\n</body>\n</html>\n`);
  /** Pages are assembled from pre-encoded buffers: cheap to serve, so the crawler is what gets measured. */
  const shell = (title: string, parts: (string | Buffer)[]): Buffer =>
    Buffer.concat([enc(headOf(title)), top, ...parts.map((x) => (typeof x === "string" ? enc(x) : x)), tail]);
  const listing = (ks: number[]) =>
    `<ul class="list-news">${ks.map((k) => `<li><a href="${articleUrl(k)}">${esc(p.titles[(k + index) % p.titles.length])}</a> <span class="date">${dmy(dateOf(k))}</span></li>`).join("")}</ul>`;
  const articlesOfCat = (c: number) => Array.from({ length: articleCount }, (_, k) => k).filter((k) => catOf(k) === c);

  const paths = new Map<string, { kind: "home" } | { kind: "cat"; c: number } | { kind: "article"; k: number }>();
  paths.set("/", { kind: "home" });
  for (let c = 0; c < C; c++) paths.set(catUrl(c), { kind: "cat", c });
  for (let k = 0; k < articleCount; k++) paths.set(articleUrl(k), { kind: "article", k });

  const etagBase = `${seed}-${reference}-${index}`;
  const authorRng = Rng.derive(seed, id);
  const authors = Array.from({ length: 7 }, () => personName(authorRng));
  const render = (path: string): FarmResponse | null => {
    const entry = paths.get(path);
    if (!entry) {
      if (path === "/robots.txt") {
        const lines = ["User-agent: *", "Disallow: /admin/"];
        if (opts.crawlDelayMs) lines.push(`Crawl-delay: ${opts.crawlDelayMs / 1000}`);
        lines.push(`Sitemap: ${origin}/sitemap.xml`);
        return text(lines.join("\n") + "\n", "text/plain; charset=utf-8", `${etagBase}-robots`, reference);
      }
      if (path === "/sitemap.xml") {
        const urls = [...paths.keys()].map((u) => `<url><loc>${origin}${u}</loc></url>`).join("");
        return text(`<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}</urlset>\n`, "application/xml; charset=utf-8", `${etagBase}-sm`, reference);
      }
      return null;
    }
    let html: Buffer;
    let date = reference;
    if (entry.kind === "home") {
      html = shell(name, [`<h2>Tin mới</h2>${listing(Array.from({ length: Math.min(articleCount, 20) }, (_, k) => k))}`, p.bodyCuts[index % p.bodies.length]]);
    } else if (entry.kind === "cat") {
      const ks = articlesOfCat(entry.c);
      const label = CATEGORIES[BENCH_CATS[entry.c]].labels[0];
      html = shell(label, ks.length ? [`<h1>${esc(label)}</h1>${listing(ks)}`, p.bodyCuts[entry.c % p.bodies.length]] : [`<h1>${esc(label)}</h1>`, p.bodies[entry.c % p.bodies.length]]);
    } else {
      const k = entry.k;
      date = dateOf(k);
      const related = [1, 2, 3, 4, 5].map((d) => (k + d) % Math.max(1, articleCount));
      const title = p.titles[(k + index) % p.titles.length];
      html = shell(title, [
        `<article><h1>${esc(title)}</h1><div class="post-date">${dmy(date)}</div>`,
        p.bodies[(k * 7 + index) % p.bodies.length],
        `<p class="author">Tác giả: ${esc(authors[k % authors.length])}</p><p class="source">Nguồn: Báo Bình Định</p></article><div class="related">${listing(related)}</div>`,
      ]);
    }
    return text(html, "text/html; charset=utf-8", `${etagBase}-${path}`, date);
  };

  const truth: GroundTruth = {
    id,
    code: `BDH-B${String(index + 1).padStart(3, "0")}`,
    name,
    unitType: "ubnd_xa",
    group: "xa",
    baseUrl: `${origin}/`,
    layout: "bench",
    robotsDisallowAll: false,
    robots: { crawlDelay: opts.crawlDelayMs ? opts.crawlDelayMs / 1000 : null, disallow: ["/admin/"] },
    hasRss: false,
    rssUrl: null,
    hasSitemap: true,
    sitemapIndex: false,
    jsMenu: false,
    activity: "active",
    siteEncoding: "utf8",
    categories: Object.fromEntries(
      CATEGORY_IDS.map((cid) => {
        const c = BENCH_CATS.indexOf(cid);
        const present = c >= 0 && c < C;
        return [cid, { status: present ? "present" : "missing", url: present ? origin + catUrl(c) : null, required: !OPTIONAL_CATEGORIES.includes(cid) }];
      }),
    ) as GroundTruth["categories"],
    pages: [...paths.keys()].map((u) => ({
      url: origin + u,
      encoding: { declared: "utf-8", validUtf8: true, legacy: null, legacyFonts: [], nfc: true, compliant: true },
    })),
    items: Array.from({ length: articleCount }, (_, k) => ({ url: origin + articleUrl(k), published: dateOf(k), categoryId: BENCH_CATS[catOf(k)] })),
    latestPublished: articleCount ? dateOf(0) : null,
    documents: [],
    identity: { unitName: true, responsiblePerson: true, address: true, phone: true, email: true },
    attribution: [],
    technical: { https: false, viewport: true, langVi: true, search: true, sitemapPage: C > 9, sitemapXml: true, homeImages: 0, homeImagesWithAlt: 0 },
    comparable: { categories: true, encoding: true, dates: true, identity: true },
    notes: ["Benchmark site (pages built on demand)."],
  };
  return { id, resolve: render, truth, crawlDelayMs: opts.crawlDelayMs ?? 0, latencyMs: opts.latencyMs ?? 0 };
}

/** Cuts HTML made of <p> blocks at a paragraph end. */
function cut(html: string, max: number): string {
  if (html.length <= max) return html;
  const end = html.lastIndexOf("</p>", max);
  return end < 0 ? "" : html.slice(0, end + 4);
}

function text(s: string | Buffer, contentType: string, tag: string, date: string): FarmResponse {
  const body = typeof s === "string" ? Buffer.from(s, "utf8") : s;
  return { status: 200, headers: { "content-type": contentType }, body, etag: `"${hashTag(tag)}"`, lastModified: httpDate(date) };
}

function hashTag(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return `b${(h >>> 0).toString(16)}-${s.length}`;
}
