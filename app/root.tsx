import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { getUser } from "./lib/auth.server.ts";
import { fmtDateTime, ROLE_LABELS } from "./lib/format.ts";
import { scoringStatus } from "../db/scoring/rescore.ts";
import { cached } from "./lib/cache.server.ts";
import stylesUrl from "./styles.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesUrl }];

export async function loader(args: LoaderFunctionArgs) {
  const user = await getUser(args);
  // Every page shows it: read at most every 2 s per process rather than on each request.
  const knex = args.context.knex;
  const scoring = user ? await cached(knex, "scoring-status", 2_000, () => scoringStatus(knex)).catch(() => null) : null;
  return {
    scoring: scoring ? { lastComputedAt: scoring.lastComputedAt ? fmtDateTime(scoring.lastComputedAt) : null, pending: scoring.pending > 0 } : null,
    user: user
      ? { id: user.id, username: user.username, fullName: user.fullName, role: user.role, unitId: user.unitId, unitName: user.unitName }
      : null,
    csrf: user?.csrfToken ?? null,
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

export function useRootData(): RootData {
  return useRouteLoaderData<typeof loader>("root") as RootData;
}

function Nav() {
  const data = useRootData();
  const user = data?.user;
  if (!user) return null;
  return (
    <nav aria-label="Điều hướng chính" className="nav">
      <ul>
        <li>
          <NavLink to="/" end>
            Xếp hạng
          </NavLink>
        </li>
        {user.role === "unit_head" && user.unitId ? (
          <li>
            <NavLink to={`/don-vi/${user.unitId}`}>Đơn vị của tôi</NavLink>
          </li>
        ) : null}
        <li>
          <NavLink to="/so-sanh">So sánh</NavLink>
        </li>
        <li>
          <NavLink to="/tieu-chi">Theo tiêu chí</NavLink>
        </li>
        <li>
          <NavLink to="/kiem-tra">Kiểm tra</NavLink>
        </li>
        <li>
          <NavLink to="/bao-cao">Báo cáo</NavLink>
        </li>
        {user.role === "inspector" || user.role === "unit_head" ? (
          <li>
            <NavLink to="/giai-trinh">Giải trình</NavLink>
          </li>
        ) : null}
        {user.role === "inspector" ? (
          <li>
            <NavLink to="/chot-ky">Chốt kỳ</NavLink>
          </li>
        ) : null}
        {user.role === "inspector" ? (
          <li>
            <NavLink to="/quan-ly">Quản lý</NavLink>
          </li>
        ) : null}
      </ul>
      <div className="nav-user">
        {data.scoring ? (
          <span className="scores-computed-at" data-testid="scores-computed-at">
            {data.scoring.lastComputedAt ? `Điểm tính lúc ${data.scoring.lastComputedAt}` : "Chưa tính điểm"}
            {data.scoring.pending ? " · đang tính lại…" : ""}
          </span>
        ) : null}
        <span>
          {user.fullName || user.username} · {ROLE_LABELS[user.role]}
        </span>
        <NavLink to="/tai-khoan">Tài khoản</NavLink>
        <NavLink to="/doi-mat-khau">Đổi mật khẩu</NavLink>
        <Form method="post" action="/dang-xuat" reloadDocument>
          <input type="hidden" name="_csrf" value={data.csrf ?? ""} />
          <button type="submit" className="link-button">
            Đăng xuất
          </button>
        </Form>
      </div>
    </nav>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="vi">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#noi-dung">
          Bỏ qua đến nội dung
        </a>
        <header className="site-header">
          <p className="brand">
            <a href="/">Tuân Thủ</a>
            <span className="brand-sub"> · Kiểm tra trang thông tin điện tử</span>
          </p>
          <Nav />
        </header>
        <main id="noi-dung">{children}</main>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  let title = "Đã xảy ra lỗi";
  let message = "Vui lòng thử lại sau.";
  if (isRouteErrorResponse(error)) {
    if (error.status === 403) title = "Không có quyền truy cập (403)";
    else if (error.status === 404) title = "Không tìm thấy (404)";
    else title = `Lỗi ${error.status}`;
    message = typeof error.data === "string" && error.data ? error.data : message;
  }
  return (
    <section className="error-box" role="alert">
      <title>{title}</title>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Về trang xếp hạng</a>
      </p>
    </section>
  );
}
