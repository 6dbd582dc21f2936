import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getEvidencePage, getPageFindings } from "../../db/queries/dashboard.ts";
import { getAuditPageIds } from "../../db/queries/evidence-pages.ts";
import { notFound, requireUnitAccess, requireUser } from "../lib/auth.server.ts";
import { fmtDateTime, SEVERITY_LABELS } from "../lib/format.ts";
import { toId } from "../lib/ids.ts";

export const meta: MetaFunction = () => [{ title: "Bằng chứng · Tuân Thủ" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const pageId = toId(args.params.pageId);
  if (!Number.isInteger(pageId) || pageId <= 0) throw notFound();
  const page = await getEvidencePage(args.context.knex, pageId);
  if (!page) throw notFound("Không tìm thấy trang đã lưu.");
  requireUnitAccess(user, page.unit_id);
  const findings = (await getPageFindings(args.context.knex, pageId)).map((f) => ({ ...f, searched: searchedOf(f.details), searchedIn: searchedInOf(f.details) }));
  // The other stored pages a finding points to (where a missing category was looked for).
  const ids = await getAuditPageIds(args.context.knex, page.site_audit_id, findings.flatMap((f) => f.searchedIn.map((s) => s.url)));
  return { page, findings: findings.map((f) => ({ ...f, searchedIn: f.searchedIn.map((s) => ({ ...s, pageId: ids.get(s.url) ?? null })) })) };
}

function searchedOf(details: Record<string, unknown> | null): { labels: string[]; slugs: string[] } | null {
  const s = details?.searched as { labels?: unknown; slugs?: unknown } | undefined;
  if (!s || typeof s !== "object") return null;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  return { labels: strings(s.labels), slugs: strings(s.slugs) };
}

function searchedInOf(details: Record<string, unknown> | null): { url: string; role: string }[] {
  const list = details?.searchedIn;
  if (!Array.isArray(list)) return [];
  return list.filter((x): x is { url: string; role: string } => !!x && typeof x.url === "string" && typeof x.role === "string");
}

export default function Evidence() {
  const { page, findings } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to={`/don-vi/${page.unit_id}`}>← {page.unit_name}</Link>
      </p>
      <h1>Bằng chứng: trang đã lưu khi kiểm tra</h1>
      <dl className="meta">
        <dt>Địa chỉ</dt>
        <dd>{page.url}</dd>
        {page.final_url && page.final_url !== page.url ? (
          <>
            <dt>Chuyển hướng tới</dt>
            <dd>{page.final_url}</dd>
          </>
        ) : null}
        <dt>Thời điểm tải</dt>
        <dd>{fmtDateTime(page.fetched_at)}</dd>
        <dt>Mã trạng thái HTTP</dt>
        <dd>{page.status ?? "—"}</dd>
        <dt>Kiểu nội dung</dt>
        <dd>
          {page.content_type ?? "—"}
          {page.charset_declared ? ` · bảng mã khai báo: ${page.charset_declared}` : ""}
        </dd>
        <dt>Dung lượng</dt>
        <dd>{page.size_bytes != null ? `${page.size_bytes.toLocaleString("vi-VN")} byte` : "—"}</dd>
        <dt>Dựng bằng trình duyệt</dt>
        <dd>{page.rendered ? "Có" : "Không"}</dd>
        <dt>Mã băm nội dung (SHA-256)</dt>
        <dd>
          <code>{page.content_hash ?? "—"}</code>
        </dd>
        {page.error ? (
          <>
            <dt>Lỗi</dt>
            <dd className="bad">{page.error}</dd>
          </>
        ) : null}
      </dl>
      {findings.length ? (
        <>
          <h2>Phát hiện trên trang này</h2>
          <ul>
            {findings.map((f) => (
              <li key={f.id}>
                [{SEVERITY_LABELS[f.severity] ?? f.severity}] {f.message}
                {f.snippet ? (
                  <>
                    {" "}
                    — <q>{f.snippet}</q>
                  </>
                ) : null}
                {typeof f.details?.preview === "string" ? <> → <span className="preview">{f.details.preview}</span></> : null}
                {f.searched ? (
                  <p className="muted">
                    Đã tìm theo tên: {f.searched.labels.map((l) => `“${l}”`).join(", ") || "—"}; theo đường dẫn: {f.searched.slugs.map((x) => `/${x}`).join(", ") || "—"}.
                  </p>
                ) : null}
                {f.searchedIn.length ? (
                  <>
                    Đã tìm trên các trang đã lưu:
                    <ul>
                      {f.searchedIn.map((s) => (
                        <li key={s.url}>
                          {s.role}: {s.pageId ? <Link to={`/bang-chung/${s.pageId}`}>{s.url}</Link> : s.url}
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>Nội dung trang đã lưu</h2>
      <p className="muted">
        Hiển thị trong khung cách ly: không chạy mã JavaScript, không tải tài nguyên bên ngoài. Bên trái là đúng các byte trang đã trả về, với bảng mã
        của trang; bên phải là cùng nội dung được chuyển sang Unicode (văn bản mã cũ TCVN3, VNI, VISCII… được chuyển đổi) để đọc được trên mọi máy.
      </p>
      {page.content_hash ? (
        <div className="evidence-views" style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(420px, 1fr))", gap: "1rem" }}>
          <section aria-labelledby="ban-goc">
            <h3 id="ban-goc">Như trang đã phục vụ{page.charset_declared ? ` (bảng mã ${page.charset_declared})` : ""}</h3>
            <iframe className="evidence-frame" title={`Bản lưu của trang ${page.url}`} sandbox="" src={`/ban-goc/${page.id}`} />
          </section>
          <section aria-labelledby="ban-unicode">
            <h3 id="ban-unicode">Bản xem trước đã chuyển sang Unicode</h3>
            <iframe className="evidence-preview" style={{ width: "100%", height: "70vh", border: "1px solid var(--line)" }} title={`Bản xem trước Unicode của trang ${page.url}`} sandbox="" src={`/ban-goc/${page.id}?unicode=1`} />
          </section>
        </div>
      ) : (
        <p>Không có bản lưu nội dung của trang này.</p>
      )}
    </>
  );
}
