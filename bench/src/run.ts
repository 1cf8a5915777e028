import type { Scenario } from "./lib/scenario.js";

/** One entry per scenario; each lives in its own file under `scenarios/`. */
const scenarios: Readonly<Record<string, Scenario>> = {
  routing: {
    description:
      "RoutingEngine decisions/s at 10/100/1,000 routes vs a hand-written function and json-rules-engine",
    load: () => import("./scenarios/routing.js"),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(scenarios).map((name) => name.length));
  const lines = Object.entries(scenarios).map(
    ([name, s]) => `  ${name.padEnd(width)}  ${s.description}`,
  );
  return [
    "usage: pnpm bench <scenario> [--quick]",
    "",
    "scenarios:",
    ...lines,
    "",
    "--quick: short time budget, for a smoke test; the results file is not written.",
  ].join("\n");
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    console.log(usage());
    return 0;
  }
  const scenario = Object.hasOwn(scenarios, name) ? scenarios[name] : undefined;
  if (scenario === undefined) {
    console.error(`unknown scenario: ${name}\n`);
    console.error(usage());
    return 2;
  }
  const module = await scenario.load();
  await module.run(args);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
