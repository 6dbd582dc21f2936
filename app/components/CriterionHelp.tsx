// Criterion help (issue 14 §1): what a criterion measures, its legal basis and how to fix a loss,
// on the unit page (after the points table) and on the rubric page (beside each criterion).
// The legal basis is the rubric's own (rubric_criteria.legal_basis): the version in force for the
// period shown, so an old period shows the rules of its time.
import { CATEGORY_LABELS } from "../lib/format.ts";

export interface CriterionHelpInput {
  code: string;
  name: string;
  legalBasis: string | null;
  measure: { kind?: string; metric?: string; numerator?: string; denominator?: string; category?: string } | null;
}

interface MetricHelp {
  measured: string;
  fix: string;
}

/** By metric path (AuditMetrics, crawler/types.ts): what is measured and how a unit fixes it. */
const METRIC_HELP: Record<string, MetricHelp> = {
  "freshness.postsPerWeek": {
    measured: "Số tin bài đăng mỗi tuần, trung bình 12 tuần gần nhất, đọc từ ngày đăng trên các trang danh sách.",
    fix: "Đăng tin hoạt động đều đặn hằng tuần và ghi rõ ngày đăng (dd/mm/yyyy) ở mỗi bài và trong danh sách tin.",
  },
  "freshness.daysSinceLastPost": {
    measured: "Số ngày từ bài mới nhất đến ngày kiểm tra.",
    fix: "Cập nhật tin bài kịp thời; bài mới phải hiện ngày đăng để được tính.",
  },
  "deadlines.documentsOnTime": {
    measured: "Tỷ lệ văn bản đăng trong thời hạn (ngày làm việc, trừ ngày nghỉ lễ) kể từ ngày ban hành.",
    fix: "Đăng văn bản trong thời hạn của quy chế (thường 02 ngày làm việc kể từ ngày ký) và ghi ngày ban hành, ngày đăng.",
  },
  "encoding.pagesCompliant": {
    measured: "Tỷ lệ trang dùng bộ mã Unicode TCVN 6909:2001 (UTF-8, không mã TCVN3/VNI, không phông .VnTime/VNI).",
    fix: "Khai báo charset UTF-8, chuyển nội dung cũ sang Unicode (công cụ chuyển mã) và bỏ các phông .VnTime, VNI-*.",
  },
  "identity.unitName": { measured: "Chân trang trang chủ ghi tên cơ quan, đơn vị.", fix: "Ghi tên đầy đủ của cơ quan chủ quản ở chân trang." },
  "identity.responsiblePerson": {
    measured: "Chân trang ghi người chịu trách nhiệm chính.",
    fix: "Ghi “Chịu trách nhiệm chính: họ tên, chức vụ” ở chân trang.",
  },
  "identity.address": { measured: "Chân trang ghi địa chỉ liên hệ.", fix: "Ghi “Địa chỉ: …” ở chân trang." },
  "identity.phone": { measured: "Chân trang ghi số điện thoại.", fix: "Ghi “Điện thoại: …” ở chân trang." },
  "identity.email": { measured: "Chân trang ghi địa chỉ thư điện tử.", fix: "Ghi “Email: …” (địa chỉ .gov.vn) ở chân trang." },
  "attribution.withAuthor": { measured: "Tỷ lệ bài viết ghi tên tác giả.", fix: "Ghi tên tác giả (“Tác giả: …”, “Tin, ảnh: …”) ở cuối mỗi bài." },
  "attribution.withSource": { measured: "Tỷ lệ bài viết ghi nguồn tin.", fix: "Ghi nguồn tin (“Nguồn: …”, “Theo …”) với bài lấy lại từ nơi khác." },
  "technical.https": { measured: "Trang truy cập được qua HTTPS không lỗi chứng chỉ.", fix: "Cài chứng chỉ số hợp lệ và bật HTTPS." },
  "technical.sitemapXml": { measured: "Có tệp sitemap.xml.", fix: "Tạo /sitemap.xml liệt kê các trang (đa số CMS có sẵn chức năng này)." },
  "technical.search": { measured: "Trang chủ có ô tìm kiếm.", fix: "Bật chức năng tìm kiếm trên trang chủ." },
  "technical.viewport": { measured: "Trang khai báo hiển thị cho thiết bị di động (viewport).", fix: "Dùng giao diện tương thích di động và thẻ meta viewport." },
  "technical.langVi": { measured: "Trang khai báo ngôn ngữ tiếng Việt (lang=\"vi\").", fix: "Thêm lang=\"vi\" vào thẻ <html>." },
  "technical.imgAltRatio": { measured: "Tỷ lệ ảnh trên trang chủ có văn bản thay thế (alt).", fix: "Nhập mô tả ảnh (alt) khi đăng ảnh." },
  "technical.axeSeriousViolations": {
    measured: "Số lỗi tiếp cận nghiêm trọng trên trang chủ (axe-core, WCAG 2.0).",
    fix: "Sửa các lỗi tương phản màu, nhãn biểu mẫu, tên liên kết do công cụ kiểm tra liệt kê.",
  },
  "emc.script": {
    measured: "Trang chủ có mã giám sát của Hệ thống EMC (mã nhúng do đơn vị quản lý EMC cấp cho từng trang).",
    fix: "Đăng ký trang với Hệ thống EMC, nhận mã giám sát và chèn vào mọi trang (ít nhất trang chủ), thường trong phần đầu hoặc cuối trang.",
  },
  "emc.label": {
    measured: "Trang chủ hiển thị nhãn EMC; nhãn không có mã giám sát không được tính là đã kết nối.",
    fix: "Hiển thị nhãn EMC ở chân trang chủ, liên kết tới Hệ thống EMC, sau khi đã chèn mã giám sát.",
  },
  "homeLinks.present": {
    measured: "Số liên kết bắt buộc có trên trang chủ / số liên kết bắt buộc với loại đơn vị (Cổng Dịch vụ công quốc gia, hệ thống giải quyết TTHC của tỉnh, Cổng TTĐT tỉnh; Cổng TTĐT Chính phủ với cổng của tỉnh).",
    fix: "Thêm các liên kết còn thiếu vào trang chủ (khối “Liên kết” hoặc chân trang); phát hiện “Trang chủ thiếu liên kết tới …” nêu từng liên kết.",
  },
  "domain.govVn": { measured: "Trang dùng tên miền .gov.vn.", fix: "Chuyển trang sang tên miền .gov.vn của cơ quan (chuyển hướng tên miền cũ)." },
  "transport.httpsValid": { measured: "Chứng chỉ HTTPS hợp lệ (còn hạn, đúng tên miền, do tổ chức tin cậy cấp).", fix: "Gia hạn hoặc thay chứng chỉ số; cấu hình đủ chuỗi chứng chỉ." },
  "transport.httpRedirect": { measured: "Truy cập http:// được chuyển sang https://.", fix: "Cấu hình máy chủ chuyển hướng 301 từ HTTP sang HTTPS." },
  "domain.ipv6": { measured: "Tên miền có bản ghi AAAA (IPv6).", fix: "Khai báo địa chỉ IPv6 cho máy chủ và bản ghi AAAA." },
  "domain.dnssec": { measured: "Tên miền được ký số DNSSEC.", fix: "Bật DNSSEC cho tên miền tại nhà đăng ký/VNNIC." },
};

const PAGE_LOAD: MetricHelp = {
  measured: "Tốc độ tải trang đo bằng Lighthouse (di động) nhiều lần trong kỳ; lấy trung vị.",
  fix: "Giảm dung lượng ảnh, trì hoãn JavaScript không cần thiết, bật nén và bộ nhớ đệm trên máy chủ.",
};

/** What is measured and how to fix it, in Vietnamese. */
export function criterionHelpText(c: CriterionHelpInput): MetricHelp {
  const m = c.measure;
  if (m?.kind === "category" && m.category) {
    const label = CATEGORY_LABELS[m.category] ?? m.category;
    return {
      measured: `Chuyên mục “${label}” có trên trang (menu, liên kết hoặc đường dẫn) và có nội dung; chuyên mục rỗng (“Đang cập nhật”) được một phần điểm.`,
      fix: `Tạo chuyên mục “${label}” trên menu và đăng nội dung vào đó.`,
    };
  }
  const path = m?.metric ?? m?.numerator ?? "";
  if (METRIC_HELP[path]) return METRIC_HELP[path];
  if (path.startsWith("pageLoad.")) return PAGE_LOAD;
  return { measured: c.name, fix: "Xem các phát hiện gắn với tiêu chí để biết điểm bị trừ do đâu." };
}

/** The help of one criterion, collapsed (beside the criterion's name). */
export function CriterionHelp({ criterion }: { criterion: CriterionHelpInput }) {
  const h = criterionHelpText(criterion);
  return (
    <details className="criterion-help">
      <summary>Giải thích</summary>
      <dl>
        <dt>Đo gì</dt>
        <dd>{h.measured}</dd>
        <dt>Căn cứ pháp lý</dt>
        <dd>{criterion.legalBasis ?? "Chưa ghi căn cứ"}</dd>
        <dt>Cách khắc phục</dt>
        <dd>{h.fix}</dd>
      </dl>
    </details>
  );
}

/** Every criterion of the period's rubric with its help (unit page, after the points table). */
export function CriterionHelpList({ criteria }: { criteria: CriterionHelpInput[] }) {
  if (!criteria.length) return null;
  return (
    <details className="criterion-help-list">
      <summary>Giải thích các tiêu chí: đo gì, căn cứ pháp lý, cách khắc phục</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">Tiêu chí</th>
            <th scope="col">Đo gì</th>
            <th scope="col">Căn cứ pháp lý</th>
            <th scope="col">Cách khắc phục</th>
          </tr>
        </thead>
        <tbody>
          {criteria.map((c) => {
            const h = criterionHelpText(c);
            return (
              <tr key={c.code}>
                <td>{c.name}</td>
                <td>{h.measured}</td>
                <td>{c.legalBasis ?? "Chưa ghi căn cứ"}</td>
                <td>{h.fix}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </details>
  );
}

/** Loader helper: rubric criteria rows → help inputs. */
export function toHelpInputs(rows: { code: string; name: string; legal_basis: string | null; measure: unknown }[]): CriterionHelpInput[] {
  return rows.map((r) => ({ code: r.code, name: r.name, legalBasis: r.legal_basis, measure: (r.measure ?? null) as CriterionHelpInput["measure"] }));
}
