import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { requireUser } from "../lib/auth.server.ts";

export const meta: MetaFunction = () => [{ title: "Quản lý · Tuân Thủ" }];

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args, { roles: ["inspector"] });
  return null;
}

export default function Management() {
  return (
    <>
      <nav aria-label="Quản lý" className="filters">
        <NavLink to="/quan-ly" end>Tổng quan</NavLink>
        <NavLink to="/quan-ly/don-vi">Đơn vị và website</NavLink>
        <NavLink to="/quan-ly/nhap-excel">Nhập từ Excel</NavLink>
        <NavLink to="/quan-ly/nguoi-dung">Người dùng</NavLink>
        <NavLink to="/quan-ly/bo-tieu-chi">Bộ tiêu chí</NavLink>
        <NavLink to="/quan-ly/ngay-nghi">Ngày nghỉ</NavLink>
        <NavLink to="/quan-ly/khoa-api">Mã truy cập API</NavLink>
        <NavLink to="/quan-ly/thu-da-gui">Thư đã gửi</NavLink>
      </nav>
      <Outlet />
    </>
  );
}
