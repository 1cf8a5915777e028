import { printBanner } from "./banner.js";
import { ConfigError } from "./config/config-error.js";
import { loadConfig } from "./config/load-config.js";
import { startGateway } from "./gateway.js";
import { hashApiKey } from "./hashing/api-key-hash.js";

// Wiring only: config -> gateway -> signals.
// `pnpm start -- <args>` passes the separator through.
const argv = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === "--"));
if (argv[0] === "hash-key") {
  if (!argv[1]) {
    process.stderr.write(
      "usage: hash-key <api key>   (prints the sha256 to put in orgs[].api_keys)\n",
    );
    process.exit(2);
  }
  process.stdout.write(`${hashApiKey(argv[1])}\n`);
  process.exit(0);
}

let loaded: ReturnType<typeof loadConfig>;
try {
  loaded = loadConfig(argv, process.env);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(78);
}

const gateway = await startGateway(loaded.config).catch((error: unknown) => {
  process.stderr.write(
    `switchyard gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
printBanner(gateway, loaded);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(130); // a second signal: stop now
    stopping = true;
    process.stderr.write(`${signal}: draining in-flight requests, then exiting\n`);
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  });
}
