/**
 * Farm sites whose markup follows the CMS platforms Vietnamese state sites run on: NukeViet (and
 * its eGovernment edition), Liferay, SharePoint, DotNetNuke and WordPress. The markup is written
 * for this farm after reading the platforms' public templates (class names, nesting, where the
 * date and byline sit); the text comes from the seeded corpus like the rest of the farm. Each site
 * carries the real-world classes of issue 13 §2 and knows its ground truth.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CategoryStatus, FetchedPage, PageKind, SiteSnapshot } from "../../crawler/types.ts";
import { personName, pickParagraphs, pickTitle } from "./corpus.ts";
import { addDays } from "./dates.ts";
import { esc } from "./encode.ts";
import { Rng } from "./prng.ts";
import type { FarmResponse } from "./types.ts";

export type Platform = "nukeviet" | "egov" | "liferay" | "sharepoint" | "dnn" | "wordpress";
export const PLATFORMS: Platform[] = ["nukeviet", "egov", "liferay", "sharepoint", "dnn", "wordpress"];

export interface CmsTruth {
  id: string;
  platform: Platform;
  name: string;
  baseUrl: string;
  /** Every category of the rule set in force for a Sở (required and optional). */
  categories: Record<string, CategoryStatus>;
  /** Article pages with whether they name an author and a source. */
  articles: { url: string; author: boolean; source: boolean }[];
  /** Pages that are not articles (home, listings, their later pages): no attribution verdict. */
  notArticles: string[];
  identity: { unitName: boolean; responsiblePerson: boolean; address: boolean; phone: boolean; email: boolean };
  /** Legacy fonts each listed page names (lower case). */
  legacyFonts: Record<string, string[]>;
  /** Paths that are one page under several URLs (duplicate fetches): [canonical, ...aliases]. */
  aliases: string[][];
}

export interface CmsSite {
  id: string;
  platform: Platform;
  routes: Map<string, FarmResponse>;
  /** How a crawler reaches each path (the kind the checks get). */
  kinds: Map<string, PageKind>;
  truth: CmsTruth;
}

const ALL_CATEGORIES = [
  "gioi-thieu", "lanh-dao", "tin-tuc", "chi-dao-dieu-hanh", "lich-cong-tac", "pho-bien-phap-luat", "chien-luoc-quy-hoach",
  "van-ban", "du-an-dau-tu", "lay-y-kien", "thu-tuc-hanh-chinh", "hoi-dap", "lien-he", "thong-ke", "khoa-hoc", "so-do-site", "tieng-anh",
];

/** Default menu labels (sites override some of them). */
const LABELS: Record<string, string> = {
  "gioi-thieu": "Giới thiệu",
  "lanh-dao": "Lãnh đạo Sở",
  "tin-tuc": "Tin tức - Sự kiện",
  "chi-dao-dieu-hanh": "Chỉ đạo điều hành",
  "lich-cong-tac": "Lịch công tác",
  "pho-bien-phap-luat": "Phổ biến pháp luật",
  "chien-luoc-quy-hoach": "Quy hoạch - Kế hoạch",
  "van-ban": "Văn bản pháp luật",
  "du-an-dau-tu": "Dự án đầu tư",
  "lay-y-kien": "Lấy ý kiến dự thảo",
  "thu-tuc-hanh-chinh": "Thủ tục hành chính",
  "hoi-dap": "Hỏi đáp",
  "lien-he": "Liên hệ",
  "thong-ke": "Thống kê",
  "so-do-site": "Sơ đồ site",
};

interface MenuEntry {
  id: string;
  label: string;
  path: string;
  /** Sits in a hidden drop-down under this parent label. */
  under?: string;
  /** The link shows an image only (no text, no alt). */
  imageOnly?: boolean;
}

interface Article {
  path: string;
  title: string;
  date: string;
  paragraphs: string[];
  /** The byline markup at the end (or start) of the body, if any. */
  byline: string;
  author: boolean;
  source: boolean;
}

interface Ctx {
  rng: Rng;
  name: string;
  origin: string;
  ref: string;
  director: string;
}

function dmy(ymd: string): string {
  const [y, m, d] = ymd.split("-");
  return `${d}/${m}/${y}`;
}

const WEEKDAYS = ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"];

function weekdayName(ymd: string): string {
  return WEEKDAYS[new Date(ymd + "T00:00:00Z").getUTCDay()];
}

function html(body: string): FarmResponse {
  return { status: 200, headers: { "content-type": "text/html; charset=utf-8" }, body: Buffer.from(body, "utf8") };
}

function paragraphsHtml(ps: string[]): string {
  return ps.map((p) => `<p>${esc(p)}</p>`).join("\n");
}

function footerLines(c: Ctx, person: string): string[] {
  return [
    `Cơ quan chủ quản: ${c.name} tỉnh Bình Định`,
    person,
    `Địa chỉ: 15 Trần Phú, TP. Quy Nhơn, Bình Định`,
    `Điện thoại: 0256 3822 123 - Email: vanphong@binhdinh.gov.vn`,
  ];
}

function makeArticles(c: Ctx, prefix: (slug: string, i: number) => string, bylines: { html: string; author: boolean; source: boolean }[]): Article[] {
  return bylines.map((b, i) => {
    const title = pickTitle(c.rng);
    const date = addDays(c.ref, -(i * 2 + 1));
    return { path: prefix(`bai-viet-${i + 1}`, i), title, date, paragraphs: pickParagraphs(c.rng, 4), byline: b.html, author: b.author, source: b.source };
  });
}

function staticContent(c: Ctx): string {
  return paragraphsHtml(pickParagraphs(c.rng, 2));
}

// ---------------------------------------------------------------------------------------------
// NukeViet (themes/default): bootstrap navbar with drop-down submenus hidden until hover, news
// module detail page (h1, publication time in span.h5, author and source lines at the end).

function buildNukeViet(c: Ctx): Omit<CmsSite, "id" | "platform"> {
  const routes = new Map<string, FarmResponse>();
  const kinds = new Map<string, PageKind>();
  const q = (op: string) => `/index.php?language=vi&nv=${op}`;
  const menu: MenuEntry[] = [
    { id: "gioi-thieu", label: "Giới thiệu", path: q("about&op=gioi-thieu-chung") },
    // Only in the hidden submenus, under URLs that say nothing.
    { id: "lanh-dao", label: "Lãnh đạo Sở", path: q("about&op=p4"), under: "Tổ chức bộ máy" },
    { id: "lich-cong-tac", label: "Lịch công tác", path: q("page&op=p7"), under: "Chỉ đạo điều hành" },
    { id: "chi-dao-dieu-hanh", label: "Chỉ đạo điều hành", path: q("news&op=chi-dao-dieu-hanh") },
    { id: "tin-tuc", label: "Tin tức - Sự kiện", path: q("news&op=tin-tuc") },
    { id: "pho-bien-phap-luat", label: "Phổ biến pháp luật", path: q("news&op=pho-bien-phap-luat") },
    { id: "chien-luoc-quy-hoach", label: "Quy hoạch - Kế hoạch", path: q("news&op=quy-hoach") },
    { id: "van-ban", label: "Văn bản", path: q("laws") },
    { id: "du-an-dau-tu", label: "Dự án đầu tư", path: q("news&op=du-an") },
    { id: "lay-y-kien", label: "Lấy ý kiến dự thảo", path: q("news&op=du-thao") },
    { id: "thu-tuc-hanh-chinh", label: "Thủ tục hành chính", path: q("news&op=tthc") },
    { id: "hoi-dap", label: "Hỏi đáp", path: q("faq") },
    { id: "lien-he", label: "Liên hệ", path: q("contact") },
    { id: "thong-ke", label: "Thống kê", path: q("news&op=thong-ke") },
    { id: "so-do-site", label: "Sơ đồ site", path: q("siteterms&op=sitemap") },
  ];
  const articles = makeArticles(c, (s, i) => q(`news&op=tin-tuc/${s}-${100 + i}`), [
    { html: `<p style="text-align:right"><strong>Tin, ảnh: Ngô Tấm</strong></p>`, author: true, source: false },
    { html: `<p class="text-right"><strong>Nguồn:</strong> Báo Bình Định</p>`, author: false, source: true },
    { html: `<div class="margin-bottom-lg"><p class="h5 text-right"><strong>Tác giả: </strong>${esc(personName(c.rng))}</p><p class="h5 text-right"><strong>Nguồn tin: </strong>Sở Tư pháp</p></div>`, author: true, source: true },
  ]);
  const top = (m: MenuEntry[]) => {
    const groups = new Map<string, MenuEntry[]>();
    const out: string[] = [];
    for (const e of m) {
      if (e.under) {
        const g = groups.get(e.under) ?? [];
        g.push(e);
        groups.set(e.under, g);
      }
    }
    for (const [parent, kids] of groups) {
      if (m.some((e) => e.label === parent && !e.under)) continue;
      out.push(`<li class="dropdown"><a href="#" class="dropdown-toggle" data-toggle="dropdown">${esc(parent)} <strong class="caret"></strong></a>
<ul class="dropdown-menu" style="display:none">${kids.map((k) => `<li><a href="${esc(k.path)}">${esc(k.label)}</a></li>`).join("")}</ul></li>`);
    }
    for (const e of m) {
      if (e.under) continue;
      const kids = groups.get(e.label);
      if (kids) out.push(`<li class="dropdown"><a href="${esc(e.path)}">${esc(e.label)}</a><ul class="dropdown-menu" style="display:none">${kids.map((k) => `<li><a href="${esc(k.path)}">${esc(k.label)}</a></li>`).join("")}</ul></li>`);
      else out.push(`<li><a href="${esc(e.path)}">${esc(e.label)}</a></li>`);
    }
    return out.join("\n");
  };
  const layout = (title: string, body: string, extraHead = "") => `<!DOCTYPE html>
<html lang="vi" xmlns="http://www.w3.org/1999/xhtml">
<head><meta charset="utf-8"><title>${esc(title)}</title><meta name="viewport" content="width=device-width, initial-scale=1">${extraHead}</head>
<body>
<div class="body-bg"><div class="wraper">
<header><div class="container"><div id="header" class="row"><div class="logo col-xs-24 col-sm-24 col-md-8"><a title="${esc(c.name)}" href="/"><img src="/uploads/logo.png" alt="${esc(c.name)}"></a></div>
<div class="col-md-16"><div class="language"><a href="https://english.sotuphap.binhdinh.gov.vn/" title=""><img src="/themes/default/images/flags/en.png" width="16" height="11"></a></div></div></div></div></header>
<nav class="second-nav" id="menusite"><div class="container"><div class="row"><div class="bg box-shadow">
<div class="navbar navbar-default navbar-static-top" role="navigation"><div class="collapse navbar-collapse" id="menu-site-default">
<ul class="nav navbar-nav"><li><a class="home" title="Trang nhất" href="/"><em class="fa fa-lg fa-home">&nbsp;</em></a></li>
${top(menu)}
</ul></div></div></div></div></div></nav>
<section><div class="container" id="body"><div class="row">
<div class="col-sm-16 col-md-18">${body}</div>
<div class="col-sm-8 col-md-6"><div class="panel panel-default"><div class="panel-heading">Tin mới</div><div class="panel-body"><ul>${articles.map((a) => `<li><a href="${esc(a.path)}">${esc(a.title)}</a></li>`).join("")}</ul></div></div></div>
</div></div></section>
<footer id="footer" class="footer-wrap"><div class="container"><div class="row"><div class="col-xs-24 col-sm-24 col-md-12">
${footerLines(c, `Chịu trách nhiệm: Giám đốc ${c.director}`).map((l) => `<p>${esc(l)}</p>`).join("")}
</div></div></div></footer>
</div></div></body></html>`;

  routes.set("/", html(layout(c.name, `<div class="news_column"><h2>Tin nổi bật</h2><ul>${articles.map((a) => `<li><a href="${esc(a.path)}">${esc(a.title)}</a> <span>${dmy(a.date)}</span></li>`).join("")}</ul></div>`)));
  kinds.set("/", "home");
  for (const e of menu) {
    let body: string;
    if (e.id === "tin-tuc") body = `<div class="news_column"><h1>${esc(e.label)}</h1><ul class="related">${articles.map((a) => `<li><a href="${esc(a.path)}">${esc(a.title)}</a> <em>(${dmy(a.date)})</em></li>`).join("")}</ul></div>`;
    else if (e.id === "lich-cong-tac") {
      // The schedule page names the week, not the category: only the (hidden) menu link says what it is.
      body = `<div class="page panel panel-default"><div class="panel-body"><h1 class="title margin-bottom-lg">Lịch tuần 47/2026</h1><table class="table table-bordered"><tr><th>Thời gian</th><th>Nội dung</th></tr>${pickParagraphs(c.rng, 3).map((t, i) => `<tr><td>${weekdayName(addDays(c.ref, i))}</td><td>${esc(t)}</td></tr>`).join("")}</table></div></div>`;
    } else body = `<div class="page panel panel-default"><div class="panel-body"><h1 class="title margin-bottom-lg">${esc(e.label)}</h1><div class="bodytext">${staticContent(c)}</div></div></div>`;
    routes.set(e.path, html(layout(`${e.id === "lich-cong-tac" ? "Lịch tuần" : e.label} - ${c.name}`, body)));
    kinds.set(e.path, "category");
  }
  for (const a of articles) {
    const body = `<div class="news_column panel panel-default" itemtype="http://schema.org/NewsArticle" itemscope><div class="panel-body">
<h1 itemprop="headline">${esc(a.title)}</h1><span class="h5">${weekdayName(a.date)} - ${dmy(a.date)} 09:15</span><hr>
<div id="news-bodyhtml" class="bodytext margin-bottom-lg">${paragraphsHtml(a.paragraphs)}</div>
${a.byline}</div></div>`;
    routes.set(a.path, html(layout(`${a.title} - ${c.name}`, body)));
    kinds.set(a.path, "other");
  }
  const categories = statuses(menu.map((m) => m.id), { "tieng-anh": "present" });
  return {
    routes,
    kinds,
    truth: base(c, "nukeviet", categories, articles, ["/", q("news&op=tin-tuc")], {}),
  };
}

// ---------------------------------------------------------------------------------------------
// NukeViet eGovernment: long menu labels, a banner whose only hint is a long slug, a "Liên kết
// website" block of other agencies, and a footer typed with zero-width spaces.

function buildEgov(c: Ctx): Omit<CmsSite, "id" | "platform"> {
  const routes = new Map<string, FarmResponse>();
  const kinds = new Map<string, PageKind>();
  const menu: MenuEntry[] = [
    { id: "gioi-thieu", label: "Giới thiệu", path: "/gioi-thieu/" },
    { id: "lanh-dao", label: "Lãnh đạo Sở", path: "/gioi-thieu/lanh-dao/" },
    { id: "tin-tuc", label: "Tin tức - Sự kiện", path: "/news/" },
    { id: "chi-dao-dieu-hanh", label: "Chỉ đạo điều hành", path: "/news/chi-dao-dieu-hanh/" },
    { id: "lich-cong-tac", label: "Lịch công tác", path: "/lich-cong-tac/" },
    { id: "pho-bien-phap-luat", label: "Phổ biến pháp luật", path: "/news/pbgdpl/" },
    { id: "chien-luoc-quy-hoach", label: "Quy hoạch - Kế hoạch", path: "/news/quy-hoach/" },
    { id: "van-ban", label: "Văn bản", path: "/laws/" },
    { id: "du-an-dau-tu", label: "Thông tin đầu tư, đấu thầu, mua sắm công", path: "/news/c17/" },
    { id: "lay-y-kien", label: "", path: "/lay-y-kien-van-ban-du-thao/", imageOnly: true },
    { id: "hoi-dap", label: "Hỏi đáp", path: "/faq/" },
    { id: "lien-he", label: "Liên hệ", path: "/contact/" },
    { id: "so-do-site", label: "Sơ đồ site", path: "/siteterms/sitemap/" },
  ];
  const layout = (title: string, body: string) => `<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>${esc(title)}</title><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><div id="wrapper">
<header id="header"><div class="banner"><a href="/"><img src="/themes/egov/images/banner.jpg" alt="${esc(c.name)}"></a></div></header>
<nav class="header-nav"><ul class="menu">${menu.filter((m) => !m.imageOnly).map((m) => `<li><a href="${esc(m.path)}">${esc(m.label)}</a></li>`).join("")}</ul></nav>
<div id="body" class="row"><div class="col-md-17">${body}</div>
<div class="col-md-7"><div class="block-banner">${menu.filter((m) => m.imageOnly).map((m) => `<a href="${esc(m.path)}"><img src="/uploads/banners/gop-y.png" alt=""></a>`).join("")}</div>
<div class="panel panel-primary"><div class="panel-heading"><h3>Liên kết website</h3></div><div class="panel-body"><ul>
<li><a href="https://dichvucong.gov.vn/" target="_blank">Cổng Dịch vụ công quốc gia</a></li>
<li><a href="https://www.gso.gov.vn/" target="_blank">Tổng cục Thống kê</a></li>
<li><a href="https://moj.gov.vn/" target="_blank">Bộ Tư pháp</a></li>
<li><a href="https://binhdinh.gov.vn/" target="_blank">Cổng TTĐT tỉnh Bình Định</a></li>
</ul></div></div></div></div>
<footer id="footer"><div class="copyright"><p>${esc(`Cơ quan chủ quản: ${c.name} tỉnh Bình Định`)}</p>
<p>Chịu\u200b trách\u200b nhiệm: ${esc(c.director)} - Giám đốc Sở</p>
<p>Địa chỉ: 15 Trần Phú, TP. Quy Nhơn, Bình Định</p><p>Điện thoại: 0256 3822 123 - Email: vanphong@binhdinh.gov.vn</p></div></footer>
</div></body></html>`;
  routes.set("/", html(layout(c.name, `<h2>Tin hoạt động</h2>${staticContent(c)}`)));
  kinds.set("/", "home");
  for (const e of menu) {
    const heading = e.imageOnly ? "Lấy ý kiến dự thảo văn bản" : e.label;
    routes.set(e.path, html(layout(`${heading} - ${c.name}`, `<div class="page"><h1>${esc(heading)}</h1>${staticContent(c)}</div>`)));
    kinds.set(e.path, e.imageOnly ? "other" : "category");
  }
  const categories = statuses(menu.map((m) => m.id), {});
  return {
    routes,
    kinds,
    truth: base(c, "egov", categories, [], ["/"], {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Liferay 6/7 portal: navigation with child menus hidden until hover, portlets whose boundary class
// names the menu portlet they were built from, asset publisher articles titled in h3.

function buildLiferay(c: Ctx): Omit<CmsSite, "id" | "platform"> {
  const routes = new Map<string, FarmResponse>();
  const kinds = new Map<string, PageKind>();
  const w = (slug: string) => `/web/so-tu-phap/${slug}`;
  const menu: MenuEntry[] = [
    { id: "gioi-thieu", label: "Giới thiệu", path: w("gioi-thieu") },
    { id: "lanh-dao", label: "Ban Giám đốc", path: w("to-chuc-bo-may"), under: "Giới thiệu" },
    { id: "tin-tuc", label: "Tin tức - Sự kiện", path: w("tin-tuc") },
    { id: "chi-dao-dieu-hanh", label: "Chỉ đạo điều hành", path: w("chi-dao-dieu-hanh") },
    { id: "lich-cong-tac", label: "Lịch công tác", path: w("lich-cong-tac") },
    { id: "pho-bien-phap-luat", label: "Phổ biến pháp luật", path: w("pho-bien-phap-luat") },
    { id: "chien-luoc-quy-hoach", label: "Quy hoạch - Kế hoạch", path: w("quy-hoach-ke-hoach") },
    { id: "van-ban", label: "Văn bản", path: w("van-ban") },
    { id: "du-an-dau-tu", label: "Dự án đầu tư", path: w("du-an") },
    { id: "lay-y-kien", label: "Lấy ý kiến dự thảo", path: w("du-thao") },
    { id: "thu-tuc-hanh-chinh", label: "Thủ tục hành chính", path: w("thu-tuc-hanh-chinh") },
    { id: "hoi-dap", label: "Hỏi đáp", path: w("hoi-dap") },
    { id: "lien-he", label: "Liên hệ", path: w("lien-he") },
    { id: "thong-ke", label: "Thống kê", path: w("thong-ke") },
    { id: "so-do-site", label: "Sơ đồ site", path: w("so-do-site") },
  ];
  const articles = makeArticles(c, (s) => w(`tin-tuc/-/asset_publisher/abc/content/${s}`), [
    { html: `<p>Theo Báo Bình Định</p>`, author: false, source: true },
    { html: `<p style="text-align: right;"><b>Minh Châu</b></p>`, author: true, source: false },
  ]);
  const layout = (title: string, body: string) => `<!DOCTYPE html>
<html class="ltr" dir="ltr" lang="vi-VN"><head><title>${esc(title)}</title><meta content="text/html; charset=UTF-8" http-equiv="content-type"></head>
<body class="yui3-skin-sam controls-visible guest-site signed-out public-page site">
<div class="container-fluid" id="wrapper">
<header id="banner" role="banner"><div id="heading"><h2 class="site-title"><a class="logo" href="/web/so-tu-phap" title="${esc(c.name)}"><span>${esc(c.name)}</span></a></h2></div>
<nav class="sort-pages modify-pages" id="navigation" role="navigation"><ul aria-label="Trang" role="menubar">
${menu.filter((m) => !m.under).map((m) => {
    const kids = menu.filter((k) => k.under === m.label);
    return `<li class="lfr-nav-item" role="presentation"><a href="${esc(m.path)}" role="menuitem"><span>${esc(m.label)}</span></a>${kids.length ? `<ul class="child-menu" role="menu" style="display: none;">${kids.map((k) => `<li class="lfr-nav-child"><a href="${esc(k.path)}" role="menuitem">${esc(k.label)}</a></li>`).join("")}</ul>` : ""}</li>`;
  }).join("\n")}
</ul></nav></header>
<div id="content"><div class="columns-2" id="main-content" role="main"><div class="portlet-layout row-fluid">
<div class="portlet-column portlet-column-first span8" id="column-1">
<div class="portlet-boundary portlet-boundary_menu_WAR_portalportlet_ portlet-journal-content" id="p_p_id_menu_WAR_portalportlet_INSTANCE_x1_">
<section class="portlet"><div class="portlet-content"><div class="portlet-body">${body}</div></div></section></div></div>
<div class="portlet-column portlet-column-last span4" id="column-2"></div>
</div></div></div>
<footer id="footer" role="contentinfo"><p>${footerLines(c, `Chịu trách nhiệm chính: ${c.director}`).map(esc).join("<br>")}</p></footer>
</div></body></html>`;
  routes.set("/", html(layout(c.name, `<div class="journal-content-article"><h2>Tin nổi bật</h2>${articles.map((a) => `<div class="asset-abstract"><h3 class="asset-title"><a href="${esc(a.path)}">${esc(a.title)}</a></h3><div class="asset-summary">${esc(a.paragraphs[0].slice(0, 120))}</div></div>`).join("")}</div>`)));
  kinds.set("/", "home");
  for (const e of menu) {
    routes.set(e.path, html(layout(`${e.label} - ${c.name}`, `<div class="journal-content-article"><h1>${esc(e.label)}</h1>${staticContent(c)}</div>`)));
    kinds.set(e.path, "category");
  }
  for (const a of articles) {
    const body = `<div class="asset-full-content"><h3 class="header-title"><span>${esc(a.title)}</span></h3>
<div class="asset-metadata"><span class="metadata-entry metadata-publish-date">Ngày cập nhật ${dmy(a.date)}</span></div>
<div class="asset-content"><div class="journal-content-article">${paragraphsHtml(a.paragraphs)}${a.byline}</div></div>
<div class="asset-related-assets"><h2 class="asset-links-title">Tin liên quan</h2><ul>${articles.filter((x) => x !== a).map((x) => `<li><a href="${esc(x.path)}">${esc(x.title)}</a></li>`).join("")}</ul></div></div>`;
    routes.set(a.path, html(layout(`${a.title} - ${c.name}`, body)));
    kinds.set(a.path, "other");
  }
  const categories = statuses(menu.map((m) => m.id), {});
  return { routes, kinds, truth: base(c, "liferay", categories, articles, ["/"], {}) };
}

// ---------------------------------------------------------------------------------------------
// SharePoint 2013 publishing portal: quick launch, the page title in the title area (no h1), a
// placeholder page beside a news column, inline legacy font names with spaces, "./. Name" bylines.

function buildSharePoint(c: Ctx): Omit<CmsSite, "id" | "platform"> {
  const routes = new Map<string, FarmResponse>();
  const kinds = new Map<string, PageKind>();
  const p = (slug: string) => `/Pages/${slug}.aspx`;
  const menu: MenuEntry[] = [
    { id: "gioi-thieu", label: "Giới thiệu", path: p("gioi-thieu") },
    { id: "lanh-dao", label: "Lãnh đạo Sở", path: p("lanh-dao") },
    { id: "tin-tuc", label: "Tin tức - Sự kiện", path: p("tin-tuc") },
    { id: "chi-dao-dieu-hanh", label: "Chỉ đạo điều hành", path: p("chi-dao-dieu-hanh") },
    { id: "lich-cong-tac", label: "Lịch công tác", path: p("lich-cong-tac") },
    { id: "pho-bien-phap-luat", label: "Phổ biến pháp luật", path: p("pho-bien-phap-luat") },
    { id: "chien-luoc-quy-hoach", label: "Quy hoạch - Kế hoạch", path: p("quy-hoach") },
    { id: "van-ban", label: "Văn bản", path: p("van-ban") },
    { id: "du-an-dau-tu", label: "Dự án đầu tư", path: p("du-an") },
    { id: "lay-y-kien", label: "Lấy ý kiến dự thảo", path: p("du-thao") },
    { id: "thu-tuc-hanh-chinh", label: "Thủ tục hành chính", path: p("tthc") },
    { id: "hoi-dap", label: "Hỏi đáp", path: p("hoi-dap") },
    { id: "lien-he", label: "Liên hệ", path: p("lien-he") },
    { id: "thong-ke", label: "Thống kê", path: p("thong-ke") },
    { id: "so-do-site", label: "Sơ đồ site", path: p("so-do-site") },
  ];
  const emptyId = "chi-dao-dieu-hanh";
  const articles = makeArticles(c, (s) => `/Pages/tin-tuc/${s}.aspx`, [
    { html: "./. Lệ Sương", author: true, source: false },
    { html: "", author: false, source: false },
  ]);
  const others = [pickTitle(c.rng), pickTitle(c.rng), pickTitle(c.rng), pickTitle(c.rng)];
  const layout = (title: string, pageTitle: string, body: string) => `<!DOCTYPE html>
<html dir="ltr" lang="vi-VN"><head><meta http-equiv="Content-type" content="text/html; charset=utf-8"><title>${esc(title)}</title></head>
<body><div id="s4-workspace"><div id="s4-bodyContainer">
<div id="s4-titlerow" class="ms-dialogHidden s4-titlerowhidetitle"><div class="ms-table ms-fullWidth"><div class="ms-tableRow">
<div class="ms-tableCell ms-verticalAlignTop"><h1 id="pageTitle" class="ms-core-pageTitle"><span id="DeltaPlaceHolderPageTitleInTitleArea"><a href="/">${esc(c.name)}</a></span></h1></div></div></div></div>
<div class="welcome-bar">${weekdayName(c.ref)}, ngày ${dmy(c.ref)}. Chào mừng quý khách đến với Trang thông tin điện tử ${esc(c.name)} tỉnh Bình Định</div>
<div id="sideNavBox" class="ms-dialogHidden ms-forceWrap ms-noList"><div class="ms-core-navigation" role="navigation"><div class="ms-core-listMenu-verticalBox"><ul class="root ms-core-listMenu-root static">
${menu.map((m) => `<li class="static"><a class="static menu-item ms-core-listMenu-item" href="${esc(m.path)}"><span class="additional-background ms-navedit-flyoutArrow"><span class="menu-item-text">${esc(m.label)}</span></span></a></li>`).join("\n")}
</ul></div></div></div>
<div id="contentBox" aria-live="polite" aria-relevant="all"><div id="DeltaPlaceHolderMain">
<table class="layout-table" width="100%"><tr><td class="col-main" style="width:70%">
<div class="page-title-area"><span class="page-title">${esc(pageTitle)}</span></div>
<div class="ms-rtestate-field">${body}</div></td>
<td class="col-news" style="width:30%"><div class="news-box"><div class="news-box-title">Tin mới nhất</div><ul>${articles.map((a) => `<li><a href="${esc(a.path)}">${esc(a.title)}</a></li>`).join("")}${others.map((t, i) => `<li><a href="/Pages/tin-tuc/tin-${i + 10}.aspx">${esc(t)}</a></li>`).join("")}</ul></div></td></tr></table>
</div></div>
<div class="footer-site"><div class="ft-info">${footerLines(c, `Chịu trách nhiệm chính: ${c.director}`).map((l) => `<div>${esc(l)}</div>`).join("")}</div></div>
</div></div></body></html>`;
  routes.set("/", html(layout(c.name, "Trang chủ", `<div style="font-family:'.VnArial Narrow', Arial">${esc(pickParagraphs(c.rng, 1)[0])}</div>`)));
  kinds.set("/", "home");
  for (const e of menu) {
    const body = e.id === emptyId ? `<div>Đang cập nhật…</div>` : staticContent(c);
    routes.set(e.path, html(layout(`${c.name} - ${e.label}`, e.label, body)));
    kinds.set(e.path, "category");
  }
  for (const a of articles) {
    const last = a.paragraphs.length - 1;
    const ps = a.paragraphs.map((t, i) => `<p>${esc(t)}${i === last && a.byline ? " " + esc(a.byline) : ""}</p>`).join("");
    const body = `<div class="article-page"><div class="article-title">${esc(a.title)}</div><div class="article-date">Ngày đăng: ${dmy(a.date)} 08:30</div>${ps}</div>`;
    routes.set(a.path, html(layout(`${c.name} - ${a.title}`, "Tin tức - Sự kiện", body)));
    kinds.set(a.path, "other");
  }
  const categories = statuses(menu.map((m) => m.id), { [emptyId]: "empty" });
  return { routes, kinds, truth: base(c, "sharepoint", categories, articles, ["/"], { "/": [".vnarial narrow"] }) };
}

// ---------------------------------------------------------------------------------------------
// DotNetNuke: DDR menu, module containers titled by span.Head, tabid URLs, an English version
// announced by hreflang only, a legacy font in the skin's CSS, placeholder rows in the documents.

function buildDnn(c: Ctx): Omit<CmsSite, "id" | "platform"> {
  const routes = new Map<string, FarmResponse>();
  const kinds = new Map<string, PageKind>();
  const t = (id: number, slug: string) => `/${slug}/tabid/${id}/Default.aspx`;
  const menu: MenuEntry[] = [
    { id: "gioi-thieu", label: "Giới thiệu", path: t(51, "gioi-thieu") },
    { id: "lanh-dao", label: "Lãnh đạo Sở", path: t(52, "lanh-dao") },
    { id: "tin-tuc", label: "Tin tức - Sự kiện", path: t(53, "tin-tuc") },
    { id: "chi-dao-dieu-hanh", label: "Chỉ đạo điều hành", path: t(54, "chi-dao-dieu-hanh") },
    { id: "lich-cong-tac", label: "Lịch công tác", path: t(55, "lich-cong-tac") },
    { id: "pho-bien-phap-luat", label: "Phổ biến pháp luật", path: t(56, "pho-bien-phap-luat") },
    { id: "chien-luoc-quy-hoach", label: "Quy hoạch - Kế hoạch", path: t(57, "quy-hoach") },
    { id: "van-ban", label: "Văn bản", path: t(58, "van-ban") },
    { id: "du-an-dau-tu", label: "Dự án đầu tư", path: t(59, "du-an") },
    { id: "lay-y-kien", label: "Lấy ý kiến dự thảo", path: t(60, "du-thao") },
    { id: "thu-tuc-hanh-chinh", label: "Thủ tục hành chính", path: t(61, "tthc") },
    { id: "hoi-dap", label: "Hỏi đáp", path: t(62, "hoi-dap") },
    { id: "lien-he", label: "Liên hệ", path: t(63, "lien-he") },
    // Reached by an icon only; its page names it in the title and the module header.
    { id: "thong-ke", label: "Thống kê", path: "/Default.aspx?tabid=71", imageOnly: true },
    { id: "so-do-site", label: "Sơ đồ site", path: t(65, "so-do-site") },
  ];
  const articles = makeArticles(c, (s, i) => `/tin-tuc/tabid/53/ArticleID/${200 + i}/${s}.aspx`, [
    { html: `<p><em>Nguồn: Sở Tư pháp</em></p>`, author: false, source: true },
  ]);
  const layout = (title: string, body: string) => `<!DOCTYPE html>
<html lang="vi-VN"><head id="Head"><meta content="text/html; charset=UTF-8" http-equiv="Content-Type"><title>${esc(title)}</title>
<link rel="alternate" hreflang="en-US" href="/en-us/Home.aspx">
<style>.Normal{font-family:".VnCentury Schoolbook", serif;font-size:12px}</style></head>
<body id="Body"><form method="post" action="/Default.aspx" id="Form"><div id="dnn_ContentPane_wrapper">
<div class="dnn-header"><div id="dnn_dnnLOGO_hypLogo"><a href="/"><img src="/Portals/0/logo.png" alt="${esc(c.name)}"></a></div>
<div id="dnnMenu"><ul class="topLevel">${menu.filter((m) => !m.imageOnly).map((m) => `<li class="item"><a href="${esc(m.path)}"><div><span>${esc(m.label)}</span></div></a></li>`).join("")}</ul></div>
<div class="icons">${menu.filter((m) => m.imageOnly).map((m) => `<a href="${esc(m.path)}"><img src="/Portals/0/icons/i${m.path.length}.png"></a>`).join("")}</div></div>
<div id="dnn_ContentPane" class="contentPane"><div class="DnnModule DnnModule-DNN_HTML"><div class="c_container"><div class="c_head"><span id="dnn_ctr401_dnnTITLE_titleLabel" class="Head">${"{{HEAD}}"}</span></div>
<div id="dnn_ctr401_ContentPane" class="c_content Normal"><div id="dnn_ctr401_ModuleContent" class="DNNModuleContent ModDNNHTMLC">${body}</div></div></div></div></div>
<div id="dnn_FooterPane" class="footerPane"><div class="Normal">${footerLines(c, `Chịu trách nhiệm: ${c.director}`).map((l) => `<p>${esc(l)}</p>`).join("")}</div></div>
</div></form></body></html>`;
  const page = (title: string, head: string, body: string) => html(layout(title, body).replace("{{HEAD}}", esc(head)));
  routes.set("/", page(c.name, "Tin hoạt động", `<ul>${articles.map((a) => `<li><a href="${esc(a.path)}">${esc(a.title)}</a></li>`).join("")}</ul>${staticContent(c)}`));
  kinds.set("/", "home");
  for (const e of menu) {
    let body = staticContent(c);
    if (e.id === "van-ban") {
      body = `<table class="table"><thead><tr><th>STT</th><th>Số ký hiệu</th><th>Ngày ban hành</th><th>Trích yếu</th></tr></thead><tbody>
<tr><td>1</td><td><a href="/van-ban/tabid/58/id/1/Default.aspx">Tên văn bản</a></td><td>01/01/2026</td><td>Tên văn bản</td></tr>
<tr><td>2</td><td><a href="/van-ban/tabid/58/id/2/Default.aspx">test</a></td><td>02/01/2026</td><td>test văn bản</td></tr></tbody></table>`;
    }
    routes.set(e.path, page(`${e.label} - ${c.name}`, e.label, body));
    kinds.set(e.path, e.imageOnly ? "other" : "category");
  }
  for (const a of articles) {
    const body = `<div class="article"><h2 class="title">${esc(a.title)}</h2><div class="date">Cập nhật lúc 10:05 ${dmy(a.date)}</div>${paragraphsHtml(a.paragraphs)}${a.byline}</div>`;
    routes.set(a.path, page(`${a.title} - ${c.name}`, "Tin tức - Sự kiện", body));
    kinds.set(a.path, "other");
  }
  const categories = statuses(menu.map((m) => m.id), { "van-ban": "empty", "tieng-anh": "present" });
  const fonts: Record<string, string[]> = {};
  for (const path of routes.keys()) fonts[path] = [".vncentury schoolbook"];
  return { routes, kinds, truth: base(c, "dnn", categories, articles, ["/"], fonts) };
}

// ---------------------------------------------------------------------------------------------
// WordPress (a Vietnamese theme): sub-menus, archive pages with <article> excerpts and later
// pages, trailing-slash permalinks also linked as index.html and with fragments.

function buildWordPress(c: Ctx): Omit<CmsSite, "id" | "platform"> {
  const routes = new Map<string, FarmResponse>();
  const kinds = new Map<string, PageKind>();
  const menu: MenuEntry[] = [
    { id: "gioi-thieu", label: "Giới thiệu", path: "/gioi-thieu/" },
    { id: "lanh-dao", label: "Lãnh đạo Sở", path: "/lanh-dao/" },
    { id: "tin-tuc", label: "Tin tức - Sự kiện", path: "/category/tin-tuc/" },
    { id: "chi-dao-dieu-hanh", label: "Chỉ đạo điều hành", path: "/category/chi-dao-dieu-hanh/" },
    { id: "lich-cong-tac", label: "Lịch công tác", path: "/lich-cong-tac/" },
    { id: "pho-bien-phap-luat", label: "Phổ biến pháp luật", path: "/category/pho-bien-phap-luat/" },
    { id: "chien-luoc-quy-hoach", label: "Quy hoạch - Kế hoạch", path: "/category/quy-hoach/" },
    { id: "van-ban", label: "Văn bản", path: "/van-ban/" },
    { id: "du-an-dau-tu", label: "Mua sắm tài sản công", path: "/category/mstsc/" },
    { id: "lay-y-kien", label: "Lấy ý kiến dự thảo", path: "/category/du-thao/" },
    { id: "thu-tuc-hanh-chinh", label: "Thủ tục hành chính", path: "/thu-tuc-hanh-chinh/" },
    { id: "hoi-dap", label: "Hỏi đáp", path: "/hoi-dap/" },
    { id: "lien-he", label: "Liên hệ", path: "/lien-he/" },
    { id: "thong-ke", label: "Thống kê", path: "/category/thong-ke/" },
    { id: "so-do-site", label: "Sơ đồ site", path: "/so-do-site/" },
  ];
  const articles = makeArticles(c, (s) => `/2026/11/${s}/`, [
    { html: `<p style="text-align: right;"><strong>Hoàng Vy</strong></p><p style="text-align: right;"><em>(Theo Báo Bình Định)</em></p>`, author: true, source: true },
    { html: `<p>Tin, ảnh: Ngô Tấm</p>`, author: true, source: false },
    { html: `<p>Nguồn: Cổng TTĐT tỉnh Bình Định</p>`, author: false, source: true },
    { html: `<p>Bài và ảnh: ${esc(personName(c.rng))}</p>`, author: true, source: false },
  ]);
  const layout = (title: string, body: string, ogType = "article") => `<!DOCTYPE html>
<html lang="vi"><head><meta charset="UTF-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<meta property="og:type" content="${ogType}"></head>
<body class="home blog wp-custom-logo"><div id="page" class="site">
<header id="masthead" class="site-header"><div class="site-branding"><p class="site-title"><a href="/" rel="home">${esc(c.name)}</a></p></div>
<nav id="site-navigation" class="main-navigation"><div class="menu-main-menu-container"><ul id="primary-menu" class="menu">
<li class="menu-item"><a href="/index.html">Trang chủ</a></li>
${menu.map((m) => `<li class="menu-item"><a href="${esc(m.path)}">${esc(m.label)}</a></li>`).join("\n")}
</ul></div></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">${body}</main></div>
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2 class="widget-title">Bài viết mới</h2><ul>${articles.map((a) => `<li><a href="${esc(a.path)}">${esc(a.title)}</a></li>`).join("")}</ul></section></aside></div>
<footer id="colophon" class="site-footer"><div class="site-info">${footerLines(c, `Chịu trách nhiệm: ${c.director}`).map((l) => `<p>${esc(l)}</p>`).join("")}</div>
<p><a href="/gioi-thieu/index.html">Giới thiệu chung</a> | <a href="/lien-he/#form">Gửi thư</a> | <a href="/#top">Đầu trang</a></p></footer>
</div></body></html>`;
  const archive = (label: string, list: Article[], next: string | null) =>
    `<header class="page-header"><h1 class="page-title">${esc(label)}</h1></header>` +
    list
      .map(
        (a) => `<article class="post type-post status-publish format-standard hentry"><header class="entry-header"><h2 class="entry-title"><a href="${esc(a.path)}" rel="bookmark">${esc(a.title)}</a></h2>
<div class="entry-meta"><span class="posted-on">Đăng ngày <a href="${esc(a.path)}" rel="bookmark"><time class="entry-date published" datetime="${a.date}T08:00:00+07:00">${dmy(a.date)}</time></a></span></div></header>
<div class="entry-summary"><p>${esc(a.paragraphs.join(" ").slice(0, 420))} […]</p></div><footer class="entry-footer"><a class="more-link" href="${esc(a.path)}#more">Đọc tiếp</a></footer></article>`,
      )
      .join("\n") +
    (next ? `<nav class="navigation pagination"><div class="nav-links"><a class="next page-numbers" href="${esc(next)}">Trang sau</a></div></nav>` : "");
  routes.set("/", html(layout(c.name, archive("Tin mới", articles.slice(0, 2), null), "website")));
  kinds.set("/", "home");
  // The home page also answers as /index.html (linked from the menu): one page.
  routes.set("/index.html", routes.get("/")!);
  kinds.set("/index.html", "other");
  for (const e of menu) {
    let body: string;
    if (e.id === "tin-tuc") body = archive(e.label, articles.slice(0, 2), "/category/tin-tuc/page/2/");
    else body = `<article class="page type-page"><header class="entry-header"><h1 class="entry-title">${esc(e.label)}</h1></header><div class="entry-content">${staticContent(c)}</div></article>`;
    routes.set(e.path, html(layout(`${e.label} – ${c.name}`, body, "article")));
    kinds.set(e.path, "category");
  }
  routes.set("/category/tin-tuc/page/2/", html(layout(`Tin tức - Sự kiện – Trang 2 – ${c.name}`, archive("Tin tức - Sự kiện", articles.slice(2), null), "article")));
  kinds.set("/category/tin-tuc/page/2/", "other");
  for (const a of articles) {
    const body = `<article class="post type-post status-publish hentry"><header class="entry-header"><h1 class="entry-title">${esc(a.title)}</h1>
<div class="entry-meta"><span class="posted-on"><time class="entry-date published" datetime="${a.date}T08:00:00+07:00">${dmy(a.date)}</time></span></div></header>
<div class="entry-content">${paragraphsHtml(a.paragraphs)}${a.byline}</div></article>
<div id="comments" class="comments-area"><div id="respond"><h3 id="reply-title">Trả lời</h3><a href="${esc(a.path)}#respond">Hủy</a></div></div>`;
    routes.set(a.path, html(layout(`${a.title} – ${c.name}`, body, "article")));
    kinds.set(a.path, "other");
  }
  routes.set("/gioi-thieu/index.html", routes.get("/gioi-thieu/")!);
  kinds.set("/gioi-thieu/index.html", "other");
  const categories = statuses(menu.map((m) => m.id), {});
  return {
    routes,
    kinds,
    truth: base(c, "wordpress", categories, articles, ["/", "/index.html", "/category/tin-tuc/", "/category/tin-tuc/page/2/"], {}, [["/", "/index.html"], ["/gioi-thieu/", "/gioi-thieu/index.html", "/gioi-thieu"]]),
  };
}

// ---------------------------------------------------------------------------------------------

function statuses(present: string[], overrides: Record<string, CategoryStatus>): Record<string, CategoryStatus> {
  const out: Record<string, CategoryStatus> = {};
  for (const id of ALL_CATEGORIES) out[id] = present.includes(id) ? "present" : "missing";
  return { ...out, ...overrides };
}

function base(
  c: Ctx,
  platform: Platform,
  categories: Record<string, CategoryStatus>,
  articles: Article[],
  notArticles: string[],
  fonts: Record<string, string[]>,
  aliases: string[][] = [],
): CmsTruth {
  const abs = (p: string) => c.origin + p;
  return {
    id: `cms-${platform}`,
    platform,
    name: c.name,
    baseUrl: c.origin + "/",
    categories,
    articles: articles.map((a) => ({ url: abs(a.path), author: a.author, source: a.source })),
    notArticles: notArticles.map(abs),
    identity: { unitName: true, responsiblePerson: true, address: true, phone: true, email: true },
    legacyFonts: Object.fromEntries(Object.entries(fonts).map(([p, f]) => [abs(p), f])),
    aliases,
  };
}

const BUILDERS: Record<Platform, (c: Ctx) => Omit<CmsSite, "id" | "platform">> = {
  nukeviet: buildNukeViet,
  egov: buildEgov,
  liferay: buildLiferay,
  sharepoint: buildSharePoint,
  dnn: buildDnn,
  wordpress: buildWordPress,
};

const NAMES: Record<Platform, string> = {
  nukeviet: "Sở Tư pháp",
  egov: "Sở Kế hoạch và Đầu tư",
  liferay: "Sở Nội vụ",
  sharepoint: "Sở Tài chính",
  dnn: "Sở Xây dựng",
  wordpress: "Sở Du lịch",
};

/** One CMS site, deterministic from the seed and the reference date (YYYY-MM-DD). */
export function buildCmsSite(platform: Platform, seed: number, referenceDate: string, origin: string): CmsSite {
  const rng = Rng.derive(seed, `cms-${platform}`);
  const c: Ctx = { rng, name: NAMES[platform], origin, ref: referenceDate, director: personName(rng) };
  const built = BUILDERS[platform](c);
  return { id: `cms-${platform}`, platform, ...built };
}

/**
 * Serves a CMS site the way its web server does: "/path" redirects to "/path/" when only the
 * latter exists (WordPress permalinks), unknown paths answer 404.
 */
export function serveCms(site: CmsSite, req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? "/";
  const r = site.routes.get(path);
  if (r) {
    res.writeHead(r.status, r.headers);
    res.end(r.body);
  } else if (!path.endsWith("/") && !path.includes("?") && site.routes.has(path + "/")) {
    res.writeHead(301, { location: path + "/" });
    res.end();
  } else {
    res.writeHead(404, { "content-type": "text/html; charset=utf-8" });
    res.end("<!DOCTYPE html><html><head><title>404</title></head><body><h1>Không tìm thấy trang</h1></body></html>");
  }
}

/** The site as a full crawl fetches it (every route once), with the kinds a crawler would give. */
export function cmsSnapshot(site: CmsSite, referenceDate: string): SiteSnapshot {
  const origin = site.truth.baseUrl.slice(0, -1);
  const at = new Date(referenceDate + "T03:00:00Z");
  const pages: FetchedPage[] = [];
  for (const [path, r] of site.routes) {
    const url = origin + path;
    pages.push({ url, finalUrl: url, status: r.status, headers: r.headers, body: r.body, fetchedAt: at, kind: site.kinds.get(path) ?? "other" });
  }
  return { baseUrl: origin + "/", pages, referenceTime: at, unitType: "so", unitName: site.truth.name };
}
