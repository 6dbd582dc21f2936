import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listAuditLog } from "../../db/queries/audit-log.ts";
import { countPendingAppeals } from "../../db/queries/dashboard-appeals.ts";
import { requireUser } from "../lib/auth.server.ts";
import { fmtDateTime } from "../lib/format.ts";

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args, { roles: ["inspector"] });
  const [log, pending] = await Promise.all([listAuditLog(args.context.knex, 50), countPendingAppeals(args.context.knex)]);
  return { log, pending };
}

export default function ManagementHome() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Quản lý</h1>
      <p>
        <Link to="/giai-trinh">
          Giải trình đang chờ xử lý: <strong>{d.pending}</strong>
        </Link>
      </p>
      <h2>Nhật ký thao tác gần đây</h2>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Bảng dữ liệu, cuộn ngang được">
        <table>
          <thead>
            <tr>
              <th scope="col">Thời điểm</th>
              <th scope="col">Người thực hiện</th>
              <th scope="col">Thao tác</th>
              <th scope="col">Đối tượng</th>
            </tr>
          </thead>
          <tbody>
            {d.log.map((l) => (
              <tr key={l.id}>
                <td>{fmtDateTime(l.at)}</td>
                <td>{l.username ?? "—"}</td>
                <td>
                  <code>{l.action}</code>
                </td>
                <td>
                  {l.entity ?? ""} {l.entity_id ?? ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
