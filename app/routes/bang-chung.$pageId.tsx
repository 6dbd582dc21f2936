import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getEvidencePage, getPageFindings } from "../../db/queries/dashboard.ts";
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
  const findings = await getPageFindings(args.context.knex, pageId);
  return { page, findings };
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
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>Nội dung trang đã lưu</h2>
      <p className="muted">Hiển thị trong khung cách ly: không chạy mã JavaScript, không tải tài nguyên bên ngoài.</p>
      {page.content_hash ? (
        <iframe className="evidence-frame" title={`Bản lưu của trang ${page.url}`} sandbox="" src={`/ban-goc/${page.id}`} />
      ) : (
        <p>Không có bản lưu nội dung của trang này.</p>
      )}
    </>
  );
}
