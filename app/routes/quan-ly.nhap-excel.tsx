import {
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { listGroups } from "../../db/queries/dashboard.ts";
import { importUnits } from "../../db/queries/units.ts";
import { requireMutation, requireUser } from "../lib/auth.server.ts";
import { parseUnitWorkbook, type RowError } from "../lib/unit-import.server.ts";
import { CsrfField } from "../components/csrf.tsx";
import { applyPendingRescores } from "../lib/rescore.server.ts";

const MAX_BYTES = 5 * 1024 * 1024;

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args, { roles: ["inspector"] });
  return null;
}

type Result = { ok: boolean; message: string; errors: RowError[] };

export async function action(args: ActionFunctionArgs): Promise<Result> {
  await requireUser(args, { roles: ["inspector"] });
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(args.request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_BYTES }));
  } catch {
    return { ok: false, message: "Tệp quá lớn (tối đa 5 MB) hoặc không đọc được.", errors: [] };
  }
  const { audit } = await requireMutation(args, { roles: ["inspector"], form });
  const file = form.get("file");
  if (!file || typeof file === "string" || file.size === 0) return { ok: false, message: "Chọn tệp Excel (.xlsx) để nhập.", errors: [] };
  const groups = (await listGroups(args.context.knex)).map((g) => g.code);
  const parsed = await parseUnitWorkbook(await file.arrayBuffer(), groups);
  if (parsed.fileError) return { ok: false, message: parsed.fileError, errors: [] };
  if (parsed.errors.length) {
    return { ok: false, message: `Có ${parsed.errors.length} dòng lỗi; chưa nhập dòng nào. Sửa tệp rồi nhập lại.`, errors: parsed.errors };
  }
  if (parsed.rows.length === 0) return { ok: false, message: "Tệp không có dòng dữ liệu nào.", errors: [] };
  const res = await importUnits(args.context.knex, parsed.rows);
  await audit("unit.import", "unit", null, { file: file.name, rows: parsed.rows.length, ...res });
  await applyPendingRescores(args.context.knex);
  return {
    ok: true,
    message: `Đã nhập ${parsed.rows.length} dòng: ${res.created} đơn vị mới, ${res.updated} đơn vị cập nhật, ${res.sitesAdded} website mới.`,
    errors: [],
  };
}

export default function ImportUnits() {
  const a = useActionData<typeof action>();
  return (
    <>
      <h1>Nhập danh sách đơn vị từ Excel</h1>
      <p>
        Tệp .xlsx, trang tính đầu tiên, một dòng tiêu đề với các cột: <strong>Tên đơn vị</strong>, <strong>Loại</strong> (Sở, Ban, UBND cấp huyện,
        UBND cấp xã, Đơn vị sự nghiệp, Cổng tỉnh), <strong>Nhóm</strong> (Sở, ban, ngành; UBND cấp huyện; UBND cấp xã), <strong>Website</strong>,{" "}
        <strong>Email thủ trưởng</strong>. Đơn vị trùng tên với đơn vị đã có sẽ được cập nhật. Nếu có dòng lỗi, không dòng nào được nhập.
      </p>
      {a ? (
        <p className={a.ok ? "notice" : "form-error"} role={a.ok ? "status" : "alert"}>
          {a.message}
        </p>
      ) : null}
      {a?.errors.length ? (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Bảng dữ liệu, cuộn ngang được">
          <table>
            <caption style={{ textAlign: "left" }}>Các dòng lỗi</caption>
            <thead>
              <tr>
                <th scope="col" className="num">Dòng</th>
                <th scope="col">Lỗi</th>
              </tr>
            </thead>
            <tbody>
              {a.errors.map((e) => (
                <tr key={e.row}>
                  <td className="num">{e.row}</td>
                  <td>{e.messages.join("; ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Form method="post" encType="multipart/form-data">
        <CsrfField />
        <div className="field">
          <label htmlFor="file">Tệp Excel</label>
          <input id="file" name="file" type="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required />
        </div>
        <button type="submit">Nhập</button>
      </Form>
    </>
  );
}
