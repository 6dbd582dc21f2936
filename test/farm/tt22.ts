// Farm sites for Thông tư 22/2023/TT-BTTTT (issue 14 §1): the EMC monitoring code and label
// present, absent and misplaced, and each required home-page link present or missing. Each site
// knows what the checks must conclude (Tt22Truth). Served by startFarm({ tt22: true }).
import { CATEGORY_IDS, OPTIONAL_CATEGORIES } from "./categories.ts";
import type { FarmResponse, GroundTruth } from "./types.ts";

export type EmcPlace = "home" | "inner" | "none";
export type LabelPlace = "footer" | "header" | "inner" | "none";

export interface Tt22Spec {
  id: string;
  name: string;
  unitType: "so" | "ubnd_xa" | "cong_tinh";
  script: EmcPlace;
  label: LabelPlace;
  /** Ids of HOME_LINK_RULES left off the home page. */
  missingLinks: string[];
}

export interface Tt22Truth {
  /** AuditMetrics.emc as the checks must measure it. */
  emc: { script: boolean; label: boolean; labelInFooter: boolean };
  /** The emc.* finding codes expected under a rule set that requires EMC (sorted). */
  emcFindings: string[];
  /** Required links (for the unit type) and those the home page lacks. */
  requiredLinks: string[];
  missingLinks: string[];
}

/** Every link the sites can carry, by HOME_LINK_RULES id (crawler/catalog/tt22-2023.ts). */
const LINKS: Record<string, string> = {
  "dich-vu-cong-quoc-gia": `<a href="https://dichvucong.gov.vn/p/home/dvc-trang-chu.html" target="_blank"><img src="/images/dvcqg.png" alt="Cổng Dịch vụ công quốc gia"></a>`,
  "he-thong-tthc-tinh": `<a href="https://dichvucong.gialai.gov.vn/" target="_blank">Hệ thống thông tin giải quyết thủ tục hành chính tỉnh Gia Lai</a>`,
  "cong-thong-tin-tinh": `<a href="https://gialai.gov.vn/">Cổng thông tin điện tử tỉnh Gia Lai</a>`,
  "cong-thong-tin-chinh-phu": `<a href="https://chinhphu.vn/">Cổng Thông tin điện tử Chính phủ</a>`,
};
const REQUIRED: Record<Tt22Spec["unitType"], string[]> = {
  so: ["dich-vu-cong-quoc-gia", "he-thong-tthc-tinh", "cong-thong-tin-tinh"],
  ubnd_xa: ["dich-vu-cong-quoc-gia", "he-thong-tthc-tinh", "cong-thong-tin-tinh"],
  cong_tinh: ["dich-vu-cong-quoc-gia", "he-thong-tthc-tinh", "cong-thong-tin-chinh-phu"],
};

const EMC_SCRIPT = `<script async src="https://emc.gov.vn/js/emc-tracking.js" data-site="tt22"></script>`;
const EMC_LABEL = `<a href="https://emc.gov.vn/" target="_blank" title="Hệ thống EMC"><img src="/images/emc-label.png" alt="Đã kết nối Hệ thống EMC"></a>`;

export function tt22Specs(): Tt22Spec[] {
  const base = { unitType: "so" as const, missingLinks: [] as string[] };
  const specs: Tt22Spec[] = [
    { ...base, id: "tt22-emc-day-du", name: "Sở Khoa học và Công nghệ", script: "home", label: "footer" },
    { ...base, id: "tt22-emc-khong-co", name: "Sở Tư pháp", script: "none", label: "none" },
    { ...base, id: "tt22-emc-nhan-khong-ma", name: "Sở Y tế", script: "none", label: "footer" },
    { ...base, id: "tt22-emc-ma-khong-nhan", name: "Sở Xây dựng", script: "home", label: "none" },
    { ...base, id: "tt22-emc-nhan-trang-trong", name: "Sở Công Thương", script: "home", label: "inner" },
    { ...base, id: "tt22-emc-ma-trang-trong", name: "Sở Tài chính", script: "inner", label: "footer" },
    { ...base, id: "tt22-emc-nhan-dau-trang", name: "Sở Nội vụ", script: "home", label: "header" },
  ];
  for (const id of REQUIRED.so) specs.push({ id: `tt22-thieu-${id}`, name: "UBND xã Tuy Phước", unitType: "ubnd_xa", script: "home", label: "footer", missingLinks: [id] });
  specs.push({ id: "tt22-cong-tinh", name: "Cổng thông tin điện tử tỉnh Gia Lai", unitType: "cong_tinh", script: "home", label: "footer", missingLinks: [] });
  specs.push({ id: "tt22-cong-tinh-thieu-cong-thong-tin-chinh-phu", name: "Cổng thông tin điện tử tỉnh Gia Lai", unitType: "cong_tinh", script: "home", label: "footer", missingLinks: ["cong-thong-tin-chinh-phu"] });
  return specs;
}

export function tt22Truth(spec: Tt22Spec): Tt22Truth {
  const onHomeLabel = spec.label === "footer" || spec.label === "header";
  const emcFindings: string[] = [];
  if (spec.script === "none" && spec.label === "none") emcFindings.push("emc.missing");
  else {
    if (spec.script === "inner") emcFindings.push("emc.script-misplaced");
    else if (spec.script === "none") emcFindings.push(onHomeLabel ? "emc.label-without-script" : "emc.no-script");
    if (spec.label === "inner") emcFindings.push("emc.label-misplaced");
    else if (spec.label === "none") emcFindings.push("emc.no-label");
    else if (spec.label === "header") emcFindings.push("emc.label-not-footer");
  }
  const requiredLinks = REQUIRED[spec.unitType];
  return {
    emc: { script: spec.script === "home", label: onHomeLabel, labelInFooter: spec.label === "footer" },
    emcFindings: emcFindings.sort(),
    requiredLinks,
    missingLinks: spec.missingLinks.filter((l) => requiredLinks.includes(l)),
  };
}

function page(spec: Tt22Spec, title: string, body: string, opts: { script: boolean; labelHeader: boolean; labelFooter: boolean; links: boolean }): Buffer {
  const links = opts.links
    ? `<div class="lien-ket-website"><h3>Liên kết</h3><ul>${REQUIRED[spec.unitType]
        .filter((id) => !spec.missingLinks.includes(id))
        .map((id) => `<li>${LINKS[id]}</li>`)
        .join("")}</ul></div>`
    : "";
  return Buffer.from(
    `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} - ${spec.name}</title>${
      opts.script ? EMC_SCRIPT : ""
    }</head><body><header class="header"><h1>${spec.name.toUpperCase()}</h1>${opts.labelHeader ? EMC_LABEL : ""}</header>
<nav class="menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li><li><a href="/lien-he">Liên hệ</a></li></ul></nav>
<main>${body}${links}</main>
<footer class="footer"><p>${spec.name.toUpperCase()}</p><p>Chịu trách nhiệm chính: Ông Nguyễn Văn An - Giám đốc</p><p>Địa chỉ: 02 Trần Phú, Quy Nhơn, Gia Lai</p><p>Điện thoại: 0256 3822 123 - Email: vanphong@gialai.gov.vn</p>${
      opts.labelFooter ? EMC_LABEL : ""
    }</footer></body></html>`,
    "utf8",
  );
}

const html = (body: Buffer): FarmResponse => ({ status: 200, headers: { "content-type": "text/html; charset=utf-8" }, body });

/** The routes of one TT 22 site. */
export function buildTt22Site(spec: Tt22Spec): Map<string, FarmResponse> {
  const routes = new Map<string, FarmResponse>();
  routes.set(
    "/",
    html(page(spec, "Trang chủ", `<h2>Tin tức - sự kiện</h2><p>Hội nghị triển khai nhiệm vụ chuyển đổi số năm 2026.</p>`, {
      script: spec.script === "home",
      labelHeader: spec.label === "header",
      labelFooter: spec.label === "footer",
      links: true,
    })),
  );
  const inner = { script: spec.script === "home" || spec.script === "inner", labelHeader: false, labelFooter: spec.label === "footer" || spec.label === "inner", links: false };
  routes.set("/gioi-thieu", html(page(spec, "Giới thiệu", `<h2>Giới thiệu</h2><p>Chức năng, nhiệm vụ, cơ cấu tổ chức.</p>`, inner)));
  routes.set("/lien-he", html(page(spec, "Liên hệ", `<h2>Liên hệ</h2><p>Thông tin liên hệ của cơ quan.</p>`, inner)));
  routes.set("/robots.txt", { status: 200, headers: { "content-type": "text/plain" }, body: Buffer.from("User-agent: *\nAllow: /\n") });
  return routes;
}

/** The farm's ground truth of a TT 22 site (only what it is for: the rest is left empty). */
export function tt22GroundTruth(spec: Tt22Spec, origin: string): GroundTruth {
  const categories = Object.fromEntries(
    CATEGORY_IDS.map((id) => [id, { status: "missing" as const, url: null, required: !OPTIONAL_CATEGORIES.includes(id) }]),
  ) as GroundTruth["categories"];
  categories["gioi-thieu"] = { status: "present", url: `${origin}/gioi-thieu`, required: true };
  categories["lien-he"] = { status: "present", url: `${origin}/lien-he`, required: true };
  return {
    id: spec.id,
    code: spec.id.toUpperCase(),
    name: spec.name,
    unitType: spec.unitType === "cong_tinh" ? null : spec.unitType,
    group: null,
    baseUrl: `${origin}/`,
    layout: "text",
    robotsDisallowAll: false,
    robots: { crawlDelay: null, disallow: [] },
    hasRss: false,
    rssUrl: null,
    hasSitemap: false,
    sitemapIndex: false,
    jsMenu: false,
    activity: null,
    siteEncoding: "utf8",
    categories,
    pages: [],
    items: [],
    latestPublished: null,
    documents: [],
    identity: { unitName: true, responsiblePerson: true, address: true, phone: true, email: true },
    attribution: [],
    technical: { https: false, viewport: true, langVi: true, search: false, sitemapPage: false, sitemapXml: false, homeImages: 0, homeImagesWithAlt: 0 },
    comparable: { categories: false, encoding: true, dates: false, identity: true },
    notes: [`TT 22/2023 site: ${JSON.stringify(tt22Truth(spec))}`],
  };
}
