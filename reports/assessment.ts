// The written assessment drafted from the report's own figures (remarks, results, shortcomings,
// proposals). The inspector edits it on /chot-ky before closing; the edited text is frozen with the
// period and printed instead of the draft.
import { formatPeriodTitle, vietnamDayStart } from "../db/time.ts";
import { formatDateVn } from "./layout.ts";
import { findingLabel } from "./labels.ts";
import { NOT_AUDITED_LABEL, type ReportAssessment, type ReportModel } from "./model.ts";
import { commonFailures, round2, tierColumns, tierCounts } from "./stats.ts";

function num(n: number): string {
  return n.toFixed(2).replace(".", ",");
}

export function draftAssessment(model: ReportModel): ReportAssessment {
  const units = model.units;
  const scored = units.filter((u) => u.status === "scored" && u.total != null);
  const notAudited = units.length - scored.length;
  const audits = units.reduce((s, u) => s + u.auditsCount, 0);
  const title = formatPeriodTitle(model.period.code, "sentence");
  const period = title.charAt(0).toLowerCase() + title.slice(1);
  const from = formatDateVn(vietnamDayStart(model.period.startsOn));
  const to = formatDateVn(vietnamDayStart(model.period.endsOn));
  const overview =
    `Thực hiện Nghị định số 42/2022/NĐ-CP ngày 24/6/2022 của Chính phủ quy định về việc cung cấp thông tin và dịch vụ công trực tuyến ` +
    `của cơ quan nhà nước trên môi trường mạng, ${model.issuer.department} đã kiểm tra, đánh giá tự động trang thông tin điện tử của ` +
    `${units.length} cơ quan, đơn vị ${period} (từ ngày ${from} đến ngày ${to}), tổng cộng ${audits} lượt kiểm tra. ` +
    `Phương pháp, bộ tiêu chí và ngưỡng xếp loại được nêu tại Phụ lục II.`;

  const counts = tierCounts(model);
  const tiers = tierColumns(model).filter((t) => t !== NOT_AUDITED_LABEL);
  const byTier = tiers.map((t) => `${t}: ${counts.reduce((s, c) => s + (c.counts[t] ?? 0), 0)}`).join("; ");
  const avg = scored.length ? round2(scored.reduce((s, u) => s + (u.total ?? 0), 0) / scored.length) : null;
  const compared = scored.filter((u) => u.previousTotal != null);
  const up = compared.filter((u) => (u.total ?? 0) > (u.previousTotal ?? 0)).length;
  const down = compared.filter((u) => (u.total ?? 0) < (u.previousTotal ?? 0)).length;
  const results =
    `Có ${scored.length}/${units.length} đơn vị có kết quả đánh giá` +
    (avg != null ? `, điểm bình quân ${num(avg)}/100` : "") +
    `. Xếp loại: ${byTier}` +
    (notAudited ? `; ${notAudited} đơn vị chưa đánh giá được (không có lượt kiểm tra thành công trong kỳ).` : ".") +
    (compared.length ? ` So với kỳ trước: ${up} đơn vị tăng điểm, ${down} đơn vị giảm điểm.` : "");

  const failures = commonFailures(model, 3);
  const shortcomings =
    (failures.length
      ? `Các lỗi phổ biến nhất: ${failures.map((f) => `${findingLabel(f.code, null).toLowerCase()} (${f.units} đơn vị)`).join("; ")}. `
      : "Không phát hiện lỗi phổ biến. ") +
    (notAudited ? `${notAudited} đơn vị có trang thông tin điện tử không truy cập được hoặc chưa được kiểm tra trong kỳ.` : "");

  const weak = tiers.slice(-2);
  const proposals =
    `Đề nghị các đơn vị xếp loại ${weak.join(", ")} và các đơn vị chưa đánh giá được khắc phục các lỗi nêu tại phụ lục kết quả của đơn vị mình ` +
    `trong thời hạn 30 ngày kể từ ngày nhận báo cáo; các đơn vị tiếp tục duy trì, cập nhật thông tin thường xuyên theo quy định.`;
  return { overview, results, shortcomings: shortcomings.trim(), proposals };
}
