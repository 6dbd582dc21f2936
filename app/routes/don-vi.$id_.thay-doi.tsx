// What changed between two audits of a unit's site: findings new or fixed, pages and posts
// added or removed. Issue 15 §3.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { diffAudits, listUnitDoneAudits } from "../../db/queries/compare.ts";
import { getUnitInfo } from "../../db/queries/dashboard.ts";
import { canSeeUnit, requireUser } from "../lib/auth.server.ts";
import { fmtDateTime } from "../lib/format.ts";
import { toId } from "../lib/ids.ts";

export const meta: MetaFunction = () => [{ title: "Thay đổi giữa hai lần kiểm tra · Tuân Thủ" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const { knex } = args.context;
  const unitId = toId(args.params.id);
  if (!Number.isInteger(unitId) || unitId <= 0 || !canSeeUnit(user, unitId)) throw new Response("Không tìm thấy đơn vị hoặc bạn không có quyền xem đơn vị này.", { status: 404 });
  const unit = await getUnitInfo(knex, unitId);
  if (!unit) throw new Response("Không tìm thấy đơn vị.", { status: 404 });
  const audits = await listUnitDoneAudits(knex, unitId);
  const sp = new URL(args.request.url).searchParams;
  const pick = (v: string | null) => audits.find((a) => String(a.id) === v);
  // Default: the newest audit and the audit of the same site before it.
  const after = pick(sp.get("sau")) ?? audits[0];
  const before = pick(sp.get("truoc")) ?? audits.find((a) => after && a.siteId === after.siteId && a.id !== after.id && a.referenceTime <= after.referenceTime);
  const options = audits.map((a) => ({ id: a.id, label: `${fmtDateTime(a.referenceTime)} · ${a.baseUrl}` }));
  if (!after || !before) return { unit: { id: unit.id, name: unit.name }, options, before: null, after: null, diff: null, sameSite: true };
  if (before.id === after.id) throw new Response("Hãy chọn hai lần kiểm tra khác nhau.", { status: 400 });
  const diff = await diffAudits(knex, unitId, before.id, after.id);
  return {
    unit: { id: unit.id, name: unit.name },
    options,
    before: { id: before.id, label: `${fmtDateTime(before.referenceTime)} · ${before.baseUrl}` },
    after: { id: after.id, label: `${fmtDateTime(after.referenceTime)} · ${after.baseUrl}` },
    diff,
    sameSite: before.siteId === after.siteId,
  };
}

type Finding = { code: string; categoryId: string | null; url: string | null; message: string };

function FindingList({ items, empty }: { items: Finding[]; empty: string }) {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul>
      {items.map((f, i) => (
        <li key={i}>
          {f.message} <span className="muted">({f.code}{f.url ? ` · ${f.url}` : ""})</span>
        </li>
      ))}
    </ul>
  );
}

function PageList({ items, empty }: { items: { url: string; kind: string | null; title: string | null }[]; empty: string }) {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <details>
      <summary>{items.length.toLocaleString("vi-VN")} trang</summary>
      <ul>
        {items.map((p) => (
          <li key={p.url}>
            {p.title ? `${p.title} · ` : ""}
            <span className="muted">{p.url}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}

export default function AuditChanges() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Thay đổi giữa hai lần kiểm tra: {d.unit.name}</h1>
      <p>
        <Link to={`/don-vi/${d.unit.id}`}>← Trang đơn vị</Link>
      </p>
      {!d.before || !d.after || !d.diff ? (
        <p>Đơn vị cần ít nhất hai lần kiểm tra hoàn tất của cùng một trang để so sánh.</p>
      ) : (
        <>
          <Form method="get" className="filters" aria-label="Chọn hai lần kiểm tra">
            <div>
              <label htmlFor="truoc">Lần trước</label>
              <select id="truoc" name="truoc" defaultValue={d.before.id}>
                {d.options.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.label}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="sau">Lần sau</label>
              <select id="sau" name="sau" defaultValue={d.after.id}>
                {d.options.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.label}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <button type="submit">So sánh</button>
            </div>
          </Form>
          {!d.sameSite && <p className="bad">Hai lần kiểm tra thuộc hai trang web khác nhau của đơn vị.</p>}
          <p className="muted">
            Từ {d.before.label} đến {d.after.label}: {d.diff.newFindings.length} lỗi mới, {d.diff.fixedFindings.length} lỗi đã khắc phục,{" "}
            {d.diff.pagesAdded.length} trang mới ({d.diff.postsAdded} bài viết), {d.diff.pagesRemoved.length} trang không còn ({d.diff.postsRemoved} bài viết).
          </p>
          <h2>Lỗi mới</h2>
          <FindingList items={d.diff.newFindings} empty="Không có lỗi mới." />
          <h2>Lỗi đã khắc phục</h2>
          <FindingList items={d.diff.fixedFindings} empty="Không có lỗi nào được khắc phục." />
          <h2>Trang mới</h2>
          <PageList items={d.diff.pagesAdded} empty="Không có trang mới." />
          <h2>Trang không còn</h2>
          <PageList items={d.diff.pagesRemoved} empty="Không có trang nào biến mất." />
        </>
      )}
    </>
  );
}
