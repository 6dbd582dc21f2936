/**
 * The sample province as it is after 01/07/2025 (two-level local government): Gia Lai, which
 * absorbed Bình Định, with its seat in Quy Nhơn. 32 component sites that differ the way real ones
 * do, in three groups: Sở/ban/ngành, UBND xã/phường/đặc khu, đơn vị sự nghiệp. There is no
 * district level any more. The commune names are illustrative (a sample, not the official list).
 * The variety is fixed by design here; the seed changes the content (titles, people, dates).
 * A site's `id` is the stable seed its content is derived from (and the id tests name); several
 * sites carry on an earlier unit's site (e.g. "huyen-tuy-phuoc" is now UBND xã Tuy Phước's).
 */
import type { SiteSpec } from "./types.ts";

type Partial2 = Pick<SiteSpec, "id" | "name" | "unitType" | "group" | "layout" | "activity"> & Partial<SiteSpec>;

function site(p: Partial2, index: number): SiteSpec {
  const prefix = p.group === "so-nganh" ? "S" : p.group === "su-nghiep" ? "D" : "X";
  const abbr = p.id
    .split("-")
    .slice(1)
    .map((w) => w[0].toUpperCase())
    .join("");
  return {
    code: `GLA-${prefix}${String(index + 1).padStart(2, "0")}-${abbr}`,
    encoding: "utf8",
    specials: [],
    empty: [],
    missing: [],
    unreachable: [],
    optional: [],
    rss: true,
    sitemap: "flat",
    footer: "complete",
    attribution: "full",
    listingDate: "dmy-slash",
    articleDate: "dmy-slash",
    articleMeta: "none",
    viewport: true,
    langVi: true,
    search: true,
    imgAlt: "all",
    robots: null,
    address: p.group === "so-nganh" ? "Số 2 Trần Phú, phường Quy Nhơn, tỉnh Gia Lai" : "tỉnh Gia Lai",
    ...p,
  };
}

const SPECS: Partial2[] = [
  // ---------------- Sở, ban, ngành ----------------
  { id: "so-tai-chinh", name: "Sở Tài chính tỉnh Gia Lai", unitType: "so", group: "so-nganh", layout: "text", activity: "active",
    specials: ["latin1", "mention-font"], sitemap: "index", listingDate: "dmy-slash", articleDate: "cap-nhat", articleMeta: "og",
    address: "Số 2 Trần Phú, phường Quy Nhơn, tỉnh Gia Lai" },
  { id: "so-noi-vu", name: "Sở Nội vụ tỉnh Gia Lai", unitType: "so", group: "so-nganh", layout: "nested", activity: "active",
    specials: ["mixed-tcvn3", "font-style"], empty: ["thong-ke"], listingDate: "weekday", articleDate: "time-tag",
    address: "Số 1 Hoàng Hoa Thám, phường Quy Nhơn, tỉnh Gia Lai" },
  { id: "so-tu-phap", name: "Sở Tư pháp tỉnh Gia Lai", unitType: "so", group: "so-nganh", layout: "upper", activity: "moderate",
    specials: ["mixed-vni-font"], missing: ["du-an-dau-tu"], unreachable: ["lay-y-kien"], listingDate: "dmy-time", articleDate: "ngay-dang",
    address: "Số 127 Hai Bà Trưng, phường Quy Nhơn, tỉnh Gia Lai" },
  { id: "so-xay-dung", name: "Sở Xây dựng tỉnh Gia Lai", unitType: "so", group: "so-nganh", layout: "nodiac", activity: "active",
    specials: ["font-face", "mixed-viscii"], rss: false, footer: "no-person", listingDate: "time-dmy", articleDate: "words", articleMeta: "dc",
    address: "Số 2 Lê Lợi, phường Quy Nhơn, tỉnh Gia Lai" },
  { id: "so-y-te", name: "Sở Y tế tỉnh Gia Lai", unitType: "so", group: "so-nganh", layout: "slug", activity: "active",
    specials: ["mixed-cp1258"], sitemap: "index", listingDate: "dmy-dash", articleDate: "meta-only", articleMeta: "og",
    address: "Số 756 Trần Hưng Đạo, phường Quy Nhơn, tỉnh Gia Lai" },
  { id: "so-giao-duc-dao-tao", name: "Sở Giáo dục và Đào tạo tỉnh Gia Lai", unitType: "so", group: "so-nganh", layout: "js", activity: "active",
    rss: false, sitemap: "none", listingDate: "dmy-slash", articleDate: "dmy-time",
    address: "Số 08 Trần Phú, phường Quy Nhơn, tỉnh Gia Lai" },
  { id: "so-nong-nghiep-moi-truong", name: "Sở Nông nghiệp và Môi trường tỉnh Gia Lai", unitType: "so", group: "so-nganh", layout: "text", activity: "stale",
    specials: ["font-css", "mixed-double"], empty: ["lich-cong-tac"], missing: ["lay-y-kien"], rss: false, sitemap: "none", footer: "no-contact",
    listingDate: "ngay-dang", articleDate: "dmy-slash", articleMeta: "jsonld", address: "Số 77 Lê Hồng Phong, phường Quy Nhơn, tỉnh Gia Lai" },
  { id: "so-khoa-hoc-cong-nghe", name: "Sở Khoa học và Công nghệ tỉnh Gia Lai", unitType: "so", group: "so-nganh", layout: "nested", activity: "active",
    optional: ["khoa-hoc", "tieng-anh"], listingDate: "relative", articleDate: "dmy-time", articleMeta: "jsonld",
    robots: { crawlDelay: 1, disallow: ["/admin/", "/tim-kiem", "/in-an/"] },
    address: "Số 10 Trần Phú, phường Quy Nhơn, tỉnh Gia Lai" },
  { id: "so-cong-thuong", name: "Sở Công Thương tỉnh Gia Lai", unitType: "so", group: "so-nganh", layout: "upper", activity: "moderate",
    specials: ["invalid-bytes", "nfd-paragraph"], unreachable: ["thong-ke"], empty: ["hoi-dap"], listingDate: "words", articleDate: "weekday",
    address: "Số 17 Nguyễn Huệ, phường Quy Nhơn, tỉnh Gia Lai" },
  { id: "ban-quan-ly-khu-kinh-te", name: "Ban Quản lý Khu kinh tế tỉnh Gia Lai", unitType: "ban", group: "so-nganh", layout: "text", activity: "moderate",
    optional: ["tieng-anh"], attribution: "no-source", listingDate: "cap-nhat", articleDate: "dmy-dash", articleMeta: "og",
    address: "Số 25 Tăng Bạt Hổ, phường Quy Nhơn, tỉnh Gia Lai" },
  // ---------------- UBND xã, phường, đặc khu (former district sites carried on by the new communes) ----------------
  { id: "huyen-tuy-phuoc", name: "UBND xã Tuy Phước", unitType: "ubnd_xa", group: "xa", layout: "text", activity: "active",
    sitemap: "index", listingDate: "words", articleDate: "dmy-time", articleMeta: "dc", address: "Xã Tuy Phước, tỉnh Gia Lai" },
  { id: "huyen-phu-cat", name: "UBND xã Phù Cát", unitType: "ubnd_xa", group: "xa", layout: "nested", activity: "active",
    specials: ["latin1"], empty: ["chien-luoc-quy-hoach", "thong-ke"], listingDate: "time-dmy", articleDate: "cap-nhat",
    address: "Xã Phù Cát, tỉnh Gia Lai" },
  { id: "huyen-phu-my", name: "UBND xã Phù Mỹ", unitType: "ubnd_xa", group: "xa", layout: "slug", activity: "moderate",
    missing: ["thong-ke", "hoi-dap", "so-do-site"], unreachable: ["du-an-dau-tu"], attribution: "mixed", listingDate: "dmy-slash", articleDate: "time-tag",
    address: "Xã Phù Mỹ, tỉnh Gia Lai" },
  { id: "huyen-hoai-an", name: "UBND xã Hoài Ân", unitType: "ubnd_xa", group: "xa", layout: "nodiac", activity: "stale",
    footer: "name-only", viewport: false, langVi: false, search: false, imgAlt: "none", rss: false, missing: ["so-do-site"],
    listingDate: "dmy-dash", articleDate: "ngay-dang", address: "Xã Hoài Ân, tỉnh Gia Lai" },
  { id: "huyen-an-lao", name: "UBND xã An Lão", unitType: "ubnd_xa", group: "xa", layout: "upper", activity: "moderate",
    encoding: "nfd", listingDate: "dmy-slash", articleDate: "words", imgAlt: "some", address: "Xã An Lão, tỉnh Gia Lai" },
  { id: "huyen-tay-son", name: "UBND xã Tây Sơn", unitType: "ubnd_xa", group: "xa", layout: "js", activity: "active",
    rss: false, sitemap: "none", listingDate: "dmy-time", articleDate: "dmy-time", address: "Xã Tây Sơn, tỉnh Gia Lai" },
  { id: "huyen-vinh-thanh", name: "UBND xã Vĩnh Thạnh", unitType: "ubnd_xa", group: "xa", layout: "text", activity: "stale",
    encoding: "no-charset", empty: ["lanh-dao"], listingDate: "dmy-slash", articleDate: "dmy-slash", sitemap: "none",
    address: "Xã Vĩnh Thạnh, tỉnh Gia Lai" },
  { id: "huyen-van-canh", name: "UBND xã Vân Canh", unitType: "ubnd_xa", group: "xa", layout: "nested", activity: "moderate",
    encoding: "cp1258-bytes", listingDate: "dmy-slash", articleDate: "dmy-time", address: "Xã Vân Canh, tỉnh Gia Lai" },
  // ---------------- UBND xã, phường, đặc khu; đơn vị sự nghiệp ----------------
  { id: "xa-phuoc-loc", name: "UBND xã Tuy Phước Tây", unitType: "ubnd_xa", group: "xa", layout: "text", activity: "moderate",
    encoding: "tcvn3-bytes", missing: ["lay-y-kien", "du-an-dau-tu", "thong-ke"], rss: false, listingDate: "dmy-slash", articleDate: "dmy-slash",
    address: "Xã Tuy Phước Tây, tỉnh Gia Lai" },
  { id: "xa-phuoc-hung", name: "UBND xã Tuy Phước Bắc", unitType: "ubnd_xa", group: "xa", layout: "text", activity: "stale",
    encoding: "tcvn3-glyphs", missing: ["lay-y-kien"], sitemap: "none", listingDate: "dmy-time", articleDate: "dmy-slash",
    address: "Xã Tuy Phước Bắc, tỉnh Gia Lai" },
  { id: "xa-phuoc-son", name: "UBND xã Tuy Phước Đông", unitType: "ubnd_xa", group: "xa", layout: "nodiac", activity: "moderate",
    encoding: "vni-glyphs", listingDate: "dmy-dash", articleDate: "dmy-slash", address: "Xã Tuy Phước Đông, tỉnh Gia Lai" },
  { id: "xa-cat-hanh", name: "Trung tâm Phục vụ hành chính công tỉnh Gia Lai", unitType: "don_vi_su_nghiep", group: "su-nghiep", layout: "text", activity: "active",
    encoding: "viscii-bytes", listingDate: "dmy-slash", articleDate: "time-dmy", address: "Số 127 Hai Bà Trưng, phường Quy Nhơn, tỉnh Gia Lai" },
  { id: "xa-cat-tien", name: "UBND xã Cát Tiến", unitType: "ubnd_xa", group: "xa", layout: "upper", activity: "moderate",
    encoding: "double-utf8", listingDate: "dmy-slash", articleDate: "dmy-time", address: "Xã Cát Tiến, tỉnh Gia Lai" },
  { id: "xa-my-chanh", name: "UBND xã Phù Mỹ Nam", unitType: "ubnd_xa", group: "xa", layout: "text", activity: "stale",
    encoding: "tcvn3-bytes-1252", rss: false, sitemap: "none", listingDate: "dmy-slash", articleDate: "dmy-slash",
    address: "Xã Phù Mỹ Nam, tỉnh Gia Lai" },
  { id: "xa-my-thanh", name: "UBND xã Phù Mỹ Đông", unitType: "ubnd_xa", group: "xa", layout: "text", activity: "active",
    footer: "no-email", empty: ["lich-cong-tac", "chien-luoc-quy-hoach"], listingDate: "weekday", articleDate: "meta-only", articleMeta: "jsonld",
    address: "Xã Phù Mỹ Đông, tỉnh Gia Lai" },
  { id: "xa-an-hao-dong", name: "UBND xã Ân Hảo", unitType: "ubnd_xa", group: "xa", layout: "nested", activity: "moderate",
    missing: ["lay-y-kien", "du-an-dau-tu", "thong-ke"], unreachable: ["hoi-dap"], listingDate: "ngay-dang", articleDate: "words",
    address: "Xã Ân Hảo, tỉnh Gia Lai" },
  { id: "xa-binh-nghi", name: "UBND xã Bình Khê", unitType: "ubnd_xa", group: "xa", layout: "text", activity: "stale",
    attribution: "none", rss: false, sitemap: "none", search: false, imgAlt: "none", footer: "no-contact", missing: ["so-do-site", "thong-ke"],
    listingDate: "dmy-slash", articleDate: "dmy-slash", address: "Xã Bình Khê, tỉnh Gia Lai" },
  { id: "xa-tay-vinh", name: "Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh Gia Lai", unitType: "don_vi_su_nghiep", group: "su-nghiep", layout: "nodiac", activity: "active",
    attribution: "no-author", listingDate: "relative", articleDate: "cap-nhat", imgAlt: "some", viewport: false,
    address: "Số 35 Lê Duẩn, phường Quy Nhơn, tỉnh Gia Lai" },
  { id: "xa-vinh-hao", name: "Bệnh viện Đa khoa tỉnh Gia Lai", unitType: "don_vi_su_nghiep", group: "su-nghiep", layout: "upper", activity: "moderate",
    empty: ["pho-bien-phap-luat"], listingDate: "time-dmy", articleDate: "time-tag", langVi: false,
    address: "Số 106 Nguyễn Huệ, phường Quy Nhơn, tỉnh Gia Lai" },
  { id: "xa-canh-vinh", name: "UBND xã Canh Vinh", unitType: "ubnd_xa", group: "xa", layout: "js", activity: "stale",
    rss: false, sitemap: "none", empty: ["lanh-dao"], missing: ["du-an-dau-tu"], listingDate: "dmy-slash", articleDate: "ngay-dang",
    address: "Xã Canh Vinh, tỉnh Gia Lai" },
  { id: "xa-nhon-hau", name: "UBND phường An Nhơn Bắc", unitType: "ubnd_xa", group: "xa", layout: "slug", activity: "active",
    footer: "no-address", empty: ["gioi-thieu"], unreachable: ["lich-cong-tac"], missing: ["so-do-site"], listingDate: "dmy-time", articleDate: "meta-only", articleMeta: "dc",
    address: "Phường An Nhơn Bắc, tỉnh Gia Lai" },
  { id: "xa-hoai-chau", name: "UBND phường Hoài Nhơn Bắc", unitType: "ubnd_xa", group: "xa", layout: "text", activity: "moderate",
    specials: ["nfd-paragraph", "mention-font"], attribution: "mixed", sitemap: "index", listingDate: "dmy-dash", articleDate: "weekday",
    address: "Phường Hoài Nhơn Bắc, tỉnh Gia Lai" },
];

export function provinceSpecs(): SiteSpec[] {
  return SPECS.map((p, i) => site(p, i));
}
