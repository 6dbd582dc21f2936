// Chốt kỳ: the periods with their state, one period's pre-close checklist, closing it (the scores are
// frozen and the official report archived) and reopening a closed period with a reason. Inspectors only.
import type { ReactNode } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireMutation, requireUser } from "../lib/auth.server.ts";
import { closePageAction, loadClosePage } from "../lib/period-close.server.ts";
import { fmtDate } from "../lib/format.ts";
import { CsrfField } from "../components/csrf.tsx";

export const meta: MetaFunction = () => [{ title: "Chốt kỳ · Tuân Thủ" }];

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args, { roles: ["inspector"] });
  const ky = new URL(args.request.url).searchParams.get("ky");
  return loadClosePage(args.context.knex, ky);
}

export async function action(args: ActionFunctionArgs) {
  const { user, form } = await requireMutation(args, { roles: ["inspector"] });
  return closePageAction(args.context.knex, user, form, { ip: args.context.ip });
}

export default function ClosePeriods() {
  const d = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>();
  const nav = useNavigation();
  const busy = nav.state === "submitting";
  const s = d.selected;
  const c = s?.checklist;
  return (
    <>
      <h1>Chốt kỳ đánh giá</h1>
      <p>
        Sau khi một kỳ kết thúc, cán bộ kiểm tra xem danh sách kiểm tra trước khi chốt rồi chốt kỳ: điểm được giữ cố định và báo cáo chính
        thức (không còn dấu “bản nháp”) được lưu trữ ở trang <Link to="/bao-cao">Báo cáo</Link>. Kỳ đã chốt chỉ mở lại được kèm lý do, và việc
        mở lại được ghi vào nhật ký.
      </p>
      {a ? (
        <div className={a.ok ? "notice" : "form-error"} role={a.ok ? "status" : "alert"}>
          <p>
            {a.message}
            {a.ok && a.reportId ? (
              <>
                {" "}
                <a href={`/bao-cao/luu/${a.reportId}`} download>
                  Tải báo cáo chính thức
                </a>
              </>
            ) : null}
          </p>
        </div>
      ) : null}
      {d.error ? (
        <div className="form-error" role="alert">
          <p>{d.error}</p>
        </div>
      ) : null}

      {s && c ? (
        <section aria-labelledby="ky-chon">
          <h2 id="ky-chon">
            {s.label} ({fmtDate(s.startsOn)} – {fmtDate(s.endsOn)})
          </h2>
          <p>
            Trạng thái: <strong data-testid="period-state">{s.stateText}</strong>
          </p>
          <h3>Danh sách kiểm tra trước khi chốt</h3>
          <ul className="checklist" data-testid="checklist">
            <ChecklistItem ok={c.notAudited.length === 0} okText="Mọi đơn vị đều đã được kiểm tra trong kỳ." warnText={`${c.notAudited.length} đơn vị chưa được kiểm tra trong kỳ:`}>
              {c.notAudited.map((u) => (
                <li key={u.unitId}>
                  <Link to={`/don-vi/${u.unitId}`}>{u.name}</Link>
                </li>
              ))}
            </ChecklistItem>
            <ChecklistItem ok={c.allFailed.length === 0} okText="Không có đơn vị nào mà mọi lượt kiểm tra đều lỗi." warnText={`${c.allFailed.length} đơn vị có mọi lượt kiểm tra trong kỳ đều lỗi:`}>
              {c.allFailed.map((u) => (
                <li key={u.unitId}>
                  <Link to={`/don-vi/${u.unitId}`}>{u.name}</Link> — {u.failedAudits} lượt lỗi{u.lastError ? `: ${u.lastError}` : ""}
                </li>
              ))}
            </ChecklistItem>
            <ChecklistItem ok={c.pendingAppeals.length === 0} okText="Không còn giải trình chờ xử lý." warnText={`${c.pendingAppeals.length} giải trình đang chờ xử lý trên phát hiện của kỳ:`}>
              {c.pendingAppeals.map((p) => (
                <li key={p.appealId}>
                  <Link to={`/don-vi/${p.unitId}`}>{p.unitName}</Link> — phát hiện <code>{p.findingCode}</code>, gửi ngày {fmtDate(p.filedAt)}
                </li>
              ))}
            </ChecklistItem>
            <ChecklistItem ok={c.pendingAudits.length === 0} okText="Không còn lượt kiểm tra nào đang chờ hoặc đang chạy." warnText={`${c.pendingAudits.length} lượt kiểm tra của kỳ còn đang chờ hoặc đang chạy:`}>
              {c.pendingAudits.map((p) => (
                <li key={p.auditId}>
                  {p.unitName} — {p.siteUrl} ({p.status === "running" ? "đang chạy" : "đang chờ"})
                </li>
              ))}
            </ChecklistItem>
          </ul>

          {d.texts ? <ReportTexts code={s.code} texts={d.texts} busy={busy} /> : null}

          {s.state === "closed" ? (
            <>
              {s.officialReportId ? (
                <p>
                  <a href={`/bao-cao/luu/${s.officialReportId}`} download>
                    Tải báo cáo chính thức của kỳ
                  </a>
                </p>
              ) : null}
              <Form method="post" aria-labelledby="mo-lai">
                <h3 id="mo-lai">Mở lại kỳ</h3>
                <CsrfField />
                <input type="hidden" name="intent" value="reopen" />
                <input type="hidden" name="ky" value={s.code} />
                <p>
                  <label htmlFor="lyDo">Lý do mở lại (bắt buộc, tối đa 1000 ký tự, ghi vào nhật ký)</label>
                  <br />
                  <textarea id="lyDo" name="lyDo" required maxLength={1000} rows={3} cols={60} />
                </p>
                <div>
                  <button type="submit" disabled={busy}>
                    Mở lại kỳ
                  </button>
                </div>
              </Form>
            </>
          ) : s.refusal ? (
            <p className="warn">{s.refusal}</p>
          ) : (
            <Form method="post">
              <CsrfField />
              <input type="hidden" name="intent" value="close" />
              <input type="hidden" name="ky" value={s.code} />
              {c.clean ? (
                <p className="ok">Danh sách kiểm tra không còn mục nào cần lưu ý.</p>
              ) : (
                <p>
                  <input type="checkbox" id="xacNhan" name="xacNhan" value="1" required />{" "}
                  <label htmlFor="xacNhan">Tôi đã xem các mục cần lưu ý ở trên và vẫn chốt kỳ.</label>
                </p>
              )}
              <p className="muted">
                Chốt kỳ giữ cố định điểm của {s.label} và lưu trữ báo cáo chính thức; kỳ chỉ mở lại được kèm lý do.
              </p>
              <div>
                <button type="submit" disabled={busy}>
                  {busy ? "Đang chốt kỳ…" : `Chốt ${s.label}`}
                </button>
              </div>
            </Form>
          )}
        </section>
      ) : null}

      <h2>Các kỳ</h2>
      {d.periods.length === 0 ? <p>Chưa có kỳ nào.</p> : null}
      {d.periods.length ? (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Bảng các kỳ, cuộn ngang được">
          <table data-testid="periods">
            <thead>
              <tr>
                <th scope="col">Kỳ</th>
                <th scope="col">Thời gian</th>
                <th scope="col">Trạng thái</th>
                <th scope="col">Thao tác</th>
              </tr>
            </thead>
            <tbody>
              {d.periods.map((p) => (
                <tr key={p.code} aria-current={s?.code === p.code ? "true" : undefined}>
                  <td>{p.label}</td>
                  <td>
                    {fmtDate(p.startsOn)} – {fmtDate(p.endsOn)}
                  </td>
                  <td>{p.stateText}</td>
                  <td>
                    <Link to={`/chot-ky?ky=${encodeURIComponent(p.code)}`}>
                      {p.state === "open" ? "Kiểm tra và chốt" : p.state === "closed" ? "Xem, mở lại" : "Xem danh sách kiểm tra"}
                    </Link>
                    {p.officialReportId ? (
                      <>
                        {" · "}
                        <a href={`/bao-cao/luu/${p.officialReportId}`} download>
                          Báo cáo chính thức
                        </a>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

function ChecklistItem(props: { ok: boolean; okText: string; warnText: string; children: ReactNode }) {
  return (
    <li className={props.ok ? "ok" : "warn"}>
      {props.ok ? "✓ " : "⚠ "}
      {props.ok ? props.okText : props.warnText}
      {!props.ok ? <ul>{props.children}</ul> : null}
    </li>
  );
}


const LETTERHEAD_INPUTS: { name: "parentBody" | "department" | "abbreviation" | "place" | "signerTitle" | "signerName"; label: string; required: boolean }[] = [
  { name: "parentBody", label: "Cơ quan chủ quản (dòng trên)", required: true },
  { name: "department", label: "Cơ quan ban hành", required: true },
  { name: "abbreviation", label: "Chữ viết tắt (Số: …/BC-…)", required: true },
  { name: "place", label: "Địa danh (dòng ngày tháng)", required: true },
  { name: "signerTitle", label: "Chức vụ người ký", required: true },
  { name: "signerName", label: "Họ tên người ký", required: false },
];
const ASSESSMENT_INPUTS: { name: "overview" | "results" | "shortcomings" | "proposals"; label: string }[] = [
  { name: "overview", label: "I. Nhận xét chung" },
  { name: "results", label: "II. Kết quả đánh giá" },
  { name: "shortcomings", label: "III. Tồn tại, hạn chế" },
  { name: "proposals", label: "IV. Đề xuất, kiến nghị" },
];

type Texts = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["texts"]>;

/** The report's letterhead and assessment: editable until the period is closed, then shown frozen. */
function ReportTexts(props: { code: string; texts: Texts; busy: boolean }) {
  const t = props.texts;
  const ro = !t.editable;
  return (
    <Form method="post" aria-labelledby="van-ban" key={props.code}>
      <h3 id="van-ban">Văn bản báo cáo (thể thức Nghị định 30/2020)</h3>
      <p className="muted">
        {ro
          ? "Kỳ đã chốt: thông tin dưới đây được giữ cố định cùng kỳ và in trên báo cáo chính thức."
          : t.drafted
            ? "Phần nhận xét dưới đây được soạn sẵn từ số liệu; sửa lại nếu cần rồi bấm Lưu. Khi chốt kỳ, nội dung đã lưu được giữ cố định cùng kỳ."
            : "Nội dung đã lưu; khi chốt kỳ, nội dung này được giữ cố định cùng kỳ."}
      </p>
      <CsrfField />
      <input type="hidden" name="intent" value="texts" />
      <input type="hidden" name="ky" value={props.code} />
      <fieldset disabled={ro}>
        <legend>Tiêu đề và người ký</legend>
        {LETTERHEAD_INPUTS.map((f) => (
          <p key={f.name}>
            <label htmlFor={`vb-${f.name}`}>{f.label}</label>
            <br />
            <input id={`vb-${f.name}`} name={f.name} defaultValue={t.letterhead[f.name]} required={f.required} maxLength={200} size={50} />
          </p>
        ))}
        <p>
          <label htmlFor="vb-recipients">Nơi nhận (mỗi dòng một nơi)</label>
          <br />
          <textarea id="vb-recipients" name="recipients" defaultValue={t.letterhead.recipients.join("\n")} rows={4} cols={60} required />
        </p>
      </fieldset>
      <fieldset disabled={ro}>
        <legend>Nhận xét, đánh giá</legend>
        {ASSESSMENT_INPUTS.map((f) => (
          <p key={f.name}>
            <label htmlFor={`vb-${f.name}`}>{f.label}</label>
            <br />
            <textarea id={`vb-${f.name}`} name={f.name} defaultValue={t.assessment[f.name]} rows={4} cols={80} maxLength={5000} required />
          </p>
        ))}
      </fieldset>
      {ro ? null : (
        <div>
          <button type="submit" disabled={props.busy}>
            Lưu văn bản báo cáo
          </button>
        </div>
      )}
    </Form>
  );
}
