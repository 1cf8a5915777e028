// The test-services harness: one PostgreSQL and one Redis per test run, shared
// by every test file (each file takes its own database or namespace through
// @switchyard/test-utils). A service whose URL is already in the environment
// (DATABASE_URL, REDIS_URL) is used as is and nothing is started for it.
import { startPostgres } from "./postgres.mjs";
import { startRedis } from "./redis.mjs";

export { findPostgresBinDir, startPostgres } from "./postgres.mjs";
export { ensureRedisServer, startRedis } from "./redis.mjs";

const SERVICES = {
  postgres: { env: "DATABASE_URL", start: startPostgres },
  redis: { env: "REDIS_URL", start: startRedis },
};

function defaultLog(message) {
  process.stderr.write(`[test-services] ${message}\n`);
}

/**
 * Starts the named services (default both) unless their URL is already set.
 * Resolves with `{ env, started, stop }`: `env` holds DATABASE_URL / REDIS_URL
 * for the child processes, `stop()` stops only what this call started.
 * If one service fails to start, the others are stopped before it rejects.
 */
export async function startTestServices({
  services = ["postgres", "redis"],
  log = defaultLog,
} = {}) {
  const env = {};
  const toStart = [];
  for (const name of services) {
    const spec = SERVICES[name];
    if (!spec) throw new Error(`unknown test service "${name}" (known: postgres, redis)`);
    const existing = process.env[spec.env];
    if (existing) {
      env[spec.env] = existing;
      log(`${name}: using ${spec.env} from the environment`);
    } else {
      toStart.push(name);
    }
  }

  const results = await Promise.allSettled(toStart.map((name) => SERVICES[name].start({ log })));
  const running = [];
  const failures = [];
  results.forEach((result, i) => {
    const name = toStart[i];
    if (result.status === "fulfilled") {
      running.push({ name, handle: result.value });
      env[SERVICES[name].env] = result.value.url;
    } else {
      failures.push(`${name}: ${result.reason?.message ?? result.reason}`);
    }
  });

  const stop = async () => {
    const errors = [];
    for (const { name, handle } of running.reverse()) {
      try {
        await handle.stop();
      } catch (error) {
        errors.push(`${name}: ${error.message}`);
      }
    }
    running.length = 0;
    if (errors.length > 0) throw new Error(`stopping test services failed:\n${errors.join("\n")}`);
  };

  if (failures.length > 0) {
    await stop().catch((error) => log(error.message));
    throw new Error(`could not start the test services:\n${failures.join("\n\n")}`);
  }
  return { env, started: running.map((r) => r.name), stop };
}
