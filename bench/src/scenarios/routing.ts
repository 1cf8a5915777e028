import { RoutingEngine } from "@switchyard/core";
import {
  DEFAULT_MEASURE,
  type MeasureOptions,
  measureAsync,
  measureSync,
  QUICK_MEASURE,
} from "../lib/measure.js";
import { environmentLines, writeResult } from "../lib/table.js";
import { buildRouteSet, type Decision, randomDecisions } from "./routing/fixtures.js";
import { compileHandWritten } from "./routing/hand-written.js";
import { buildJsonRules } from "./routing/json-rules.js";
import { goals, notes, type Row, resultsTable } from "./routing/report.js";
import { assertOutcome, assertSameDecisions, type Implementations } from "./routing/verify.js";

const SIZES = [10, 100, 1000] as const;
const SEED = 20250601;
const RANDOM_CHECKS = 200;

/** Our engine, called from its own loop. */
function oursBatch(engine: RoutingEngine, d: Decision): (count: number) => number {
  const { request, context, inputTokens, cost } = d;
  return (count) => {
    let hits = 0;
    for (let i = 0; i < count; i++) {
      if (engine.evaluate(request, context, inputTokens, cost) !== undefined) hits++;
    }
    return hits;
  };
}

function prepare(size: number): { impls: Implementations; noMatch: Decision; middle: Decision } {
  const set = buildRouteSet(size, SEED + size);
  const impls = {
    ours: new RoutingEngine(set.routes),
    hand: compileHandWritten(set.routes),
    rules: buildJsonRules(set.routes),
  };
  assertOutcome(impls, set.noMatch, undefined, `${size} routes`);
  assertOutcome(impls, set.middle, set.middleRoute, `${size} routes`);
  return { impls, noMatch: set.noMatch, middle: set.middle };
}

async function measureCell(
  size: number,
  impls: Implementations,
  d: Decision,
  options: MeasureOptions,
): Promise<Row> {
  const { request, context, inputTokens, cost } = d;
  const ours = measureSync(oursBatch(impls.ours, d), options).opsPerSec;
  const hand = measureSync(
    (count) => impls.hand.batch(count, request, context, inputTokens, cost),
    options,
  ).opsPerSec;
  const rules = (
    await measureAsync(async (count) => {
      let hits = 0;
      for (let i = 0; i < count; i++) {
        if ((await impls.rules.decide(request, context, inputTokens, cost)) !== undefined) hits++;
      }
      return hits;
    }, options)
  ).opsPerSec;
  return { routes: size, label: d.label, ours, hand, rules };
}

function method(options: MeasureOptions): string[] {
  return [
    "Decisions per second of `RoutingEngine.evaluate` (built once), a hand-written if-chain",
    "compiled with `new Function` for the same route set (the practical limit), and",
    "json-rules-engine `run()` with one rule per route (async, awaited one at a time).",
    `Each cell: ${options.warmupMs} ms warm-up, then ${options.rounds} rounds of ~${options.roundMs} ms;`,
    "the median round is reported.",
    "",
    `Route sets are generated from seed ${SEED}: ~20 models, 1-3 per route or any,`,
    "token/tag/keyword/cost bounds, tied priorities, ~5% disabled. *no match*: the model is",
    "in many routes but every route fails another condition; *match in the middle*: the",
    "route at position n/2 in evaluation order is the first that matches. Before timing,",
    "all three implementations are checked to pick the same route for both requests and",
    `${RANDOM_CHECKS} random ones per set.`,
  ];
}

export async function run(args: readonly string[]): Promise<void> {
  const quick = args.includes("--quick");
  const options = quick ? QUICK_MEASURE : DEFAULT_MEASURE;
  const rows: Row[] = [];
  for (const size of SIZES) {
    const { impls, noMatch, middle } = prepare(size);
    const checks = [noMatch, middle, ...randomDecisions(impls.ours.routes, RANDOM_CHECKS, SEED)];
    await assertSameDecisions(impls, checks, `${size} routes`);
    for (const d of [noMatch, middle]) {
      const row = await measureCell(size, impls, d, options);
      console.error(`measured ${size} routes, ${d.label}`);
      rows.push(row);
    }
  }
  const report = [
    "# Routing engine benchmark",
    "",
    ...environmentLines(),
    "",
    ...method(options),
    "",
    resultsTable(rows),
    "",
    "## Goals",
    "",
    goals(rows),
    "",
    notes(),
  ].join("\n");
  console.log(report);
  if (quick) {
    console.error("\n--quick: results file not written");
    return;
  }
  const path = await writeResult("routing", report);
  console.error(`\nwrote ${path}`);
}
