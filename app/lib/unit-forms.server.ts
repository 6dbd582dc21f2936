// Form schemas for units and sites, with Vietnamese messages per field.
import { z } from "zod";
import { UNIT_TYPES } from "../../db/queries/units.ts";
import { normalizeName, unitNameProblem } from "./unit-name.ts";
import { parseVnDate } from "./dates.ts";

/** Longest site address accepted (the crawler stores and shows it; browsers cap near 2 kB too). */
export const MAX_URL_LENGTH = 2000;

/** A display name (unit name, short name): NFC, single spaces, no controls or lookalikes. */
export const displayName = (min: number, max: number, tooShort: string, tooLong: string) =>
  z
    .string({ invalid_type_error: tooShort })
    .transform(normalizeName)
    .pipe(z.string().min(min, tooShort).max(max, tooLong))
    .superRefine((v, ctx) => {
      const problem = v ? unitNameProblem(v) : null;
      if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
    });

export const unitNameSchema = displayName(2, 300, "Nhập tên đơn vị.", "Tên đơn vị quá dài (tối đa 300 ký tự).");

export const optionalEmail = z
  .string({ invalid_type_error: "Thư điện tử không hợp lệ." })
  .trim()
  .max(200, "Thư điện tử quá dài.")
  .transform((v) => v || null)
  .refine((v) => v === null || z.string().email().safeParse(v).success, "Thư điện tử không hợp lệ.");

export const unitSchema = z.object({
  code: z
    .string()
    .trim()
    .min(1, "Nhập mã đơn vị.")
    .max(60, "Mã đơn vị tối đa 60 ký tự.")
    .regex(/^[A-Za-z0-9_-]+$/, "Mã đơn vị chỉ gồm chữ không dấu, số, dấu gạch."),
  name: unitNameSchema,
  shortName: z
    .union([z.undefined(), displayName(0, 100, "Tên viết tắt không hợp lệ.", "Tên viết tắt quá dài.")])
    .transform((v) => v || null),
  unitType: z.enum(UNIT_TYPES, { errorMap: () => ({ message: "Chọn loại đơn vị." }) }),
  groupCode: z.string().trim().min(1, "Chọn nhóm xếp hạng."),
  headEmail: optionalEmail,
});

export function normalizeSiteUrl(v: string): string | null {
  try {
    if (v.trim().length > MAX_URL_LENGTH) return null;
    const u = new URL(v.trim());
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    if (u.username || u.password) return null;
    if (!u.hostname.includes(".") && u.hostname !== "localhost" && !/^\d+\.\d+\.\d+\.\d+$/.test(u.hostname)) return null;
    u.hash = "";
    return u.toString();
  } catch {
    return null;
  }
}

export const siteUrlSchema = z
  .string({ invalid_type_error: "Nhập địa chỉ website." })
  .trim()
  .min(1, "Nhập địa chỉ website.")
  .max(MAX_URL_LENGTH, `Địa chỉ website quá dài (tối đa ${MAX_URL_LENGTH} ký tự).`)
  .refine((v) => !/^(https?:\/\/)?[^/?#]*@/i.test(v), "Địa chỉ website không được chứa tên đăng nhập hoặc mật khẩu (user:password@).")
  .transform((v, ctx) => {
    const n = normalizeSiteUrl(/^https?:\/\//i.test(v) ? v : `https://${v}`);
    if (!n) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "Địa chỉ website không hợp lệ (ví dụ: https://sotttt.tinh.gov.vn)." });
      return z.NEVER;
    }
    return n;
  });

const optionalInt = (min: number, max: number, msg: string) =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (!v) return null;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: msg });
        return z.NEVER;
      }
      return n;
    });

export const siteSchema = z.object({
  baseUrl: siteUrlSchema,
  renderMode: z.enum(["auto", "never", "always"], { errorMap: () => ({ message: "Chọn chế độ dựng trang." }) }),
  maxPages: optionalInt(1, 100000, "Số trang tối đa là số nguyên từ 1 đến 100000."),
  crawlDelayMs: optionalInt(0, 600000, "Độ trễ là số mili giây từ 0 đến 600000."),
  isPrimary: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
});

/** An effective date typed as dd/mm/yyyy, stored as YYYY-MM-DD. */
export const effectiveDateSchema = z
  .string({ invalid_type_error: "Nhập ngày hiệu lực (dd/mm/yyyy)." })
  .trim()
  .min(1, "Nhập ngày hiệu lực (dd/mm/yyyy).")
  .transform((v, ctx) => {
    const day = parseVnDate(v);
    if (!day) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "Ngày hiệu lực không hợp lệ (nhập theo dạng dd/mm/yyyy)." });
      return z.NEVER;
    }
    return day;
  });

export const lineageNoteSchema = z
  .string({ invalid_type_error: "Ghi chú không hợp lệ." })
  .trim()
  .max(1000, "Ghi chú quá dài (tối đa 1000 ký tự).")
  .transform((v) => v || null);

/** Merging units into this one (the unit admin page); `predecessorIds` come from a multiple select. */
export const mergeSchema = z.object({
  predecessorIds: z
    .array(z.coerce.number({ invalid_type_error: "Đơn vị được chọn không hợp lệ." }).int("Đơn vị được chọn không hợp lệ.").positive("Đơn vị được chọn không hợp lệ.").max(2_147_483_647, "Đơn vị được chọn không hợp lệ."))
    .min(1, "Chọn ít nhất một đơn vị được sáp nhập.")
    .max(100, "Mỗi lần sáp nhập tối đa 100 đơn vị."),
  effectiveOn: effectiveDateSchema,
  note: lineageNoteSchema,
});

/** Renaming this unit (the unit admin page). */
export const renameSchema = z.object({
  newName: unitNameSchema,
  effectiveOn: effectiveDateSchema,
  note: lineageNoteSchema,
});
