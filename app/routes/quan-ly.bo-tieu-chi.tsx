import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { copyRubric, getRubric, listRubricVersions, previewRubricPublish, publishRubric, updateDraftCriteria, type PublishPreview } from "../../db/queries/rubric.ts";
import { applyPendingRescores } from "../lib/rescore.server.ts";
import { ScoringError } from "../../db/scoring/errors.ts";
import { requireMutation, requireUser } from "../lib/auth.server.ts";
import { parseVnDate } from "../lib/dates.ts";
import { CRITERION_GROUP_LABELS, CRITERION_GROUPS, fmtDate, fmtScore } from "../lib/format.ts";
import { CsrfField } from "../components/csrf.tsx";
import { toId } from "../lib/ids.ts";
import { CriterionHelp } from "../components/CriterionHelp.tsx";

const STATUS_LABELS: Record<string, string> = { draft: "Bản nháp", published: "Đã ban hành", archived: "Lưu trữ" };

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args, { roles: ["inspector"] });
  const { knex } = args.context;
  const versions = await listRubricVersions(knex);
  const wanted = Number(new URL(args.request.url).searchParams.get("v"));
  const selectedId = versions.find((v) => v.id === wanted)?.id ?? versions.find((v) => v.status === "draft")?.id ?? versions[0]?.id;
  const rubric = selectedId ? await getRubric(knex, selectedId) : null;
  return { versions, rubric };
}

type Result = { ok: boolean; message: string; code?: string; preview?: PublishPreview & { effectiveFrom: string; versionId: number } };

function errorResult(err: unknown): Result {
  if (err instanceof ScoringError) return { ok: false, message: err.message };
  throw err;
}

export async function action(args: ActionFunctionArgs) {
  const { user, form } = await requireMutation(args, { roles: ["inspector"] });
  const { knex } = args.context;
  const intent = String(form.get("intent") ?? "");
  const versionId = toId(form.get("versionId"));
  if (!Number.isInteger(versionId) || versionId <= 0) return { ok: false, message: "Chưa chọn phiên bản." } as Result;
  // copyRubric / updateDraftCriteria / publishRubric write their own audit_log rows.
  try {
    if (intent === "copy") {
      const id = await copyRubric(knex, { fromVersionId: versionId, userId: user.id });
      return redirect(`/quan-ly/bo-tieu-chi?v=${id}`);
    }
    if (intent === "save" || intent === "add") {
      const code = String(form.get("code") ?? "").trim();
      let measure: unknown;
      try {
        measure = JSON.parse(String(form.get("measure") ?? ""));
      } catch {
        return { ok: false, code, message: "Cách đo (measure) phải là JSON hợp lệ." } as Result;
      }
      const maxPoints = Number(String(form.get("maxPoints") ?? "").replace(",", "."));
      if (!Number.isFinite(maxPoints) || maxPoints < 0) return { ok: false, code, message: "Điểm tối đa phải là số không âm." } as Result;
      await updateDraftCriteria(
        knex,
        versionId,
        {
          upsert: [
            {
              code,
              group: String(form.get("group") ?? "") as (typeof CRITERION_GROUPS)[number],
              name: String(form.get("name") ?? ""),
              maxPoints,
              measure: measure as never,
              legalBasis: String(form.get("legalBasis") ?? "").trim() || null,
            },
          ],
        },
        user.id,
      );
      return { ok: true, message: intent === "add" ? `Đã thêm tiêu chí ${code}.` : `Đã lưu tiêu chí ${code}.` } as Result;
    }
    if (intent === "remove") {
      const code = String(form.get("code") ?? "");
      await updateDraftCriteria(knex, versionId, { remove: [code] }, user.id);
      return { ok: true, message: `Đã xóa tiêu chí ${code}.` } as Result;
    }
    if (intent === "publish") {
      const day = parseVnDate(String(form.get("effectiveFrom") ?? ""));
      if (!day) return { ok: false, code: "_publish", message: "Ngày hiệu lực phải có dạng dd/mm/yyyy." } as Result;
      // First what it would change, then the inspector confirms.
      if (form.get("confirm") !== "1") {
        const preview = await previewRubricPublish(knex, { versionId, effectiveFrom: day });
        return { ok: true, code: "_preview", message: "Xem trước ảnh hưởng của việc ban hành, rồi xác nhận.", preview: { ...preview, effectiveFrom: day, versionId } } as Result;
      }
      await publishRubric(knex, { versionId, effectiveFrom: day, userId: user.id });
      await applyPendingRescores(knex);
      return { ok: true, message: `Đã ban hành, hiệu lực từ ${fmtDate(day)}; điểm các kỳ chưa chốt đã được tính lại.` } as Result;
    }
  } catch (err) {
    return errorResult(err);
  }
  return { ok: false, message: "Thao tác không hợp lệ." } as Result;
}

export default function RubricEditor() {
  const { versions, rubric } = useLoaderData<typeof loader>();
  const a = useActionData<typeof action>() as Result | undefined;
  const draft = rubric?.version.status === "draft";
  return (
    <>
      <h1>Bộ tiêu chí chấm điểm</h1>
      {a ? (
        <p className={a.ok ? "notice" : "form-error"} role={a.ok ? "status" : "alert"}>
          {a.message}
        </p>
      ) : null}
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Bảng dữ liệu, cuộn ngang được">
        <table>
          <thead>
            <tr>
              <th scope="col">Bộ tiêu chí</th>
              <th scope="col" className="num">Phiên bản</th>
              <th scope="col">Trạng thái</th>
              <th scope="col">Hiệu lực từ</th>
              <th scope="col" className="num">Tổng điểm</th>
              <th scope="col">Thao tác</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id}>
                <td>
                  <Link to={`?v=${v.id}`} aria-current={rubric?.version.id === v.id ? "true" : undefined}>
                    {v.name}
                  </Link>
                </td>
                <td className="num">{v.version}</td>
                <td>{STATUS_LABELS[v.status] ?? v.status}</td>
                <td>{fmtDate(v.effective_from)}</td>
                <td className="num">{fmtScore(v.total_points)}</td>
                <td>
                  <Form method="post">
                    <CsrfField />
                    <input type="hidden" name="intent" value="copy" />
                    <input type="hidden" name="versionId" value={v.id} />
                    <button type="submit" className="secondary" aria-label={`Sao chép ${v.name} phiên bản ${v.version} thành bản nháp`}>
                      Sao chép thành bản nháp
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {rubric ? (
        <section aria-labelledby="tieu-chi">
          <h2 id="tieu-chi">
            {rubric.version.name} — phiên bản {rubric.version.version} ({STATUS_LABELS[rubric.version.status]}, tổng {fmtScore(rubric.totalPoints)} điểm)
          </h2>
          {rubric.version.legal_basis ? <p>Căn cứ: {rubric.version.legal_basis}</p> : null}
          {!draft ? <p className="muted">Phiên bản đã ban hành không sửa trực tiếp được; hãy sao chép thành bản nháp.</p> : null}
          <div className="table-wrap" tabIndex={0} role="region" aria-label="Bảng dữ liệu, cuộn ngang được">
            <table>
              <thead>
                <tr>
                  <th scope="col">Mã</th>
                  <th scope="col">Nhóm</th>
                  <th scope="col">Tên tiêu chí</th>
                  <th scope="col" className="num">Điểm tối đa</th>
                  <th scope="col">Cách đo</th>
                  {draft ? <th scope="col">Thao tác</th> : null}
                </tr>
              </thead>
              <tbody>
                {rubric.criteria.map((c) =>
                  draft ? (
                    <tr key={c.code}>
                      <td>
                        <code>{c.code}</code>
                      </td>
                      <td colSpan={4}>
                        <Form method="post" className="filters" id={`crit-${c.id}`}>
                          <CsrfField />
                          <input type="hidden" name="intent" value="save" />
                          <input type="hidden" name="versionId" value={rubric.version.id} />
                          <input type="hidden" name="code" value={c.code} />
                          <div>
                            <label htmlFor={`g-${c.id}`}>Nhóm</label>
                            <select id={`g-${c.id}`} name="group" defaultValue={c.group_code}>
                              {CRITERION_GROUPS.map((g) => (
                                <option key={g} value={g}>
                                  {CRITERION_GROUP_LABELS[g]}
                                </option>
                              ))}
                            </select>
                          </div>
                          <div>
                            <label htmlFor={`n-${c.id}`}>Tên</label>
                            <input id={`n-${c.id}`} name="name" defaultValue={c.name} size={30} />
                          </div>
                          <div>
                            <label htmlFor={`p-${c.id}`}>Điểm tối đa</label>
                            <input id={`p-${c.id}`} name="maxPoints" defaultValue={String(c.max_points)} size={5} inputMode="decimal" />
                          </div>
                          <div>
                            <label htmlFor={`m-${c.id}`}>Cách đo (JSON)</label>
                            <textarea id={`m-${c.id}`} name="measure" defaultValue={JSON.stringify(c.measure)} rows={2} cols={40} />
                          </div>
                          <input type="hidden" name="legalBasis" value={c.legal_basis ?? ""} />
                          <button type="submit">Lưu</button>
                        </Form>
                      </td>
                      <td>
                        <Form method="post">
                          <CsrfField />
                          <input type="hidden" name="intent" value="remove" />
                          <input type="hidden" name="versionId" value={rubric.version.id} />
                          <input type="hidden" name="code" value={c.code} />
                          <button type="submit" className="danger" aria-label={`Xóa tiêu chí ${c.code}`}>
                            Xóa
                          </button>
                        </Form>
                      </td>
                    </tr>
                  ) : (
                    <tr key={c.code}>
                      <td>
                        <code>{c.code}</code>
                      </td>
                      <td>{CRITERION_GROUP_LABELS[c.group_code] ?? c.group_code}</td>
                      <td>
                        {c.name}
                        <CriterionHelp criterion={{ code: c.code, name: c.name, legalBasis: c.legal_basis, measure: c.measure }} />
                      </td>
                      <td className="num">{fmtScore(c.max_points)}</td>
                      <td>
                        <code style={{ fontSize: ".8rem" }}>{JSON.stringify(c.measure)}</code>
                      </td>
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          </div>
          {draft ? (
            <>
              <h3>Thêm tiêu chí</h3>
              <Form method="post" className="filters">
                <CsrfField />
                <input type="hidden" name="intent" value="add" />
                <input type="hidden" name="versionId" value={rubric.version.id} />
                <div>
                  <label htmlFor="new-code">Mã</label>
                  <input id="new-code" name="code" placeholder="vd: ky-thuat.https" />
                </div>
                <div>
                  <label htmlFor="new-group">Nhóm</label>
                  <select id="new-group" name="group">
                    {CRITERION_GROUPS.map((g) => (
                      <option key={g} value={g}>
                        {CRITERION_GROUP_LABELS[g]}
                      </option>
                    ))}
                  </select>
                </div>
                <div>
                  <label htmlFor="new-name">Tên</label>
                  <input id="new-name" name="name" size={30} />
                </div>
                <div>
                  <label htmlFor="new-points">Điểm tối đa</label>
                  <input id="new-points" name="maxPoints" size={5} inputMode="decimal" />
                </div>
                <div>
                  <label htmlFor="new-measure">Cách đo (JSON)</label>
                  <textarea id="new-measure" name="measure" rows={2} cols={40} defaultValue='{"kind":"boolean","metric":"technical.https"}' />
                </div>
                <button type="submit">Thêm</button>
              </Form>
              <h3>Ban hành</h3>
              {a?.preview && a.preview.versionId === rubric.version.id ? <PublishPreviewBox p={a.preview} /> : null}
              <Form method="post" className="filters">
                <CsrfField />
                <input type="hidden" name="intent" value="publish" />
                <input type="hidden" name="versionId" value={rubric.version.id} />
                <div>
                  <label htmlFor="effectiveFrom">Ngày hiệu lực (dd/mm/yyyy)</label>
                  <input id="effectiveFrom" name="effectiveFrom" placeholder="01/01/2027" inputMode="numeric" />
                </div>
                <button type="submit">Xem trước ảnh hưởng</button>
              </Form>
            </>
          ) : null}
        </section>
      ) : (
        <p>Chưa có bộ tiêu chí nào.</p>
      )}
    </>
  );
}

function PublishPreviewBox({ p }: { p: PublishPreview & { effectiveFrom: string; versionId: number } }) {
  return (
    <section className="notice" aria-label="Ảnh hưởng của việc ban hành" data-testid="publish-preview">
      <p>
        Ban hành với hiệu lực từ <strong>{fmtDate(p.effectiveFrom)}</strong> sẽ tính lại {p.periods.length} kỳ chưa chốt
        {p.periods.length ? ` (${p.periods.join(", ")})` : ""}: <strong>{p.unitsChanged}</strong> đơn vị thay đổi điểm hoặc thứ hạng (
        {p.totalChanged} lượt đổi điểm, {p.rankChanged} lượt đổi thứ hạng trên {p.compared} lượt đơn vị × kỳ).
      </p>
      <p>
        {p.largest
          ? `Thay đổi lớn nhất: ${p.largest.unitName}, kỳ ${p.largest.periodCode}: ${fmtScore(p.largest.before)} → ${fmtScore(p.largest.after)} (${p.largest.delta > 0 ? "+" : ""}${fmtScore(p.largest.delta)} điểm).`
          : "Không đơn vị nào thay đổi điểm."}
      </p>
      <Form method="post">
        <CsrfField />
        <input type="hidden" name="intent" value="publish" />
        <input type="hidden" name="versionId" value={p.versionId} />
        <input type="hidden" name="effectiveFrom" value={fmtDate(p.effectiveFrom)} />
        <input type="hidden" name="confirm" value="1" />
        <button type="submit">Xác nhận ban hành</button>
      </Form>
    </section>
  );
}
