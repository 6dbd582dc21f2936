/** Real Vietnamese text for titles and article bodies: a trimmed copy of the portal regulations. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Rng } from "./prng.ts";

export interface Corpus {
  sentences: string[];
  paragraphs: string[];
  titles: string[];
}

let cached: Corpus | null = null;

/** Titles that read like a category name would blur category detection; they are left out. */
const CATEGORY_WORDS =
  /thống kê|hỏi đáp|hỏi - đáp|liên hệ|danh bạ|lấy ý kiến|dự thảo|góp ý|dự án|đấu thầu|mua sắm|khoa học|công báo|sơ đồ|sitemap|english|tiếng anh|lịch công tác|lịch làm việc|chỉ đạo điều hành|phổ biến|pháp luật|lãnh đạo|giới thiệu|cơ cấu tổ chức|chức năng,? nhiệm vụ|tin tức|thủ tục hành chính|dịch vụ công|chiến lược|quy hoạch|kế hoạch/i;

/**
 * Paragraphs that would blur the ground truth are left out: footer-like identity words,
 * e-mails, author/source labels and old dates inside the regulations' text.
 */
const AMBIGUOUS =
  /https?:\/\/|@|chịu trách nhiệm|điện thoại|địa chỉ|tác giả|nguồn|người viết|\d{1,2}\/\d{1,2}\/\d{2,4}|\d{1,2}-\d{1,2}-\d{4}|ngày \d+|tháng \d+|năm \d{4}|\d+ giờ|cập nhật|ngày đăng|ban hành:/i;

export function loadCorpus(): Corpus {
  if (cached) return cached;
  const path = fileURLToPath(new URL("./corpus/quy-che.txt", import.meta.url));
  const text = readFileSync(path, "utf8").normalize("NFC");
  const paragraphs = text
    .split(/\n+/)
    .map((l) => l.replace(/[*_]/g, "").replace(/\s+/g, " ").trim())
    .filter((l) => l.length >= 60 && !AMBIGUOUS.test(l));
  const sentences: string[] = [];
  for (const p of paragraphs) {
    for (const s of p.split(/(?<=[.;:])\s+/)) {
      const t = s.replace(/^([a-zđ]\)|-|\d+(\.\d+)*\.?)\s*/i, "").trim();
      if (t.length >= 30 && t.length <= 300) sentences.push(t);
    }
  }
  const titles = sentences
    .map((s) => {
      const words = s.replace(/^Điều \d+\.\s*/, "").replace(/[.;:,]+$/, "").split(" ");
      const t = words.slice(0, Math.min(words.length, 14)).join(" ").replace(/[“”"()]/g, "").replace(/[,;:]+$/, "");
      return t.charAt(0).toUpperCase() + t.slice(1);
    })
    .filter((t) => t.length >= 25 && !/^(Căn cứ|Xét đề nghị)/.test(t) && !CATEGORY_WORDS.test(t));
  cached = { sentences, paragraphs, titles: Array.from(new Set(titles)) };
  return cached;
}

export function pickParagraphs(rng: Rng, n: number): string[] {
  const c = loadCorpus();
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(rng.pick(c.paragraphs));
  return out;
}

export function pickTitle(rng: Rng): string {
  return rng.pick(loadCorpus().titles);
}

/** ASCII slug of Vietnamese text (what CMSs put in URLs). */
export function slugify(s: string, maxWords = 8): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .slice(0, maxWords)
    .join("-");
}

/** Removes diacritics but keeps case ("Giới thiệu" → "Gioi thieu"). */
export function stripDiacritics(s: string): string {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D");
}

const SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"];
const MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Quang", "Thanh", "Hữu", "Ngọc", "Xuân", "Công"];
const GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Vinh", "Yến"];

export function personName(rng: Rng): string {
  return `${rng.pick(SURNAMES)} ${rng.pick(MIDDLE)} ${rng.pick(GIVEN)}`;
}
