/**
 * The sample province (Bình Định): 32 component sites that differ the way real ones do.
 * The variety is fixed by design here; the seed changes the content (titles, people, dates).
 */
import type { SiteSpec } from "./types.ts";

type Partial2 = Pick<SiteSpec, "id" | "name" | "unitType" | "group" | "layout" | "activity"> & Partial<SiteSpec>;

function site(p: Partial2, index: number): SiteSpec {
  const prefix = p.group === "so-nganh" ? "S" : p.group === "huyen" ? "H" : "X";
  const abbr = p.id
    .split("-")
    .slice(1)
    .map((w) => w[0].toUpperCase())
    .join("");
  return {
    code: `BDH-${prefix}${String(index + 1).padStart(2, "0")}-${abbr}`,
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
    address: p.group === "so-nganh" ? "Số 2 Trần Phú, thành phố Quy Nhơn, tỉnh Bình Định" : "tỉnh Bình Định",
    ...p,
  };
}

const SPECS: Partial2[] = [
  // ---------------- Sở, ban, ngành ----------------
  { id: "so-tai-chinh", name: "Sở Tài chính tỉnh Bình Định", unitType: "so", group: "so-nganh", layout: "text", activity: "active",
    specials: ["latin1", "mention-font"], sitemap: "index", listingDate: "dmy-slash", articleDate: "cap-nhat", articleMeta: "og",
    address: "Số 2 Trần Phú, phường Hải Cảng, thành phố Quy Nhơn, tỉnh Bình Định" },
  { id: "so-noi-vu", name: "Sở Nội vụ tỉnh Bình Định", unitType: "so", group: "so-nganh", layout: "nested", activity: "active",
    specials: ["mixed-tcvn3", "font-style"], empty: ["thong-ke"], listingDate: "weekday", articleDate: "time-tag",
    address: "Số 1 Hoàng Hoa Thám, thành phố Quy Nhơn, tỉnh Bình Định" },
  { id: "so-tu-phap", name: "Sở Tư pháp tỉnh Bình Định", unitType: "so", group: "so-nganh", layout: "upper", activity: "moderate",
    specials: ["mixed-vni-font"], missing: ["du-an-dau-tu"], unreachable: ["lay-y-kien"], listingDate: "dmy-time", articleDate: "ngay-dang",
    address: "Số 127 Hai Bà Trưng, thành phố Quy Nhơn, tỉnh Bình Định" },
  { id: "so-xay-dung", name: "Sở Xây dựng tỉnh Bình Định", unitType: "so", group: "so-nganh", layout: "nodiac", activity: "active",
    specials: ["font-face", "mixed-viscii"], rss: false, footer: "no-person", listingDate: "time-dmy", articleDate: "words", articleMeta: "dc",
    address: "Số 2 Lê Lợi, thành phố Quy Nhơn, tỉnh Bình Định" },
  { id: "so-y-te", name: "Sở Y tế tỉnh Bình Định", unitType: "so", group: "so-nganh", layout: "slug", activity: "active",
    specials: ["mixed-cp1258"], sitemap: "index", listingDate: "dmy-dash", articleDate: "meta-only", articleMeta: "og",
    address: "Số 756 Trần Hưng Đạo, thành phố Quy Nhơn, tỉnh Bình Định" },
  { id: "so-giao-duc-dao-tao", name: "Sở Giáo dục và Đào tạo tỉnh Bình Định", unitType: "so", group: "so-nganh", layout: "js", activity: "active",
    rss: false, sitemap: "none", listingDate: "dmy-slash", articleDate: "dmy-time",
    address: "Số 08 Trần Phú, thành phố Quy Nhơn, tỉnh Bình Định" },
  { id: "so-nong-nghiep-moi-truong", name: "Sở Nông nghiệp và Môi trường tỉnh Bình Định", unitType: "so", group: "so-nganh", layout: "text", activity: "stale",
    specials: ["font-css", "mixed-double"], empty: ["lich-cong-tac"], missing: ["lay-y-kien"], rss: false, sitemap: "none", footer: "no-contact",
    listingDate: "ngay-dang", articleDate: "dmy-slash", articleMeta: "jsonld", address: "Số 77 Lê Hồng Phong, thành phố Quy Nhơn, tỉnh Bình Định" },
  { id: "so-khoa-hoc-cong-nghe", name: "Sở Khoa học và Công nghệ tỉnh Bình Định", unitType: "so", group: "so-nganh", layout: "nested", activity: "active",
    optional: ["khoa-hoc", "tieng-anh"], listingDate: "relative", articleDate: "dmy-time", articleMeta: "jsonld",
    robots: { crawlDelay: 1, disallow: ["/admin/", "/tim-kiem", "/in-an/"] },
    address: "Số 10 Trần Phú, thành phố Quy Nhơn, tỉnh Bình Định" },
  { id: "so-cong-thuong", name: "Sở Công Thương tỉnh Bình Định", unitType: "so", group: "so-nganh", layout: "upper", activity: "moderate",
    specials: ["invalid-bytes", "nfd-paragraph"], unreachable: ["thong-ke"], empty: ["hoi-dap"], listingDate: "words", articleDate: "weekday",
    address: "Số 17 Nguyễn Huệ, thành phố Quy Nhơn, tỉnh Bình Định" },
  { id: "ban-quan-ly-khu-kinh-te", name: "Ban Quản lý Khu kinh tế tỉnh Bình Định", unitType: "ban", group: "so-nganh", layout: "text", activity: "moderate",
    optional: ["tieng-anh"], attribution: "no-source", listingDate: "cap-nhat", articleDate: "dmy-dash", articleMeta: "og",
    address: "Số 25 Tăng Bạt Hổ, thành phố Quy Nhơn, tỉnh Bình Định" },
  // ---------------- UBND cấp huyện ----------------
  { id: "huyen-tuy-phuoc", name: "UBND huyện Tuy Phước", unitType: "ubnd_huyen", group: "huyen", layout: "text", activity: "active",
    sitemap: "index", listingDate: "words", articleDate: "dmy-time", articleMeta: "dc", address: "Thị trấn Tuy Phước, huyện Tuy Phước, tỉnh Bình Định" },
  { id: "huyen-phu-cat", name: "UBND huyện Phù Cát", unitType: "ubnd_huyen", group: "huyen", layout: "nested", activity: "active",
    specials: ["latin1"], empty: ["chien-luoc-quy-hoach", "thong-ke"], listingDate: "time-dmy", articleDate: "cap-nhat",
    address: "Thị trấn Ngô Mây, huyện Phù Cát, tỉnh Bình Định" },
  { id: "huyen-phu-my", name: "UBND huyện Phù Mỹ", unitType: "ubnd_huyen", group: "huyen", layout: "slug", activity: "moderate",
    missing: ["thong-ke", "hoi-dap", "so-do-site"], unreachable: ["du-an-dau-tu"], attribution: "mixed", listingDate: "dmy-slash", articleDate: "time-tag",
    address: "Thị trấn Phù Mỹ, huyện Phù Mỹ, tỉnh Bình Định" },
  { id: "huyen-hoai-an", name: "UBND huyện Hoài Ân", unitType: "ubnd_huyen", group: "huyen", layout: "nodiac", activity: "stale",
    footer: "name-only", viewport: false, langVi: false, search: false, imgAlt: "none", rss: false, missing: ["so-do-site"],
    listingDate: "dmy-dash", articleDate: "ngay-dang", address: "Thị trấn Tăng Bạt Hổ, huyện Hoài Ân, tỉnh Bình Định" },
  { id: "huyen-an-lao", name: "UBND huyện An Lão", unitType: "ubnd_huyen", group: "huyen", layout: "upper", activity: "moderate",
    encoding: "nfd", listingDate: "dmy-slash", articleDate: "words", imgAlt: "some", address: "Thị trấn An Lão, huyện An Lão, tỉnh Bình Định" },
  { id: "huyen-tay-son", name: "UBND huyện Tây Sơn", unitType: "ubnd_huyen", group: "huyen", layout: "js", activity: "active",
    rss: false, sitemap: "none", listingDate: "dmy-time", articleDate: "dmy-time", address: "Thị trấn Phú Phong, huyện Tây Sơn, tỉnh Bình Định" },
  { id: "huyen-vinh-thanh", name: "UBND huyện Vĩnh Thạnh", unitType: "ubnd_huyen", group: "huyen", layout: "text", activity: "stale",
    encoding: "no-charset", empty: ["lanh-dao"], listingDate: "dmy-slash", articleDate: "dmy-slash", sitemap: "none",
    address: "Thị trấn Vĩnh Thạnh, huyện Vĩnh Thạnh, tỉnh Bình Định" },
  { id: "huyen-van-canh", name: "UBND huyện Vân Canh", unitType: "ubnd_huyen", group: "huyen", layout: "nested", activity: "moderate",
    encoding: "cp1258-bytes", listingDate: "dmy-slash", articleDate: "dmy-time", address: "Thị trấn Vân Canh, huyện Vân Canh, tỉnh Bình Định" },
  // ---------------- UBND cấp xã ----------------
  { id: "xa-phuoc-loc", name: "UBND xã Phước Lộc", unitType: "ubnd_xa", group: "xa", layout: "text", activity: "moderate",
    encoding: "tcvn3-bytes", missing: ["lay-y-kien", "du-an-dau-tu", "thong-ke"], rss: false, listingDate: "dmy-slash", articleDate: "dmy-slash",
    address: "Xã Phước Lộc, huyện Tuy Phước, tỉnh Bình Định" },
  { id: "xa-phuoc-hung", name: "UBND xã Phước Hưng", unitType: "ubnd_xa", group: "xa", layout: "text", activity: "stale",
    encoding: "tcvn3-glyphs", missing: ["lay-y-kien"], sitemap: "none", listingDate: "dmy-time", articleDate: "dmy-slash",
    address: "Xã Phước Hưng, huyện Tuy Phước, tỉnh Bình Định" },
  { id: "xa-phuoc-son", name: "UBND xã Phước Sơn", unitType: "ubnd_xa", group: "xa", layout: "nodiac", activity: "moderate",
    encoding: "vni-glyphs", listingDate: "dmy-dash", articleDate: "dmy-slash", address: "Xã Phước Sơn, huyện Tuy Phước, tỉnh Bình Định" },
  { id: "xa-cat-hanh", name: "UBND xã Cát Hanh", unitType: "ubnd_xa", group: "xa", layout: "text", activity: "active",
    encoding: "viscii-bytes", listingDate: "dmy-slash", articleDate: "time-dmy", address: "Xã Cát Hanh, huyện Phù Cát, tỉnh Bình Định" },
  { id: "xa-cat-tien", name: "UBND xã Cát Tiến", unitType: "ubnd_xa", group: "xa", layout: "upper", activity: "moderate",
    encoding: "double-utf8", listingDate: "dmy-slash", articleDate: "dmy-time", address: "Xã Cát Tiến, huyện Phù Cát, tỉnh Bình Định" },
  { id: "xa-my-chanh", name: "UBND xã Mỹ Chánh", unitType: "ubnd_xa", group: "xa", layout: "text", activity: "stale",
    encoding: "tcvn3-bytes-1252", rss: false, sitemap: "none", listingDate: "dmy-slash", articleDate: "dmy-slash",
    address: "Xã Mỹ Chánh, huyện Phù Mỹ, tỉnh Bình Định" },
  { id: "xa-my-thanh", name: "UBND xã Mỹ Thành", unitType: "ubnd_xa", group: "xa", layout: "text", activity: "active",
    footer: "no-email", empty: ["lich-cong-tac", "chien-luoc-quy-hoach"], listingDate: "weekday", articleDate: "meta-only", articleMeta: "jsonld",
    address: "Xã Mỹ Thành, huyện Phù Mỹ, tỉnh Bình Định" },
  { id: "xa-an-hao-dong", name: "UBND xã Ân Hảo Đông", unitType: "ubnd_xa", group: "xa", layout: "nested", activity: "moderate",
    missing: ["lay-y-kien", "du-an-dau-tu", "thong-ke"], unreachable: ["hoi-dap"], listingDate: "ngay-dang", articleDate: "words",
    address: "Xã Ân Hảo Đông, huyện Hoài Ân, tỉnh Bình Định" },
  { id: "xa-binh-nghi", name: "UBND xã Bình Nghi", unitType: "ubnd_xa", group: "xa", layout: "text", activity: "stale",
    attribution: "none", rss: false, sitemap: "none", search: false, imgAlt: "none", footer: "no-contact", missing: ["so-do-site", "thong-ke"],
    listingDate: "dmy-slash", articleDate: "dmy-slash", address: "Xã Bình Nghi, huyện Tây Sơn, tỉnh Bình Định" },
  { id: "xa-tay-vinh", name: "UBND xã Tây Vinh", unitType: "ubnd_xa", group: "xa", layout: "nodiac", activity: "active",
    attribution: "no-author", listingDate: "relative", articleDate: "cap-nhat", imgAlt: "some", viewport: false,
    address: "Xã Tây Vinh, huyện Tây Sơn, tỉnh Bình Định" },
  { id: "xa-vinh-hao", name: "UBND xã Vĩnh Hảo", unitType: "ubnd_xa", group: "xa", layout: "upper", activity: "moderate",
    empty: ["pho-bien-phap-luat"], listingDate: "time-dmy", articleDate: "time-tag", langVi: false,
    address: "Xã Vĩnh Hảo, huyện Vĩnh Thạnh, tỉnh Bình Định" },
  { id: "xa-canh-vinh", name: "UBND xã Canh Vinh", unitType: "ubnd_xa", group: "xa", layout: "js", activity: "stale",
    rss: false, sitemap: "none", empty: ["lanh-dao"], missing: ["du-an-dau-tu"], listingDate: "dmy-slash", articleDate: "ngay-dang",
    address: "Xã Canh Vinh, huyện Vân Canh, tỉnh Bình Định" },
  { id: "xa-nhon-hau", name: "UBND xã Nhơn Hậu", unitType: "ubnd_xa", group: "xa", layout: "slug", activity: "active",
    footer: "no-address", empty: ["gioi-thieu"], unreachable: ["lich-cong-tac"], missing: ["so-do-site"], listingDate: "dmy-time", articleDate: "meta-only", articleMeta: "dc",
    address: "Xã Nhơn Hậu, thị xã An Nhơn, tỉnh Bình Định" },
  { id: "xa-hoai-chau", name: "UBND xã Hoài Châu", unitType: "ubnd_xa", group: "xa", layout: "text", activity: "moderate",
    specials: ["nfd-paragraph", "mention-font"], attribution: "mixed", sitemap: "index", listingDate: "dmy-dash", articleDate: "weekday",
    address: "Xã Hoài Châu, thị xã Hoài Nhơn, tỉnh Bình Định" },
];

export function provinceSpecs(): SiteSpec[] {
  return SPECS.map((p, i) => site(p, i));
}
