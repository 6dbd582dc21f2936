// What every loader and action receives from the HTTP server (app/server.ts).
import type { Knex } from "knex";

export interface TtLoadContext {
  knex: Knex;
  /** Client address as seen by express (honours trust proxy). */
  ip: string | null;
  /** True when the request came over HTTPS (directly or via X-Forwarded-Proto). */
  secure: boolean;
}

declare module "@remix-run/node" {
  interface AppLoadContext extends TtLoadContext {}
}
