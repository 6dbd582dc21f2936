// Issue 13 §4: evidence that holds up — a Unicode preview beside the page as served, a
// missing-category finding that says where and what was looked for (with the stored pages),
// and Chromium's screenshot of the home page stored with the audit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unicodePreview } from "../../crawler/encoding/preview.ts";
import { encodeCp1258Bytes, encodeTcvn3Bytes, encodeVisciiBytes } from "../farm/legacy.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { startServer, type TestServer } from "./helpers.ts";
import { seedGroupsAndSettings, seedUnits } from "../../db/seeds/sample-province.ts";
import { createRound } from "../../db/queries/audits.ts";
import { getAuditScreenshotPng, getLatestUnitScreenshot } from "../../db/queries/screenshots.ts";
import { getAuditPageIds } from "../../db/queries/evidence-pages.ts";
import { runSiteAudit } from "../../crawler/audit/run-audit.ts";
import { Fetcher } from "../../crawler/fetch/fetcher.ts";
import { Renderer, findChromium } from "../../crawler/render/renderer.ts";

const TEXT = "Cộng hòa xã hội chủ nghĩa Việt Nam";

describe("the snapshot as served, with a Unicode preview beside it", () => {
  it("converts a TCVN3 page (legacy glyphs under windows-1252, .VnTime font) to Unicode and declares UTF-8", () => {
    const head = Buffer.from(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><title>x</title></head><body><p style="font-family:.VnTime">`, "latin1");
    const body = Buffer.concat([head, encodeTcvn3Bytes(TEXT), Buffer.from("</p></body></html>", "latin1")]);
    const p = unicodePreview(body, "text/html");
    expect(p.legacy).toBe("TCVN3");
    expect(p.html).toContain(TEXT);
    expect(p.html).toMatch(/<head[^>]*><meta charset="utf-8">/);
    expect(p.html).not.toMatch(/charset=windows-1252/);
    // Legacy fonts would draw Unicode letters wrongly: the preview overrides them.
    expect(p.html).toContain("font-family:Arial");
  });

  it("reads windows-1258 (x-cp1258, combining marks) and VISCII pages as composed Unicode", () => {
    const cp = unicodePreview(encodeCp1258Bytes(`<html><body><p>${TEXT}</p></body></html>`), "text/html; charset=x-cp1258");
    expect(cp.charset).toBe("windows-1258");
    expect(cp.html).toContain(TEXT);
    const viscii = unicodePreview(Buffer.concat([Buffer.from('<html><head><meta charset="viscii"></head><body><p>'), encodeVisciiBytes(TEXT), Buffer.from("</p></body></html>")]), "text/html");
    expect(viscii.html).toContain(TEXT);
  });

  it("leaves a Unicode page's text as it is", () => {
    const p = unicodePreview(Buffer.from(`<!doctype html><html><head><meta charset="utf-8"><title>Trang</title></head><body><p>${TEXT}</p></body></html>`), "text/html; charset=utf-8");
    expect(p.legacy).toBeNull();
    expect(p.html).toContain(`<p>${TEXT}</p>`);
    expect(p.html.match(/charset/g)?.length).toBe(1);
  });
});

describe("an audit's evidence (real PostgreSQL, Chromium when installed)", () => {
  let db: TestDatabase;
  let site: TestServer;
  const home = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Sở Thử nghiệm</title></head><body>
    <nav><ul class="menu"><li><a href="/gioi-thieu">Giới thiệu</a></li><li><a href="/tin-tuc">Tin tức</a></li></ul></nav>
    <main><h1>Sở Thử nghiệm tỉnh</h1><p>${"Trang thông tin điện tử của Sở Thử nghiệm. ".repeat(12)}</p></main>
    <footer>Cơ quan chủ quản: Sở Thử nghiệm. Chịu trách nhiệm: Nguyễn Văn A. Điện thoại 0123 456 789. Email: so@tn.gov.vn</footer></body></html>`;
  const inner = (t: string) => `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${t}</title></head><body><nav><ul class="menu"><li><a href="/">Trang chủ</a></li></ul></nav><h1>${t}</h1><p>${"Nội dung của chuyên mục. ".repeat(10)}</p></body></html>`;

  beforeAll(async () => {
    db = await createTestDatabase();
    site = await startServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0];
      if (path === "/robots.txt") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("User-agent: *\nAllow: /\n");
      } else if (path === "/sitemap.xml") {
        res.writeHead(200, { "content-type": "application/xml" });
        res.end(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${site.url}gioi-thieu</loc></url></urlset>`);
      } else if (path === "/") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(home);
      } else if (path === "/gioi-thieu" || path === "/tin-tuc") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(inner(path === "/tin-tuc" ? "Tin tức" : "Giới thiệu"));
      } else {
        res.writeHead(404, { "content-type": "text/html" });
        res.end("<html><body>Không tìm thấy</body></html>");
      }
    });
    await seedGroupsAndSettings(db.knex);
    await seedUnits(db.knex, [{ code: "so-thu-nghiem", name: "Sở Thử nghiệm", unitType: "so", group: "so-nganh", baseUrl: site.url, allowPrivate: true }]);
  });
  afterAll(async () => {
    await site?.close();
    await db?.drop();
  });

  it("stores the home page's screenshot and links a missing category to the pages where it was looked for", async () => {
    const fetcher = new Fetcher({ totalTimeoutMs: 5000 });
    const renderer = findChromium() ? new Renderer({ maxPages: 1 }) : null;
    try {
      const { audits } = await createRound(db.knex, { trigger: "test" });
      const out = await runSiteAudit(db.knex, audits[0].id, { fetcher, renderer });
      expect(out.status, out.error ?? "").toBe("done");
      const auditId = audits[0].id;
      const unitId = (await db.knex("site_audits").where({ id: auditId }).first("unit_id")).unit_id as number;

      // A missing category: its page is the home page's snapshot, it names what was looked for and where.
      const missing = await db.knex("findings").where({ site_audit_id: auditId, code: "category.missing", category_id: "hoi-dap" }).first();
      expect(missing).toBeTruthy();
      const homePage = await db.knex("pages").where({ site_audit_id: auditId, kind: "home" }).first("id", "url", "content_hash");
      expect(missing.page_id).toBe(homePage.id);
      expect(homePage.content_hash).toBeTruthy();
      expect(missing.details.searched.labels).toContain("Hỏi đáp");
      expect(missing.details.searched.slugs.length).toBeGreaterThan(0);
      const where = missing.details.searchedIn as { url: string; role: string }[];
      expect(where[0]).toEqual({ url: homePage.url, role: expect.stringMatching(/^trang chủ/) });
      expect(where.map((w) => w.url)).toContain(`${site.url}sitemap.xml`);
      const ids = await getAuditPageIds(db.knex, auditId, where.map((w) => w.url));
      expect(ids.size).toBe(where.length);

      if (renderer) {
        const shot = await getLatestUnitScreenshot(db.knex, unitId);
        expect(shot?.siteAuditId).toBe(auditId);
        const png = await getAuditScreenshotPng(db.knex, auditId);
        expect(png?.unitId).toBe(unitId);
        expect(png!.png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
        expect(png!.png.readUInt32BE(16)).toBe(1280);
      } else {
        console.log("Chromium not installed: the screenshot part is skipped");
      }
    } finally {
      await renderer?.close();
      await fetcher.close();
    }
  });
});
