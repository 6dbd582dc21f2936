// Rule set 2 — identity in the footer (Thông tư 32/2017 Điều 16.3, then Thông tư 22/2023 from
// 05/04/2024: the same five items): unit name, responsible person, address, phone, email. Footer first; the bottom of the page when there is no footer.
import type { FindingOut } from "../types.ts";
import type { ParsedPage } from "../parse/page.ts";
import { foldVietnamese } from "../catalog/text.ts";

const CHECK = "identity";

export interface IdentityItem {
  found: boolean;
  snippet: string | null;
}

export interface IdentityResult {
  unitName: IdentityItem;
  responsiblePerson: IdentityItem;
  address: IdentityItem;
  phone: IdentityItem;
  email: IdentityItem;
  /** Where the items were looked for. */
  source: "footer" | "page-bottom" | "none";
}

const UNIT_NAME_STRONG = /(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd|hội đồng nhân dân|hđnd|cổng thông tin điện tử|trang thông tin điện tử|cơ quan chủ quản|đơn vị chủ quản|bản quyền thuộc(?: về)?)\s*[:：]?\s*\p{L}/iu;
// Generic words name a unit only when a capitalised name follows ("Sở Tư pháp", not "trường hợp").
const UNIT_NAME_WEAK = /(?:^|[^\p{L}])(?:Sở|SỞ|Trường|TRƯỜNG|Bộ|BỘ|Cục|CỤC|Chi cục|CHI CỤC|Trung tâm|TRUNG TÂM|Văn phòng|VĂN PHÒNG|Thanh tra|THANH TRA|Ban|BAN|Bệnh viện|BỆNH VIỆN)\s+\p{Lu}/u;
const RESPONSIBLE = /(?:(?:người\s+)?chịu\s+trách\s+nhiệm(?:\s+chính)?(?:\s+nội\s+dung)?|trưởng\s+ban\s+biên\s+tập|tổng\s+biên\s+tập|chủ\s+biên|chịu\s+trách\s+nhiệm\s+xuất\s+bản|phụ\s+trách(?:\s+nội\s+dung)?)\s*[:：]?\s*(?:ông|bà|đ\/c|đồng chí)?\s*[\p{L}]/iu;
const ADDRESS = /(?:địa\s*chỉ|trụ\s*sở(?:\s+chính)?|đ\/c|address)\s*[:：]\s*\S+|(?:số\s+\d+[a-z]?,?\s+(?:đường|phố|đại lộ)\s+\p{Lu})/iu;
const PHONE_LABEL = /(?:điện\s*thoại|đt|tel|phone|hotline|đường\s+dây\s+nóng|sđt|số\s+điện\s+thoại|fax)\s*[:：.]?\s*\(?\+?\d[\d\s().-]{6,}/iu;
const PHONE_NUMBER = /(?<![\d/.-])(?:\(?\+84\)?[\s.-]?|\(?0)\d{2,3}\)?[\s.-]?\d{3}[\s.-]?\d{3,4}(?![\d/-])/;
const EMAIL = /[A-Za-z0-9._%+-]+\s*(?:@|\[at\]|\(at\)|\[@\])\s*[A-Za-z0-9-]+(?:\s*(?:\.|\[dot\]|\(dot\))\s*[A-Za-z0-9-]+)+/i;

function find(text: string, re: RegExp): IdentityItem {
  const m = re.exec(text);
  if (!m) return { found: false, snippet: null };
  return { found: true, snippet: text.slice(Math.max(0, m.index - 10), m.index + m[0].length + 60).trim() };
}

export function checkIdentityOnPage(parsed: ParsedPage, expectedUnitName?: string): IdentityResult {
  let text = parsed.footerText;
  let source: IdentityResult["source"] = "footer";
  if (text.length < 30) {
    text = parsed.text.slice(-1500);
    source = text ? "page-bottom" : "none";
  }
  let unitName: IdentityItem = { found: false, snippet: null };
  if (expectedUnitName) {
    const folded = foldVietnamese(text);
    const name = foldVietnamese(expectedUnitName);
    const idx = folded.indexOf(name);
    if (idx >= 0) unitName = { found: true, snippet: expectedUnitName };
  }
  if (!unitName.found) unitName = find(text, UNIT_NAME_STRONG);
  if (!unitName.found) unitName = find(text, UNIT_NAME_WEAK);
  const mailto = source === "footer" ? parsed.mailtoInFooter[0] : parsed.mailto[parsed.mailto.length - 1];
  let email = find(text, EMAIL);
  if (!email.found && mailto) email = { found: true, snippet: `mailto:${mailto}` };
  let phone = find(text, PHONE_LABEL);
  if (!phone.found) phone = find(text, PHONE_NUMBER);
  return {
    unitName,
    responsiblePerson: find(text, RESPONSIBLE),
    address: find(text, ADDRESS),
    phone,
    email,
    source,
  };
}

const LABELS: Record<keyof Omit<IdentityResult, "source">, [string, string]> = {
  unitName: ["identity.unit-name", "tên cơ quan, đơn vị"],
  responsiblePerson: ["identity.responsible-person", "người chịu trách nhiệm chính"],
  address: ["identity.address", "địa chỉ"],
  phone: ["identity.phone", "số điện thoại"],
  email: ["identity.email", "địa chỉ thư điện tử (email)"],
};

/** The legal basis cited defaults to TT 32/2017; the rule set in force passes its own (TT 22/2023 from 05/04/2024). */
export function identityFindings(result: IdentityResult, url: string | null, legalBasis = "Thông tư 32/2017/TT-BTTTT, Điều 16 khoản 3"): FindingOut[] {
  const findings: FindingOut[] = [];
  for (const key of Object.keys(LABELS) as (keyof typeof LABELS)[]) {
    if (result[key].found) continue;
    const [code, label] = LABELS[key];
    findings.push({
      check: CHECK,
      code,
      severity: "error",
      message: `Chân trang không ghi ${label} (${legalBasis}).`,
      url,
      snippet: null,
      details: { searched: result.source, legalBasis },
    });
  }
  return findings;
}
