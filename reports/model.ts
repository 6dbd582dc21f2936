// The typed report model: everything a builder needs, already loaded and frozen.
// Builders take this model and return a workbook; they never touch the database.
// The model's types are defined in db/report-model.ts (the database side assembles it).
export * from "../db/report-model.ts";

export const CRITERION_GROUPS: readonly { code: string; name: string }[] = [
  { code: "noi-dung", name: "Nội dung thông tin" },
  { code: "cap-nhat", name: "Cập nhật, thời hạn" },
  { code: "unicode", name: "Unicode TCVN 6909" },
  { code: "dinh-danh", name: "Định danh, nguồn tin" },
  { code: "ky-thuat", name: "Kỹ thuật, tiếp cận" },
];

export const UNIT_GROUP_NAMES: Record<string, string> = {
  "so-nganh": "Sở, ban, ngành",
  huyen: "UBND cấp huyện",
  xa: "UBND cấp xã",
};

export const NOT_AUDITED_LABEL = "Chưa đánh giá";
