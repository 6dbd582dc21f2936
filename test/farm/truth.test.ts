/**
 * The ground truth checked against the bytes the farm serves: what the truth declares must be
 * visible in the pages (links, dates, footer, attribution, technical markers).
 */
import * as cheerio from "cheerio";
import { describe, expect, it } from "vitest";
import { buildProvince } from "./index.ts";
import type { BuiltSite } from "./render.ts";

const REF = "2026-11-20";
const sites = buildProvince(11, REF, (i) => `http://127.0.0.1:${6000 + i}`);
const readable = sites.filter((s) => ["utf8", "nfd", "no-charset"].includes(s.spec.encoding));

function html(site: BuiltSite, url: string): string {
  const path = url.slice(site.truth.baseUrl.length - 1);
  const r = site.routes.get(path);
  if (!r) throw new Error(`${site.spec.id}: no route ${path}`);
  return r.body.toString("utf8").normalize("NFC");
}

function dmy(ymd: string): string {
  const [y, m, d] = ymd.split("-");
  return `${d}/${m}/${y}`;
}

describe("ground truth matches the served pages", () => {
  it("covers enough readable sites", () => {
    expect(readable.length).toBeGreaterThanOrEqual(20);
  });

  it("linked categories are in the menu (or the JS menu data) and missing ones are not", () => {
    for (const s of readable) {
      const home = html(s, s.truth.baseUrl);
      for (const [id, c] of Object.entries(s.truth.categories)) {
        if (c.status === "missing") continue;
        const path = c.url!.slice(s.truth.baseUrl.length - 1);
        if (s.truth.jsMenu) expect(home, `${s.spec.id} ${id}`).toContain(JSON.stringify(path.split("/").filter(Boolean)));
        else expect(home, `${s.spec.id} ${id}`).toContain(`href="${path.replace(/&/g, "&amp;")}"`);
      }
    }
  });

  it("every item is listed on its category page with its date", () => {
    let n = 0;
    for (const s of readable) {
      const loaded = new Map<string, cheerio.CheerioAPI>();
      for (const it of s.truth.items) {
        const cat = s.truth.categories[it.categoryId];
        // A category the unit's type need not have (đơn vị sự nghiệp: lịch công tác) is not in the truth.
        if (!cat) continue;
        expect(cat.status).toBe("present");
        let $ = loaded.get(cat.url!);
        if (!$) loaded.set(cat.url!, ($ = cheerio.load(html(s, cat.url!))));
        const path = it.url.slice(s.truth.baseUrl.length - 1);
        const a = $("a").filter((_, el) => $(el).attr("href") === path).first();
        expect(a.length, `${s.spec.id} ${path}`).toBe(1);
        const row = a.closest("li, tr").text();
        const [y, m, d] = it.published.split("-").map(Number);
        if (it.relative) expect(row).toMatch(/\d+ (giờ|ngày) trước/);
        else if (s.spec.listingDate === "words" && it.categoryId !== "van-ban") expect(row).toContain(`ngày ${d} tháng ${m} năm ${y}`);
        else if (s.spec.listingDate === "dmy-dash" && it.categoryId !== "van-ban") expect(row).toContain(dmy(it.published).replace(/\//g, "-"));
        else expect(row).toContain(dmy(it.published));
        n++;
      }
    }
    expect(n).toBeGreaterThan(500);
  });

  it("documents show the issue and posting dates", () => {
    for (const s of readable) {
      for (const d of s.truth.documents) {
        const text = cheerio.load(html(s, d.url))("main").text();
        expect(text).toContain(`Ngày ban hành:${dmy(d.issued)}`);
        expect(text).toContain(`Ngày đăng:${dmy(d.posted)}`);
        expect(text).toContain(d.number);
      }
    }
  });

  it("footer identity and article attribution are as declared", () => {
    for (const s of readable) {
      const $ = cheerio.load(html(s, s.truth.baseUrl));
      const footer = $("footer").text();
      const id = s.truth.identity;
      expect(/chịu trách nhiệm/i.test(footer), `${s.spec.id} person`).toBe(id.responsiblePerson);
      expect(footer.includes("Địa chỉ:"), `${s.spec.id} address`).toBe(id.address);
      expect(/0256 \d{4} \d{3}/.test(footer), `${s.spec.id} phone`).toBe(id.phone);
      expect(footer.includes("@"), `${s.spec.id} email`).toBe(id.email);
      expect(footer.toUpperCase()).toContain(s.truth.name.toUpperCase());
      for (const a of s.truth.attribution) {
        const page = html(s, a.url);
        const art = page.slice(page.indexOf("<article>"), page.indexOf("</article>")).replace(/<[^>]+>/g, "");
        expect(/(Tác giả|Người viết):/.test(art), a.url).toBe(a.author);
        expect(/Nguồn:/.test(art), a.url).toBe(a.source);
      }
    }
  });

  it("technical markers are as declared", () => {
    for (const s of readable) {
      const $ = cheerio.load(html(s, s.truth.baseUrl));
      const t = s.truth.technical;
      expect($('meta[name="viewport"]').length > 0, s.spec.id).toBe(t.viewport);
      expect($("html").attr("lang") === "vi", s.spec.id).toBe(t.langVi);
      expect($("form input").length > 0, s.spec.id).toBe(t.search);
      expect($("img").length, s.spec.id).toBe(t.homeImages);
      expect($("img[alt]").length, s.spec.id).toBe(t.homeImagesWithAlt);
      expect(s.routes.has("/sitemap.xml"), s.spec.id).toBe(t.sitemapXml);
      expect(s.routes.has("/rss"), s.spec.id).toBe(s.truth.hasRss);
    }
  });

  it("page encodings: compliant means UTF-8, valid, no legacy text or font", () => {
    for (const s of sites) {
      for (const p of s.truth.pages) {
        const e = p.encoding;
        expect(e.compliant).toBe(e.declared === "utf-8" && e.validUtf8 && e.legacy === null && e.legacyFonts.length === 0);
        const body = html(s, p.url);
        for (const f of e.legacyFonts) expect(body).toContain(f);
      }
    }
  });
});
