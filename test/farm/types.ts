import type { CategoryId } from "./categories.ts";
import type { LegacyScheme } from "./legacy.ts";
import type { DateStyle } from "./dates.ts";

export type UnitType = "so" | "ban" | "ubnd_huyen" | "ubnd_xa" | "don_vi_su_nghiep";
/** Groups after 01/07/2025: no district level ("huyen" stays for bench farms and older data). */
export type UnitGroup = "so-nganh" | "huyen" | "xa" | "su-nghiep";
export type Layout = "text" | "nested" | "upper" | "nodiac" | "slug" | "js" | "bench";
export type HostileKind =
  | "slow"
  | "endless"
  | "huge"
  | "redirect-loop"
  | "error-500"
  | "wrong-content-type"
  | "invalid-bytes"
  | "gzip-bomb"
  | "robots-disallow-all"
  | "deep-nesting"
  | "never-settles"
  | "redirect-forbidden";
export type CategoryStatus = "present" | "empty" | "missing" | "unreachable";

/** How the whole site is encoded. */
export type SiteEncoding =
  | "utf8"
  | "no-charset" // valid UTF-8, no declaration anywhere
  | "tcvn3-bytes" // TCVN3 bytes, no charset declared
  | "tcvn3-bytes-1252" // TCVN3 bytes under <meta charset=windows-1252>
  | "viscii-bytes"
  | "cp1258-bytes"
  | "tcvn3-glyphs" // TCVN3 glyphs stored as UTF-8
  | "vni-glyphs"
  | "double-utf8"
  | "nfd";

/** Special pages inside an otherwise normal UTF-8 site. */
export type PageSpecial =
  | "mixed-tcvn3" // one TCVN3-glyph paragraph
  | "mixed-vni-font" // one VNI paragraph inside <font face="VNI-Times">
  | "mixed-viscii" // one VISCII-glyph paragraph
  | "mixed-cp1258" // one CP1258-glyph paragraph
  | "mixed-double" // one double-encoded paragraph
  | "font-style" // style="font-family:'.VnTime'" on Unicode text
  | "font-face" // <font face=".VnArial"> on Unicode text
  | "font-css" // <style> rule naming VNI-Helve
  | "mention-font" // the text mentions .VnTime: not a finding
  | "latin1" // genuine French/Spanish names: not legacy
  | "invalid-bytes" // a Latin-1 byte inside a UTF-8 page
  | "nfd-paragraph"; // one decomposed paragraph

export type Footer = "complete" | "no-person" | "no-contact" | "no-address" | "name-only" | "no-email";
export type Attribution = "full" | "no-author" | "no-source" | "none" | "mixed";
export type Activity = "active" | "moderate" | "stale";

export interface SiteSpec {
  id: string;
  code: string;
  name: string;
  unitType: UnitType;
  group: UnitGroup;
  layout: Layout;
  activity: Activity;
  encoding: SiteEncoding;
  specials: PageSpecial[];
  empty: CategoryId[];
  missing: CategoryId[];
  unreachable: CategoryId[];
  /** Optional categories the site has (khoa-hoc, tieng-anh); others optional ones are missing. */
  optional: CategoryId[];
  rss: boolean;
  sitemap: "none" | "flat" | "index";
  footer: Footer;
  attribution: Attribution;
  listingDate: DateStyle;
  articleDate: DateStyle;
  /** Machine-readable date in the article <head>. */
  articleMeta: "og" | "jsonld" | "dc" | "none";
  viewport: boolean;
  langVi: boolean;
  search: boolean;
  imgAlt: "all" | "some" | "none";
  robots: { crawlDelay?: number; disallow: string[] } | null;
  address: string;
}

export interface PageEncodingTruth {
  declared: string | null;
  validUtf8: boolean;
  legacy: LegacyScheme | null;
  legacyFonts: string[];
  nfc: boolean;
  compliant: boolean;
}

export interface PageTruth {
  url: string;
  encoding: PageEncodingTruth;
  /** robots.txt disallows this page: a polite crawler never fetches it. */
  robotsDisallowed?: true;
  /** Fields an auditor cannot decide reliably for this page (skip them when comparing). */
  uncertain?: string[];
}

export interface ItemTruth {
  url: string;
  published: string;
  categoryId: CategoryId;
  /** The listing shows a relative date ("2 giờ trước", "3 ngày trước"). */
  relative?: boolean;
}

export interface DocumentTruth {
  url: string;
  number: string;
  issued: string;
  posted: string;
  /** Weekdays between issue and posting (weekends skipped, holidays not). */
  weekdaysGap: number;
  late: boolean;
}

export interface ArticleAttributionTruth {
  url: string;
  author: boolean;
  source: boolean;
}

export interface GroundTruth {
  id: string;
  code: string;
  name: string;
  unitType: UnitType | null;
  group: UnitGroup | null;
  baseUrl: string;
  layout: Layout;
  hostile?: HostileKind;
  robotsDisallowAll: boolean;
  robots: { crawlDelay: number | null; disallow: string[] } | null;
  hasRss: boolean;
  rssUrl: string | null;
  hasSitemap: boolean;
  sitemapIndex: boolean;
  jsMenu: boolean;
  activity: Activity | null;
  siteEncoding: SiteEncoding | null;
  categories: Record<CategoryId, { status: CategoryStatus; url: string | null; required: boolean }>;
  pages: PageTruth[];
  items: ItemTruth[];
  latestPublished: string | null;
  documents: DocumentTruth[];
  identity: { unitName: boolean; responsiblePerson: boolean; address: boolean; phone: boolean; email: boolean };
  attribution: ArticleAttributionTruth[];
  technical: {
    https: false;
    viewport: boolean;
    langVi: boolean;
    search: boolean;
    sitemapPage: boolean;
    sitemapXml: boolean;
    homeImages: number;
    homeImagesWithAlt: number;
  };
  /** Which parts a careful auditor can check without converting legacy text. */
  comparable: { categories: boolean; encoding: boolean; dates: boolean; identity: boolean };
  notes: string[];
}

export interface FarmResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  etag?: string;
  lastModified?: string;
}
