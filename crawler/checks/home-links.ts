// The links the home page must carry (Thông tư 22/2023/TT-BTTTT): the national public-service
// portal, the province's administrative-procedure system, the provincial portal (component sites)
// and the Government portal (the provincial portal). Which links and how they are recognised is
// data (crawler/catalog/tt22-2023.ts). A link anywhere on the home page counts (menu, banner,
// "Liên kết website" block, footer); a link on an inner page does not.
import type { FindingOut } from "../types.ts";
import type { SiteRules, UnitType } from "../catalog/rulesets.ts";
import { HOME_LINK_RULES, type HomeLinkRule, compilePatterns } from "../catalog/tt22-2023.ts";
import { foldVietnamese } from "../catalog/text.ts";
import type { SiteContext } from "./context.ts";

const CHECK = "home-links";

export interface HomeLinksMetrics {
  /** Links required of this unit type by the rule set in force (0 before TT 22/2023). */
  required: number;
  present: number;
}

export interface HomeLinkStatus {
  id: string;
  label: string;
  present: boolean;
  href: string | null;
}

export interface HomeLinksResult {
  metrics: HomeLinksMetrics;
  links: HomeLinkStatus[];
  findings: FindingOut[];
}

/** sotp.binhdinh.gov.vn → binhdinh.gov.vn; null when the host has no parent below a public suffix. */
export function parentDomain(host: string): string | null {
  const h = host.toLowerCase().replace(/^www\./, "");
  const parts = h.split(".");
  const suffix = /\.(?:gov|edu|org|com|net)\.vn$/.test(h) ? 3 : 2;
  if (parts.length <= suffix || /^\d+(?:\.\d+){3}$/.test(h)) return null;
  return parts.slice(1).join(".");
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

export function applicableHomeLinks(rules: SiteRules, unitType: string | undefined, all: HomeLinkRule[] = HOME_LINK_RULES): HomeLinkRule[] {
  const type = (unitType ?? "so") as UnitType;
  return all.filter((r) => rules.homeLinks.includes(r.id) && (!r.unitTypes || r.unitTypes.includes(type)));
}

export function checkHomeLinks(ctx: SiteContext, rules: SiteRules, all: HomeLinkRule[] = HOME_LINK_RULES): HomeLinksResult {
  const required = applicableHomeLinks(rules, ctx.snapshot.unitType, all);
  const home = ctx.home?.ok ? ctx.home : null;
  const parsed = home?.parsed ?? null;
  const siteHost = hostOf(ctx.snapshot.baseUrl);
  const parent = siteHost ? parentDomain(siteHost) : null;
  const links: HomeLinkStatus[] = required.map((rule) => {
    const hrefRes = compilePatterns(rule.hrefPatterns, `liên kết ${rule.id}`);
    const textRes = compilePatterns(rule.textPatterns, `liên kết ${rule.id}`);
    const hit = parsed?.links.find((l) => {
      if (hrefRes.some((re) => re.test(l.href))) return true;
      const text = foldVietnamese(`${l.text} ${l.title ?? ""}`);
      if (text && textRes.some((re) => re.test(text))) return true;
      if (rule.parentDomain && parent) {
        const h = hostOf(l.href);
        if (h && h.replace(/^www\./, "") === parent) return true;
      }
      return false;
    });
    return { id: rule.id, label: rule.label, present: !!hit, href: hit?.href ?? null };
  });
  const findings: FindingOut[] = [];
  if (home && parsed) {
    const url = home.page.finalUrl || home.page.url;
    for (const [i, l] of links.entries()) {
      if (l.present) continue;
      findings.push({
        check: CHECK,
        code: "home-links.missing",
        severity: "error",
        message: `Trang chủ thiếu liên kết tới ${l.label} (${required[i].legalBasis}).`,
        url,
        snippet: null,
        details: { linkId: l.id, fix: required[i].fix },
      });
    }
  }
  return { metrics: { required: links.length, present: links.filter((l) => l.present).length }, links, findings };
}
