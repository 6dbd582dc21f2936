// Thông tư 22/2023/TT-BTTTT (31/12/2023, in force 05/04/2024): what a crawler can observe of it,
// as editable data. Patterns are regular-expression sources (case-insensitive), so an inspector
// or a developer can change them without touching the checks (crawler/checks/emc.ts,
// crawler/checks/home-links.ts). Every default names its source; see docs/rubric.md and
// docs/decisions/0017-rule-set-versions.md for what is confirmed and what must be verified.
import type { UnitType } from "./rulesets.ts";

export const TT22_LEGAL_BASIS = "Thông tư 22/2023/TT-BTTTT";

export interface PatternSource {
  /** Where the default comes from (document, article, date). */
  title: string;
  url: string | null;
  /** What the source says, in one sentence (Vietnamese). */
  says: string;
}

export interface EmcPatterns {
  /** src of a <script> that is the EMC monitoring code. */
  scriptSrc: string[];
  /** Text of an inline <script> that loads or configures the EMC monitoring code. */
  inlineScript: string[];
  /** src, alt or title of the EMC label image, or the text of the label link (also tried folded: no diacritics, lower case). */
  labelImage: string[];
  /** href of the link the EMC label points to. */
  labelHref: string[];
  /** A page containing none of these words (case-insensitive) is not scanned: keep one per pattern family. */
  keywords: string[];
  sources: PatternSource[];
}

export interface HomeLinkRule {
  id: string;
  /** Vietnamese name of the destination ("Cổng Dịch vụ công quốc gia"). */
  label: string;
  legalBasis: string;
  /** Unit types whose home page must carry the link; undefined = every unit type. */
  unitTypes?: UnitType[];
  /** Patterns on the link's absolute href. */
  hrefPatterns: string[];
  /** Patterns on the link's text or title (matched with and without diacritics, lower case). */
  textPatterns: string[];
  /** Also accept a link to the parent domain of the site (sotp.binhdinh.gov.vn → binhdinh.gov.vn). */
  parentDomain?: boolean;
  /** Vietnamese sentence: how to fix. */
  fix: string;
}

const NEWS_2024: PatternSource = {
  title: "“Sẽ không đánh giá dịch vụ của những bộ, tỉnh không kết nối EMC”, VnMedia, 03/2024",
  url: "https://www.vnmedia.vn/cong-nghe/202403/se-khong-danh-gia-dich-vu-cua-nhung-bo-tinh-khong-ket-noi-emc-1104d60/",
  says:
    "Quy định mới về cấu trúc, bố cục, yêu cầu kỹ thuật cho cổng/trang TTĐT (hiệu lực 05/4/2024): cổng/trang phải kết nối Hệ thống EMC trước khi đưa vào sử dụng; cổng/trang vận hành trước 05/4/2024 phải thiết lập mã giám sát trước 05/4/2025.",
};

/**
 * Defaults for the EMC monitoring system (Hệ thống giám sát, đo lường mức độ cung cấp và sử dụng
 * dịch vụ Chính phủ số). The monitoring code is issued per site by the EMC operator; its exact
 * host was not verifiable offline: the host patterns below (emc.gov.vn and its sub-domains) must
 * be checked against the code a real site received, and edited here if they differ.
 */
export const EMC_PATTERNS: EmcPatterns = {
  scriptSrc: ["^(?:https?:)?//(?:[a-z0-9-]+\\.)*emc\\.(?:mic\\.)?gov\\.vn/"],
  inlineScript: ["(?:https?:)?//(?:[a-z0-9-]+\\.)*emc\\.(?:mic\\.)?gov\\.vn/", "\\bemc[_-]?(?:tracking|monitor|script|code)\\b"],
  labelImage: ["(?:^|[/_.\\s-])emc(?:[/_.\\s-]|$)", "da ket noi (?:he thong )?emc", "giam sat emc"],
  labelHref: ["^(?:https?:)?//(?:[a-z0-9-]+\\.)*emc\\.(?:mic\\.)?gov\\.vn(?:/|$)"],
  keywords: ["emc"],
  sources: [
    NEWS_2024,
    {
      title: "Thông tư 22/2023/TT-BTTTT, quy định về cấu trúc, bố cục, yêu cầu kỹ thuật của cổng/trang thông tin điện tử",
      url: null,
      says: "Kết nối Hệ thống EMC và hiển thị nhãn của hệ thống; điều khoản chuyển tiếp 12 tháng cho cổng/trang đang vận hành (cần đối chiếu nguyên văn).",
    },
  ],
};

/**
 * The links the home page of a component site must carry (TT 22/2023: links to the national and
 * provincial public-service systems and to the portal the site belongs to). The list is the
 * reading of docs/decisions/0017-rule-set-versions.md; check it against the text of the circular
 * before relying on a finding, and edit it here.
 */
export const HOME_LINK_RULES: HomeLinkRule[] = [
  {
    id: "dich-vu-cong-quoc-gia",
    label: "Cổng Dịch vụ công quốc gia",
    legalBasis: `${TT22_LEGAL_BASIS} (liên kết bắt buộc trên trang chủ); NĐ 42/2022/NĐ-CP`,
    hrefPatterns: ["^https?://(?:www\\.)?dichvucong\\.gov\\.vn(?:/|$)"],
    textPatterns: ["cong dich vu cong quoc gia"],
    fix: "Thêm trên trang chủ (thường ở chân trang hoặc khối liên kết) một liên kết tới https://dichvucong.gov.vn với tên “Cổng Dịch vụ công quốc gia”.",
  },
  {
    id: "he-thong-tthc-tinh",
    label: "Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh",
    legalBasis: `${TT22_LEGAL_BASIS} (liên kết bắt buộc trên trang chủ); NĐ 42/2022/NĐ-CP`,
    unitTypes: ["so", "ban", "ubnd_huyen", "ubnd_xa", "don_vi_su_nghiep", "cong_tinh"],
    hrefPatterns: ["^https?://(?!(?:www\\.)?dichvucong\\.gov\\.vn)(?:dichvucong|dvc|dvctt|motcua|hcc|egov)\\.[a-z0-9-]+\\.gov\\.vn(?:/|$)"],
    textPatterns: ["giai quyet thu tuc hanh chinh (?:cua |cap )?(?:tinh|thanh pho)", "dich vu cong (?:truc tuyen )?(?:cua |cap )?(?:tinh|thanh pho)", "he thong thong tin giai quyet thu tuc hanh chinh"],
    fix: "Thêm trên trang chủ liên kết tới Hệ thống thông tin giải quyết thủ tục hành chính (Cổng dịch vụ công) của tỉnh.",
  },
  {
    id: "cong-thong-tin-tinh",
    label: "Cổng thông tin điện tử của tỉnh",
    legalBasis: `${TT22_LEGAL_BASIS} (trang thành phần liên kết về cổng chính)`,
    unitTypes: ["so", "ban", "ubnd_huyen", "ubnd_xa", "don_vi_su_nghiep"],
    hrefPatterns: [],
    textPatterns: ["cong thong tin dien tu (?:tinh|thanh pho)", "cong ttdt (?:tinh|thanh pho)"],
    parentDomain: true,
    fix: "Thêm trên trang chủ liên kết về Cổng thông tin điện tử của tỉnh (cổng chính mà trang này là trang thành phần).",
  },
  {
    id: "cong-thong-tin-chinh-phu",
    label: "Cổng Thông tin điện tử Chính phủ",
    legalBasis: `${TT22_LEGAL_BASIS} (cổng của tỉnh liên kết tới Cổng TTĐT Chính phủ)`,
    unitTypes: ["cong_tinh"],
    hrefPatterns: ["^https?://(?:[a-z0-9-]+\\.)*chinhphu\\.vn(?:/|$)"],
    textPatterns: ["cong thong tin dien tu chinh phu"],
    fix: "Thêm trên trang chủ của Cổng liên kết tới Cổng Thông tin điện tử Chính phủ (https://chinhphu.vn).",
  },
];

/** Compiles pattern sources; an invalid pattern is a programming/data error named in the message. */
export function compilePatterns(sources: string[], what: string): RegExp[] {
  return sources.map((s) => {
    try {
      return new RegExp(s, "iu");
    } catch (e) {
      throw new Error(`Mẫu nhận dạng không hợp lệ (${what}): ${s} — ${(e as Error).message}`);
    }
  });
}
