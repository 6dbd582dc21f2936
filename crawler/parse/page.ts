// One streaming pass of htmlparser2 over a page: everything the page checks need, parsed once.
import { Parser, type Handler, type ParserOptions } from "htmlparser2";
import type { FetchedPage } from "../types.ts";
import { type CharsetInfo, decodeBody, detectCharset } from "../encoding/decode.ts";
import { foldVietnamese } from "../catalog/text.ts";
import { observer as parseObserver } from "./observer.ts";

export interface ParsedLink {
  /** Absolute URL without the fragment. */
  href: string;
  text: string;
  /** Inside a menu-like container (nav, menu/navbar class, sidebar menu). */
  inMenu: boolean;
  inNav: boolean;
  inHeader: boolean;
  inFooter: boolean;
  inBreadcrumb: boolean;
  /** Label of the parent menu item for nested menus ("Giới thiệu" for "Giới thiệu › Lãnh đạo"). */
  parentMenuText: string | null;
  title: string | null;
  /** Hidden until hover/click (a drop-down submenu with display:none): still navigation. */
  hidden: boolean;
  /** Inside a block of links to other sites ("Liên kết website"). */
  inLinkBlock: boolean;
  /** Language the link announces (hreflang/lang attribute, or a flag image such as flags/en.png). */
  lang: string | null;
}

export interface ParsedFeed {
  href: string;
  type: string;
  title: string | null;
}

/** A block (li/tr/article/div…) that holds one content link and some text besides it. */
export interface ListItemBlock {
  href: string;
  title: string;
  /** Text of the block outside its links (where a listing date usually is). */
  text: string;
}

export interface ParsedPage {
  url: string;
  status: number;
  charset: CharsetInfo;
  /** Whether the structure below comes from the rendered (JavaScript) HTML. */
  rendered: boolean;
  title: string;
  lang: string | null;
  /** name/property/http-equiv (lower case) → content; first occurrence wins. */
  meta: Record<string, string>;
  headings: { level: number; text: string }[];
  breadcrumb: string[];
  links: ParsedLink[];
  feeds: ParsedFeed[];
  /** <link rel="alternate" hreflang> declarations (language versions of the page). */
  alternates: { hreflang: string; href: string }[];
  /** All visible text, whitespace-collapsed (one newline between blocks). */
  text: string;
  /** All visible text as found (whitespace not collapsed): what the encoding check reads. */
  rawText: string;
  /** Visible text outside menus, header, footer, breadcrumb and sidebars. */
  mainText: string;
  footerText: string;
  scripts: { count: number; external: number; inlineChars: number };
  /** CSS text of <style> elements. */
  styleText: string;
  /** Addresses of mailto: links, and those inside the footer. */
  mailto: string[];
  mailtoInFooter: string[];
  /** Font families named in style= attributes and <font face>. */
  inlineFonts: string[];
  images: { total: number; withAlt: number };
  hasSearchForm: boolean;
  viewport: string | null;
  jsonLd: string[];
  times: { datetime: string | null; text: string }[];
  listItems: ListItemBlock[];
  menus: { containers: number; links: number };
  /** Raw length of the HTML parsed (for metrics). */
  htmlLength: number;
  /** Set when the page exceeded the parse budget (depth or size); parsing stopped there. */
  budgetExceeded?: string;
  /** The visible text contained combining marks (NFD); the text fields above are NFC-normalised. */
  hadCombiningMarks: boolean;
  /** Set when the text fields were converted from a legacy encoding for matching. */
  convertedFrom?: string;
  /** What each registered page scanner found in this parse (registerPageScanner), by name. */
  scans: Record<string, unknown>;
}

/**
 * A check that needs its own reading of the markup (tags and attributes the fields above do not
 * keep) registers a scanner: its handler runs inside the one parse of every page, and its result
 * is in `ParsedPage.scans[name]`, so the page is not decoded and parsed again (issue 13 §3).
 */
export interface PageScanner<T = unknown> {
  name: string;
  create(pageUrl: string): { handler: Partial<Handler>; result(): T };
}

const scanners: PageScanner[] = [];

export function registerPageScanner(s: PageScanner): void {
  const i = scanners.findIndex((x) => x.name === s.name);
  if (i >= 0) scanners[i] = s;
  else scanners.push(s);
}

/** The scanner's result for a parsed page, or undefined when it did not run on that parse. */
export function scanOf<T>(p: ParsedPage | null | undefined, name: string): T | undefined {
  return p?.scans?.[name] as T | undefined;
}

/** One handler that forwards every event to each of hs (the tap and the scanners). */
function fanOut(hs: Partial<Handler>[]): Partial<Handler> | undefined {
  if (hs.length === 0) return undefined;
  if (hs.length === 1) return hs[0];
  return {
    onopentag(name, attrs, implied) {
      for (const h of hs) h.onopentag?.(name, attrs, implied);
    },
    ontext(data) {
      for (const h of hs) h.ontext?.(data);
    },
    onclosetag(name, implied) {
      for (const h of hs) h.onclosetag?.(name, implied);
    },
  };
}

const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]);
const SKIP_TEXT = new Set(["script", "style", "noscript", "template", "svg", "head", "title", "select", "option"]);
const BLOCK = new Set([
  "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "section", "article", "header", "footer", "nav", "aside",
  "h1", "h2", "h3", "h4", "h5", "h6", "br", "dd", "dt", "dl", "main", "form", "blockquote", "figure", "figcaption",
]);
const ITEM_BLOCK = new Set(["li", "tr", "article", "dd", "dt", "div", "p", "td", "section"]);
const MENU_CLASS = /(?:^|[\s_-])(?:menu|nav|navbar|navigation|mainmenu|megamenu|dropdown|submenu|sub-menu|topmenu|menutop|danh-muc|danhmuc)(?:$|[\s_-]|\d)/i;
const HEADING_OR_INLINE = new Set(["h1", "h2", "h3", "h4", "h5", "h6", "span", "a", "p", "strong", "em", "b", "i", "small", "label"]);
// camelCase ids of portal skins ("dnnMenu", "topNav").
const MENU_CAMEL = /[a-z0-9](?:Menu|Nav|Navigation)(?:$|[A-Z\s_-])/;
const SIDEBAR_CLASS = /(?:^|[\s_-])(?:sidebar|side-bar|leftcol|rightcol|left-col|right-col|col-left|col-right|aside|widget|related|lien-quan|tinlienquan|tin-khac|tinkhac|other-news|othernews)(?:$|[\s_-])/i;
const HEADER_CLASS = /(?:^|[\s_-])(?:header|banner|masthead|top-bar|topbar)(?:$|[\s_-])/i;
// "bottom" names a footer, but not in spacing utilities ("margin-bottom-lg" holds NukeViet's article body).
const FOOTER_CLASS = /(?:^|[\s_-])(?:footer(?:pane|area|wrap|wrapper|container|inner)?|(?<!(?:margin|padding|border|mb|pb|text|align|valign)[-_])bottom|copyright|site-info|ban-quyen|chan-trang)(?:$|[\s_-])/i;
// A block of links to other agencies' sites ("Liên kết website"): by class/id or by its heading.
const LINK_BLOCK_CLASS = /(?:^|[\s_-])(?:lien-?ket|lienket|weblinks?|web-links?|links?-?website|website-?links?|doi-?tac|partners?)(?:$|[\s_-])/i;
const LINK_BLOCK_HEADING = /^(?:cac\s+)?(?:lien\s+ket(?:\s+web(?:site)?)?|website\s+lien\s+ket|trang\s+lien\s+ket|lien\s+ket\s+(?:voi\s+)?cac\s+(?:website|trang|co\s+quan)(?:\s+\S+){0,3})$/;
// Elements that carry page content even inside a container whose class merely contains "menu".
const CONTENT_TAG = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "article", "table", "blockquote"]);
const ENGLISH_FLAG = /(?:^|[/_-])(?:flags?|co|lang(?:uage)?)[/_-]?(?:en|gb|uk|us|english)\.(?:png|gif|jpe?g|svg|webp)$|(?:^|\/)(?:en|gb|uk|us|english)[-_]?(?:flag|co)?\.(?:png|gif|jpe?g|svg|webp)$|flag[-_](?:en|gb|uk|us)\b/i;
// Zero-width characters (copied from word processors): they have no width, so text reads without them.
// Not the soft hyphen: U+00AD is the TCVN3 glyph of "ư" when such bytes are read as windows-1252.
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;
const BREADCRUMB_CLASS = /breadcrumb|duong-dan|duongdan|(?:^|[\s_-])path(?:$|[\s_-])/i;
const SEARCH_NAME = /^(?:q|s|query|search|keyword|keywords|key|tu-?khoa|tukhoa|searchtext|txtsearch|txtkeyword|search_query|k)$/i;
const SEARCH_HINT = /search|tim-?kiem|timkiem|tìm kiếm/i;
const FONT_FAMILY = /font-family\s*:\s*([^;"}]+)/gi;
const DATE_HINT = /\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}|tháng|thang|trước|\d{4}-\d{2}-\d{2}/i;

const F_MENU = 1, F_NAV = 2, F_HEADER = 4, F_FOOTER = 8, F_BREADCRUMB = 16, F_SIDEBAR = 32, F_HIDDEN = 64;
/** The menu flag comes only from a div/section class name ("portlet-boundary_menu_…"), not from nav/role/list markup. */
const F_SOFT_MENU = 128;
const F_IN_LI = 256;
const F_LINK_BLOCK = 512;

interface Frame {
  name: string;
  flags: number;
  skip: boolean;
  textStart: number;
  nonLinkStart: number;
  linkStart: number;
  liLabel: string | null;
  liText: string;
  menuContainer: boolean;
}

function resolveUrl(href: string, base: string): string | null {
  const h = href.trim();
  if (!h || /^(?:javascript|mailto|tel|data):/i.test(h) || h === "#") return null;
  try {
    const u = new URL(h, base);
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    u.hash = "";
    return u.href;
  } catch {
    return null;
  }
}

// ASCII whitespace only: a no-break space can be half of a double-encoded UTF-8 letter ("Ã\u00a0" = "à").
// Plain-string replacements (no callbacks): they run in the regexp engine and build flat strings.
/**
 * Collects many small text nodes; every 2048 of them are folded into one flat string so that
 * few objects stay alive (garbage collection stays linear on very large pages).
 */
class TextBuffer {
  private parts: string[] = [];
  private chunks: string[] = [];
  push(s: string): void {
    this.parts.push(s);
    if (this.parts.length >= 2048) {
      this.chunks.push(this.parts.join(""));
      this.parts = [];
    }
  }
  toString(): string {
    return this.chunks.join("") + this.parts.join("");
  }
}

function trimAsciiSpace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 10)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 10)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function collapse(s: string): string {
  // Most labels are already clean: check by hand before paying for a replace.
  let clean = true;
  let prevSpace = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (prevSpace) {
        clean = false;
        break;
      }
      prevSpace = true;
    } else if ((c < 32 && (c === 10 || c === 9 || c === 13 || c === 12 || c === 11)) || (c >= 0x200b && c <= 0x200d) || c === 0x2060 || c === 0xfeff) {
      clean = false;
      break;
    } else prevSpace = false;
  }
  if (clean && !prevSpace) return s;
  return trimAsciiSpace(s.replace(ZERO_WIDTH, "").replace(/[ \t\n\r\f\v]+/g, " "));
}

/** Like collapse, but keeps one newline where blocks (paragraphs, cells, items) meet. */
function collapseBlocks(s: string): string {
  return trimAsciiSpace(s.replace(ZERO_WIDTH, "").replace(/[ \t\r\f\v]+/g, " ").replace(/ ?\n[ \n]*/g, "\n"));
}

/**
 * Decodes (once) and parses (once) a fetched page. `tap` receives the same htmlparser2 events in
 * the same pass: link discovery reads the page this way (crawler/audit/handlers/html.ts), so
 * the crawl and the checks share one decode and one parse (issue 13 §3).
 */
export function parsePage(page: FetchedPage, tap?: Partial<Handler>): ParsedPage {
  const charset = detectCharset(page.body ?? Buffer.alloc(0), page.headers ?? {});
  const html = page.renderedHtml ?? decodeBody(page.body ?? Buffer.alloc(0), charset.used);
  return parseHtml(html, page.finalUrl || page.url, { status: page.status, charset, rendered: !!page.renderedHtml, url: page.url, tap });
}

/**
 * The page as parsed during the crawl when there is one (and it is of the same HTML: raw or
 * rendered), else a fresh parse. The checks call this, so a crawled page is not parsed twice.
 */
export function parsedOf(page: FetchedPage): ParsedPage {
  const p = page.parsed;
  if (p && p.rendered === !!page.renderedHtml) return p;
  return parsePage(page);
}

/**
 * The parse budget (issue 17 §3): elements nested deeper than this, and characters beyond
 * that, are not parsed. htmlparser2 and the handlers below do work proportional to the open
 * element stack per tag, so the cap keeps parsing linear in the input (100,000 nested <div>
 * took minutes without it).
 */
export const PARSE_MAX_DEPTH = 1024;

export const PARSE_MAX_CHARS = 6 * 1024 * 1024;

/**
 * Runs htmlparser2 over html within the parse budget (for parsers other than parseHtml's):
 * an element opened deeper than PARSE_MAX_DEPTH stops the parse, and so does the size limit.
 * htmlparser2 reports a close for every open (void and implied ones included), so the depth
 * counted here is its own stack's. Returns why the budget stopped it, or undefined.
 */
export function parseWithinBudget(html: string, handler: Partial<Handler>, options: ParserOptions): string | undefined {
  parseObserver()?.onParse(null);
  const input = html.length > PARSE_MAX_CHARS ? html.slice(0, PARSE_MAX_CHARS) : html;
  let stopped: string | undefined;
  let depth = 0;
  const parser = new Parser(
    {
      ...handler,
      onopentag(name, attrs, implied) {
        if (stopped) return;
        if (depth >= PARSE_MAX_DEPTH) {
          stopped = `phần tử lồng nhau sâu hơn ${PARSE_MAX_DEPTH} cấp: phần sau không được phân tích`;
          parser.pause();
          return;
        }
        depth++;
        handler.onopentag?.(name, attrs, implied);
      },
      onclosetag(name, implied) {
        if (stopped) return;
        depth--;
        handler.onclosetag?.(name, implied);
      },
      ontext(data) {
        if (!stopped) handler.ontext?.(data);
      },
    },
    options,
  );
  parser.write(input);
  if (!stopped) parser.end();
  return stopped ?? (input !== html ? `trang dài hơn ${PARSE_MAX_CHARS} ký tự: phần sau không được phân tích` : undefined);
}

export function parseHtml(
  input: string,
  baseUrl: string,
  opts: { status?: number; charset?: CharsetInfo; rendered?: boolean; url?: string; tap?: Partial<Handler> } = {},
): ParsedPage {
  parseObserver()?.onParse(opts.url ?? baseUrl);
  const running = scanners.map((sc) => ({ name: sc.name, ...sc.create(baseUrl) }));
  const tap = fanOut([...(opts.tap ? [opts.tap] : []), ...running.map((r) => r.handler)]);
  let budgetExceeded: string | undefined;
  let depthStop = false;
  const html = input.length > PARSE_MAX_CHARS ? input.slice(0, PARSE_MAX_CHARS) : input;
  if (html !== input) budgetExceeded = `trang dài hơn ${PARSE_MAX_CHARS} ký tự: phần sau không được phân tích`;
  let base = baseUrl;
  const out: ParsedPage = {
    url: opts.url ?? baseUrl,
    status: opts.status ?? 200,
    charset: opts.charset ?? { header: null, meta: null, declared: null, used: "utf-8", validUtf8: true },
    rendered: !!opts.rendered,
    title: "",
    lang: null,
    meta: {},
    headings: [],
    breadcrumb: [],
    links: [],
    feeds: [],
    alternates: [],
    text: "",
    rawText: "",
    mainText: "",
    footerText: "",
    scripts: { count: 0, external: 0, inlineChars: 0 },
    styleText: "",
    inlineFonts: [],
    mailto: [],
    mailtoInFooter: [],
    images: { total: 0, withAlt: 0 },
    hasSearchForm: false,
    viewport: null,
    jsonLd: [],
    times: [],
    listItems: [],
    menus: { containers: 0, links: 0 },
    htmlLength: input.length,
    hadCombiningMarks: false,
    scans: {},
  };

  const stack: Frame[] = [];
  const textParts = new TextBuffer();
  let textLen = 0;
  const mainParts = new TextBuffer();
  const footerParts = new TextBuffer();
  const nonLinkParts: string[] = [];
  let nonLinkBase = 0;
  let flags = 0;
  let skipDepth = 0;
  let titleText = "";
  let inTitle = false;
  let styleDepth = 0;
  let scriptKind: "none" | "ld" | "other" = "none";
  let scriptBuf = "";
  let styleBuf = "";
  let heading: { level: number; parts: string[] } | null = null;
  let link: { href: string | null; parts: string[]; title: string | null; flags: number; parent: string | null; lang: string | null } | null = null;
  let timeEl: { datetime: string | null; parts: string[] } | null = null;
  let breadcrumbItem: string[] | null = null;
  let formIsSearch = false;
  let formDepth = 0;
  const claimed = new Set<string>();
  const linkHrefs: (string | null)[] = [];
  const linkTexts: string[] = [];
  const fonts = new Set<string>();
  let menuContainers = 0;

  const liStack: Frame[] = [];

  const parser = new Parser(
    {
      onopentag(name, attrs, implied) {
        if (stack.length >= PARSE_MAX_DEPTH && !VOID.has(name)) {
          // Over the depth budget: parsing stops here (what was parsed so far is kept).
          budgetExceeded = `phần tử lồng nhau sâu hơn ${PARSE_MAX_DEPTH} cấp: phần sau không được phân tích`;
          depthStop = true;
          parser.pause();
          return;
        }
        if (depthStop) return;
        tap?.onopentag?.(name, attrs, implied);
        const hasClass = attrs.class !== undefined || attrs.id !== undefined;
        const cls = hasClass ? (attrs.class ?? "") + " " + (attrs.id ?? "") : "";
        let f = flags;
        const role = attrs.role === undefined ? "" : attrs.role.toLowerCase();
        let menuContainer = false;
        if (name === "nav" || role === "navigation") f = (f | F_NAV | F_MENU) & ~F_SOFT_MENU;
        if (role === "menu" || role === "menubar") f = (f | F_MENU) & ~F_SOFT_MENU;
        if (name === "li") f |= F_IN_LI;
        if (name === "aside") f |= F_SIDEBAR;
        if (name === "header") f |= F_HEADER;
        if (name === "footer") f |= F_FOOTER;
        if (hasClass && name !== "body" && name !== "html") {
          if ((name === "ul" || name === "div" || name === "ol" || name === "section") && (MENU_CLASS.test(cls) || MENU_CAMEL.test(cls))) {
            if (name === "ul" || name === "ol") f = (f | F_MENU) & ~F_SOFT_MENU;
            else if (!(f & F_MENU)) f |= F_MENU | F_SOFT_MENU;
          }
          if (LINK_BLOCK_CLASS.test(cls)) f |= F_LINK_BLOCK;
          if (SIDEBAR_CLASS.test(cls)) f |= F_SIDEBAR;
          // Only containers make a page header: Liferay titles its articles <h3 class="header-title">.
          if (!HEADING_OR_INLINE.has(name) && HEADER_CLASS.test(cls) && !(f & F_FOOTER)) f |= F_HEADER;
          if (FOOTER_CLASS.test(cls)) f |= F_FOOTER;
          if (BREADCRUMB_CLASS.test(cls)) f |= F_BREADCRUMB;
        }
        if (attrs["aria-label"] !== undefined && /breadcrumb/i.test(attrs["aria-label"])) f |= F_BREADCRUMB;
        if (attrs.itemtype !== undefined && /BreadcrumbList/.test(attrs.itemtype)) f |= F_BREADCRUMB;
        // Paragraphs, headings and tables inside a container that is a "menu" by class name only
        // (a portlet or column named after the menu it was built from) are page content.
        if ((f & F_SOFT_MENU) && !(f & F_IN_LI) && CONTENT_TAG.has(name)) f &= ~(F_MENU | F_SOFT_MENU);
        if ((f & F_MENU) && !(flags & F_MENU)) {
          menuContainer = true;
          menuContainers++;
        }
        const style = attrs.style;
        if (style && /display\s*:\s*none/i.test(style)) f |= F_HIDDEN;
        if (style && /font-family/i.test(style)) {
          for (const m of style.matchAll(FONT_FAMILY)) fonts.add(collapse(m[1]));
        }
        if (name === "font" && attrs.face) fonts.add(collapse(attrs.face));

        const skip = SKIP_TEXT.has(name) && !(name === "head");
        const frame: Frame = {
          name,
          flags: f,
          skip,
          textStart: textLen,
          nonLinkStart: nonLinkBase + nonLinkParts.length,
          linkStart: linkHrefs.length,
          liLabel: null,
          liText: "",
          menuContainer,
        };
        if ((name === "ul" || name === "ol" || name === "div") && stack.length) {
          // A nested list inside a menu item: the item's own text so far is the parent label.
          // (The innermost open li is the top of liStack: O(1) per tag, not O(depth).)
          const fr = liStack.length ? liStack[liStack.length - 1] : null;
          if (fr && fr.liLabel === null) fr.liLabel = collapse(fr.liText).slice(0, 120);
        }
        if (BLOCK.has(name)) pushText("\n", false);

        switch (name) {
          case "html":
            if (attrs.lang) out.lang = attrs.lang.trim().toLowerCase();
            else if (attrs["xml:lang"]) out.lang = attrs["xml:lang"].trim().toLowerCase();
            break;
          case "base":
            if (attrs.href) {
              try {
                base = new URL(attrs.href, base).href;
              } catch {
                /* keep the page URL */
              }
            }
            break;
          case "title":
            if (!(f & F_HIDDEN) && stack.every((s) => s.name !== "svg")) inTitle = true;
            break;
          case "meta": {
            const key = (attrs.name ?? attrs.property ?? attrs["http-equiv"] ?? attrs.itemprop ?? "").toLowerCase();
            if (key && attrs.content !== undefined && !(key in out.meta)) out.meta[key] = attrs.content;
            if (key === "viewport") out.viewport = attrs.content ?? "";
            break;
          }
          case "link": {
            const rel = (attrs.rel ?? "").toLowerCase();
            const type = (attrs.type ?? "").toLowerCase();
            if (rel.includes("alternate") && /rss|atom/.test(type) && attrs.href) {
              const href = resolveUrl(attrs.href, base);
              if (href) out.feeds.push({ href, type, title: attrs.title ?? null });
            } else if (rel.includes("alternate") && attrs.hreflang && attrs.href) {
              const href = resolveUrl(attrs.href, base);
              if (href) out.alternates.push({ hreflang: attrs.hreflang.trim().toLowerCase(), href });
            }
            break;
          }
          case "script":
            out.scripts.count++;
            if (attrs.src) out.scripts.external++;
            scriptKind = /ld\+json/i.test(attrs.type ?? "") ? "ld" : "other";
            scriptBuf = "";
            break;
          case "style":
            styleDepth++;
            styleBuf = "";
            break;
          case "h1": case "h2": case "h3": case "h4": case "h5": case "h6":
            heading = { level: Number(name[1]), parts: [] };
            break;
          case "a": {
            const mail = /^\s*mailto:([^?\s]+)/i.exec(attrs.href ?? "");
            if (mail) {
              out.mailto.push(mail[1]);
              if (f & F_FOOTER) out.mailtoInFooter.push(mail[1]);
            }
            const href = attrs.href ? resolveUrl(attrs.href, base) : null;
            let parent: string | null = null;
            if (f & F_MENU) {
              let ownLiSeen = false;
              for (let i = stack.length - 1; i >= 0; i--) {
                const fr = stack[i];
                if (fr.name !== "li") continue;
                if (!ownLiSeen) {
                  ownLiSeen = true;
                  continue;
                }
                if (fr.liLabel) {
                  parent = fr.liLabel;
                  break;
                }
              }
            }
            const lang = attrs.hreflang ?? attrs.lang ?? null;
            link = { href, parts: [], title: attrs.title ?? null, flags: f, parent, lang: lang ? lang.trim().toLowerCase() : null };
            break;
          }
          case "time":
            timeEl = { datetime: attrs.datetime ?? null, parts: [] };
            break;
          case "img":
            out.images.total++;
            if (attrs.alt !== undefined && attrs.alt.trim() !== "") out.images.withAlt++;
            else if (attrs.alt !== undefined && (attrs.role === "presentation" || attrs["aria-hidden"] === "true")) out.images.withAlt++;
            if (link && attrs.alt) link.parts.push(" " + attrs.alt + " ");
            if (link && !link.lang && attrs.src && ENGLISH_FLAG.test(attrs.src.split("?")[0])) link.lang = "en";
            break;
          case "form": {
            formDepth++;
            const action = (attrs.action ?? "") + " " + cls + " " + (attrs.role ?? "");
            formIsSearch = SEARCH_HINT.test(action) || role === "search";
            if (formIsSearch) out.hasSearchForm = true;
            break;
          }
          case "input": {
            const type = (attrs.type ?? "text").toLowerCase();
            if (type === "search") out.hasSearchForm = true;
            else if (type === "text" && (SEARCH_NAME.test(attrs.name ?? "") || SEARCH_HINT.test((attrs.placeholder ?? "") + " " + (attrs.id ?? "") + " " + (attrs.class ?? "")))) {
              out.hasSearchForm = true;
            }
            break;
          }
        }
        if (f & F_BREADCRUMB && (name === "a" || name === "li" || name === "span") && !breadcrumbItem) breadcrumbItem = [];
        if (!VOID.has(name)) {
          stack.push(frame);
          if (name === "li") liStack.push(frame);
          flags = f;
          if (skip) skipDepth++;
        } else if (name === "br") {
          pushText("\n", false);
        }
      },
      ontext(data) {
        if (!depthStop) tap?.ontext?.(data);
        if (inTitle) {
          titleText += data;
          return;
        }
        if (scriptKind !== "none") {
          if (scriptKind === "ld") scriptBuf += data;
          else out.scripts.inlineChars += data.length;
          return;
        }
        if (styleDepth > 0) {
          styleBuf += data;
          return;
        }
        if (skipDepth > 0) return;
        if (flags & F_HIDDEN) {
          // A drop-down submenu hidden until hover is still navigation: keep its link labels.
          if (link && flags & F_MENU) link.parts.push(data);
          return;
        }
        pushText(data, !!link);
        if (heading) heading.parts.push(data);
        if (link) link.parts.push(data);
        if (timeEl) timeEl.parts.push(data);
        if (breadcrumbItem) breadcrumbItem.push(data);
      },
      onclosetag(name, implied) {
        if (!depthStop) tap?.onclosetag?.(name, implied);
        if (name === "title") {
          inTitle = false;
          if (!out.title) out.title = collapse(titleText);
        }
        if (name === "script") {
          if (scriptKind === "ld" && scriptBuf.trim()) out.jsonLd.push(scriptBuf);
          scriptKind = "none";
        }
        if (name === "style") {
          styleDepth = Math.max(0, styleDepth - 1);
          out.styleText += styleBuf + "\n";
          styleBuf = "";
        }
        if (VOID.has(name)) return;
        // htmlparser2 reports implied closes, so the top frame is the one closing.
        let idx = stack.length - 1;
        while (idx >= 0 && stack[idx].name !== name) idx--;
        if (idx < 0) return;
        while (stack.length > idx) {
          const fr = stack.pop()!;
          closeFrame(fr);
        }
        flags = stack.length ? stack[stack.length - 1].flags : 0;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );

  function pushText(data: string, inLink: boolean) {
    textParts.push(data);
    textLen += data.length;
    if (!inLink) {
      nonLinkParts.push(data);
      // Only recent parts are ever read (list items span < 80 parts): drop the old ones.
      if (nonLinkParts.length >= 4096) {
        nonLinkParts.splice(0, 2048);
        nonLinkBase += 2048;
      }
    }
    const li = liStack.length ? liStack[liStack.length - 1] : null;
    if (li && li.liLabel === null && li.liText.length < 200) li.liText += data;
    if (flags & F_FOOTER) footerParts.push(data);
    else if (
      !(flags & (F_MENU | F_HEADER | F_BREADCRUMB | F_SIDEBAR | F_NAV)) ||
      data === "\n" ||
      // Inside a container that is a "menu" by class name only, text outside list items is content.
      ((flags & F_SOFT_MENU) && !(flags & (F_IN_LI | F_HEADER | F_BREADCRUMB | F_SIDEBAR | F_NAV)))
    ) {
      // Block breaks always reach the main text: a paragraph freed from a "menu"-named
      // container must not run into the previous one.
      mainParts.push(data);
    }
  }

  function closeFrame(fr: Frame) {
    if (fr.skip) skipDepth = Math.max(0, skipDepth - 1);
    const name = fr.name;
    if (name === "li" && liStack[liStack.length - 1] === fr) liStack.pop();
    if (/^h[1-6]$/.test(name) && heading) {
      const text = collapse(heading.parts.join(""));
      if (text) out.headings.push({ level: heading.level, text });
      heading = null;
      if (text.length < 60 && LINK_BLOCK_HEADING.test(foldVietnamese(text))) {
        // "Liên kết website": the box around the heading (its parent, and the panel around a
        // heading wrapper) lists other agencies' sites.
        for (let i = stack.length - 1, n = 0; i >= 0 && n < 2; i--, n++) stack[i].flags |= F_LINK_BLOCK;
        flags |= F_LINK_BLOCK;
      }
    }
    if (name === "a" && link) {
      const text = collapse(link.parts.join("")) || collapse(link.title ?? "");
      linkHrefs.push(link.href);
      linkTexts.push(text);
      if (link.href) {
        const lf = link.flags;
        out.links.push({
          href: link.href,
          text,
          inMenu: !!(lf & (F_MENU | F_SIDEBAR)),
          inNav: !!(lf & F_NAV),
          inHeader: !!(lf & F_HEADER),
          inFooter: !!(lf & F_FOOTER),
          inBreadcrumb: !!(lf & F_BREADCRUMB),
          parentMenuText: link.parent,
          title: link.title,
          hidden: !!(lf & F_HIDDEN),
          inLinkBlock: !!(lf & F_LINK_BLOCK),
          lang: link.lang,
        });
        if (lf & F_MENU) out.menus.links++;
      }
      link = null;
    }
    if (name === "time" && timeEl) {
      out.times.push({ datetime: timeEl.datetime, text: collapse(timeEl.parts.join("")) });
      timeEl = null;
    }
    if (breadcrumbItem && (name === "a" || name === "li" || name === "span")) {
      const t = collapse(breadcrumbItem.join(""));
      if (t && !/^[›»>/|·•\-–]+$/.test(t)) out.breadcrumb.push(t.replace(/^[›»>/|·•\-–\s]+|[›»>/|·•\-–\s]+$/g, ""));
      breadcrumbItem = null;
    }
    if (name === "form") {
      formDepth = Math.max(0, formDepth - 1);
      if (formDepth === 0) formIsSearch = false;
    }
    if (ITEM_BLOCK.has(name) && !(fr.flags & (F_MENU | F_FOOTER | F_HEADER | F_NAV))) {
      const n = linkHrefs.length;
      if (n > fr.linkStart && n - fr.linkStart <= 6) {
        let href: string | null = null;
        let title = "";
        let distinct = 0;
        for (let i = fr.linkStart; i < n; i++) {
          const h = linkHrefs[i];
          if (!h) continue;
          if (h !== href) {
            if (href !== null) distinct++;
            href = h;
          }
          if (linkTexts[i].length > title.length) title = linkTexts[i];
        }
        const from = fr.nonLinkStart - nonLinkBase;
        const parts = nonLinkParts.length - from;
        if (href && distinct === 0 && !claimed.has(href) && from >= 0 && parts > 0 && parts < 80) {
          const joined = nonLinkParts.slice(from).join("");
          const text = joined.length < 600 && DATE_HINT.test(joined) ? collapse(joined) : "";
          if (text && text.length < 400) {
            claimed.add(href);
            out.listItems.push({ href, title, text });
          }
        }
      }
    }
  }

  parser.write(html);
  if (!depthStop) parser.end();
  while (stack.length) closeFrame(stack.pop()!);
  if (budgetExceeded) out.budgetExceeded = budgetExceeded;
  for (const r of running) out.scans[r.name] = r.result();

  // `text` is collapsed on first use only: the encoding check reads rawText, and most pages
  // never need the whole collapsed text (saves a pass over the page).
  const rawText = textParts.toString();
  out.rawText = rawText;
  let collapsedText: string | null = null;
  Object.defineProperty(out, "text", {
    get: () => (collapsedText ??= collapseBlocks(rawText)),
    set: (v: string) => {
      collapsedText = v;
    },
    enumerable: true,
    configurable: true,
  });
  out.mainText = collapseBlocks(mainParts.toString());
  out.footerText = collapseBlocks(footerParts.toString());
  out.inlineFonts = [...fonts];
  out.menus.containers = menuContainers;
  if (COMBINING.test(rawText) || COMBINING.test(out.title)) {
    out.hadCombiningMarks = true;
    mapTexts(out, (t) => t.normalize("NFC"));
  }
  return out;
}

const COMBINING = /[\u0300-\u036f]/;

/** Applies a text transformation to every text field (used for NFC and legacy conversion). */
export function mapTexts(p: ParsedPage, f: (t: string) => string): void {
  p.title = f(p.title);
  p.text = f(p.text);
  p.mainText = f(p.mainText);
  p.footerText = f(p.footerText);
  p.headings = p.headings.map((h) => ({ level: h.level, text: f(h.text) }));
  p.breadcrumb = p.breadcrumb.map(f);
  p.links = p.links.map((l) => ({ ...l, text: f(l.text), parentMenuText: l.parentMenuText === null ? null : f(l.parentMenuText) }));
  p.listItems = p.listItems.map((li) => ({ ...li, title: f(li.title), text: f(li.text) }));
  p.times = p.times.map((t) => ({ ...t, text: f(t.text) }));
}

/** True when a page fetched without JavaScript looks empty and deserves a rendered retry. */
export function needsRendering(parsed: ParsedPage): boolean {
  if (parsed.rendered) return false;
  const textLen = parsed.text.length;
  if (parsed.scripts.count > 0 && textLen < 200) return true;
  if (parsed.scripts.count > 0 && parsed.menus.containers > 0 && parsed.menus.links === 0 && parsed.links.length < 5) return true;
  return false;
}
