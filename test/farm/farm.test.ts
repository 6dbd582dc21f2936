import { gunzipSync } from "node:zlib";
import iconv from "iconv-lite";
import { toUnicode } from "vietnamese-conversion";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATEGORY_IDS, buildProvince, startFarm, type Farm, type GroundTruth } from "./index.ts";

const REF = "2026-11-20";

function bySite(farm: Farm, id: string): GroundTruth {
  const t = farm.truth().find((s) => s.id === id);
  if (!t) throw new Error(`no site ${id}`);
  return t;
}

async function getBytes(url: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const r = await fetch(url, init);
  return { status: r.status, headers: r.headers, body: Buffer.from(await r.arrayBuffer()) };
}

describe("farm determinism", () => {
  it("same seed and date give identical bytes and truth; another seed differs", () => {
    const origin = (i: number) => `http://127.0.0.1:${5000 + i}`;
    const a = buildProvince(7, REF, origin);
    const b = buildProvince(7, REF, origin);
    const c = buildProvince(8, REF, origin, [a[0].spec.id, a[1].spec.id]);
    expect(JSON.stringify(a.map((s) => s.truth))).toBe(JSON.stringify(b.map((s) => s.truth)));
    let routes = 0;
    for (let i = 0; i < a.length; i++) {
      expect([...a[i].routes.keys()]).toEqual([...b[i].routes.keys()]);
      for (const [path, r] of a[i].routes) {
        const o = b[i].routes.get(path)!;
        expect(o.body.equals(r.body), `${a[i].spec.id}${path}`).toBe(true);
        expect(o.etag).toBe(r.etag);
        expect(o.lastModified).toBe(r.lastModified);
        routes++;
      }
    }
    expect(routes).toBeGreaterThan(1500);
    expect(JSON.stringify(c.map((s) => s.truth.items))).not.toBe(JSON.stringify(a.slice(0, 2).map((s) => s.truth.items)));
    expect(c[0].routes.get("/")!.body.equals(a[0].routes.get("/")!.body)).toBe(false);
  });

  it("two running farms serve the same bytes (modulo host:port)", async () => {
    const f1 = await startFarm({ seed: 3 });
    const f2 = await startFarm({ seed: 3 });
    try {
      for (let i = 0; i < f1.sites.length; i += 5) {
        const t1 = f1.sites[i].truth;
        const t2 = f2.sites[i].truth;
        for (const k of [0, 3, t1.pages.length - 1]) {
          const u1 = t1.pages[k].url;
          const u2 = t2.pages[k].url;
          expect(u1.replace(f1.sites[i].baseUrl, "/")).toBe(u2.replace(f2.sites[i].baseUrl, "/"));
          const [r1, r2] = await Promise.all([getBytes(u1), getBytes(u2)]);
          expect(r1.status).toBe(200);
          const norm = (b: Buffer, base: string) => b.toString("latin1").split(base.slice(0, -1)).join("ORIGIN");
          expect(norm(r1.body, f1.sites[i].baseUrl)).toBe(norm(r2.body, f2.sites[i].baseUrl));
          expect(r1.headers.get("etag")).toBeTruthy();
          expect(r1.headers.get("date")).toBeNull();
        }
      }
    } finally {
      await Promise.all([f1.close(), f2.close()]);
    }
  });
});

describe("sample province", () => {
  let farm: Farm;
  beforeAll(async () => {
    farm = await startFarm({ seed: 1, referenceDate: REF, include: "all", slowMs: 5_000 });
  });
  afterAll(async () => {
    await farm.close();
  });

  it("has at least 30 normal sites in the three groups of the two-level government, each on its own port", () => {
    const normal = farm.truth().filter((t) => !t.hostile);
    expect(normal.length).toBeGreaterThanOrEqual(30);
    const groups = (g: string) => normal.filter((t) => t.group === g).length;
    expect(groups("so-nganh")).toBeGreaterThanOrEqual(9);
    expect(groups("huyen")).toBe(0); // no district level after 01/07/2025
    expect(groups("xa")).toBeGreaterThanOrEqual(15);
    expect(groups("su-nghiep")).toBeGreaterThanOrEqual(3);
    expect(new Set(normal.map((t) => t.unitType))).toEqual(new Set(["so", "ban", "ubnd_xa", "don_vi_su_nghiep"]));
    expect(new Set(farm.sites.map((s) => s.port)).size).toBe(farm.sites.length);
    expect(new Set(normal.map((t) => t.layout))).toEqual(new Set(["text", "nested", "upper", "nodiac", "slug", "js"]));
    // Every category the unit's type must have (đơn vị sự nghiệp: no work schedule).
    for (const t of normal) expect(Object.keys(t.categories).sort()).toEqual(CATEGORY_IDS.filter((id) => t.unitType !== "don_vi_su_nghiep" || id !== "lich-cong-tac").sort());
  });

  it("declares every category status, every legacy scheme and every encoding case", () => {
    const normal = farm.truth().filter((t) => !t.hostile);
    const statuses = new Set(normal.flatMap((t) => Object.values(t.categories).map((c) => c.status)));
    expect(statuses).toEqual(new Set(["present", "empty", "missing", "unreachable"]));
    const pages = normal.flatMap((t) => t.pages);
    const schemes = new Set(pages.map((p) => p.encoding.legacy).filter(Boolean));
    expect(schemes).toEqual(new Set(["TCVN3", "VNI", "VISCII", "CP1258", "DOUBLE_UTF8"]));
    const declared = new Set(pages.map((p) => p.encoding.declared));
    for (const d of [null, "utf-8", "windows-1258", "viscii", "windows-1252"]) expect(declared.has(d)).toBe(true);
    expect(pages.some((p) => !p.encoding.nfc && p.encoding.compliant)).toBe(true);
    expect(pages.some((p) => p.encoding.declared === "utf-8" && !p.encoding.validUtf8)).toBe(true);
    expect(pages.some((p) => p.encoding.declared === null && p.encoding.validUtf8)).toBe(true);
    for (const f of [".VnTime", ".VnArial", "VNI-Times", "VNI-Helve"]) expect(pages.some((p) => p.encoding.legacyFonts.includes(f))).toBe(true);
    expect(pages.filter((p) => p.encoding.compliant).length).toBeGreaterThan(pages.length / 2);
    // a mixed page: legacy text on a UTF-8 page of an otherwise Unicode site
    const mixed = bySite(farm, "so-noi-vu").pages.find((p) => p.encoding.legacy === "TCVN3");
    expect(mixed?.encoding).toMatchObject({ declared: "utf-8", validUtf8: true, compliant: false });
  });

  it("serves legacy bytes that decode to Vietnamese only with the right table", async () => {
    const phrase = (t: GroundTruth) => t.name.replace("UBND ", "").toUpperCase(); // e.g. "XÃ TUY PHƯỚC TÂY"
    const first = async (id: string) => {
      const t = bySite(farm, id);
      return { t, r: await getBytes(t.pages[0].url) };
    };
    {
      const { t, r } = await first("xa-phuoc-loc"); // TCVN3 bytes, no charset
      expect(r.headers.get("content-type")).toBe("text/html");
      expect(r.body.toString("utf8")).not.toContain(phrase(t));
      expect(iconv.decode(r.body, "tcvn")).toContain(phrase(t));
      expect(iconv.decode(r.body, "windows-1252")).toContain("Tuy Ph\u00adíc T©y"); // what a browser shows
    }
    {
      const { t, r } = await first("xa-cat-hanh"); // VISCII declared
      expect(r.headers.get("content-type")).toBe("text/html; charset=viscii");
      expect(iconv.decode(r.body, "viscii")).toContain(phrase(t));
    }
    {
      const { t, r } = await first("huyen-van-canh"); // windows-1258, decomposed
      const text = iconv.decode(r.body, "windows-1258");
      expect(text).not.toContain(phrase(t));
      expect(text.normalize("NFC")).toContain(phrase(t));
    }
    {
      const { t, r } = await first("xa-phuoc-hung"); // TCVN3 glyphs in UTF-8
      const text = r.body.toString("utf8");
      expect(text).not.toContain("Tuy Phước Bắc");
      expect(toUnicode(text, "tcvn3")).toContain("Tuy Phước Bắc");
      expect(t.pages[0].encoding.legacy).toBe("TCVN3");
    }
    {
      const { r } = await first("xa-phuoc-son"); // VNI glyphs in UTF-8
      // VNI of "Tuy Phước" is "Tuy Phöôùc" (ư→ö, ơ→ô, sắc→ù); vietnamese-conversion's own VNI→Unicode
      // direction mangles "ướ", so the known glyph string is checked instead
      const text = r.body.toString("utf8");
      expect(text).toContain("Tuy Phöôùc");
      expect(text).not.toContain("Tuy Phước Đông");
    }
    {
      const { r } = await first("xa-cat-tien"); // double-encoded UTF-8
      const text = r.body.toString("utf8");
      expect(text).toContain("CÃ¡t Tiáº¿n");
      expect(iconv.encode(text, "windows-1252").toString("utf8")).toContain("Cát Tiến");
    }
    {
      const t = bySite(farm, "huyen-an-lao"); // NFD
      const text = (await getBytes(t.pages[0].url)).body.toString("utf8");
      expect(text).not.toContain("An Lão");
      expect(text.normalize("NFC")).toContain("An Lão");
      expect(t.pages[0].encoding).toMatchObject({ nfc: false, compliant: true });
    }
  });

  it("keeps genuine Latin-1 text and a mere font mention compliant", async () => {
    const t = bySite(farm, "so-tai-chinh");
    const bodies = await Promise.all(t.pages.map(async (p) => ({ p, text: (await getBytes(p.url)).body.toString("utf8") })));
    const latin = bodies.find((b) => b.text.includes("Hôtel de Ville"));
    const mention = bodies.find((b) => b.text.includes("phông chữ .VnTime"));
    expect(latin?.p.encoding.compliant).toBe(true);
    expect(latin?.text).toContain("Café");
    expect(mention?.p.encoding).toMatchObject({ compliant: true, legacyFonts: [] });
  });

  it("empty, missing and unreachable categories behave as declared", async () => {
    let checked = 0;
    for (const t of farm.truth().filter((x) => !x.hostile && x.comparable.categories)) {
      for (const [id, c] of Object.entries(t.categories)) {
        if (c.status === "missing") {
          expect(c.url).toBeNull();
          continue;
        }
        const r = await getBytes(c.url!);
        if (c.status === "unreachable") expect([404, 500], `${t.id} ${id}`).toContain(r.status);
        else expect(r.status, `${t.id} ${id}`).toBe(200);
        if (c.status === "empty" && t.siteEncoding === "utf8") {
          const text = r.body.toString("utf8");
          const main = text.slice(text.indexOf("<main"), text.indexOf("</main>"));
          expect(/Đang cập nhật|Nội dung đang được cập nhật|Chưa có dữ liệu|<ul class="list-news"><\/ul>|<tbody><\/tbody>/.test(main), `${t.id} ${id}`).toBe(true);
          expect(main).not.toContain("<li><a");
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(400);
  });

  it("dates: active sites posted in the last days, stale ones months ago, documents have issue/posting dates", () => {
    for (const t of farm.truth().filter((x) => !x.hostile)) {
      const days = (Date.parse(REF) - Date.parse(t.latestPublished!)) / 86_400_000;
      if (t.activity === "active") expect(days, t.id).toBeLessThanOrEqual(3);
      if (t.activity === "stale") expect(days, t.id).toBeGreaterThan(90);
      for (const d of t.documents) expect(d.issued <= d.posted).toBe(true);
    }
    const docs = farm.truth().flatMap((t) => t.documents);
    expect(docs.some((d) => d.late)).toBe(true);
    expect(docs.some((d) => !d.late)).toBe(true);
  });

  it("shows each declared date on the listing page in the site's format", async () => {
    const t = bySite(farm, "huyen-tuy-phuoc"); // listing: "ngày 20 tháng 11 năm 2026"
    const news = t.categories["tin-tuc"].url!;
    const text = (await getBytes(news)).body.toString("utf8");
    const items = t.items.filter((i) => i.categoryId === "tin-tuc");
    expect(items.length).toBeGreaterThan(5);
    for (const i of items) {
      const [y, m, d] = i.published.split("-").map(Number);
      expect(text).toContain(`ngày ${d} tháng ${m} năm ${y}`);
    }
    const rel = bySite(farm, "xa-tay-vinh");
    const relText = (await getBytes(rel.categories["tin-tuc"].url!)).body.toString("utf8");
    expect(relText).toMatch(/\d+ (giờ|ngày) trước/);
  });

  it("the JavaScript site has no category links without rendering", async () => {
    const t = bySite(farm, "huyen-tay-son");
    const html = (await getBytes(t.baseUrl)).body.toString("utf8");
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs.every((h) => h === "/" || h === "/tim-kiem")).toBe(true);
    expect(html).toContain("document.createElement");
    expect(t.jsMenu).toBe(true);
  });

  it("answers conditional GETs with 304 and counts them", async () => {
    const url = bySite(farm, "so-y-te").pages[0].url;
    const first = await getBytes(url);
    const etag = first.headers.get("etag")!;
    const lm = first.headers.get("last-modified")!;
    const before = farm.stats().conditionalHits;
    expect((await getBytes(url, { headers: { "if-none-match": etag } })).status).toBe(304);
    expect((await getBytes(url, { headers: { "if-modified-since": lm } })).status).toBe(304);
    expect((await getBytes(url, { headers: { "if-none-match": '"other"' } })).status).toBe(200);
    expect(farm.stats().conditionalHits).toBe(before + 2);
    expect(farm.stats().byHost[new URL(url).host]).toBeGreaterThanOrEqual(4);
    const mine = farm.requestLog().filter((r) => r.host === new URL(url).host && r.path === new URL(url).pathname + new URL(url).search);
    expect(mine.filter((r) => r.conditional).length).toBe(3);
  });

  it("robots: one site with Crawl-delay and disallowed paths, one disallowing everything", async () => {
    const t = bySite(farm, "so-khoa-hoc-cong-nghe");
    const robots = (await getBytes(new URL("/robots.txt", t.baseUrl).href)).body.toString("utf8");
    expect(robots).toContain("Crawl-delay: 1");
    expect(robots).toContain("Disallow: /tim-kiem");
    const h = bySite(farm, "hostile-robots-disallow-all");
    expect(h.robotsDisallowAll).toBe(true);
    expect((await getBytes(new URL("/robots.txt", h.baseUrl).href)).body.toString("utf8")).toContain("Disallow: /\n");
  });

  it("hostile sites misbehave as declared", async () => {
    const base = (k: string) => bySite(farm, `hostile-${k}`).baseUrl;
    // redirect loop
    const r1 = await fetch(base("redirect-loop"), { redirect: "manual" });
    const a = new URL(r1.headers.get("location")!, base("redirect-loop")).href;
    const r2 = await fetch(a, { redirect: "manual" });
    const b = new URL(r2.headers.get("location")!, a).href;
    const r3 = await fetch(b, { redirect: "manual" });
    expect(new URL(r3.headers.get("location")!, b).href).toBe(a);
    // 500 everywhere
    expect((await fetch(base("error-500"))).status).toBe(500);
    expect((await fetch(base("error-500") + "tin-tuc")).status).toBe(500);
    // wrong content type
    expect((await fetch(base("wrong-content-type"))).headers.get("content-type")).toBe("application/octet-stream");
    expect((await fetch(base("wrong-content-type") + "tin-tuc")).headers.get("content-type")).toBe("image/png");
    // invalid bytes
    const inv = await getBytes(base("invalid-bytes"));
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(inv.body)).toThrow();
    // slow: no headers within 300 ms
    await expect(fetch(base("slow"), { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    // huge: 50 MB announced; endless: keeps streaming
    const huge = await fetch(base("huge"), { method: "HEAD" });
    expect(Number(huge.headers.get("content-length"))).toBe(50 * 1024 * 1024);
    const ctl = new AbortController();
    const endless = await fetch(base("endless"), { signal: ctl.signal });
    const reader = endless.body!.getReader();
    let got = 0;
    while (got < 2 * 1024 * 1024) got += (await reader.read()).value?.length ?? 0;
    ctl.abort();
    expect(got).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    // gzip bomb: small on the wire, huge once inflated (inflate only the first member here)
    const http = await import("node:http");
    const raw = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      http.get(base("gzip-bomb"), (res) => {
        const parts: Buffer[] = [];
        res.on("data", (c: Buffer) => parts.push(c));
        res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(parts) }));
        res.on("error", reject);
      });
    });
    expect(raw.headers["content-encoding"]).toBe("gzip");
    expect(raw.body.length).toBeLessThan(2 * 1024 * 1024);
    const memberLen = raw.body.length / 64;
    expect(gunzipSync(raw.body.subarray(0, memberLen)).length).toBe(16 * 1024 * 1024);
  });
});

describe("bench mode", () => {
  it("generates N sites × M pages, all reachable, realistic sizes, with crawl delay", async () => {
    const farm = await startFarm({ seed: 2, bench: { sites: 3, pagesPerSite: 40, crawlDelayMs: 500 } });
    try {
      expect(farm.sites.length).toBe(3);
      const sizes: number[] = [];
      for (const s of farm.sites) {
        expect(s.truth.pages.length).toBe(40);
        const rs = await Promise.all(s.truth.pages.map((p) => getBytes(p.url)));
        for (const r of rs) expect(r.status).toBe(200);
        sizes.push(...rs.map((r) => r.body.length));
        const robots = (await getBytes(s.baseUrl + "robots.txt")).body.toString("utf8");
        expect(robots).toContain("Crawl-delay: 0.5");
        // every page is linked from the home page or a category page
        const linked = new Set<string>();
        for (const r of rs) for (const m of r.body.toString("utf8").matchAll(/href="(\/[^"]*)"/g)) linked.add(s.baseUrl.slice(0, -1) + m[1]);
        for (const p of s.truth.pages) if (p.url !== s.baseUrl) expect(linked.has(p.url), p.url).toBe(true);
      }
      sizes.sort((x, y) => x - y);
      const median = sizes[Math.floor(sizes.length / 2)];
      expect(median).toBeGreaterThan(25_000);
      expect(median).toBeLessThan(90_000);
    } finally {
      await farm.close();
    }
  });
});
