// Generates the labelled corpus of the checks: test/corpus/cases.json and the page bodies in
// test/corpus/fixtures/. Legacy samples come from real converters: Debian `iconv` (TCVN5712-1,
// VISCII, CP1258) and npm vietnamese-conversion (VNI, TCVN3 glyph strings). Deterministic.
// Run: npx tsx test/corpus/generate.ts   (then commit cases.json and fixtures/)
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import iconv from "iconv-lite";
import type { CorpusCase, PageSpec } from "./types.ts";

const require = createRequire(import.meta.url);
const vc = require("vietnamese-conversion") as { toVNI(s: string, from: string): string; toTCVN3(s: string, from: string): string };

const HERE = new URL(".", import.meta.url).pathname;
const FIXTURES = HERE + "fixtures/";
// The regulations beside the repository (../shared/seeds in the workspace).
const SEEDS = new URL("../../../shared/seeds/", import.meta.url).pathname;

// ---------- real Vietnamese text from the seeds ----------
function seedSentences(): string[] {
  const out: string[] = [];
  for (const f of readdirSync(SEEDS).sort()) {
    const text = readFileSync(SEEDS + f, "utf8").normalize("NFC");
    for (const raw of text.split(/\n+/)) {
      const s = raw.replace(/[*\t]/g, " ").replace(/\s+/g, " ").trim();
      if (s.length > 80 && s.length < 240 && !/\ufffd/.test(s) && /[ơưăđ]/.test(s)) out.push(s);
    }
  }
  return out;
}
const SENTENCES = seedSentences();
let cursor = 0;
function sentence(): string {
  const s = SENTENCES[cursor % SENTENCES.length];
  cursor += 7;
  return s;
}
function paragraph(n = 3): string {
  return Array.from({ length: n }, sentence).join(" ");
}

/** Legacy 8-bit tables have no typographic punctuation. */
function ascii(s: string): string {
  return s.replace(/[“”„]/g, '"').replace(/[‘’]/g, "'").replace(/[–—]/g, "-").replace(/…/g, "...").replace(/\u00a0/g, " ");
}
function debianIconv(text: string, to: string): Buffer {
  return execFileSync("iconv", ["-f", "UTF-8", "-t", to], { input: Buffer.from(ascii(text), "utf8") });
}
/** Bytes as a browser shows them under windows-1252 (undefined bytes keep their C1 code point). */
function as1252(b: Buffer): string {
  let out = "";
  for (const byte of b) {
    const s = iconv.decode(Buffer.from([byte]), "windows-1252");
    out += s === "\ufffd" ? String.fromCharCode(byte) : s;
  }
  return out;
}
const tcvn3Glyphs = (s: string) => vc.toTCVN3(ascii(s), "unicode");
const vniGlyphs = (s: string) => vc.toVNI(ascii(s), "unicode");
const visciiGlyphs = (s: string) => as1252(debianIconv(s, "VISCII"));
const cp1258Glyphs = (s: string) => as1252(debianIconv(s, "CP1258"));
const doubleUtf8 = (s: string) => as1252(Buffer.from(s, "utf8"));

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// ---------- page templates ----------
interface PageOpts {
  title?: string;
  lang?: string | null;
  charsetMeta?: string | null;
  head?: string;
  menu?: string;
  main: string;
  footer?: string;
  viewport?: boolean;
  breadcrumb?: string;
}
function html(o: PageOpts): string {
  const lang = o.lang === undefined ? "vi" : o.lang;
  return [
    `<!DOCTYPE html>`,
    `<html${lang ? ` lang="${lang}"` : ""}>`,
    `<head>`,
    o.charsetMeta === undefined ? `<meta charset="utf-8">` : o.charsetMeta ? `<meta http-equiv="Content-Type" content="text/html; charset=${o.charsetMeta}">` : "",
    o.viewport === false ? "" : `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${o.title ?? "Trang thông tin điện tử"}</title>`,
    o.head ?? "",
    `</head><body>`,
    `<header class="header"><div class="logo">UBND TỈNH BÌNH ĐỊNH</div>${o.menu ?? ""}</header>`,
    o.breadcrumb ? `<div class="breadcrumb"><a href="/">Trang chủ</a> » <span>${o.breadcrumb}</span></div>` : "",
    `<div class="main-content">${o.main}</div>`,
    `<footer class="footer">${o.footer ?? defaultFooter()}</footer>`,
    `</body></html>`,
  ].join("\n");
}
function defaultFooter(): string {
  return `<p><strong>SỞ TƯ PHÁP TỈNH BÌNH ĐỊNH</strong></p><p>Chịu trách nhiệm chính: Ông Nguyễn Văn Hùng - Giám đốc Sở</p><p>Địa chỉ: Số 127 Hai Bà Trưng, thành phố Quy Nhơn, tỉnh Bình Định</p><p>Điện thoại: 0256 3822 123 - Email: stp@binhdinh.gov.vn</p>`;
}

// ---------- case collection ----------
const cases: CorpusCase[] = [];
let fileNo = 0;
function file(body: Buffer | string, ext = "html"): string {
  const name = `f${String(++fileNo).padStart(3, "0")}.${ext}`;
  writeFileSync(FIXTURES + name, typeof body === "string" ? Buffer.from(body, "utf8") : body);
  return name;
}
function page(url: string, body: Buffer | string, opts: Partial<PageSpec> = {}): PageSpec {
  return {
    url,
    status: 200,
    headers: { "content-type": "text/html; charset=utf-8" },
    file: file(body, opts.headers && /xml/.test(opts.headers["content-type"] ?? "") ? "xml" : "html"),
    ...opts,
  };
}
function add(c: CorpusCase) {
  if (cases.some((x) => x.id === c.id)) throw new Error(`duplicate case id ${c.id}`);
  cases.push(c);
}

// ========== encoding ==========
function encodingCases() {
  const E = (id: string, description: string, p: PageSpec, expect: string[]) =>
    add({ id: `enc-${id}`, check: "encoding", description, page: p, expect });
  for (let i = 0; i < 6; i++) {
    E(`utf8-${i}`, "Unicode UTF-8 page, declared in header and meta", page("https://stp.binhdinh.gov.vn/tin-tuc/a" + i, html({ main: `<h1>${esc(sentence())}</h1><p>${esc(paragraph())}</p>` })), []);
  }
  for (let i = 0; i < 4; i++) {
    const text = paragraph();
    E(`tcvn3-glyphs-${i}`, "TCVN3 glyphs stored in UTF-8 (CMS migration)", page(`https://a.gov.vn/t${i}`, html({ main: `<h1>${esc(tcvn3Glyphs(sentence()))}</h1><p>${esc(tcvn3Glyphs(text))}</p>`, footer: esc(tcvn3Glyphs("Sở Tư pháp tỉnh Bình Định")) })), ["legacy:TCVN3"]);
  }
  for (let i = 0; i < 4; i++) {
    E(`vni-glyphs-${i}`, "VNI glyphs stored in UTF-8", page(`https://a.gov.vn/v${i}`, html({ main: `<h1>${esc(vniGlyphs(sentence()))}</h1><p>${esc(vniGlyphs(paragraph()))}</p>` })), ["legacy:VNI"]);
  }
  for (let i = 0; i < 3; i++) {
    const body = Buffer.concat([
      Buffer.from(`<!DOCTYPE html><html lang="vi"><head>${i === 0 ? "" : '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'}<meta name="viewport" content="width=device-width"><title>`),
      debianIconv(sentence(), "TCVN5712-1"),
      Buffer.from(`</title><style>body{font-family:'.VnTime', serif}</style></head><body><p>`),
      debianIconv(paragraph(), "TCVN5712-1"),
      Buffer.from(`</p></body></html>`),
    ]);
    E(`tcvn3-bytes-${i}`, i === 0 ? "TCVN3 bytes (Debian iconv TCVN5712-1), no charset declared" : "TCVN3 bytes under windows-1252", page(`https://a.gov.vn/tb${i}`, body, { headers: { "content-type": "text/html" } }), ["legacy:TCVN3", "font:.vntime", "charset-not-utf8"]);
  }
  for (let i = 0; i < 3; i++) {
    const body = Buffer.concat([Buffer.from(`<html><head><meta charset="viscii"><title>VISCII</title></head><body><p>`), debianIconv(paragraph(), "VISCII"), Buffer.from(`</p></body></html>`)]);
    E(`viscii-bytes-${i}`, "VISCII bytes under charset=viscii (Debian iconv)", page(`https://a.gov.vn/vb${i}`, body, { headers: { "content-type": "text/html; charset=viscii" } }), ["legacy:VISCII", "charset-not-utf8"]);
  }
  for (let i = 0; i < 2; i++) {
    E(`viscii-glyphs-${i}`, "VISCII bytes shown as Latin-1 glyphs, stored in UTF-8", page(`https://a.gov.vn/vg${i}`, html({ main: `<p>${esc(visciiGlyphs(paragraph()))}</p>` })), ["legacy:VISCII"]);
  }
  for (let i = 0; i < 3; i++) {
    const body = Buffer.concat([Buffer.from(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258"><title>CP1258</title></head><body><p>`), debianIconv(paragraph(), "CP1258"), Buffer.from(`</p></body></html>`)]);
    E(`cp1258-bytes-${i}`, "windows-1258 bytes (Debian iconv CP1258)", page(`https://a.gov.vn/cb${i}`, body, { headers: { "content-type": i === 0 ? "text/html; charset=windows-1258" : "text/html" } }), ["legacy:CP1258", "charset-not-utf8"]);
  }
  for (let i = 0; i < 2; i++) {
    E(`cp1258-glyphs-${i}`, "windows-1258 bytes read as 1252 and stored in UTF-8 (Viêòt)", page(`https://a.gov.vn/cg${i}`, html({ main: `<p>${esc(cp1258Glyphs(paragraph()))}</p>` })), ["legacy:CP1258"]);
  }
  for (let i = 0; i < 4; i++) {
    E(`double-${i}`, "UTF-8 read as windows-1252 and stored again (Viá»‡t)", page(`https://a.gov.vn/d${i}`, html({ main: `<h1>${esc(doubleUtf8(sentence()))}</h1><p>${esc(doubleUtf8(paragraph()))}</p>` })), ["legacy:DOUBLE_UTF8"]);
  }
  for (let i = 0; i < 2; i++) {
    E(`mixed-tcvn3-${i}`, "Unicode page with one TCVN3 paragraph", page(`https://a.gov.vn/mt${i}`, html({ main: `<h1>${esc(sentence())}</h1><p>${esc(paragraph())}</p><p>${esc(tcvn3Glyphs(paragraph(2)))}</p><p>${esc(paragraph())}</p>` })), ["legacy:TCVN3"]);
    E(`mixed-vni-font-${i}`, "Unicode page with one VNI paragraph in <font face=VNI-Times>", page(`https://a.gov.vn/mv${i}`, html({ main: `<p>${esc(paragraph())}</p><p><font face="VNI-Times">${esc(vniGlyphs(paragraph(2)))}</font></p>` })), ["legacy:VNI", "font:vni-times"]);
    E(`mixed-double-${i}`, "Unicode page with one double-encoded paragraph", page(`https://a.gov.vn/md${i}`, html({ main: `<p>${esc(paragraph())}</p><p>${esc(doubleUtf8(paragraph(2)))}</p>` })), ["legacy:DOUBLE_UTF8"]);
  }
  E("font-style", "Legacy font in style= on Unicode text", page("https://a.gov.vn/fs", html({ main: `<p style="font-family: '.VnTime', serif">${esc(paragraph())}</p>` })), ["font:.vntime"]);
  E("font-face", "Legacy font in <font face>", page("https://a.gov.vn/ff", html({ main: `<p><font face=".VnArial" size="3">${esc(paragraph())}</font></p>` })), ["font:.vnarial"]);
  E("font-css", "Legacy font in a <style> rule", page("https://a.gov.vn/fc", html({ head: `<style>.noi-dung{font-family:"VNI-Helve", Arial, sans-serif}</style>`, main: `<p class="noi-dung">${esc(paragraph())}</p>` })), ["font:vni-helve"]);
  E("font-vps", "VPS font in CSS shorthand", page("https://a.gov.vn/fv", html({ head: `<style>h1{font: bold 16px "VPS Times", Tahoma}</style>`, main: `<h1>${esc(sentence())}</h1>` })), ["font:vps times"]);
  E("mention-font-1", "Text that only mentions .VnTime and VNI-Times: not a finding", page("https://a.gov.vn/mf1", html({ main: `<p>Từ năm 2008, toàn bộ bài viết trên trang đã được chuyển từ phông chữ .VnTime và VNI-Times sang bộ mã Unicode TCVN 6909:2001; bạn đọc không cần cài thêm phông chữ.</p>` })), []);
  E("mention-font-2", "Guide that names VPS Times and .VnArial in a list: not a finding", page("https://a.gov.vn/mf2", html({ main: `<h1>Hướng dẫn chuyển mã</h1><ul><li>Phông .VnArial (bảng mã TCVN3)</li><li>Phông VPS Times (bảng mã VPS)</li><li>Dùng công cụ Unikey để chuyển sang Unicode dựng sẵn.</li></ul>` })), []);
  const latin = [
    "Đoàn công tác đã làm việc với ông François Lefèvre, Phó Thị trưởng, tại Hôtel de Ville (Lyon) và bà María José Núñez García; buổi gặp mặt thân mật diễn ra tại quán Café Crème Brûlée ở Quy Nhơn.",
    "Giáo sư Jürgen Müller (Đại học München) và José Martí Pérez trình bày tham luận; khách mời nói lời chào «Ça va, très bien» trước khi bế mạc.",
    "Thực đơn: café au lait, crêpe, pâté và bánh mì; đại diện hãng Nestlé, Citroën và Škoda tham dự hội chợ thương mại.",
    "Ca sĩ Beyoncé, nhạc sĩ Ennio Morricone và đạo diễn Pedro Almodóvar được nhắc tới trong chương trình giao lưu văn hóa Việt – Pháp – Tây Ban Nha tại Bình Định.",
  ];
  latin.forEach((t, i) => E(`latin1-${i}`, "Genuine French/Spanish/German names in Unicode text: not legacy", page(`https://a.gov.vn/l${i}`, html({ main: `<p>${esc(paragraph(2))}</p><p>${esc(t)}</p>` })), []));
  E("latin1-only", "A French page: not legacy", page("https://a.gov.vn/fr", html({ lang: "fr", main: `<p>Le développement économique de la région côtière a été présenté à l'hôtel de ville. Les participants ont visité le musée, le marché et la cathédrale; déjeuner au café « Chez Hélène ».</p>` })), []);
  E("nfd-1", "Decomposed (NFD) Vietnamese: warning only", page("https://a.gov.vn/n1", html({ main: `<p>${esc(paragraph().normalize("NFD"))}</p>` })), ["nfd"]);
  E("nfd-2", "One NFD paragraph", page("https://a.gov.vn/n2", html({ main: `<p>${esc(paragraph())}</p><p>${esc(sentence().normalize("NFD"))}</p>` })), ["nfd"]);
  const [before, after] = html({ main: `<p>${esc(paragraph())}</p><p>Thực đơn: @@LATIN1@@ và nước suối.</p>` }).split("@@LATIN1@@");
  const withBad = Buffer.concat([Buffer.from(before, "utf8"), Buffer.from("Café, crème brûlée", "latin1"), Buffer.from(after, "utf8")]);
  E("invalid-utf8", "A few Latin-1 bytes inside a UTF-8 page: invalid UTF-8, not legacy", page("https://a.gov.vn/iu", withBad), ["invalid-utf8"]);
  E("no-charset-1", "Valid UTF-8 without any declaration", page("https://a.gov.vn/nc1", html({ charsetMeta: null, main: `<p>${esc(paragraph())}</p>` }), { headers: { "content-type": "text/html" } }), ["charset-not-utf8"]);
  E("no-charset-2", "Valid UTF-8, only meta charset (compliant)", page("https://a.gov.vn/nc2", html({ main: `<p>${esc(paragraph())}</p>` }), { headers: { "content-type": "text/html" } }), []);
  E("charset-1252-ascii", "Declared windows-1252, text Unicode-free ASCII", page("https://a.gov.vn/w1", `<html><head><meta charset="windows-1252"></head><body><p>Trang thong tin dien tu</p></body></html>`, { headers: { "content-type": "text/html" } }), ["charset-not-utf8"]);
  E("utf8-upper", "Upper-case Unicode headings", page("https://a.gov.vn/up", html({ main: `<h1>${esc(sentence().toUpperCase())}</h1><p>${esc(paragraph())}</p>` })), []);
  E("tcvn3-upper", "TCVN3 glyphs of upper-case text", page("https://a.gov.vn/tu", html({ main: `<h1>${esc(tcvn3Glyphs(sentence().toUpperCase()))}</h1><p>${esc(tcvn3Glyphs(paragraph()))}</p>` })), ["legacy:TCVN3"]);
}

// ========== categories ==========
const CAT_BASE = "https://sotuphap.binhdinh.gov.vn";
function menuOf(items: [string, string][]): string {
  return `<nav class="main-nav"><ul class="menu">${items.map(([t, h]) => `<li><a href="${h}">${t}</a></li>`).join("")}</ul></nav>`;
}
function landing(title: string, body: string, menu = ""): string {
  return html({ title: `${title} - Sở Tư pháp`, menu, breadcrumb: esc(title), main: `<h1 class="page-title">${esc(title)}</h1>${body}` });
}
const LIST = (n = 4) => `<ul class="list-news">${Array.from({ length: n }, (_, i) => `<li><a href="/tin/${i + 1}.html">${esc(sentence().slice(0, 90))}</a> <span class="date">${String(10 + i).padStart(2, "0")}/11/2026</span></li>`).join("")}</ul>`;
const STATIC = () => `<p>${esc(paragraph())}</p>`;

function siteCase(id: string, description: string, homeMenu: [string, string][], landings: Record<string, { status?: number; body?: string; title?: string }>, expect: string[], extraHome = "") {
  const pages: PageSpec[] = [page(`${CAT_BASE}/`, html({ title: "Sở Tư pháp tỉnh Bình Định", menu: menuOf(homeMenu), main: `<h2>Tin mới</h2>${LIST(3)}${extraHome}` }), { kind: "home" })];
  for (const [path, l] of Object.entries(landings)) {
    if (l.status && l.status >= 400) pages.push({ url: CAT_BASE + path, status: l.status, headers: { "content-type": "text/html" }, file: file(`<html><body><h1>${l.status}</h1></body></html>`), kind: "category" });
    else pages.push(page(CAT_BASE + path, landing(l.title ?? "Trang", l.body ?? STATIC()), { kind: "category" }));
  }
  add({ id: `cat-${id}`, check: "categories", description, site: { baseUrl: `${CAT_BASE}/`, referenceTime: "2026-11-20T03:00:00Z", pages }, expect });
}

function categoryCases() {
  siteCase("diacritics", "Menu with diacritics", [["Giới thiệu", "/gioi-thieu"], ["Tin tức - Sự kiện", "/tin-tuc"], ["Văn bản", "/van-ban"]], { "/gioi-thieu": { title: "Giới thiệu" }, "/tin-tuc": { title: "Tin tức - Sự kiện", body: LIST() }, "/van-ban": { title: "Văn bản", body: LIST() } }, ["gioi-thieu:present", "tin-tuc:present", "van-ban:present", "hoi-dap:missing"]);
  siteCase("upper", "Menu in capitals", [["GIỚI THIỆU", "/Pages/gioi-thieu.aspx"], ["LÃNH ĐẠO", "/Pages/lanh-dao.aspx"], ["LIÊN HỆ", "/Pages/lien-he.aspx"]], { "/Pages/gioi-thieu.aspx": { title: "GIỚI THIỆU" }, "/Pages/lanh-dao.aspx": { title: "LÃNH ĐẠO" }, "/Pages/lien-he.aspx": { title: "LIÊN HỆ" } }, ["gioi-thieu:present", "lanh-dao:present", "lien-he:present", "thong-ke:missing"]);
  siteCase("nodiac", "Menu without diacritics", [["Gioi thieu", "/index.php/gioi-thieu"], ["Thu tuc hanh chinh", "/index.php/tthc"], ["Hoi dap", "/index.php/hoi-dap"]], { "/index.php/gioi-thieu": { title: "Gioi thieu" }, "/index.php/tthc": { title: "Thu tuc hanh chinh" }, "/index.php/hoi-dap": { title: "Hoi dap", body: LIST() } }, ["gioi-thieu:present", "thu-tuc-hanh-chinh:present", "hoi-dap:present", "lay-y-kien:missing"]);
  siteCase("slug-only", "Icon menu: categories only as URL slugs", [["<span class=\"ico\"></span>", "/co-cau-to-chuc"], ["<span class=\"ico\"></span>", "/van-ban-phap-luat"], ["<span class=\"ico\"></span>", "/lich-cong-tac"]], { "/co-cau-to-chuc": { title: "Cơ cấu tổ chức" }, "/van-ban-phap-luat": { title: "Văn bản pháp luật", body: LIST() }, "/lich-cong-tac": { title: "Lịch công tác", body: LIST() } }, ["gioi-thieu:present", "van-ban:present", "lich-cong-tac:present"]);
  siteCase("cat-query", "?cat=N links; the landing page's breadcrumb names the category", [["1", "/index.php?cat=12"], ["2", "/index.php?cat=41"]], { "/index.php?cat=12": { title: "Giới thiệu chung" }, "/index.php?cat=41": { title: "Hệ thống văn bản", body: LIST() } }, ["gioi-thieu:present", "van-ban:present", "du-an-dau-tu:missing"]);
  siteCase("empty-dang-cap-nhat", "Empty category: Đang cập nhật", [["Lãnh đạo", "/lanh-dao"], ["Thống kê", "/thong-ke"]], { "/lanh-dao": { title: "Lãnh đạo", body: `<div class="no-data"><p>Đang cập nhật</p></div>` }, "/thong-ke": { title: "Thống kê", body: LIST() } }, ["lanh-dao:empty", "thong-ke:present"]);
  siteCase("empty-noi-dung", "Empty category: Nội dung đang được cập nhật", [["Chỉ đạo điều hành", "/chi-dao-dieu-hanh"]], { "/chi-dao-dieu-hanh": { title: "Chỉ đạo điều hành", body: `<p>Nội dung đang được cập nhật...</p>` } }, ["chi-dao-dieu-hanh:empty"]);
  siteCase("empty-chua-co", "Empty category: Chưa có dữ liệu", [["Số liệu thống kê", "/so-lieu-thong-ke"]], { "/so-lieu-thong-ke": { title: "Số liệu thống kê", body: `<div class="alert">Chưa có dữ liệu</div>` } }, ["thong-ke:empty"]);
  siteCase("empty-list", "Empty category: an empty list", [["Lịch công tác", "/lich-cong-tac"], ["Văn bản", "/van-ban"]], { "/lich-cong-tac": { title: "Lịch công tác", body: `<ul class="list-news"></ul>` }, "/van-ban": { title: "Văn bản", body: `<table class="vanban"><thead><tr><th>Số ký hiệu</th><th>Ngày ban hành</th><th>Trích yếu</th></tr></thead><tbody></tbody></table>` } }, ["lich-cong-tac:empty", "van-ban:empty"]);
  siteCase("unreachable-404", "Linked category whose page is 404", [["Lấy ý kiến dự thảo", "/lay-y-kien"], ["Liên hệ", "/lien-he"]], { "/lay-y-kien": { status: 404 }, "/lien-he": { title: "Liên hệ" } }, ["lay-y-kien:unreachable", "lien-he:present"]);
  siteCase("unreachable-500", "Linked category whose page is 500", [["Dự án đầu tư", "/du-an"]], { "/du-an": { status: 500 } }, ["du-an-dau-tu:unreachable"]);
  siteCase("false-friend-book", "'Giới thiệu sách' in an article list is not the Giới thiệu category", [["Tin tức", "/tin-tuc"]], { "/tin-tuc": { title: "Tin tức", body: LIST() } }, ["gioi-thieu:missing", "tin-tuc:present"], `<ul><li><a href="/tin/gioi-thieu-sach-moi.html">Giới thiệu sách mới về cải cách hành chính năm 2026</a></li></ul>`);
  siteCase("false-friend-title", "'Tin tức' inside a long article title is not a menu", [["Giới thiệu", "/gioi-thieu"]], { "/gioi-thieu": { title: "Giới thiệu" } }, ["tin-tuc:missing", "gioi-thieu:present"], `<p><a href="/bai/123.html">Tin tức mới nhất về tình hình kinh tế xã hội của tỉnh trong tháng 10 năm 2026</a></p>`);
  siteCase("nested", "Nested menu: Giới thiệu › Lãnh đạo; Văn bản › Dự thảo", [], { "/gioi-thieu": { title: "Giới thiệu" }, "/gioi-thieu/lanh-dao": { title: "Lãnh đạo Sở" }, "/van-ban/du-thao": { title: "Dự thảo văn bản", body: LIST() } }, ["gioi-thieu:present", "lanh-dao:present", "lay-y-kien:present"], `<nav><ul class="menu"><li><a href="/gioi-thieu">Giới thiệu</a><ul class="sub-menu"><li><a href="/gioi-thieu/lanh-dao">Lãnh đạo Sở</a></li></ul></li><li><span>Văn bản</span><ul class="sub-menu"><li><a href="/van-ban/du-thao">Góp ý dự thảo văn bản</a></li></ul></li></ul></nav>`);
  siteCase("synonyms", "Synonyms: Ban giám đốc, Dịch vụ công trực tuyến, Danh bạ, Sơ đồ cổng, English", [["Ban giám đốc", "/bgd"], ["Dịch vụ công trực tuyến", "/dvc"], ["Danh bạ", "/danh-ba"], ["Sơ đồ cổng", "/so-do"], ["English", "/en"]], { "/bgd": { title: "Ban giám đốc" }, "/dvc": { title: "Dịch vụ công trực tuyến" }, "/danh-ba": { title: "Danh bạ" }, "/so-do": { title: "Sơ đồ cổng" }, "/en": { title: "English", body: "<p>Introduction of the Department of Justice of Binh Dinh province. Contact: 0256 3822 123.</p>" } }, ["lanh-dao:present", "thu-tuc-hanh-chinh:present", "lien-he:present", "so-do-site:present", "tieng-anh:present"]);
  siteCase("pbpl-ckqh", "Phổ biến giáo dục pháp luật; Quy hoạch - Kế hoạch; Đấu thầu - Mua sắm công", [["Phổ biến giáo dục pháp luật", "/pbgdpl"], ["Quy hoạch - Kế hoạch", "/quy-hoach"], ["Đấu thầu - Mua sắm công", "/dau-thau"]], { "/pbgdpl": { title: "Phổ biến giáo dục pháp luật", body: LIST() }, "/quy-hoach": { title: "Quy hoạch - Kế hoạch", body: LIST() }, "/dau-thau": { title: "Đấu thầu - Mua sắm công", body: `<p>Chưa có dữ liệu</p>` } }, ["pho-bien-phap-luat:present", "chien-luoc-quy-hoach:present", "du-an-dau-tu:empty"]);
  siteCase("all-missing", "A home page with no category links", [["Trang chủ", "/"]], {}, ["gioi-thieu:missing", "tin-tuc:missing", "van-ban:missing", "lien-he:missing"]);
  siteCase("link-wrong-landing", "Menu text matches but the landing page says 'Đang xây dựng'", [["Thủ tục hành chính", "/tthc"]], { "/tthc": { title: "Thủ tục hành chính", body: `<p>Trang đang xây dựng</p>` } }, ["thu-tuc-hanh-chinh:empty"]);
  siteCase("footer-links", "Liên hệ and Sơ đồ site only in the footer", [["Giới thiệu", "/gioi-thieu"]], { "/gioi-thieu": { title: "Giới thiệu" }, "/lien-he": { title: "Liên hệ" }, "/sitemap": { title: "Sơ đồ site" } }, ["lien-he:present", "so-do-site:present"], `<div class="bottom-links"><a href="/lien-he">Liên hệ</a> | <a href="/sitemap">Sơ đồ site</a></div>`);
  // A JavaScript menu: the crawler hands over the rendered HTML.
  {
    const rendered = html({ title: "Sở Tư pháp", menu: menuOf([["Giới thiệu", "/gioi-thieu"], ["Hỏi đáp", "/hoi-dap"]]), main: "<h2>Tin mới</h2>" + LIST(2) });
    const raw = `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Sở Tư pháp</title></head><body><ul class="menu" id="menu"></ul><div id="app"></div><script>window.__menu=1</script></body></html>`;
    const pages: PageSpec[] = [
      { ...page(`${CAT_BASE}/`, raw, { kind: "home" }), renderedFile: file(rendered) },
      page(`${CAT_BASE}/gioi-thieu`, landing("Giới thiệu", STATIC()), { kind: "category" }),
      page(`${CAT_BASE}/hoi-dap`, landing("Hỏi đáp", LIST()), { kind: "category" }),
    ];
    add({ id: "cat-js-rendered", check: "categories", description: "Menu drawn by JavaScript, rendered HTML supplied", site: { baseUrl: `${CAT_BASE}/`, referenceTime: "2026-11-20T03:00:00Z", pages }, expect: ["gioi-thieu:present", "hoi-dap:present", "van-ban:missing"] });
  }
  // A whole site in TCVN3 glyphs: the labels are read after conversion.
  {
    const t = (s: string) => tcvn3Glyphs(s);
    const home = html({ title: t("Sở Tư pháp"), menu: menuOf([[t("Giới thiệu"), "/a1"], [t("Tin tức"), "/a2"], [t("Lịch công tác"), "/a3"]]), main: `<p>${esc(t(paragraph()))}</p>` });
    const pages: PageSpec[] = [
      page(`${CAT_BASE}/`, home, { kind: "home" }),
      page(`${CAT_BASE}/a1`, html({ title: t("Giới thiệu"), breadcrumb: t("Giới thiệu"), main: `<h1>${esc(t("Giới thiệu"))}</h1><p>${esc(t(paragraph()))}</p>` }), { kind: "category" }),
      page(`${CAT_BASE}/a2`, html({ title: t("Tin tức"), breadcrumb: t("Tin tức"), main: `<h1>${esc(t("Tin tức"))}</h1><p>${esc(t(paragraph()))}</p>${LIST()}` }), { kind: "category" }),
      page(`${CAT_BASE}/a3`, html({ title: t("Lịch công tác"), breadcrumb: t("Lịch công tác"), main: `<h1>${esc(t("Lịch công tác"))}</h1><p>${esc(t("Nội dung đang được cập nhật"))}</p>` }), { kind: "category" }),
    ];
    add({ id: "cat-tcvn3-site", check: "categories", description: "Whole site in TCVN3 glyphs: menus read after conversion", site: { baseUrl: `${CAT_BASE}/`, referenceTime: "2026-11-20T03:00:00Z", pages }, expect: ["gioi-thieu:present", "tin-tuc:present", "lich-cong-tac:empty"] });
  }
}

// ========== dates (freshness) ==========
const D_BASE = "https://stp.binhdinh.gov.vn";
function articleCase(id: string, description: string, dateHtml: string, head: string, expected: string | null, kind: PageSpec["kind"] = "article", reference = "2026-11-20T03:00:00Z") {
  const url = `${D_BASE}/tin-tuc/${id}.html`;
  const body = html({ title: "Bài viết", head, breadcrumb: `<a href="/tin-tuc">Tin tức</a>`, main: `<article><h1>${esc(sentence())}</h1>${dateHtml}<p>${esc(paragraph())}</p><p class="author">Tác giả: Minh Anh</p><p>Nguồn: Báo Bình Định</p></article>` });
  add({ id: `date-${id}`, check: "freshness", description, site: { baseUrl: `${D_BASE}/`, referenceTime: reference, pages: [page(url, body, { kind })] }, expect: expected ? [`${url}@${expected}`] : [] });
}
function dateCases() {
  const fmt: [string, string, string][] = [
    ["dmy-slash", "20/11/2023", "2023-11-20"],
    ["dmy-dash", "20-11-2023", "2023-11-20"],
    ["dmy-time", "20/11/2023 08:30", "2023-11-20"],
    ["time-dmy", "08:30 20/11/2023", "2023-11-20"],
    ["weekday", "Thứ Hai, 20/11/2023", "2023-11-20"],
    ["words", "ngày 20 tháng 11 năm 2023", "2023-11-20"],
    ["cap-nhat", "Cập nhật: 20/11/2023 08:30", "2023-11-20"],
    ["ngay-dang", "Ngày đăng: 05/03/2024", "2024-03-05"],
    ["dmy-single-digit", "5/3/2024", "2024-03-05"],
    ["dot", "Đăng lúc 14h20 05.03.2024", "2024-03-05"],
    ["weekday-cn", "Chủ nhật, 03/03/2024 - 10:15", "2024-03-03"],
    ["day13", "13/12/2024", "2024-12-13"],
    ["end-month", "31/01/2025 16:45", "2025-01-31"],
    ["leap", "29/02/2024", "2024-02-29"],
  ];
  for (const [id, shown, expected] of fmt) articleCase(id, `Visible date format: ${shown}`, `<div class="post-date">${esc(shown)}</div>`, "", expected);
  articleCase("time-tag", "<time datetime>", `<time datetime="2026-11-18T08:30:00+07:00">18/11/2026</time>`, "", "2026-11-18");
  articleCase("og", "article:published_time (no visible date)", "", `<meta property="og:type" content="article"><meta property="article:published_time" content="2026-11-17T09:00:00+07:00">`, "2026-11-17");
  articleCase("og-utc-late", "article:published_time in UTC late evening = next day in Vietnam", "", `<meta property="article:published_time" content="2026-11-16T20:30:00Z">`, "2026-11-17");
  articleCase("jsonld", "JSON-LD datePublished", "", `<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"x","datePublished":"2026-11-15T07:45:00+07:00"}</script>`, "2026-11-15");
  articleCase("dc", "Dublin Core DC.date", "", `<meta name="DC.date" content="2026-11-14">`, "2026-11-14");
  articleCase("no-date", "Article without any date", "", "", null);
  articleCase("mmdd-trap", "13/25/2024 is not a date (never month/day)", `<div class="post-date">13/25/2024</div>`, "", null);
  articleCase("future", "A date after the reference time is ignored", `<div class="post-date">20/12/2026</div>`, "", null);
  // Listing pages: the dates stand for the items.
  const listing = (id: string, description: string, rows: [string, string][], expected: string[], reference = "2026-11-20T03:00:00Z") => {
    const body = html({ title: "Tin tức", breadcrumb: "Tin tức", main: `<h1>Tin tức</h1><ul class="list-news">${rows.map(([path, shown]) => `<li><a href="${path}">${esc(sentence().slice(0, 80))}</a> <span class="date">${esc(shown)}</span></li>`).join("")}</ul>` });
    add({ id: `date-list-${id}`, check: "freshness", description, site: { baseUrl: `${D_BASE}/`, referenceTime: reference, pages: [page(`${D_BASE}/tin-tuc`, body, { kind: "category" })] }, expect: expected.map((e, i) => `${D_BASE}${rows[i][0]}@${e}`) });
  };
  listing("relative", "Relative dates against the reference time", [["/tin/1.html", "2 giờ trước"], ["/tin/2.html", "3 ngày trước"], ["/tin/3.html", "1 tuần trước"]], ["2026-11-20", "2026-11-17", "2026-11-13"]);
  listing("mixed", "Listing with several formats", [["/tin/4.html", "(19/11/2026)"], ["/tin/5.html", "Thứ Ba, 17/11/2026"], ["/tin/6.html", "ngày 2 tháng 11 năm 2026"]], ["2026-11-19", "2026-11-17", "2026-11-02"]);
  listing("date-first", "Date before the title", [["/tin/7.html", "08:00 18/11/2026"], ["/tin/8.html", "10/11/2026"]], ["2026-11-18", "2026-11-10"]);
  {
    const rss = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Tin</title><item><title>A</title><link>${D_BASE}/tin/r1.html</link><pubDate>Wed, 18 Nov 2026 08:30:00 +0700</pubDate></item><item><title>B</title><link>${D_BASE}/tin/r2.html</link><pubDate>Mon, 16 Nov 2026 20:00:00 GMT</pubDate></item></channel></rss>`;
    add({ id: "date-rss", check: "freshness", description: "RSS pubDate (GMT evening = next day in Vietnam)", site: { baseUrl: `${D_BASE}/`, referenceTime: "2026-11-20T03:00:00Z", pages: [page(`${D_BASE}/rss`, rss, { headers: { "content-type": "application/rss+xml; charset=utf-8" }, kind: "feed" })] }, expect: [`${D_BASE}/tin/r1.html@2026-11-18`, `${D_BASE}/tin/r2.html@2026-11-17`] });
    const atom = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Tin</title><entry><title>A</title><link href="${D_BASE}/tin/a1.html"/><updated>2026-11-12T09:00:00+07:00</updated></entry></feed>`;
    add({ id: "date-atom", check: "freshness", description: "Atom updated", site: { baseUrl: `${D_BASE}/`, referenceTime: "2026-11-20T03:00:00Z", pages: [page(`${D_BASE}/atom.xml`, atom, { headers: { "content-type": "application/atom+xml" }, kind: "feed" })] }, expect: [`${D_BASE}/tin/a1.html@2026-11-12`] });
    const sm = `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${D_BASE}/</loc><lastmod>2026-11-19</lastmod></url><url><loc>${D_BASE}/tin-tuc/bai-viet-so-1.html</loc><lastmod>2026-11-11</lastmod></url></urlset>`;
    add({ id: "date-sitemap", check: "freshness", description: "sitemap.xml lastmod (the home page is not an item)", site: { baseUrl: `${D_BASE}/`, referenceTime: "2026-11-20T03:00:00Z", pages: [page(`${D_BASE}/sitemap.xml`, sm, { headers: { "content-type": "application/xml" }, kind: "sitemap" })] }, expect: [`${D_BASE}/tin-tuc/bai-viet-so-1.html@2026-11-11`] });
  }
}

// ========== deadlines (documents) ==========
function deadlineCases() {
  const doc = (id: string, issued: string, posted: string, expect: string, description: string) => {
    const url = `${D_BASE}/van-ban/${id}.html`;
    const main = `<h1>Quyết định về việc ban hành Quy chế hoạt động Trang thông tin điện tử</h1><table class="doc-detail"><tr><th>Số ký hiệu</th><td>12/QĐ-STP</td></tr><tr><th>Ngày ban hành:</th><td>${issued}</td></tr><tr><th>Ngày đăng:</th><td>${posted}</td></tr><tr><th>Trích yếu</th><td>${esc(sentence())}</td></tr></table>`;
    add({ id: `deadline-${id}`, check: "deadline", description, site: { baseUrl: `${D_BASE}/`, referenceTime: "2026-11-20T03:00:00Z", pages: [page(url, html({ title: "Văn bản", breadcrumb: "Văn bản", main }), { kind: "document" })] }, expect: [`${url}:${expect}`] });
  };
  doc("same-day", "16/11/2026", "16/11/2026", "ontime:0", "Posted the day it was signed");
  doc("two-days", "12/11/2026", "16/11/2026", "ontime:2", "Thu → Mon = 2 working days");
  doc("three-days", "11/11/2026", "16/11/2026", "late:3", "Wed → Mon = 3 working days: late");
  doc("weekend", "13/11/2026", "16/11/2026", "ontime:1", "Fri → Mon over a weekend = 1");
  doc("tet-2026", "13/02/2026", "24/02/2026", "ontime:2", "Across Tết 2026 (16–20/02 off): 2 working days");
  doc("tet-2025", "24/01/2025", "03/02/2025", "ontime:1", "Across Tết 2025 by rule: 28/01–01/02 off, 03/02 given back for Saturday 01/02");
  doc("30-4", "29/04/2026", "04/05/2026", "ontime:1", "Across 30/4 and 1/5");
  doc("2-9", "31/08/2026", "07/09/2026", "late:3", "Across Quốc khánh 2/9 + 3/9");
  doc("long", "01/10/2026", "20/10/2026", "late:13", "Posted 13 working days later");
  doc("gio-to-2026", "24/04/2026", "28/04/2026", "ontime:1", "Across Giỗ Tổ 2026 (26/04 Sunday, given back on Monday 27/04)");
}

// ========== identity ==========
function identityCases() {
  const I = (id: string, description: string, footer: string, expect: Record<string, boolean>, opts: { inFooter?: boolean } = {}) => {
    const body = opts.inFooter === false
      ? `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>x</title></head><body><div class="content"><p>${esc(paragraph())}</p></div><div class="thong-tin">${footer}</div></body></html>`
      : html({ main: `<p>${esc(paragraph())}</p>`, footer });
    add({ id: `id-${id}`, check: "identity", description, page: page(`https://x${id}.binhdinh.gov.vn/`, body, { kind: "home" }), expect: Object.entries(expect).map(([k, v]) => `${k}:${v}`) });
  };
  const all = { unitName: true, responsiblePerson: true, address: true, phone: true, email: true };
  I("complete", "Complete footer", defaultFooter(), all);
  I("no-person", "No responsible person", `<p>SỞ XÂY DỰNG TỈNH BÌNH ĐỊNH</p><p>Địa chỉ: Số 2 Lê Lợi, Quy Nhơn</p><p>Điện thoại: 0256.3822.456 - Email: sxd@binhdinh.gov.vn</p>`, { ...all, responsiblePerson: false });
  I("no-contact", "No phone and no email", `<p>UBND HUYỆN AN LÃO</p><p>Người chịu trách nhiệm: Bà Trần Thị Lan - Chánh Văn phòng</p><p>Địa chỉ: Thị trấn An Lão, huyện An Lão</p>`, { ...all, phone: false, email: false });
  I("name-only", "Name only", `<p><strong>BAN QUẢN LÝ KHU KINH TẾ TỈNH BÌNH ĐỊNH</strong></p><p class="copyright">© 2026 Bản quyền thuộc về Ban Quản lý Khu kinh tế</p>`, { unitName: true, responsiblePerson: false, address: false, phone: false, email: false });
  I("truong-ban", "Trưởng Ban biên tập, ĐT, Tel, obfuscated email", `<p>Cơ quan chủ quản: UBND xã Phước Lộc</p><p>Trưởng Ban biên tập: Ông Lê Văn Tám</p><p>Trụ sở: Thôn Phước Lộc, huyện Tuy Phước</p><p>ĐT: (0256) 3633 112</p><p>Email: ubndphuocloc[at]binhdinh.gov.vn</p>`, all);
  I("tel-hotline", "Tel and hotline, email link", `<p>SỞ Y TẾ TỈNH BÌNH ĐỊNH</p><p>Chịu trách nhiệm chính: TS. BS. Nguyễn Văn Trung</p><p>Địa chỉ: 756 Trần Hưng Đạo, Quy Nhơn</p><p>Tel: +84 256 3822 788 | Hotline: 0914 123 456</p><p><a href="mailto:syt@binhdinh.gov.vn">Liên hệ qua thư điện tử</a></p>`, all);
  I("no-footer", "No <footer>: identity at the page bottom", `<p>SỞ TƯ PHÁP TỈNH BÌNH ĐỊNH - Chịu trách nhiệm chính: Ông Nguyễn Văn Hùng - Địa chỉ: 127 Hai Bà Trưng, Quy Nhơn - Điện thoại: 0256 3822 123 - Email: stp@binhdinh.gov.vn</p>`, all, { inFooter: false });
  I("no-address", "No address", `<p>UBND HUYỆN PHÙ CÁT</p><p>Chịu trách nhiệm: Ông Phạm Văn Bình</p><p>Điện thoại: 0256 3850 111 - Email: phucat@binhdinh.gov.vn</p>`, { ...all, address: false });
  I("no-email", "No email", `<p>UBND XÃ CÁT TIẾN</p><p>Chịu trách nhiệm chính: Ông Võ Văn Sơn</p><p>Địa chỉ: Xã Cát Tiến, huyện Phù Cát</p><p>Điện thoại: 0256 3855 666</p>`, { ...all, email: false });
  I("nothing", "Only a copyright line without a unit", `<p>Thiết kế bởi Công ty ABC. Phiên bản 2.0</p>`, { unitName: false, responsiblePerson: false, address: false, phone: false, email: false });
}

// ========== attribution ==========
function attributionCases() {
  const A = (id: string, description: string, tail: string, author: boolean, source: boolean, head = "") => {
    const url = `${D_BASE}/tin-tuc/attr-${id}.html`;
    const body = html({ head, title: "Bài viết", breadcrumb: "Tin tức", main: `<article><h1>${esc(sentence())}</h1><div class="post-date">18/11/2026</div><p>${esc(paragraph())}</p><p>${esc(paragraph())}</p>${tail}</article><div class="related"><h3>Tin liên quan</h3><ul><li><a href="/tin/x.html">${esc(sentence().slice(0, 70))}</a></li></ul></div>` });
    add({ id: `attr-${id}`, check: "attribution", description, page: page(url, body, { kind: "article" }), expect: [`author:${author}`, `source:${source}`] });
  };
  A("full", "Tác giả + Nguồn", `<p class="author"><strong>Tác giả:</strong> Nguyễn Minh Anh</p><p class="source">Nguồn: Báo Bình Định</p>`, true, true);
  A("nguoi-viet", "Người viết + Nguồn tin", `<p>Người viết: Trần Văn Bình</p><p>Nguồn tin: Văn phòng Sở</p>`, true, true);
  A("bai-anh", "Bài và ảnh + Theo", `<p>Bài và ảnh: Hoàng Lan</p><p>(Theo Cổng TTĐT tỉnh Bình Định)</p>`, true, true);
  A("no-author", "Source only", `<p class="source">Nguồn: Đài PT-TH Bình Định</p>`, false, true);
  A("no-source", "Author only", `<p class="author">Tác giả: Lê Thị Hoa</p>`, true, false);
  A("none", "Neither author nor source", ``, false, false);
  A("meta-author", "Author in <meta name=author>, source label", `<p>Nguồn: Báo Nhân Dân</p>`, true, true, `<meta name="author" content="Phạm Quốc Việt">`);
  A("trailing-byline", "Trailing byline name, no label", `<p>Theo baochinhphu.vn</p><p><strong>Minh Châu</strong></p>`, true, true);
  A("phong-vien-text", "'Phóng viên' used in a sentence is not a byline", `<p>Phóng viên Cổng cấp tỉnh là cán bộ, viên chức biên chế chuyên trách.</p>`, false, false);
  A("theo-in-text", "'theo quy định' is not a source", `<p>Các đơn vị thực hiện theo quy định của pháp luật hiện hành.</p>`, false, false);
  A("pv", "PV: and Nguồn:", `<p>PV: Thu Hà</p><p>Nguồn: Trung tâm Văn hóa - Thông tin - Thể thao</p>`, true, true);
  A("upper-label", "TÁC GIẢ: in capitals", `<p>TÁC GIẢ: Đỗ Quang Huy</p><p>NGUỒN: Sở Nội vụ</p>`, true, true);
}

// ========== technical ==========
function technicalCases() {
  const T = (id: string, description: string, opts: PageOpts, extraPages: PageSpec[], expect: string[], snap: Record<string, unknown> = {}) => {
    const base = `https://t${id}.binhdinh.gov.vn`;
    add({ id: `tech-${id}`, check: "technical", description, site: { baseUrl: `${base}/`, referenceTime: "2026-11-20T03:00:00Z", pages: [page(`${base}/`, html(opts), { kind: "home" }), ...extraPages.map((p) => ({ ...p, url: base + p.url }))], ...snap }, expect });
  };
  const sitemapXml = page("/sitemap.xml", `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x/</loc></url></urlset>`, { headers: { "content-type": "application/xml" }, kind: "sitemap" });
  T("good", "Everything present", { main: `<form action="/tim-kiem"><input type="search" name="q"></form><img src="a.png" alt="Hội nghị"><p>${esc(paragraph())}</p><a href="/so-do-site">Sơ đồ site</a>` }, [sitemapXml], ["viewport:true", "langVi:true", "search:true", "sitemapXml:true", "sitemapPage:true", "imgAlt:ok", "https:true", "httpsRedirect:true"], { httpRedirectsToHttps: true });
  T("bad", "No viewport, lang=en, no search, images without alt", { viewport: false, lang: "en", main: `<img src="a.png"><img src="b.png" alt=""><p>${esc(paragraph())}</p>` }, [], ["viewport:false", "langVi:false", "search:false", "sitemapXml:false", "sitemapPage:false", "imgAlt:low", "httpsRedirect:false"], { httpRedirectsToHttps: false });
  T("no-lang", "No lang attribute; search by name=keyword", { lang: null, main: `<form><input type="text" name="keyword" placeholder="Nhập từ khóa"></form>` }, [], ["langVi:false", "search:true"]);
  T("lang-vi-vn", "lang=vi-VN counts as Vietnamese; tu-khoa search", { lang: "vi-VN", main: `<form action="/search"><input name="tu-khoa"></form>` }, [], ["langVi:true", "search:true"]);
  T("sitemap-html-only", "A sitemap page without sitemap.xml", { main: `<a href="/sitemap.aspx">Sitemap</a>` }, [], ["sitemapXml:false", "sitemapPage:true"]);
  T("sitemap-xml-404", "sitemap.xml that is an HTML error page", { main: `<p>x</p>` }, [{ ...page("/sitemap.xml", "<html><body>Not found</body></html>"), status: 404 }], ["sitemapXml:false"]);
  T("axe", "axe violations interpreted by impact", { main: `<p>x</p>` }, [], ["axe:2"], { axe: { violations: [{ id: "color-contrast", impact: "serious", nodes: 12, help: "Elements must have sufficient color contrast" }, { id: "image-alt", impact: "critical", nodes: 3, help: "Images must have alternate text" }, { id: "region", impact: "moderate", nodes: 5, help: "All page content should be contained by landmarks" }] } });
  T("tls", "TLS error reported", { main: `<p>x</p>` }, [], ["https:false"], { tlsError: "certificate has expired" });
}

// ========== calendar ==========
function calendarCases() {
  const W = (from: string, to: string, n: number, description: string) => add({ id: `cal-${from}-${to}`, check: "calendar", description, input: { from, to }, expect: [`wd:${n}`] });
  W("2024-02-08", "2024-02-16", 1, "Tết 2024 by rule: 09–13/02 off, 14–15/02 given back for the weekend days");
  W("2026-11-16", "2026-11-20", 4, "A plain week");
  W("2026-11-20", "2026-11-23", 1, "Friday → Monday");
  W("2025-04-29", "2025-05-05", 2, "30/4 + 1/5 2025 (Wed, Thu); 2/5 is a working day by rule");
  W("2026-12-31", "2027-01-04", 1, "Across New Year 2027 (Friday 1/1)");
  W("2026-09-01", "2026-09-04", 1, "2/9 (Wed) + 3/9 (Thu) 2026");
  const T = (year: number, date: string) => add({ id: `cal-tet-${year}`, check: "calendar", description: `Mùng 1 Tết ${year}`, input: { tet: year }, expect: [`tet:${date}`] });
  T(2024, "2024-02-10");
  T(2025, "2025-01-29");
  T(2026, "2026-02-17");
  T(2027, "2027-02-06");
  const G = (year: number, date: string) => add({ id: `cal-gioto-${year}`, check: "calendar", description: `Giỗ Tổ ${year} (10/3 âm lịch)`, input: { gioTo: year }, expect: [`gioto:${date}`] });
  G(2024, "2024-04-18");
  G(2025, "2025-04-07");
  G(2026, "2026-04-26");
}

// ========== matchCategory ==========
function matchCases() {
  const M = (text: string, href: string | null, ids: string[], description: string) =>
    add({ id: `match-${cases.filter((c) => c.check === "match").length + 1}`, check: "match", description, input: { text, href }, expect: ids.length ? ids.map((i) => `id:${i}`) : ["none"] });
  M("GIỚI THIỆU", null, ["gioi-thieu"], "capitals");
  M("gioi thieu", null, ["gioi-thieu"], "no diacritics");
  M("Giới thiệu sách mới", null, [], "false friend");
  M("Tin tức - Sự kiện", null, ["tin-tuc"], "dash");
  M("Tin tức mới nhất về tình hình kinh tế xã hội tháng 10 của tỉnh", null, [], "article title");
  M("", "https://a.gov.vn/co-cau-to-chuc", ["gioi-thieu"], "slug only");
  M("Xem thêm", "https://a.gov.vn/index.php?cat=van-ban-phap-luat", ["van-ban"], "query value slug");
  M("Trang chủ", "https://a.gov.vn/", [], "home");
  M("Dự thảo văn bản", null, ["lay-y-kien"], "draft is not van-ban");
  M("Văn bản quy phạm pháp luật", null, ["van-ban"], "VBQPPL");
  M("Hỏi đáp pháp luật", null, ["pho-bien-phap-luat"], "Q&A about law is law dissemination");
  M("English", null, ["tieng-anh"], "English");
  M("Liên hệ", "/lien-he.html", ["lien-he"], "contact");
  M("Kế hoạch số 12/KH-UBND về phòng chống dịch", null, [], "a plan document is not the category");
  M("Sơ đồ cổng", null, ["so-do-site"], "portal map");
  M("LỊCH CÔNG TÁC TUẦN", null, ["lich-cong-tac"], "weekly schedule");
  M("Thường trực UBND", null, ["lanh-dao"], "standing committee");
  M("Đấu thầu - Mua sắm công", null, ["du-an-dau-tu"], "procurement");
  M("Dịch vụ công trực tuyến", null, ["thu-tuc-hanh-chinh"], "online services");
  M("Phản ánh, kiến nghị", null, ["hoi-dap"], "feedback");
  M("Công báo", null, ["cong-bao"], "gazette");
  M("Chương trình, đề tài khoa học", null, ["khoa-hoc"], "science");
  M("Số liệu thống kê", null, ["thong-ke"], "statistics");
  M("Thống kê truy cập", null, [], "visitor counter is not statistics");
  M("", "/Pages/tin-tuc-su-kien.aspx", ["tin-tuc"], "aspx slug");
  M("", "/chi-dao-dieu-hanh/12", ["chi-dao-dieu-hanh"], "slug with id");
  M("Tuyên truyền, phổ biến pháp luật", null, ["pho-bien-phap-luat"], "law dissemination");
  M("Chức năng, nhiệm vụ", null, ["gioi-thieu"], "functions");
}

// ========== harder, real-world variants ==========
function hardCases() {
  // Encoding
  const E = (id: string, description: string, p: PageSpec, expect: string[]) => add({ id: `enc-hard-${id}`, check: "encoding", description, page: p, expect });
  E("nbsp-breadcrumb", "Unicode page with &nbsp;, « », ©, ° and · separators", page("https://h.gov.vn/1", html({ main: `<p>Trang chủ&nbsp;»&nbsp;Tin tức · Nhiệt độ 30°C © 2026 «Bản tin» ${esc(paragraph())}</p>` })), []);
  E("german-names", "German/Nordic names (ß, ø, å, æ) in a Vietnamese report", page("https://h.gov.vn/2", html({ main: `<p>${esc(paragraph())} Đoàn chuyên gia gồm ông Jürgen Weiß, bà Søren Ærø và Åsa Lindström (Thụy Điển).</p>` })), []);
  E("tcvn3-short", "Short TCVN3 menu texts only (a few words)", page("https://h.gov.vn/3", html({ menu: `<ul class="menu"><li><a href="/a">${esc(tcvn3Glyphs("Giới thiệu"))}</a></li><li><a href="/b">${esc(tcvn3Glyphs("Tin tức sự kiện"))}</a></li><li><a href="/c">${esc(tcvn3Glyphs("Văn bản pháp luật"))}</a></li></ul>`, main: `<p>${esc(paragraph())}</p>` })), ["legacy:TCVN3"]);
  E("vni-title-only", "VNI in the title and headings only", page("https://h.gov.vn/4", html({ title: vniGlyphs("Sở Tư pháp tỉnh Bình Định"), main: `<h1>${esc(vniGlyphs("Hội nghị tổng kết công tác năm"))}</h1><h2>${esc(vniGlyphs("Triển khai nhiệm vụ trọng tâm"))}</h2><p>${esc(paragraph())}</p>` })), ["legacy:VNI"]);
  E("double-nbsp", "Double-encoded text where 'à' becomes 'Ã' + no-break space", page("https://h.gov.vn/5", html({ main: `<p>${esc(doubleUtf8("Hành chính và tài chính, hoàn thành kế hoạch, tăng cường quản lý nhà nước"))}</p>` })), ["legacy:DOUBLE_UTF8"]);
  E("font-in-script", "Font name inside a script string is not CSS", page("https://h.gov.vn/6", html({ head: `<script>var fonts = [".VnTime", "VNI-Times"];</script>`, main: `<p>${esc(paragraph())}</p>` })), []);
  E("font-vntimeh", "Heading font .VnTimeH in CSS", page("https://h.gov.vn/7", html({ head: `<style>h1 { font-family: ".VnTimeH"; }</style>`, main: `<h1>${esc(sentence())}</h1>` })), ["font:.vntimeh"]);
  E("spanish", "Spanish text with ñ, á, é, í, ó, ú", page("https://h.gov.vn/8", html({ main: `<p>${esc(paragraph(1))}</p><p>La delegación de la Región de Murcia visitó el puerto; el señor Muñoz expresó su satisfacción por la cooperación económica y cultural.</p>` })), []);
  // Categories
  const base = "https://hard.binhdinh.gov.vn";
  const site = (id: string, description: string, pages: PageSpec[], expect: string[]) =>
    add({ id: `cat-hard-${id}`, check: "categories", description, site: { baseUrl: `${base}/`, referenceTime: "2026-11-20T03:00:00Z", pages }, expect });
  site("div-menu", "Menu as <div id=menu> with plain links; landing with placeholder in a sidebar only", [
    page(`${base}/`, html({ menu: `<div id="menu-top"><a href="/gt">Giới thiệu</a> <a href="/tt">Tin tức</a></div>`, main: LIST(2) }), { kind: "home" }),
    page(`${base}/gt`, html({ title: "Giới thiệu", breadcrumb: "Giới thiệu", main: `<h1>Giới thiệu</h1><p>${esc(paragraph())}</p><aside class="sidebar"><h3>Thông báo</h3><p>Đang cập nhật</p></aside>` }), { kind: "category" }),
    page(`${base}/tt`, landing("Tin tức", LIST()), { kind: "category" }),
  ], ["gioi-thieu:present", "tin-tuc:present"]);
  site("sidebar-widget-title", "'Văn bản mới' widget title in a sidebar linking to a real list", [
    page(`${base}/`, html({ menu: menuOf([["Trang chủ", "/"]]), main: `${LIST(2)}<aside class="sidebar"><h3><a href="/van-ban-moi">Văn bản mới</a></h3></aside>` }), { kind: "home" }),
    page(`${base}/van-ban-moi`, landing("Văn bản mới", LIST()), { kind: "category" }),
  ], ["van-ban:present"]);
  site("redirect-landing", "Menu link that redirects (finalUrl differs)", [
    page(`${base}/`, html({ menu: menuOf([["Liên hệ", "/lien-he"]]), main: LIST(2) }), { kind: "home" }),
    { ...page(`${base}/lien-he`, landing("Thông tin liên hệ", `<p>Địa chỉ: 127 Hai Bà Trưng. Điện thoại: 0256 3822 123.</p>`), { kind: "category" }), url: `${base}/lien-he`, redirects: undefined } as PageSpec,
  ], ["lien-he:present"]);
  site("fetch-error", "Linked category that timed out", [
    page(`${base}/`, html({ menu: menuOf([["Hỏi đáp", "/hoi-dap"]]), main: LIST(2) }), { kind: "home" }),
    { url: `${base}/hoi-dap`, status: 0, headers: {}, file: null, kind: "category", error: "timeout after 15000 ms" },
  ], ["hoi-dap:unreachable"]);
  site("empty-with-side-column", "Empty landing inside a layout with an unrecognised news column", [
    page(`${base}/`, html({ menu: menuOf([["Lịch công tác", "/lich"]]), main: LIST(2) }), { kind: "home" }),
    page(`${base}/lich`, html({ title: "Lịch công tác", breadcrumb: "Lịch công tác", main: `<div class="col-md-9"><h1>Lịch công tác</h1><p>Đang cập nhật</p></div><div class="col-md-3 box-news"><h3>Tin nổi bật</h3>${LIST(6)}<p>${esc(paragraph())}</p></div>` }), { kind: "category" }),
  ], ["lich-cong-tac:empty"]);
  site("schedule-day-placeholder", "A schedule with one day 'Đang cập nhật' is not empty", [
    page(`${base}/`, html({ menu: menuOf([["Lịch công tác", "/lich-tuan"]]), main: LIST(2) }), { kind: "home" }),
    page(`${base}/lich-tuan`, landing("Lịch công tác", `<h2>Tuần 47 (16/11 - 20/11/2026)</h2><table><tr><td>Thứ Hai</td><td>8h00: Giám đốc dự họp giao ban tại UBND tỉnh; 14h00: làm việc với Phòng Hành chính tư pháp về công tác chứng thực.</td></tr><tr><td>Thứ Ba</td><td>8h00: Phó Giám đốc kiểm tra công tác hộ tịch tại huyện Phù Cát; chiều: làm việc tại cơ quan.</td></tr><tr><td>Thứ Tư</td><td>Đang cập nhật</td></tr></table>`), { kind: "category" }),
  ], ["lich-cong-tac:present"]);
  site("not-fetched", "Menu link whose page the crawler did not fetch: present (unverified)", [
    page(`${base}/`, html({ menu: menuOf([["Thống kê", "/thong-ke"]]), main: LIST(2) }), { kind: "home" }),
  ], ["thong-ke:present"]);
  // Dates
  const art = (id: string, shown: string, expected: string | null) => {
    const url = `${D_BASE}/hard/${id}.html`;
    const body = html({ title: "Bài viết", breadcrumb: "Tin tức", main: `<article><h1>${esc(sentence())}</h1><div class="meta">${esc(shown)}</div><p>Căn cứ Quyết định số 38/QĐ-UBND ngày 15/01/2019 của UBND tỉnh. ${esc(paragraph())}</p></article>` });
    add({ id: `date-hard-${id}`, check: "freshness", description: `Harder date: ${shown}`, site: { baseUrl: `${D_BASE}/`, referenceTime: "2026-11-20T03:00:00Z", pages: [page(url, body, { kind: "article" })] }, expect: expected ? [`${url}@${expected}`] : [] });
  };
  art("ngay-prefix", "Ngày 05/11/2026", "2026-11-05");
  art("dash-time", "05/11/2026 - 08:30", "2026-11-05");
  art("cap-nhat-luc", "Cập nhật lúc 08:30 ngày 05/11/2026", "2026-11-05");
  art("bracket", "[05/11/2026]", "2026-11-05");
  art("weekday-ngay", "Thứ năm, ngày 05/11/2026 08:30", "2026-11-05");
  art("luot-xem", "Lượt xem: 1.234 | 05/11/2026", "2026-11-05");
  art("body-date-only", "", null);
  art("hom-qua", "Hôm qua", "2026-11-19");
  // Identity
  const I = (id: string, footer: string, expect: Record<string, boolean>) => add({ id: `id-hard-${id}`, check: "identity", description: `Harder footer: ${id}`, page: page(`https://idh${id}.gov.vn/`, html({ main: `<p>${esc(paragraph())}</p>`, footer }), { kind: "home" }), expect: Object.entries(expect).map(([k, v]) => `${k}:${v}`) });
  I("dots-phone", `<p>TRANG THÔNG TIN ĐIỆN TỬ UBND XÃ NHƠN LÝ</p><p>Chịu trách nhiệm: Ông Trần Minh Tuấn - Chủ tịch UBND xã</p><p>Địa chỉ: Thôn Lý Lương, xã Nhơn Lý</p><p>Điện thoại: (0256) 3.840.123</p><p>Thư điện tử: nhonly@binhdinh.gov.vn</p>`, { unitName: true, responsiblePerson: true, address: true, phone: true, email: true });
  I("year-not-phone", `<p>Sở Văn hóa và Thể thao tỉnh Bình Định</p><p>Giấy phép số 12/GP-TTĐT ngày 15/3/2019</p>`, { unitName: true, responsiblePerson: false, address: false, phone: false, email: false });
  // Attribution
  const A = (id: string, tail: string, author: boolean, source: boolean) => {
    const url = `${D_BASE}/hard/attr-${id}.html`;
    add({ id: `attr-hard-${id}`, check: "attribution", description: `Harder byline: ${id}`, page: page(url, html({ title: "Bài viết", main: `<article><h1>${esc(sentence())}</h1><p>${esc(paragraph())}</p>${tail}</article>` }), { kind: "article" }), expect: [`author:${author}`, `source:${source}`] });
  };
  A("right-aligned", `<p style="text-align:right"><strong>Nguyễn Thị Thanh Hương</strong></p>`, true, false);
  A("source-link", `<p>Nguồn: <a href="https://baobinhdinh.vn">baobinhdinh.vn</a></p>`, false, true);
  A("tin-anh", `<p>Tin, ảnh: Văn Lưu</p>`, true, false);
}

// ---------- run ----------
rmSync(FIXTURES, { recursive: true, force: true });
mkdirSync(FIXTURES, { recursive: true });
encodingCases();
categoryCases();
dateCases();
deadlineCases();
identityCases();
attributionCases();
technicalCases();
calendarCases();
matchCases();
hardCases();
writeFileSync(HERE + "cases.json", JSON.stringify(cases, null, 1) + "\n");
const byCheck: Record<string, number> = {};
for (const c of cases) byCheck[c.check] = (byCheck[c.check] ?? 0) + 1;
console.log(`${cases.length} cases, ${fileNo} fixture files`, byCheck);
