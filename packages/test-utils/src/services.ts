import { inject } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Set by scripts/test-services/vitest-*.mjs when that globalSetup started PostgreSQL. */
    switchyardDatabaseUrl?: string;
    /** Set by scripts/test-services/vitest-*.mjs when that globalSetup started Redis. */
    switchyardRedisUrl?: string;
  }
}

const HOW_TO_RUN =
  "Run the tests through the harness, which starts the services: `npx -y pnpm@10.34.9 test` " +
  "from the repo root, or `node scripts/with-test-services.mjs -- <command>`; or add " +
  "`globalSetup: ['../../scripts/test-services/vitest-all.mjs']` to this package's vitest config.";

function provided(key: "switchyardDatabaseUrl" | "switchyardRedisUrl"): string | undefined {
  try {
    return inject(key);
  } catch {
    return undefined; // not inside a vitest worker
  }
}

/** The PostgreSQL server URL of this test run; throws with the fix when there is none. */
export function databaseUrl(): string {
  const url = process.env.DATABASE_URL || provided("switchyardDatabaseUrl");
  if (!url) {
    throw new Error(
      `DATABASE_URL is not set and no PostgreSQL was started for this run. ${HOW_TO_RUN}`,
    );
  }
  return url;
}

/** The Redis server URL of this test run; throws with the fix when there is none. */
export function redisUrl(): string {
  const url = process.env.REDIS_URL || provided("switchyardRedisUrl");
  if (!url) {
    throw new Error(`REDIS_URL is not set and no Redis was started for this run. ${HOW_TO_RUN}`);
  }
  return url;
}
