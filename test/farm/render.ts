/** Builds one sample-province site: every response it serves, and its ground truth. */
import { CATEGORIES, CATEGORY_IDS, OPTIONAL_CATEGORIES, type CategoryDef, type CategoryId } from "./categories.ts";
import { personName, pickParagraphs, pickTitle, slugify, stripDiacritics } from "./corpus.ts";
import { addDays, formatDate, httpDate, isoLocal, weekday, weekdayOnOrBefore, type DateStyle } from "./dates.ts";
import { LATIN1_END, LATIN1_START, encodePage, esc, etagOf, htmlResponse, siteFont, specialText } from "./encode.ts";
import { Rng } from "./prng.ts";
import type {
  ArticleAttributionTruth,
  CategoryStatus,
  DocumentTruth,
  FarmResponse,
  GroundTruth,
  ItemTruth,
  PageSpecial,
  PageTruth,
  SiteSpec,
} from "./types.ts";

export interface BuiltSite {
  spec: SiteSpec;
  routes: Map<string, FarmResponse>;
  truth: GroundTruth;
}

interface Item {
  n: number;
  cat: CategoryId;
  title: string;
  date: string;
  minutes: number;
  url: string;
  paragraphs: string[];
  author: string | null;
  source: string | null;
  special: PageSpecial | null;
  doc?: { number: string; issued: string; signer: string };
}

interface Cat {
  def: CategoryDef;
  status: CategoryStatus;
  label: string;
  url: string;
  items: Item[];
  emptyStyle: string;
  failStatus: number;
}

const EMPTY_MESSAGES = ["Đang cập nhật", "Nội dung đang được cập nhật", "Chưa có dữ liệu", "__empty-list__"];
const SOURCES = ["Báo Gia Lai", "Cổng TTĐT tỉnh Gia Lai", "Đài PT-TH Gia Lai", "Văn phòng Sở", "Trung tâm Văn hóa - Thông tin - Thể thao"];
const DOC_TYPES = [
  ["QĐ", "Quyết định"],
  ["KH", "Kế hoạch"],
  ["TB", "Thông báo"],
  ["CV", "Công văn"],
  ["BC", "Báo cáo"],
] as const;

function lastMod(date: string): string {
  return httpDate(date);
}

export function buildSite(spec: SiteSpec, seed: number, reference: string, origin: string): BuiltSite {
  const rng = Rng.derive(seed, spec.id);
  const abs = (p: string) => origin + p;
  const upperName = spec.name.toUpperCase();
  const director = personName(rng);
  const directorTitle = spec.unitType === "so" ? "Giám đốc Sở" : spec.unitType === "ban" ? "Trưởng ban" : spec.unitType === "don_vi_su_nghiep" ? "Giám đốc" : "Chủ tịch UBND";
  const honorific = director.includes(" Thị ") ? "Bà" : "Ông";
  const phone = `0256 38${rng.int(10, 99)} ${rng.int(100, 999)}`;
  const email = `${spec.id.replace(/-/g, "")}@gialai.gov.vn`;
  const codeAbbr = spec.code.split("-").pop() ?? "UBND";
  let nextN = rng.int(100, 900);

  // ---------- categories and their URLs ----------
  const cats = new Map<CategoryId, Cat>();
  CATEGORY_IDS.forEach((id, index) => {
    const def = CATEGORIES[id];
    let status: CategoryStatus = "present";
    if (spec.missing.includes(id) || (OPTIONAL_CATEGORIES.includes(id) && !spec.optional.includes(id))) status = "missing";
    else if (spec.empty.includes(id)) status = "empty";
    else if (spec.unreachable.includes(id)) status = "unreachable";
    const slug = rng.pick(def.slugs);
    let label = rng.pick(def.labels.filter((l) => spec.unitType === "so" || l !== "Ban giám đốc"));
    if (spec.layout === "upper") label = label.toUpperCase();
    if (spec.layout === "nodiac") label = stripDiacritics(label);
    let url: string;
    switch (spec.layout) {
      case "nested": {
        const parent = def.parent ? CATEGORIES[def.parent].slugs[0] : null;
        url = parent ? `/${parent}/${slug}` : `/${slug}`;
        break;
      }
      case "upper":
        url = `/Pages/${slug}.aspx`;
        break;
      case "nodiac":
        url = `/index.php/${slug}`;
        break;
      case "slug":
        url = index % 2 === 1 ? `/index.php?cat=${def.catNo}` : `/${slug}`;
        break;
      default:
        url = `/${slug}`;
    }
    cats.set(id, {
      def,
      status,
      label,
      url,
      items: [],
      emptyStyle: EMPTY_MESSAGES[(index + spec.id.length) % EMPTY_MESSAGES.length],
      failStatus: index % 2 === 0 ? 500 : 404,
    });
  });
  const cat = (id: CategoryId) => cats.get(id)!;

  // ---------- items with dates ----------
  const activity = spec.activity;
  const newest = activity === "active" ? rng.int(0, 1) : activity === "moderate" ? rng.int(6, 14) : rng.int(120, 200);
  const spacing = (): number =>
    activity === "active" ? rng.int(1, 3) : activity === "moderate" ? rng.int(4, 10) : rng.int(15, 40);
  const itemUrl = (c: Cat, n: number, title: string): string => {
    const s = slugify(title);
    switch (spec.layout) {
      case "nested":
        return `/bai-viet/${s}-${n}`;
      case "upper":
        return `/Pages/${slugify(c.def.slugs[0])}/${s}-${n}.aspx`;
      case "nodiac":
        return `/index.php/${c.url.split("/").pop()}/${n}-${s}`;
      case "slug":
        return `/index.php?cat=${c.def.catNo}&id=${n}`;
      default:
        return `${c.url}/${s}-${n}.html`;
    }
  };
  const specials = spec.specials.slice();
  for (const id of CATEGORY_IDS) {
    const c = cat(id);
    if (c.status !== "present" || c.def.kind === "static") continue;
    const count = id === "tin-tuc" ? (activity === "stale" ? 8 : 12) : c.def.kind === "documents" ? 6 : rng.int(3, 5);
    let offset = id === "tin-tuc" ? newest : newest + rng.int(0, activity === "active" ? 12 : 25);
    for (let k = 0; k < count; k++) {
      let date = addDays(reference, -offset);
      if (id === "tin-tuc" && k === 0) date = addDays(reference, -newest);
      const title = pickTitle(rng);
      const n = nextN++;
      const item: Item = {
        n,
        cat: id,
        title,
        date,
        minutes: rng.int(7 * 60, 17 * 60 + 45),
        url: itemUrl(c, n, title),
        paragraphs: pickParagraphs(rng, rng.int(3, 6)),
        author: null,
        source: null,
        special: null,
      };
      if (c.def.kind === "documents") {
        const [abbr, kind] = DOC_TYPES[k % DOC_TYPES.length];
        const late = k % 3 === 1;
        const gap = late ? rng.int(7, 12) : rng.int(0, 1);
        // posting date is `date` (a weekday); the issue date is `gap` weekdays earlier
        item.date = weekdayOnOrBefore(date);
        let issued = item.date;
        for (let g = 0; g < gap; g++) {
          issued = addDays(issued, -1);
          while (weekday(issued) === 0 || weekday(issued) === 6) issued = addDays(issued, -1);
        }
        item.doc = { number: `${rng.int(10, 480)}/${abbr}-${codeAbbr}`, issued, signer: director };
        item.title = `${kind} về việc ${title.charAt(0).toLowerCase()}${title.slice(1)}`;
      } else {
        const a = spec.attribution;
        const withAuthor = a === "full" || a === "no-source" || (a === "mixed" && k % 2 === 0);
        const withSource = a === "full" || a === "no-author" || (a === "mixed" && k % 3 !== 0);
        item.author = withAuthor ? personName(rng) : null;
        item.source = withSource ? rng.pick(SOURCES) : null;
        if (id === "tin-tuc" && k >= 1 && specials.length > 0) item.special = specials.shift()!;
      }
      c.items.push(item);
      offset += spacing();
    }
  }
  if (specials.length > 0) throw new Error(`${spec.id}: không đủ bài tin tức cho các trang đặc biệt`);

  // ---------- menus ----------
  const linked = CATEGORY_IDS.filter((id) => cat(id).status !== "missing");
  const menuText = (c: Cat, i: number): string => {
    if (spec.layout !== "slug") return esc(c.label);
    return c.url.includes("?cat=") ? String(i + 1) : `<span class="ico ico-${i + 1}"></span>`;
  };
  let menuHtml: string;
  if (spec.layout === "nested") {
    const top = linked.filter((id) => {
      const p = CATEGORIES[id].parent;
      return !p || cat(p).status === "missing";
    });
    menuHtml =
      `<ul class="menu">` +
      top
        .map((id) => {
          const kids = linked.filter((k) => CATEGORIES[k].parent === id);
          const sub = kids.length
            ? `<ul class="sub-menu">${kids.map((k) => `<li><a href="${esc(cat(k).url)}">${esc(cat(k).label)}</a></li>`).join("")}</ul>`
            : "";
          return `<li class="${kids.length ? "has-sub" : ""}"><a href="${esc(cat(id).url)}">${esc(cat(id).label)}</a>${sub}</li>`;
        })
        .join("") +
      `</ul>`;
  } else if (spec.layout === "js") {
    menuHtml = `<ul class="menu" id="menu"></ul>`;
  } else {
    menuHtml = `<ul class="menu">${linked.map((id, i) => `<li><a href="${esc(cat(id).url)}">${menuText(cat(id), i)}</a></li>`).join("")}</ul>`;
  }

  // JS-drawn menu: URL parts are split so the links exist only after the script ran
  const jsMenuData = JSON.stringify(linked.map((id) => [cat(id).label, cat(id).url.split("/").filter(Boolean)]));
  const jsMenuScript = `<script>(function(){var d=${jsMenuData};var u=document.getElementById("menu");d.forEach(function(e){var li=document.createElement("li");var a=document.createElement("a");a.setAttribute("href","/"+e[1].join("/"));a.textContent=e[0];li.appendChild(a);u.appendChild(li);});})();</script>`;

  // ---------- footer ----------
  const person = `${rng.pick(["Chịu trách nhiệm chính", "Chịu trách nhiệm", "Người chịu trách nhiệm chính"])}: ${honorific} ${director} - ${directorTitle}`;
  const f = spec.footer;
  const identity = {
    unitName: true,
    responsiblePerson: f === "complete" || f === "no-contact" || f === "no-address" || f === "no-email",
    address: f === "complete" || f === "no-person" || f === "no-contact" || f === "no-email",
    phone: f === "complete" || f === "no-person" || f === "no-address" || f === "no-email",
    email: f === "complete" || f === "no-person" || f === "no-address",
  };
  const footerLines = [`<p class="footer-name"><strong>${esc(upperName)}</strong></p>`];
  if (identity.responsiblePerson) footerLines.push(`<p>${esc(person)}</p>`);
  if (identity.address) footerLines.push(`<p>Địa chỉ: ${esc(spec.address)}</p>`);
  const contact: string[] = [];
  if (identity.phone) contact.push(`${rng.pick(["Điện thoại", "ĐT", "Tel"])}: ${phone}`);
  if (identity.email) contact.push(`${rng.pick(["Email", "E-mail", "Thư điện tử"])}: ${email}`);
  if (contact.length) footerLines.push(`<p>${esc(contact.join(" - "))}</p>`);
  footerLines.push(`<p class="copyright">Bản quyền thuộc về ${esc(spec.name)}.</p>`);
  const footerHtml = `<footer id="footer">${footerLines.join("")}</footer>`;

  // ---------- page shell ----------
  const font = siteFont(spec.encoding);
  const metaCharset = spec.encoding === "no-charset" || spec.encoding === "tcvn3-bytes" ? null : spec.encoding === "tcvn3-bytes-1252" ? "windows-1252" : spec.encoding === "viscii-bytes" ? "viscii" : spec.encoding === "cp1258-bytes" ? "windows-1258" : "utf-8";
  const searchHtml = spec.search
    ? `<form class="search" action="/tim-kiem" method="get"><input type="text" name="q" placeholder="Tìm kiếm..."><button type="submit">Tìm</button></form>`
    : "";
  let imgCounter = 0;
  const img = (alt: string, home: boolean): string => {
    imgCounter++;
    const withAlt = spec.imgAlt === "all" || (spec.imgAlt === "some" && imgCounter % 2 === 0);
    if (home) {
      homeImages++;
      if (withAlt) homeImagesWithAlt++;
    }
    return `<img src="/images/anh-${imgCounter % 7}.jpg" ${withAlt ? `alt="${esc(alt)}"` : ""} width="300" height="200">`;
  };
  let homeImages = 0;
  let homeImagesWithAlt = 0;

  const shell = (o: { title: string; head?: string; main: string; crumb?: string; home?: boolean; jsMain?: string }): string => {
    const lang = spec.langVi ? ` lang="vi"` : spec.id.length % 2 === 0 ? ` lang="en"` : "";
    const parts = [
      `<!DOCTYPE html>\n<html${lang}>\n<head>\n`,
      metaCharset ? `<meta charset="${metaCharset}">\n` : "",
      spec.viewport ? `<meta name="viewport" content="width=device-width, initial-scale=1">\n` : "",
      `<title>${esc(o.title)}</title>\n`,
      spec.rss ? `<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss">\n` : "",
      `<style>body{margin:0;font-family:${font ? `'${font}', ` : ""}Arial, Helvetica, sans-serif;font-size:14px}.menu li{display:inline-block;padding:6px}.sub-menu{display:none}.has-sub:hover .sub-menu{display:block}#footer{background:#00529c;color:#fff;padding:12px}</style>\n`,
      o.head ?? "",
      `</head>\n<body>\n<div id="wrapper">\n<header id="header"><a href="/" class="logo">${o.home ? img(`Logo ${spec.name}`, true) : `<span class="logo-img"></span>`}</a><div class="unit-name">${esc(upperName)}</div>${searchHtml}</header>\n`,
      `<nav id="nav">${menuHtml}</nav>\n`,
      o.crumb ? `<div class="breadcrumb"><a href="/">Trang chủ</a> &rsaquo; ${o.crumb}</div>\n` : "",
      `<main id="main">${o.main}</main>\n`,
      footerHtml,
      `\n</div>\n`,
      spec.layout === "js" ? jsMenuScript + (o.jsMain ?? "") : "",
      `</body>\n</html>\n`,
    ];
    return parts.join("");
  };

  const routes = new Map<string, FarmResponse>();
  const pages: PageTruth[] = [];
  const staticDate = addDays(reference, -(300 + rng.int(0, 200)));
  const addPage = (path: string, html: string, date: string, pageSpecials: PageSpecial[] = []): void => {
    const enc = encodePage(html, spec.encoding, pageSpecials);
    routes.set(path, htmlResponse(enc, lastMod(date)));
    const disallowed = (spec.robots?.disallow ?? ["/admin/"]).some((d) => d !== "" && path.startsWith(d));
    pages.push({ url: abs(path), encoding: enc.truth, ...(enc.uncertain ? { uncertain: enc.uncertain } : {}), ...(disallowed ? { robotsDisallowed: true } : {}) });
  };

  // ---------- dates as shown ----------
  const items: ItemTruth[] = [];
  const listingDate = (it: Item): string => formatDate(spec.listingDate, it.date, it.minutes, reference);
  const articleHead = (it: Item): string => {
    const iso = isoLocal(it.date, it.minutes);
    switch (spec.articleMeta) {
      case "og":
        return `<meta property="og:type" content="article">\n<meta property="article:published_time" content="${iso}">\n`;
      case "jsonld":
        return `<script type="application/ld+json">${JSON.stringify({ "@context": "https://schema.org", "@type": "NewsArticle", headline: it.title, datePublished: iso, publisher: { "@type": "GovernmentOrganization", name: spec.name } })}</script>\n`;
      case "dc":
        return `<meta name="DC.date" content="${it.date}">\n`;
      default:
        return "";
    }
  };
  const articleDateHtml = (it: Item, style: DateStyle): string => {
    const shown = formatDate(style, it.date, it.minutes, reference);
    return shown ? `<div class="post-date">${style === "time-tag" ? shown : esc(shown)}</div>` : "";
  };

  // ---------- listing pages ----------
  const latestNews = cat("tin-tuc").items.slice(0, 6);
  const listHtml = (list: Item[]): string =>
    `<ul class="list-news">${list
      .map((it) => {
        const d = listingDate(it);
        const dateHtml = spec.listingDate === "time-tag" ? d : esc(d);
        return `<li><a href="${esc(it.url)}">${esc(it.title)}</a> <span class="date">${dateHtml}</span><p class="summary">${esc(it.paragraphs[0].slice(0, 160))}…</p></li>`;
      })
      .join("")}</ul>`;
  const docTableHtml = (list: Item[]): string =>
    `<table class="vanban"><thead><tr><th>Số ký hiệu</th><th>Ngày ban hành</th><th>Trích yếu</th><th>Ngày đăng</th></tr></thead><tbody>${list
      .map((it) => `<tr><td><a href="${esc(it.url)}">${esc(it.doc!.number)}</a></td><td>${dmy(it.doc!.issued)}</td><td>${esc(it.title)}</td><td>${dmy(it.date)}</td></tr>`)
      .join("")}</tbody></table>`;

  const emptyBody = (c: Cat): string =>
    c.emptyStyle === "__empty-list__"
      ? c.def.kind === "documents"
        ? `<table class="vanban"><thead><tr><th>Số ký hiệu</th><th>Ngày ban hành</th><th>Trích yếu</th></tr></thead><tbody></tbody></table>`
        : `<ul class="list-news"></ul>`
      : `<div class="no-data"><p>${esc(c.emptyStyle)}</p></div>`;

  for (const id of CATEGORY_IDS) {
    const c = cat(id);
    if (c.status === "missing") continue;
    if (c.status === "unreachable") {
      const body = Buffer.from(
        c.failStatus === 500
          ? "<html><body><h1>500 Internal Server Error</h1><p>Server Error in '/' Application.</p></body></html>"
          : "<html><body><h1>404 Not Found</h1></body></html>",
        "utf8",
      );
      routes.set(c.url, { status: c.failStatus, headers: { "content-type": "text/html; charset=utf-8" }, body });
      continue;
    }
    const heading = `<h1 class="page-title">${esc(c.label)}</h1>`;
    let main: string;
    let date = staticDate;
    if (c.status === "empty") main = heading + emptyBody(c);
    else if (c.def.kind === "listing") {
      main = heading + listHtml(c.items);
      date = c.items[0].date;
    } else if (c.def.kind === "documents") {
      main = heading + (spec.search ? searchDocsForm() : "") + docTableHtml(c.items);
      date = c.items[0].date;
    } else main = heading + staticContent(id);
    addPage(c.url, shell({ title: `${c.label} - ${spec.name}`, main, crumb: esc(c.label) }), date);
  }

  function searchDocsForm(): string {
    return `<form class="tim-van-ban" action="${esc(cat("van-ban").url)}" method="get"><input name="sokyhieu" placeholder="Số ký hiệu"><input name="trichyeu" placeholder="Trích yếu"><button>Tìm văn bản</button></form>`;
  }

  function staticContent(id: CategoryId): string {
    const r = Rng.derive(seed, `${spec.id}/${id}`);
    switch (id) {
      case "gioi-thieu":
        return `<h2>Chức năng, nhiệm vụ</h2>${pickParagraphs(r, 3).map((p) => `<p>${esc(p)}</p>`).join("")}<h2>Cơ cấu tổ chức</h2><ul><li>Lãnh đạo</li><li>Văn phòng</li><li>Các phòng chuyên môn</li><li>Đơn vị trực thuộc</li></ul>`;
      case "lanh-dao": {
        const deputyTitle = spec.unitType === "so" ? "Phó Giám đốc Sở" : spec.unitType === "don_vi_su_nghiep" ? "Phó Giám đốc" : "Phó Chủ tịch UBND";
        const rows = [[director, directorTitle], [personName(r), deputyTitle], [personName(r), deputyTitle]];
        return `<table class="lanh-dao"><tr><th>Họ và tên</th><th>Chức vụ</th><th>Điện thoại</th><th>Email</th></tr>${rows
          .map(([n, t], i) => `<tr><td>${esc(n)}</td><td>${esc(t)}</td><td>0256 38${20 + i} ${r.int(100, 999)}</td><td>${slugify(n).replace(/-/g, "")}@gialai.gov.vn</td></tr>`)
          .join("")}</table>`;
      }
      case "lien-he":
        return `<p>${esc(spec.name)}</p><p>Địa chỉ: ${esc(spec.address)}</p><p>Điện thoại: ${phone}</p><p>Email: ${email}</p><h2>Danh bạ thư điện tử</h2><ul><li>Văn phòng: vanphong.${email}</li></ul>`;
      case "thu-tuc-hanh-chinh":
        return `<p>Danh mục thủ tục hành chính thuộc thẩm quyền giải quyết:</p><ol>${Array.from({ length: 6 }, () => `<li>${esc(pickTitle(r))}</li>`).join("")}</ol><p>Nộp hồ sơ trực tuyến tại Cổng Dịch vụ công của tỉnh.</p>`;
      case "so-do-site":
        return `<ul class="sitemap">${linked.map((k) => `<li><a href="${esc(cat(k).url)}">${esc(cat(k).label)}</a></li>`).join("")}</ul>`;
      case "tieng-anh":
        return `<h2>Introduction</h2><p>The ${esc(stripDiacritics(spec.name))} is a specialised agency of the Provincial People's Committee of Gia Lai.</p><h2>Contact</h2><p>Phone: ${phone} - Email: ${email}</p>`;
      default:
        return pickParagraphs(r, 2).map((p) => `<p>${esc(p)}</p>`).join("");
    }
  }

  // ---------- articles and documents ----------
  const attribution: ArticleAttributionTruth[] = [];
  const documents: DocumentTruth[] = [];
  for (const id of CATEGORY_IDS) {
    const c = cat(id);
    for (const it of c.items) {
      items.push({ url: abs(it.url), published: it.date, categoryId: id, ...(spec.listingDate === "relative" && id !== "van-ban" && it.date >= addDays(reference, -29) ? { relative: true } : {}) });
      const crumb = `<a href="${esc(c.url)}">${esc(c.label)}</a>`;
      if (it.doc) {
        const weekdaysGap = countWeekdays(it.doc.issued, it.date);
        documents.push({ url: abs(it.url), number: it.doc.number, issued: it.doc.issued, posted: it.date, weekdaysGap, late: weekdaysGap > 2 });
        const main = `<h1 class="doc-title">${esc(it.title)}</h1><table class="doc-detail"><tr><th>Số ký hiệu</th><td>${esc(it.doc.number)}</td></tr><tr><th>Cơ quan ban hành</th><td>${esc(spec.name)}</td></tr><tr><th>Ngày ban hành:</th><td>${dmy(it.doc.issued)}</td></tr><tr><th>Ngày đăng:</th><td>${dmy(it.date)}</td></tr><tr><th>Người ký</th><td>${esc(it.doc.signer)}</td></tr><tr><th>Trích yếu</th><td>${esc(it.title)}</td></tr><tr><th>Tệp đính kèm</th><td><a href="/files/${it.n}.pdf">${it.n}.pdf</a></td></tr></table>`;
        addPage(it.url, shell({ title: `${it.doc.number} - ${spec.name}`, main, crumb }), it.date);
        routes.set(`/files/${it.n}.pdf`, pdfResponse(it.n));
        continue;
      }
      attribution.push({ url: abs(it.url), author: it.author !== null, source: it.source !== null });
      const sp = it.special;
      const body = it.paragraphs.map((p) => `<p>${esc(p)}</p>`);
      let extraHead = "";
      if (sp) {
        const base = it.paragraphs[1] ?? it.paragraphs[0];
        const converted = esc(specialText(sp, base));
        let p: string;
        switch (sp) {
          case "mixed-vni-font":
            p = `<p><font face="VNI-Times">${converted}</font></p>`;
            break;
          case "font-style":
            p = `<p style="font-family: '.VnTime', serif">${converted}</p>`;
            break;
          case "font-face":
            p = `<p><font face=".VnArial" size="3">${converted}</font></p>`;
            break;
          case "font-css":
            extraHead = `<style>.noi-dung-cu{font-family:"VNI-Helve", Arial, sans-serif}</style>\n`;
            p = `<p class="noi-dung-cu">${converted}</p>`;
            break;
          case "mention-font":
            p = `<p>Từ năm 2008, toàn bộ bài viết trên trang đã được chuyển từ phông chữ .VnTime và VNI-Times sang bộ mã Unicode TCVN 6909:2001; bạn đọc không cần cài thêm phông chữ.</p>`;
            break;
          case "latin1":
            p = `<p>Đoàn công tác đã làm việc với ông François Lefèvre, Phó Thị trưởng, tại Hôtel de Ville (Lyon) và bà María José Núñez García; buổi gặp mặt thân mật diễn ra tại quán Café Crème Brûlée ở Quy Nhơn.</p>`;
            break;
          case "invalid-bytes":
            p = `<p>Thực đơn phục vụ hội nghị: ${LATIN1_START}Café, crème brûlée${LATIN1_END} và nước suối.</p>`;
            break;
          default:
            p = `<p>${converted}</p>`;
        }
        body.splice(1, 1, p);
      }
      const attr: string[] = [];
      if (it.author) attr.push(`<p class="author"><strong>${rng.pick(["Tác giả", "Người viết", "Tác giả"])}:</strong> ${esc(it.author)}</p>`);
      if (it.source) attr.push(`<p class="source">Nguồn: ${esc(it.source)}</p>`);
      const printable = spec.robots?.disallow.includes("/in-an/") ?? false;
      if (printable) attr.push(`<p class="print"><a href="/in-an/${it.n}" rel="nofollow">In bài viết</a></p>`);
      const related = c.items.filter((o) => o !== it).slice(0, 3);
      const main = `<article><h1 class="post-title">${esc(it.title)}</h1>${articleDateHtml(it, spec.articleDate)}<div class="post-content">${img(it.title, false)}${body.join("")}</div>${attr.join("")}</article><div class="related"><h3>Tin liên quan</h3><ul>${related.map((o) => `<li><a href="${esc(o.url)}">${esc(o.title)}</a></li>`).join("")}</ul></div>`;
      addPage(it.url, shell({ title: `${it.title} - ${spec.name}`, head: articleHead(it) + extraHead, main, crumb }), it.date, sp ? [sp] : []);
      if (printable) addPage(`/in-an/${it.n}`, `<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n<title>${esc(it.title)}</title>\n</head>\n<body><h1>${esc(it.title)}</h1>${it.paragraphs.map((p) => `<p>${esc(p)}</p>`).join("")}</body>\n</html>\n`, it.date);
    }
  }

  // ---------- home ----------
  const homeDate = items.reduce((m, i) => (i.published > m ? i.published : m), staticDate);
  const newsBlock = () => `<section class="tin-moi"><h2>Tin mới</h2>${img("Hoạt động của " + spec.name, true)}${listHtml(latestNews)}</section>`;
  const homeHtml =
    spec.layout === "js"
      ? shell({
          title: spec.name,
          home: true,
          main: `<div id="app"></div><noscript>Vui lòng bật JavaScript để xem trang này.</noscript>`,
          jsMain: `<script>(function(){var n=${JSON.stringify(latestNews.map((it) => [it.title, it.url.split("/").filter(Boolean), listingDate(it)]))};var a=document.getElementById("app");var h=document.createElement("h2");h.textContent="Tin mới";a.appendChild(h);var ul=document.createElement("ul");ul.className="list-news";n.forEach(function(e){var li=document.createElement("li");var l=document.createElement("a");l.setAttribute("href","/"+e[1].join("/"));l.textContent=e[0];var s=document.createElement("span");s.className="date";s.textContent=" "+e[2];li.appendChild(l);li.appendChild(s);ul.appendChild(li);});a.appendChild(ul);})();</script>`,
        })
      : shell({ title: spec.name, home: true, main: newsBlock() + img("Quang cảnh hội nghị", true) });
  addPage("/", homeHtml, homeDate);

  // ---------- search ----------
  if (spec.search) addPage("/tim-kiem", shell({ title: `Tìm kiếm - ${spec.name}`, main: `<h1>Kết quả tìm kiếm</h1><p>Nhập từ khóa để tìm kiếm.</p>`, crumb: "Tìm kiếm" }), staticDate);

  // ---------- RSS, sitemap, robots ----------
  const allItems = CATEGORY_IDS.flatMap((id) => cat(id).items).sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.n - b.n));
  if (spec.rss) {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${esc(spec.name)}</title><link>${abs("/")}</link><description>Tin tức - ${esc(spec.name)}</description><language>vi</language>${allItems
      .slice(0, 20)
      .map((it) => `<item><title>${esc(it.title)}</title><link>${abs(it.url).replace(/&/g, "&amp;")}</link><guid>${abs(it.url).replace(/&/g, "&amp;")}</guid><pubDate>${rfc822(it.date, it.minutes)}</pubDate></item>`)
      .join("")}</channel></rss>\n`;
    const body = Buffer.from(xml, "utf8");
    routes.set("/rss", { status: 200, headers: { "content-type": "application/rss+xml; charset=utf-8" }, body, etag: etagOf(body), lastModified: lastMod(homeDate) });
  }
  if (spec.sitemap !== "none") {
    const entry = (path: string, date: string) => `<url><loc>${abs(path).replace(/&/g, "&amp;")}</loc><lastmod>${date}</lastmod></url>`;
    const pageEntries = ["/", ...linked.filter((id) => cat(id).status !== "unreachable").map((id) => cat(id).url)].map((p) => {
      const c = linked.map((id) => cat(id)).find((x) => x.url === p);
      return entry(p, p === "/" ? homeDate : c && c.status === "present" && c.items.length ? c.items[0].date : staticDate);
    });
    const postEntries = allItems.map((it) => entry(it.url, it.date));
    const urlset = (xs: string[]) => `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${xs.join("")}</urlset>\n`;
    const xmlRoute = (xml: string): FarmResponse => {
      const body = Buffer.from(xml, "utf8");
      return { status: 200, headers: { "content-type": "application/xml; charset=utf-8" }, body, etag: etagOf(body), lastModified: lastMod(homeDate) };
    };
    if (spec.sitemap === "flat") routes.set("/sitemap.xml", xmlRoute(urlset([...pageEntries, ...postEntries])));
    else {
      routes.set("/sitemap-pages.xml", xmlRoute(urlset(pageEntries)));
      routes.set("/sitemap-posts.xml", xmlRoute(urlset(postEntries)));
      routes.set(
        "/sitemap.xml",
        xmlRoute(`<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${abs("/sitemap-pages.xml")}</loc><lastmod>${homeDate}</lastmod></sitemap><sitemap><loc>${abs("/sitemap-posts.xml")}</loc><lastmod>${homeDate}</lastmod></sitemap></sitemapindex>\n`),
      );
    }
  }
  const robotsLines = ["User-agent: *"];
  if (spec.robots) {
    if (spec.robots.crawlDelay !== undefined) robotsLines.push(`Crawl-delay: ${spec.robots.crawlDelay}`);
    for (const d of spec.robots.disallow) robotsLines.push(`Disallow: ${d}`);
  } else robotsLines.push("Disallow: /admin/");
  if (spec.sitemap !== "none") robotsLines.push(`Sitemap: ${abs("/sitemap.xml")}`);
  const robotsBody = Buffer.from(robotsLines.join("\n") + "\n", "utf8");
  routes.set("/robots.txt", { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: robotsBody, etag: etagOf(robotsBody), lastModified: lastMod(staticDate) });

  // ---------- truth ----------
  const legacyWholeSite = ["tcvn3-bytes", "tcvn3-bytes-1252", "tcvn3-glyphs", "vni-glyphs", "double-utf8"].includes(spec.encoding);
  // The work schedule (lịch công tác) is not required of đơn vị sự nghiệp (crawler/catalog/rulesets.ts).
  const notRequired: string[] = spec.unitType === "don_vi_su_nghiep" ? ["lich-cong-tac"] : [];
  const categories = Object.fromEntries(
    CATEGORY_IDS.filter((id) => !notRequired.includes(id)).map((id) => {
      const c = cat(id);
      return [id, { status: c.status, url: c.status === "missing" ? null : abs(c.url), required: !OPTIONAL_CATEGORIES.includes(id) }];
    }),
  ) as GroundTruth["categories"];
  const notes: string[] = [];
  if (legacyWholeSite) notes.push("Whole site in a legacy encoding: labels, footer and headings need conversion; category URLs are ASCII slugs.");
  if (spec.layout === "js") notes.push("Menu and home news list are drawn by JavaScript; without rendering the home page links only to nothing.");
  const truth: GroundTruth = {
    id: spec.id,
    code: spec.code,
    name: spec.name,
    unitType: spec.unitType,
    group: spec.group,
    baseUrl: abs("/"),
    layout: spec.layout,
    robotsDisallowAll: false,
    robots: spec.robots ? { crawlDelay: spec.robots.crawlDelay ?? null, disallow: spec.robots.disallow } : { crawlDelay: null, disallow: ["/admin/"] },
    hasRss: spec.rss,
    rssUrl: spec.rss ? abs("/rss") : null,
    hasSitemap: spec.sitemap !== "none",
    sitemapIndex: spec.sitemap === "index",
    jsMenu: spec.layout === "js",
    activity: spec.activity,
    siteEncoding: spec.encoding,
    categories,
    pages,
    items: items.sort((a, b) => (a.published < b.published ? 1 : a.published > b.published ? -1 : a.url < b.url ? -1 : 1)),
    latestPublished: items.length ? items[0].published : null,
    documents,
    identity,
    attribution,
    technical: {
      https: false,
      viewport: spec.viewport,
      langVi: spec.langVi,
      search: spec.search,
      sitemapPage: cat("so-do-site").status === "present",
      sitemapXml: spec.sitemap !== "none",
      homeImages,
      homeImagesWithAlt,
    },
    comparable: { categories: true, encoding: true, dates: true, identity: !legacyWholeSite },
    notes,
  };
  return { spec, routes, truth };
}

function dmy(ymd: string): string {
  const [y, m, d] = ymd.split("-");
  return `${d}/${m}/${y}`;
}

function countWeekdays(from: string, to: string): number {
  let n = 0;
  let x = from;
  while (x < to) {
    x = addDays(x, 1);
    const w = weekday(x);
    if (w !== 0 && w !== 6) n++;
  }
  return n;
}

const DAY_EN = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MON_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
function rfc822(ymd: string, minutes: number): string {
  const [y, m, d] = ymd.split("-").map(Number);
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return `${DAY_EN[weekday(ymd)]}, ${String(d).padStart(2, "0")} ${MON_EN[m - 1]} ${y} ${hh}:${mm}:00 +0700`;
}

function pdfResponse(n: number): FarmResponse {
  const body = Buffer.from(`%PDF-1.4\n% Van ban ${n}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`, "latin1");
  return { status: 200, headers: { "content-type": "application/pdf" }, body, etag: etagOf(body) };
}

