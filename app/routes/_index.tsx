import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "../lib/auth.server.ts";
export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  return { name: user.username };
}
export default function Index() {
  const d = useLoaderData<typeof loader>();
  return <h1>Xin chào {d.name}</h1>;
}
