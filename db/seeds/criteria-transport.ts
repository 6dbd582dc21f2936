// Rubric criteria of the domain and transport checks (HD, issue 14 §3): crawler/checks/domain.ts
// and crawler/checks/transport.ts. HT composes them into the 2025 rubric version
// (db/seeds/rubric-default.ts) and scales the points to its budget.
// Unverified look-ups (resolver down, handshake cut) are listed in unverifiedMetrics and score as
// met (decision 0013); a metric absent because the crawl did not run the probe scores as met too
// (nullShare 1): a unit does not lose points to a check we did not run.
import type { CriterionInput } from "../scoring/measure.ts";

const CRITERIA_2025 = "Bộ tiêu chí đánh giá cổng/trang thông tin điện tử năm 2025 của Bộ KH&CN (05/2025)";

export const TRANSPORT_CRITERIA: CriterionInput[] = [
  {
    code: "ky-thuat.gov-vn",
    group: "ky-thuat",
    name: "Sử dụng tên miền .gov.vn",
    maxPoints: 1,
    measure: { kind: "boolean", metric: "domain.govVn", nullShare: 1, findingCodes: ["domain.not-gov-vn"] },
    legalBasis: CRITERIA_2025,
  },
  {
    code: "ky-thuat.https-hop-le",
    group: "ky-thuat",
    name: "HTTPS với chứng chỉ hợp lệ (còn hạn, đúng tên miền, do tổ chức tin cậy cấp)",
    maxPoints: 1.5,
    measure: { kind: "boolean", metric: "transport.httpsValid", nullShare: 1, findingCodes: ["transport.no-https", "transport.cert-invalid"] },
    legalBasis: `TT 32/2017/TT-BTTTT Điều 15; ${CRITERIA_2025} (an toàn thông tin)`,
  },
  {
    code: "ky-thuat.chuyen-huong-https",
    group: "ky-thuat",
    name: "Chuyển hướng truy cập HTTP sang HTTPS",
    maxPoints: 1,
    measure: { kind: "boolean", metric: "transport.httpRedirect", nullShare: 1, findingCodes: ["transport.no-https-redirect"] },
    legalBasis: `TT 32/2017/TT-BTTTT Điều 15; ${CRITERIA_2025} (an toàn thông tin)`,
  },
  {
    code: "ky-thuat.ipv6",
    group: "ky-thuat",
    name: "Hỗ trợ IPv6 (tên miền có bản ghi AAAA)",
    maxPoints: 0.75,
    measure: { kind: "boolean", metric: "domain.ipv6", nullShare: 1, findingCodes: ["domain.no-ipv6"] },
    legalBasis: "TT 32/2017/TT-BTTTT Điều 15 khoản 4",
  },
  {
    code: "ky-thuat.dnssec",
    group: "ky-thuat",
    name: "Tên miền được ký số DNSSEC",
    maxPoints: 0.75,
    measure: { kind: "boolean", metric: "domain.dnssec", nullShare: 1, findingCodes: ["domain.no-dnssec"] },
    legalBasis: "TT 32/2017/TT-BTTTT Điều 15 khoản 4",
  },
];
