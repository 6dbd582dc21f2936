import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { logout, requireMutation } from "../lib/auth.server.ts";

export async function loader(args: LoaderFunctionArgs) {
  throw redirect("/");
}

export async function action(args: ActionFunctionArgs) {
  const { audit } = await requireMutation(args);
  await audit("logout");
  const cookie = await logout(args);
  return redirect("/dang-nhap", { headers: { "Set-Cookie": cookie } });
}
