// Filing an appeal (from a finding on the unit page): the text and up to 3 attachments (PDF or
// images, 5 MB each, checked by their content). On success: the appeal's own page, whose status
// the unit head can follow. On a refusal: the message and a way back; nothing is stored.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { z } from "zod";
import { getFinding } from "../../db/queries/dashboard.ts";
import { fileAppealAction } from "../lib/appeals.server.ts";
import { APPEAL_FILE_LIMIT, checkAttachments } from "../lib/appeal-files.server.ts";
import { requireMutation, requireUser } from "../lib/auth.server.ts";
import { isBodyTooLarge } from "../lib/body-limits.ts";
import { MAX_ID } from "../lib/ids.ts";

export const meta: MetaFunction = () => [{ title: "Gửi giải trình · Tuân Thủ" }];

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args, { roles: ["unit_head"] });
  throw redirect("/giai-trinh");
}

const schema = z.object({
  findingId: z.coerce.number({ message: "Phát hiện không hợp lệ." }).int().positive().max(MAX_ID),
  explanation: z
    .string({ message: "Nhập nội dung giải trình." })
    .trim()
    .min(10, "Nội dung giải trình cần ít nhất 10 ký tự.")
    .max(4000, "Nội dung giải trình quá dài (tối đa 4000 ký tự)."),
});

type Result = { ok: false; error: string; unitId: number | null };

export async function action(args: ActionFunctionArgs) {
  await requireUser(args, { roles: ["unit_head"] });
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(
      args.request,
      unstable_createMemoryUploadHandler({ maxPartSize: APPEAL_FILE_LIMIT }),
    );
  } catch (e) {
    if (isBodyTooLarge(e)) return { ok: false, error: "Tệp quá lớn (tối đa 5 MB mỗi tệp).", unitId: null } satisfies Result;
    return { ok: false, error: "Không đọc được dữ liệu gửi lên (cần biểu mẫu multipart). Hãy chọn lại tệp và thử lại.", unitId: null } satisfies Result;
  }
  const { user } = await requireMutation(args, { roles: ["unit_head"], form });
  const parsed = schema.safeParse({ findingId: form.get("findingId"), explanation: form.get("explanation") });
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0].message, unitId: user.unitId } satisfies Result;
  const finding = await getFinding(args.context.knex, parsed.data.findingId);
  if (!finding || finding.unit_id !== user.unitId) return { ok: false, error: "Không tìm thấy phát hiện của đơn vị bạn.", unitId: user.unitId } satisfies Result;
  const files: { filename: string; body: Buffer }[] = [];
  for (const v of form.getAll("attachments")) {
    if (typeof v === "string") continue;
    files.push({ filename: (v as File).name ?? "", body: Buffer.from(await (v as Blob).arrayBuffer()) });
  }
  const checked = checkAttachments(files);
  if (!checked.ok) return { ok: false, error: checked.error, unitId: user.unitId } satisfies Result;
  const res = await fileAppealAction(args.context.knex, { findingId: finding.id, userId: user.id, explanation: parsed.data.explanation, attachments: checked.files });
  if (!res.ok) return { ok: false, error: res.error, unitId: user.unitId } satisfies Result;
  throw redirect(`/giai-trinh/${res.id}?moi=1`);
}

export default function FileAppeal() {
  const r = useActionData<typeof action>();
  return (
    <>
      <h1>Gửi giải trình</h1>
      {r && !r.ok ? (
        <p className="form-error" role="alert">
          Chưa gửi được giải trình: {r.error}
        </p>
      ) : null}
      <p>
        {r?.unitId ? <Link to={`/don-vi/${r.unitId}#phat-hien`}>← Quay lại trang đơn vị để gửi lại</Link> : <Link to="/giai-trinh">← Danh sách giải trình</Link>}
      </p>
    </>
  );
}
