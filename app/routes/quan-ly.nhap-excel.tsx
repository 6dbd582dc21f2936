import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { useState } from "react";
import { listGroups } from "../../db/queries/dashboard.ts";
import { importUnits, UnitImportError } from "../../db/queries/units.ts";
import { requireMutation, requireUser } from "../lib/auth.server.ts";
import { IMPORT_FILE_LIMIT, isBodyTooLarge, tooLargeMessage } from "../lib/body-limits.ts";
import { receiveUpload, type Upload } from "../lib/upload.server.ts";
import { parseUnitWorkbook, type RowError } from "../lib/unit-import.server.ts";
import { prewarmXlsxWorker } from "../lib/xlsx-worker.ts";
import { CsrfField } from "../components/csrf.tsx";
import { applyPendingRescores } from "../lib/rescore.server.ts";

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args, { roles: ["inspector"] });
  prewarmXlsxWorker(); // the parsing thread loads while the user picks a file
  return null;
}

/** Row errors per page of the error table (the action sends at most MAX_REPORTED_ERRORS). */
const ERRORS_PER_PAGE = 50;

type Result = { ok: boolean; message: string; errors: RowError[]; errorCount: number };

const fail = (status: number, message: string, errors: RowError[] = [], errorCount = 0) =>
  data<Result>({ ok: false, message, errors, errorCount }, { status });

export async function action(args: ActionFunctionArgs) {
  await requireUser(args, { roles: ["inspector"] });
  let upload: Upload;
  try {
    upload = await receiveUpload(args.request, "file", IMPORT_FILE_LIMIT);
  } catch (e) {
    if (isBodyTooLarge(e)) {
      return fail(413, `Tệp quá lớn: ${tooLargeMessage(IMPORT_FILE_LIMIT).toLowerCase()}`);
    }
    return fail(400, "Không đọc được dữ liệu gửi lên (biểu mẫu multipart bị hỏng). Hãy chọn lại tệp và thử lại.");
  }
  try {
    const { user, audit } = await requireMutation(args, { roles: ["inspector"], form: upload.form });
    const file = upload.file;
    if (!file || file.size === 0) return fail(400, "Chọn tệp Excel (.xlsx) để nhập.");
    const groups = (await listGroups(args.context.knex)).map((g) => g.code);
    const parsed = await parseUnitWorkbook(file.path, groups);
    if (parsed.fileError) return fail(400, parsed.fileError);
    if (parsed.errorCount) {
      const shown = parsed.errors.length < parsed.errorCount ? ` (hiển thị ${parsed.errors.length.toLocaleString("vi-VN")} dòng lỗi đầu tiên)` : "";
      return fail(400, `Có ${parsed.errorCount.toLocaleString("vi-VN")} dòng lỗi${shown}; chưa nhập dòng nào. Sửa tệp rồi nhập lại.`, parsed.errors, parsed.errorCount);
    }
    if (parsed.rows.length === 0) return fail(400, "Tệp không có dòng dữ liệu nào.");
    // HL: merges and renames of the file are refused as a whole with the row's message (decision 0016).
    let res: Awaited<ReturnType<typeof importUnits>>;
    try {
      res = await importUnits(args.context.knex, parsed.rows, { userId: user.id, actor: user.username, ip: args.context.ip ?? null });
    } catch (e) {
      if (e instanceof UnitImportError) return fail(400, e.message);
      throw e;
    }
    await audit("unit.import", "unit", null, { file: file.filename, rows: parsed.rows.length, ...res });
    await applyPendingRescores(args.context.knex);
    return data<Result>({
      ok: true,
      message: `Đã nhập ${parsed.rows.length} dòng: ${res.created} đơn vị mới, ${res.updated} đơn vị cập nhật, ${res.sitesAdded} website mới${res.merged ? `, ${res.merged} đơn vị sáp nhập` : ""}${res.renamed ? `, ${res.renamed} đơn vị đổi tên` : ""}.`,
      errors: [],
      errorCount: 0,
    });
  } finally {
    upload.cleanup();
  }
}

function RowErrors({ errors }: { errors: RowError[] }) {
  const [page, setPage] = useState(0);
  const pages = Math.ceil(errors.length / ERRORS_PER_PAGE);
  const shown = errors.slice(page * ERRORS_PER_PAGE, (page + 1) * ERRORS_PER_PAGE);
  return (
    <>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Bảng dữ liệu, cuộn ngang được">
        <table>
          <caption style={{ textAlign: "left" }}>
            Các dòng lỗi{pages > 1 ? ` (trang ${page + 1}/${pages})` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col" className="num">Dòng</th>
              <th scope="col">Lỗi</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.row}>
                <td className="num">{e.row}</td>
                <td>{e.messages.join("; ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <nav aria-label="Trang lỗi" className="filters">
          <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
            Trang trước
          </button>
          <button type="button" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
            Trang sau
          </button>
        </nav>
      ) : null}
    </>
  );
}

export default function ImportUnits() {
  const a = useActionData<typeof action>();
  return (
    <>
      <h1>Nhập danh sách đơn vị từ Excel</h1>
      <p>
        Tệp .xlsx (tối đa 10 MB, 10.000 dòng), trang tính đầu tiên, một dòng tiêu đề với các cột: <strong>Tên đơn vị</strong>, <strong>Loại</strong> (Sở, Ban, UBND cấp huyện,
        UBND cấp xã, Đơn vị sự nghiệp, Cổng tỉnh), <strong>Nhóm</strong> (các nhóm đã khai báo, ví dụ Sở, ban, ngành; UBND xã, phường, đặc khu; Đơn vị sự nghiệp), <strong>Website</strong>,{" "}
        <strong>Email thủ trưởng</strong>; tùy chọn <strong>Sáp nhập từ</strong> (tên các đơn vị được sáp nhập vào đơn vị của dòng, cách nhau bởi dấu ;), <strong>Tên cũ</strong> (đơn vị đổi tên) và <strong>Ngày hiệu lực</strong> (dd/mm/yyyy, bắt buộc khi có một trong hai cột trên). Đơn vị trùng tên với đơn vị đã có sẽ được cập nhật. Mỗi dòng được kiểm tra như biểu mẫu đơn vị. Nếu có dòng lỗi, không dòng nào được nhập.
      </p>
      {a ? (
        <p className={a.ok ? "notice" : "form-error"} role={a.ok ? "status" : "alert"}>
          {a.message}
        </p>
      ) : null}
      {a?.errors.length ? <RowErrors key={a.message} errors={a.errors} /> : null}
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
