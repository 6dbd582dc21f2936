// `npm run start`: open the database (embedded PostgreSQL unless DATABASE_URL) and serve the dashboard.
// `npm run start -- --dev` serves from source through Vite instead of the production build.
import { openDatabase } from "../../db/index.ts";
import { ConfigError, runMain } from "../../db/server.ts";
import { startServer } from "../server.ts";

runMain(async () => {
  const port = process.env.PORT ? Number(process.env.PORT) : 3000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a port number between 0 and 65535, got "${process.env.PORT}".`);
  }
  const db = await openDatabase({ handleSignals: true });
  await startServer({
    knex: db.knex,
    port,
    mode: process.argv.includes("--dev") ? "dev" : "build",
    log: (l) => console.log(l),
  });
});
