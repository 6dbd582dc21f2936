import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { FetchedPage } from "../types.ts";
import { parsePage } from "../parse/page.ts";
import { checkPageEncoding } from "./encoding.ts";

function check(html: string | Buffer, contentType = "text/html; charset=utf-8") {
  const page: FetchedPage = { url: "https://a.gov.vn/", finalUrl: "https://a.gov.vn/", status: 200, headers: { "content-type": contentType }, body: typeof html === "string" ? Buffer.from(html, "utf8") : html, fetchedAt: new Date() };
  return checkPageEncoding(page, parsePage(page)).result;
}
const wrap = (body: string, head = "") => `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;

describe("encoding check (TCVN 6909:2001)", () => {
  it("accepts Unicode UTF-8", () => {
    const r = check(wrap("<p>Ủy ban nhân dân tỉnh Bình Định triển khai Quy chế hoạt động của Cổng thông tin điện tử.</p>"));
    expect(r).toMatchObject({ declared: "utf-8", validUtf8: true, legacy: null, nfc: true, compliant: true });
  });

  it("finds TCVN3 glyphs stored in UTF-8 and previews them converted", () => {
    const r = check(wrap("<p>ViÖt Nam Céng hßa x· héi chñ nghÜa Tr­êng ®­îc</p>"));
    expect(r.legacy).toBe("TCVN3");
    expect(r.preview).toContain("Việt Nam Cộng hòa");
    expect(r.compliant).toBe(false);
  });

  it("finds VNI and double-encoded UTF-8", () => {
    expect(check(wrap("<p>Vieät Nam Coäng hoøa xaõ hoäi chuû nghóa ñöôïc</p>")).legacy).toBe("VNI");
    expect(check(wrap("<p>Viá»‡t Nam Cá»™ng hÃ²a xÃ£ há»™i</p>")).legacy).toBe("DOUBLE_UTF8");
  });

  it("finds windows-1258 bytes made by Debian iconv", () => {
    const bytes = execFileSync("iconv", ["-f", "UTF-8", "-t", "CP1258"], { input: "Ủy ban nhân dân tỉnh Bình Định" });
    const body = Buffer.concat([Buffer.from('<html><head><meta charset="windows-1258"></head><body><p>'), bytes, Buffer.from("</p></body></html>")]);
    const r = check(body, "text/html");
    expect(r).toMatchObject({ declared: "windows-1258", legacy: "CP1258", compliant: false });
  });

  it("does not flag genuine Latin-1 names", () => {
    const r = check(wrap("<p>Ông François Lefèvre tại Hôtel de Ville, bà María José Núñez, giáo sư Müller, quán Café; «Ça va».</p>"));
    expect(r.legacy).toBeNull();
    expect(r.compliant).toBe(true);
  });

  it("reports legacy fonts used by CSS but not fonts merely mentioned", () => {
    expect(check(wrap(`<p style="font-family:'.VnTime'">Nội dung</p>`)).legacyFonts).toEqual([".VnTime"]);
    expect(check(wrap(`<font face="VNI-Times">Nội dung</font>`)).legacyFonts).toEqual(["VNI-Times"]);
    expect(check(wrap("<p>Đã chuyển từ phông .VnTime và VNI-Times sang Unicode.</p>")).legacyFonts).toEqual([]);
  });

  it("warns on decomposed text but stays compliant", () => {
    const r = check(wrap(`<p>${"Việt Nam Cộng hòa".normalize("NFD")}</p>`));
    expect(r.nfc).toBe(false);
    expect(r.compliant).toBe(true);
  });

  it("flags invalid UTF-8 without calling it legacy text", () => {
    const body = Buffer.concat([Buffer.from(wrap("<p>Thực đơn hội nghị: ").replace("</p></body></html>", "")), Buffer.from("Café crème", "latin1"), Buffer.from(" và nước suối.</p></body></html>")]);
    const r = check(body);
    expect(r.validUtf8).toBe(false);
    expect(r.legacy).toBeNull();
  });
});
