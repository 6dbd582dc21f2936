// EMC monitoring code and label (Thông tư 22/2023/TT-BTTTT): what is required, as decided in
// docs/decisions/0017-rule-set-versions.md:
//  - the monitoring code (the EMC <script>) must be on the home page: the system measures visits
//    from it, and the home page is the page every evaluation opens;
//  - the EMC label must be shown on the home page; a label without the code proves nothing
//    (emc.label-without-script), and a code or label found only on inner pages is misplaced;
//  - the footer is where the label is expected: a label elsewhere on the home page is reported
//    (emc.label-not-footer, info) but costs no points, the circular not fixing its position.
// Patterns are data (crawler/catalog/tt22-2023.ts). Findings only when the rule set in force
// requires EMC; the metrics are measured whatever the date.
import type { FindingOut } from "../types.ts";
import type { SiteRules } from "../catalog/rulesets.ts";
import { EMC_PATTERNS, type EmcPatterns, compilePatterns } from "../catalog/tt22-2023.ts";
import { foldVietnamese } from "../catalog/text.ts";
import type { Handler } from "htmlparser2";
import { parseWithinBudget, registerPageScanner, scanOf } from "../parse/page.ts";
import { decodeBody, detectCharset } from "../encoding/decode.ts";
import type { PageEntry, SiteContext } from "./context.ts";

const CHECK = "emc";

export interface EmcMetrics {
  /** The monitoring code is on the home page. */
  script: boolean;
  /** The label is on the home page. */
  label: boolean;
  /** The label is inside the home page's footer. */
  labelInFooter: boolean;
  /** HTML pages read, and those carrying the monitoring code. */
  pagesChecked: number;
  pagesWithScript: number;
}

export interface EmcMarkers {
  script: string | null;
  label: string | null;
  labelInFooter: boolean;
}

interface Compiled {
  /** Lower-case words one of which every matching value contains (EmcPatterns.keywords). */
  keywords: string[];
  scriptSrc: RegExp[];
  inlineScript: RegExp[];
  labelImage: RegExp[];
  labelHref: RegExp[];
}

let defaultCompiled: Compiled | null = null;
function compile(p: EmcPatterns): Compiled {
  return {
    keywords: p.keywords.map((k) => k.toLowerCase()),
    scriptSrc: compilePatterns(p.scriptSrc, "EMC script src"),
    inlineScript: compilePatterns(p.inlineScript, "EMC inline script"),
    labelImage: compilePatterns(p.labelImage, "EMC label"),
    labelHref: compilePatterns(p.labelHref, "EMC label href"),
  };
}

const FOOTER_CLASS = /(?:^|[\s_-])(?:footer\w*|bottom|copyright|site-info|ban-quyen|chan-trang)(?:$|[\s_-])/i;
const VOID = new Set(["img", "br", "hr", "meta", "link", "input", "source", "area", "base", "col", "embed", "wbr", "track", "param"]);

// Cheap first: a value without any keyword is not matched against the patterns (every link of every page passes here).
const anyMatchIn = (keywords: string[], res: RegExp[], values: (string | undefined)[]) =>
  values.some((v) => {
    if (!v) return false;
    if (keywords.length && !keywords.some((k) => v.toLowerCase().includes(k))) return false;
    return res.some((re) => re.test(v) || re.test(foldVietnamese(v)));
  });

/**
 * The EMC reader as htmlparser2 events: runs inside the one parse of every page (registered as
 * the page scanner "emc", see crawler/parse/page.ts), or alone through findEmcMarkers.
 */
export function emcCollector(patterns: EmcPatterns = EMC_PATTERNS): { handler: Partial<Handler>; result(): EmcMarkers } {
  const c = patterns === EMC_PATTERNS ? (defaultCompiled ??= compile(EMC_PATTERNS)) : compile(patterns);
  const out: EmcMarkers = { script: null, label: null, labelInFooter: false };
  const anyMatch = (res: RegExp[], ...values: (string | undefined)[]) => anyMatchIn(c.keywords, res, values);
  const stack: boolean[] = []; // "inside a footer" per open element
  let inScript = false;
  let scriptText = "";
  let anchor: { href: string; text: string; footer: boolean } | null = null;
  const inFooter = () => stack.length > 0 && stack[stack.length - 1];
  const foundLabel = (what: string, footer: boolean) => {
    if (!out.label || (footer && !out.labelInFooter)) {
      out.label = what;
      out.labelInFooter = footer;
    }
  };
  return {
    result: () => out,
    handler: {
      onopentag(name, attrs) {
        const footer = inFooter() || name === "footer" || FOOTER_CLASS.test(`${attrs.class ?? ""} ${attrs.id ?? ""}`);
        if (!VOID.has(name)) stack.push(footer);
        if (name === "script") {
          const src = attrs.src?.trim();
          if (src && !out.script && anyMatch(c.scriptSrc, src)) out.script = src;
          inScript = !src;
          scriptText = "";
        } else if (name === "a") {
          anchor = { href: attrs.href?.trim() ?? "", text: attrs.title ?? "", footer };
          if (anchor.href && anyMatch(c.labelHref, anchor.href)) foundLabel(anchor.href, footer);
        } else if (name === "img") {
          if (anyMatch(c.labelImage, attrs.src, attrs.alt, attrs.title) || (attrs.src && anyMatch(c.labelHref, attrs.src))) foundLabel(attrs.src ?? attrs.alt ?? "img", footer);
        }
      },
      ontext(data) {
        if (inScript) scriptText += data;
        else if (anchor) anchor.text += data;
      },
      onclosetag(name) {
        if (!VOID.has(name)) stack.pop();
        if (name === "script" && inScript) {
          inScript = false;
          if (!out.script && anyMatch(c.inlineScript, scriptText)) out.script = "<script> " + scriptText.trim().slice(0, 120);
        } else if (name === "a" && anchor) {
          const text = anchor.text.replace(/\s+/g, " ").trim();
          if (text && anyMatch(c.labelImage, text)) foundLabel(text, anchor.footer);
          anchor = null;
        }
      },
    },
  };
}

registerPageScanner({ name: "emc", create: () => emcCollector(EMC_PATTERNS) });

/** Scans one page's HTML for the EMC code and label (a parse of its own: tests, custom patterns). */
export function findEmcMarkers(html: string, patterns: EmcPatterns = EMC_PATTERNS): EmcMarkers {
  // Most pages name no EMC at all: skip the parse.
  const lower = html.toLowerCase();
  if (patterns.keywords.length && !patterns.keywords.some((k) => lower.includes(k.toLowerCase()))) return { script: null, label: null, labelInFooter: false };
  const collector = emcCollector(patterns);
  parseWithinBudget(html, collector.handler, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true });
  return collector.result();
}

/** The page's markers: from the shared parse when it ran the scanner, else by a parse of its own. */
function markersOf(e: PageEntry, patterns: EmcPatterns): EmcMarkers | null {
  if (!e.ok || !e.isHtml) return null;
  if (patterns === EMC_PATTERNS) {
    const scanned = scanOf<EmcMarkers>(e.parsed, "emc");
    if (scanned) return scanned;
  }
  const html = htmlOf(e);
  return html === null ? null : findEmcMarkers(html, patterns);
}

function htmlOf(e: PageEntry): string | null {
  if (!e.ok || !e.isHtml) return null;
  if (e.page.renderedHtml) return e.page.renderedHtml;
  if (!e.page.body?.length) return null;
  const charset = detectCharset(e.page.body, e.page.headers ?? {});
  return decodeBody(e.page.body, charset.used);
}

export interface EmcResult {
  metrics: EmcMetrics;
  findings: FindingOut[];
}

export function checkEmc(ctx: SiteContext, rules: SiteRules, patterns: EmcPatterns = EMC_PATTERNS): EmcResult {
  const home = ctx.home && ctx.home.ok ? ctx.home : null;
  const homeMarkers = home ? markersOf(home, patterns) : null;
  const onHome = homeMarkers ?? { script: null, label: null, labelInFooter: false };
  let pagesChecked = homeMarkers !== null ? 1 : 0;
  let pagesWithScript = onHome.script ? 1 : 0;
  let innerScriptUrl: string | null = null;
  let innerLabelUrl: string | null = null;
  for (const e of ctx.entries) {
    if (e === home) continue;
    const m = markersOf(e, patterns);
    if (m === null) continue;
    pagesChecked++;
    if (m.script) {
      pagesWithScript++;
      innerScriptUrl ??= e.page.finalUrl || e.page.url;
    }
    if (m.label) innerLabelUrl ??= e.page.finalUrl || e.page.url;
  }
  const metrics: EmcMetrics = { script: !!onHome.script, label: !!onHome.label, labelInFooter: onHome.labelInFooter, pagesChecked, pagesWithScript };
  const findings: FindingOut[] = [];
  // No finding without a readable home page: that is the crawl's failure, reported by the crawl.
  if (!rules.emc || !home || homeMarkers === null) return { metrics, findings };

  const url = home.page.finalUrl || home.page.url;
  const basis = rules.emc.basis;
  const severity = rules.emc.stage === "required" ? "error" : "warning";
  const add = (code: string, message: string, sev: FindingOut["severity"], snippet: string | null, details: Record<string, unknown> = {}) =>
    findings.push({ check: CHECK, code, severity: sev, message: `${message} (${basis}).`, url, snippet, details: { ...details, stage: rules.emc!.stage } });

  if (!onHome.script && !onHome.label && !innerScriptUrl && !innerLabelUrl) {
    add("emc.missing", "Trang chưa kết nối Hệ thống EMC: không thấy mã giám sát EMC và nhãn EMC trên trang chủ", severity, null);
    return { metrics, findings };
  }
  if (!onHome.script) {
    if (innerScriptUrl) add("emc.script-misplaced", `Mã giám sát EMC không có trên trang chủ (chỉ thấy ở ${innerScriptUrl})`, severity, null, { foundOn: innerScriptUrl });
    else if (onHome.label) add("emc.label-without-script", "Trang chủ có nhãn EMC nhưng không có mã giám sát EMC: nhãn không chứng minh đã kết nối", severity, onHome.label);
    else add("emc.no-script", "Không thấy mã giám sát EMC trên trang chủ", severity, null);
  }
  if (!onHome.label) {
    if (innerLabelUrl) add("emc.label-misplaced", `Nhãn EMC không hiển thị trên trang chủ (chỉ thấy ở ${innerLabelUrl})`, severity, null, { foundOn: innerLabelUrl });
    else add("emc.no-label", "Trang chủ không hiển thị nhãn EMC", severity, onHome.script);
  } else if (!onHome.labelInFooter) {
    add("emc.label-not-footer", "Nhãn EMC hiển thị trên trang chủ nhưng không ở chân trang, nơi thường đặt nhãn", "info", onHome.label);
  }
  return { metrics, findings };
}
