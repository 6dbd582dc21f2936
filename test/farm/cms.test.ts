// The checks on farm sites built like the CMS platforms Vietnamese state sites run on (issue 13 §2):
// one test per real-world markup class, and the agreement with the sites' ground truth.
import { describe, expect, it } from "vitest";
import { Fetcher } from "../../crawler/fetch/fetcher.ts";
import { loadChecks } from "../../crawler/audit/checks-adapter.ts";
import { crawlSite } from "../../crawler/audit/crawl-site.ts";
import { pageKey } from "../../crawler/discover/normalize.ts";
import { startServer } from "../crawler/helpers.ts";
import { runSiteChecks, type FullAuditResult } from "../../crawler/checks/index.ts";
import { parseHtml, parsePage } from "../../crawler/parse/page.ts";
import { decodeHtml, extractLinks } from "../../crawler/discover/links.ts";
import { checkArticleAttribution } from "../../crawler/checks/attribution.ts";
import { matchCategory } from "../../crawler/catalog/match.ts";
import { isLegacyFont } from "../../crawler/encoding/fonts.ts";
import { encodeCp1258Bytes } from "./legacy.ts";
import { PLATFORMS, buildCmsSite, cmsSnapshot, serveCms, type CmsSite, type Platform } from "./cms.ts";

const REF = "2026-11-20";
const sites = new Map<Platform, { site: CmsSite; r: FullAuditResult }>(
  PLATFORMS.map((p, i) => {
    const site = buildCmsSite(p, 7, REF, `http://127.0.0.1:${43000 + i}`);
    return [p, { site, r: runSiteChecks(cmsSnapshot(site, REF)) }];
  }),
);

function status(p: Platform, id: string): string | undefined {
  return sites.get(p)!.r.categories.find((c) => c.id === id)?.status;
}

function attributionFindings(r: FullAuditResult, url: string): string[] {
  return r.findings.filter((f) => f.check === "attribution" && f.url === url).map((f) => f.code).sort();
}

/** Verdicts compared with the truth: categories, identity, attribution, no verdict on non-articles, fonts. */
export function agreement(): { agree: number; total: number; wrong: string[] } {
  let agree = 0;
  let total = 0;
  const wrong: string[] = [];
  const check = (ok: boolean, what: string) => {
    total++;
    if (ok) agree++;
    else wrong.push(what);
  };
  for (const [p, { site, r }] of sites) {
    const t = site.truth;
    for (const [id, s] of Object.entries(t.categories)) check((r.categories.find((c) => c.id === id)?.status ?? "missing") === s, `${p} ${id}: ${s} ≠ ${r.categories.find((c) => c.id === id)?.status}`);
    for (const k of Object.keys(t.identity) as (keyof typeof t.identity)[]) check(r.identity[k] === t.identity[k], `${p} identity.${k}`);
    for (const a of t.articles) {
      const got = attributionFindings(r, a.url);
      const checked = (r.attribution as { articlesChecked: number }).articlesChecked;
      check(checked > 0 && got.includes("attribution.author-missing") === !a.author, `${p} ${a.url} author`);
      check(checked > 0 && got.includes("attribution.source-missing") === !a.source, `${p} ${a.url} source`);
    }
    for (const u of t.notArticles) check(attributionFindings(r, u).length === 0, `${p} ${u} is not an article`);
    for (const [u, fonts] of Object.entries(t.legacyFonts)) {
      const got = r.pages.find((x) => x.url === u)?.encoding.legacyFonts.map((f) => f.toLowerCase()).sort() ?? [];
      check(got.join() === [...fonts].sort().join(), `${p} ${u} fonts ${got.join()}`);
    }
  }
  return { agree, total, wrong };
}

describe("CMS farm sites (NukeViet, eGovernment, Liferay, SharePoint, DotNetNuke, WordPress)", () => {
  it("hidden submenus: categories only in hover/drop-down lists count as navigation", () => {
    expect(status("nukeviet", "lanh-dao")).toBe("present");
    expect(status("nukeviet", "lich-cong-tac")).toBe("present");
    expect(status("liferay", "lanh-dao")).toBe("present");
    const r = sites.get("nukeviet")!.r.categories.find((c) => c.id === "lich-cong-tac")! as { via?: string };
    expect(r.via).toContain("Lịch công tác");
    const parsed = parseHtml(`<nav><ul class="nav navbar-nav"><li class="dropdown"><a href="#">Tổ chức bộ máy</a><ul class="dropdown-menu" style="display:none"><li><a href="/p4">Lãnh đạo Sở</a></li></ul></li></ul></nav>`, "http://x.gov.vn/");
    const l = parsed.links.find((x) => x.href === "http://x.gov.vn/p4")!;
    expect(l.text).toBe("Lãnh đạo Sở");
    expect(l.parentMenuText).toBe("Tổ chức bộ máy");
  });

  it("wrong emptiness: page text inside a 'menu'-named portlet is content", () => {
    for (const id of ["gioi-thieu", "tin-tuc", "lien-he"]) expect(status("liferay", id), id).toBe("present");
  });

  it("wrong emptiness: a page that says only 'Đang cập nhật…' is empty beside a news column", () => {
    expect(status("sharepoint", "chi-dao-dieu-hanh")).toBe("empty");
    expect(status("sharepoint", "gioi-thieu")).toBe("present");
  });

  it("articles on real CMS layouts get date, author and source verdicts", () => {
    for (const p of ["liferay", "sharepoint", "dnn"] as const) {
      const { site, r } = sites.get(p)!;
      for (const a of site.truth.articles) {
        expect(attributionFindings(r, a.url).includes("attribution.author-missing"), `${a.url} author`).toBe(!a.author);
        expect(attributionFindings(r, a.url).includes("attribution.source-missing"), `${a.url} source`).toBe(!a.source);
      }
      const dated = r.freshness.items.map((i) => i.url);
      for (const a of site.truth.articles) expect(dated, a.url).toContain(a.url);
    }
  });

  it("home, listing and later listing pages get no author/source findings", () => {
    for (const { site, r } of sites.values()) {
      for (const u of site.truth.notArticles) expect(attributionFindings(r, u), u).toEqual([]);
    }
  });

  it("Vietnamese bylines: 'Tin, ảnh: …', '… ./. Name', 'Theo Báo …', 'Nguồn: …'", () => {
    const page = (body: string) => parseHtml(`<html><body><article><h1>Hội nghị triển khai nhiệm vụ năm 2027 của ngành tư pháp tỉnh</h1><p>${"Nội dung bài viết về công tác tư pháp trên địa bàn tỉnh trong năm qua. ".repeat(8)}</p>${body}</article></body></html>`, "http://x.gov.vn/a");
    expect(checkArticleAttribution(page(`<p>Tin, ảnh: Ngô Tấm</p>`), "a").author).toBe(true);
    expect(checkArticleAttribution(page(`<p>Kết thúc hội nghị, các đại biểu thống nhất kế hoạch./. Lệ Sương</p>`), "a").author).toBe(true);
    expect(checkArticleAttribution(page(`<p>Theo Báo Bình Định</p><h2>Tin liên quan</h2><ul><li><a href="/b">Một bài viết khác của Sở Tư pháp về công tác</a></li><li><a href="/c">Bài viết thứ ba của Sở Tư pháp về công tác cải cách</a></li></ul>`), "a").source).toBe(true);
    expect(checkArticleAttribution(page(`<p><strong>Nguồn:</strong> <em>Báo Bình Định</em></p>`), "a").source).toBe(true);
    // and on the farm sites
    for (const p of ["nukeviet", "wordpress", "sharepoint", "liferay"] as const) {
      const { site, r } = sites.get(p)!;
      for (const a of site.truth.articles) expect(attributionFindings(r, a.url).includes("attribution.author-missing"), `${a.url}`).toBe(!a.author);
    }
  });

  it("long menu labels and long slugs name their category", () => {
    expect(matchCategory("Thông tin đầu tư, đấu thầu, mua sắm công")).toEqual(["du-an-dau-tu"]);
    expect(matchCategory("Mua sắm tài sản công")).toEqual(["du-an-dau-tu"]);
    expect(matchCategory("", "http://x.gov.vn/lay-y-kien-van-ban-du-thao/")).toEqual(["lay-y-kien"]);
    expect(status("egov", "du-an-dau-tu")).toBe("present");
    expect(status("wordpress", "du-an-dau-tu")).toBe("present");
    expect(status("egov", "lay-y-kien")).toBe("present");
  });

  it("a fetched page whose title names the category is its landing page", () => {
    expect(status("dnn", "thong-ke")).toBe("present");
  });

  it("zero-width characters inside 'Chịu trách nhiệm' do not hide the responsible person", () => {
    expect(sites.get("egov")!.r.identity.responsiblePerson).toBe(true);
  });

  it("legacy font names with spaces ('.VnArial Narrow', '.VnCentury Schoolbook')", () => {
    expect(isLegacyFont(".VnArial Narrow")).toBe(true);
    expect(isLegacyFont(".VnCentury Schoolbook")).toBe(true);
    expect(isLegacyFont("Arial Narrow")).toBe(false);
    const sp = sites.get("sharepoint")!;
    expect(sp.r.pages.find((p) => p.url === sp.site.truth.baseUrl)?.encoding.legacyFonts.map((f) => f.toLowerCase())).toEqual([".vnarial narrow"]);
    const dnn = sites.get("dnn")!;
    expect(dnn.r.pages.find((p) => p.url === dnn.site.truth.baseUrl)?.encoding.legacyFonts.map((f) => f.toLowerCase())).toEqual([".vncentury schoolbook"]);
  });

  it("other agencies' links ('Liên kết website') are not the unit's own categories", () => {
    expect(status("egov", "thu-tuc-hanh-chinh")).toBe("missing");
    expect(status("egov", "thong-ke")).toBe("missing");
  });

  it("an English version announced by hreflang or a flag link is seen", () => {
    expect(status("dnn", "tieng-anh")).toBe("present");
    expect(status("nukeviet", "tieng-anh")).toBe("present");
  });

  it("placeholder or test content does not pass as real content", () => {
    expect(status("dnn", "van-ban")).toBe("empty");
  });

  it("the link finder and the checks decode the same bytes the same way (x-cp1258)", () => {
    const page = `<html><head><title>Sở Tư pháp</title></head><body><ul class="menu"><li><a href="/gt">Giới thiệu</a></li><li><a href="/ld">Lãnh đạo Sở</a></li></ul></body></html>`;
    const body = encodeCp1258Bytes(page);
    const headers = { "content-type": "text/html; charset=x-cp1258" };
    const decoded = decodeHtml(body, headers["content-type"]);
    const found = extractLinks(decoded.html, "http://x.gov.vn/", decoded.fix).links.map((l) => l.text.normalize("NFC"));
    const parsed = parsePage({ url: "http://x.gov.vn/", finalUrl: "http://x.gov.vn/", status: 200, headers, body, fetchedAt: new Date() }).links.map((l) => l.text);
    expect(found).toEqual(["Giới thiệu", "Lãnh đạo Sở"]);
    expect(found).toEqual(parsed);
  });

  it("duplicate fetches: trailing slash, index.html and fragments are one page", async () => {
    const site = buildCmsSite("wordpress", 7, REF, "http://127.0.0.1:1");
    const server = await startServer((req, res) => serveCms(site, req, res));
    try {
      const r = await crawlSite({ baseUrl: server.url, allowPrivate: true, fetcher: new Fetcher({ totalTimeoutMs: 5000 }), renderer: null, checks: await loadChecks(), maxPages: 100, renderMode: "never", runAxe: false });
      const served = new Map<string, string[]>();
      for (const p of r.pages) {
        if (p.status !== 200 || p.kind === "robots") continue;
        const key = pageKey(p.finalUrl);
        served.set(key, [...(served.get(key) ?? []), p.url]);
      }
      const twice = [...served.entries()].filter(([, urls]) => urls.length > 1);
      expect(twice).toEqual([]);
      expect(served.has(pageKey(server.url + "gioi-thieu/"))).toBe(true);
      // No redirect is fetched twice either.
      const hits = server.hits.map((h) => h.path).filter((p) => p !== "/robots.txt" && p !== "/sitemap.xml");
      expect(hits.length - new Set(hits).size).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("agrees with the ground truth on every verdict", () => {
    const a = agreement();
    console.log(`CMS farm agreement: ${a.agree}/${a.total} = ${((100 * a.agree) / a.total).toFixed(1)} %`);
    for (const w of a.wrong) console.log("  ✗ " + w);
    expect(a.wrong).toEqual([]);
  });
});
