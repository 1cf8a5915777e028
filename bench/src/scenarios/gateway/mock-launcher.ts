/**
 * Starts the gateway's own mock upstream (`apps/gateway-demo/src/mock/`) as a
 * standalone process: the gateway has no CLI for it, and the benchmark needs
 * it outside both the gateway and the load generator.
 *
 *   node --conditions=source --import tsx mock-launcher.ts <gateway-app-dir> <port>
 *
 * Prints one JSON line `{"url":"http://127.0.0.1:PORT"}` when it listens;
 * SIGTERM / SIGINT close it and exit 0.
 */
import { pathToFileURL } from "node:url";

interface MockHandle {
  readonly url: string;
  close(): Promise<void>;
}

interface MockModule {
  readonly MockUpstream: {
    start(options: { host?: string; port?: number }): Promise<MockHandle>;
  };
}

const [appDir, portText] = process.argv.slice(2);
if (appDir === undefined || portText === undefined) {
  process.stderr.write("usage: mock-launcher.ts <gateway-app-dir> <port>\n");
  process.exit(2);
}

// A computed specifier: the gateway's sources stay out of the bench's typecheck.
const specifier = pathToFileURL(`${appDir}/src/mock/mock-upstream.ts`).href;
const { MockUpstream } = (await import(specifier)) as MockModule;
const mock = await MockUpstream.start({ host: "127.0.0.1", port: Number(portText) });
process.stdout.write(`${JSON.stringify({ url: mock.url })}\n`);

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    mock.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
