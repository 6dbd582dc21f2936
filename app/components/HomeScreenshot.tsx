// The home page as Chromium showed it during the latest audit that took a screenshot (issue 13 §4).
import { fmtDateTime } from "../lib/format.ts";

export interface HomeScreenshotData {
  siteAuditId: number;
  url: string;
  takenAt: string | Date;
}

export function HomeScreenshot({ shot }: { shot: HomeScreenshotData | null }) {
  if (!shot) return null;
  return (
    <figure className="home-screenshot">
      <a href={`/anh-chup/${shot.siteAuditId}`} target="_blank" rel="noreferrer">
        <img src={`/anh-chup/${shot.siteAuditId}`} alt={`Ảnh chụp trang chủ ${shot.url} khi kiểm tra`} width={640} height={360} loading="lazy" style={{ maxWidth: "100%", height: "auto", border: "1px solid var(--line)" }} />
      </a>
      <figcaption>
        Ảnh chụp trang chủ bằng trình duyệt Chromium lúc {fmtDateTime(shot.takenAt)} ({shot.url}); hình ảnh, phông chữ và video của trang không được tải khi chụp.
      </figcaption>
    </figure>
  );
}
