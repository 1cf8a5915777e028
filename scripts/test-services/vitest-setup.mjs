// Shared body of the vitest globalSetup files: when a package's tests run
// without the wrapper (no DATABASE_URL / REDIS_URL), start the services for
// this vitest run and stop them at its end.
import { startTestServices } from "./index.mjs";

const PROVIDED = { DATABASE_URL: "switchyardDatabaseUrl", REDIS_URL: "switchyardRedisUrl" };

export function vitestGlobalSetup(services) {
  return async function setup(project) {
    const handle = await startTestServices({ services });
    for (const [name, value] of Object.entries(handle.env)) {
      // Workers are started after this, so they inherit the variable; inject() sees it too.
      process.env[name] = value;
      project.provide(PROVIDED[name], value);
    }
    return async () => {
      await handle.stop();
    };
  };
}
