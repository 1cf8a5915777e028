/**
 * listForOrg latency of @switchyard/store-postgres for an org with 100 routes
 * (p50 / p99 per call), against the local PostgreSQL, with its peers in the
 * same run: the same SELECT through knex without decoding (what decoding
 * costs), and @switchyard/store-memory (what a cache hit saves).
 *
 * Needs DATABASE_URL (a role with CREATEDB). From the repo root:
 *   node scripts/with-test-services.mjs --only postgres -- pnpm bench store-postgres
 */
import { randomBytes, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { emptyConditions, type NewRoute, type RoutingStore } from "@switchyard/core";
import { MemoryRoutingStore } from "@switchyard/store-memory";
import { migrate, PostgresRoutingStore } from "@switchyard/store-postgres";
import createKnex, { type Knex } from "knex";
import { createRng, type Rng } from "../lib/prng.js";
import { environmentLines, markdownTable, writeResult } from "../lib/table.js";

const ROUTES_PER_ORG = 100;
const OTHER_ORGS = 50; // 5,000 other rows, so the query has to use the index

interface Plan {
  readonly warmup: number;
  readonly calls: number;
}
const FULL: Plan = { warmup: 500, calls: 5_000 };
const QUICK: Plan = { warmup: 50, calls: 300 };

function route(rng: Rng, i: number): NewRoute {
  const when = emptyConditions();
  if (i % 3 === 0) when.model_in = ["gpt-4o", "gpt-4o-mini", `model-${i}`];
  if (i % 4 === 0) when.input_tokens_gt = 1000 + i;
  if (i % 5 === 0) when.prompt_contains_any_of = ["invoice", "refund", `kw-${i}`];
  if (i % 7 === 0) when.tag_equals = `tag-${i}`;
  return {
    name: `route-${i}`,
    priority: Math.floor(rng.next() * 10) * 10, // many ties: exercises the full ORDER BY
    enabled: i % 10 !== 0,
    when,
    then: { target_model: `target-${i}`, fallbacks: i % 2 ? ["fb-a", "fb-b"] : [] },
  };
}

async function seed(store: RoutingStore, org: string, rng: Rng): Promise<void> {
  for (let i = 0; i < ROUTES_PER_ORG; i++) await store.createRoute(org, route(rng, i));
}

interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly rows: number;
}

async function latency(plan: Plan, call: () => Promise<unknown[]>): Promise<Latency> {
  let rows = 0;
  for (let i = 0; i < plan.warmup; i++) rows = (await call()).length;
  const samples = new Float64Array(plan.calls);
  for (let i = 0; i < plan.calls; i++) {
    const start = performance.now();
    rows = (await call()).length;
    samples[i] = performance.now() - start;
  }
  samples.sort();
  const at = (q: number) =>
    samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? Number.NaN;
  const mean = samples.reduce((sum, v) => sum + v, 0) / samples.length;
  return { p50: at(0.5), p99: at(0.99), mean, rows };
}

const ms = (value: number) =>
  value < 0.1 ? `${(value * 1000).toFixed(1)} µs` : `${value.toFixed(3)} ms`;

async function withScratchDatabase<T>(
  serverUrl: string,
  work: (knex: Knex) => Promise<T>,
): Promise<T> {
  const name = `sy_bench_${randomBytes(4).toString("hex")}`;
  const admin = createKnex({ client: "pg", connection: serverUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const knex = createKnex({ client: "pg", connection: url.toString(), pool: { min: 1, max: 4 } });
  try {
    return await work(knex);
  } finally {
    await knex.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.destroy();
  }
}

export async function run(args: readonly string[]): Promise<void> {
  const quick = args.includes("--quick");
  const plan = quick ? QUICK : FULL;
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    throw new Error(
      "store-postgres needs DATABASE_URL. From the repo root: node scripts/with-test-services.mjs --only postgres -- pnpm bench store-postgres",
    );
  }
  const rows = await withScratchDatabase(serverUrl, async (knex) => {
    await migrate(knex);
    const postgres = new PostgresRoutingStore({ knex });
    const rng = createRng(0x5eed);
    for (let o = 0; o < OTHER_ORGS; o++) await seed(postgres, randomUUID(), rng);
    const org = randomUUID();
    await seed(postgres, org, createRng(42));
    await knex.raw("ANALYZE routes");

    const memory = new MemoryRoutingStore();
    memory.setRoutes(org, await postgres.listAllForOrg(org));

    const raw = () =>
      knex("routes")
        .select("id", "name", "priority", "enabled", "conditions", "target")
        .where({ org_id: org, enabled: true })
        .orderBy([
          { column: "priority", order: "desc" },
          { column: "created_at", order: "asc" },
          { column: "id", order: "asc" },
        ]);
    const cells: [string, () => Promise<unknown[]>][] = [
      ["PostgresRoutingStore.listForOrg", () => postgres.listForOrg(org)],
      ["same SELECT via knex, no decoding", raw],
      ["MemoryRoutingStore.listForOrg", () => memory.listForOrg(org)],
    ];
    const out: string[][] = [];
    for (const [label, call] of cells) {
      const result = await latency(plan, call);
      out.push([label, String(result.rows), ms(result.p50), ms(result.p99), ms(result.mean)]);
    }
    return out;
  });

  const report = [
    "# listForOrg: one org with 100 routes (90 enabled), local PostgreSQL",
    "",
    ...environmentLines(),
    `- Calls: ${plan.calls} sequential after ${plan.warmup} warm-up; ${OTHER_ORGS} other orgs with ${ROUTES_PER_ORG} routes each in the table`,
    "",
    markdownTable(["implementation", "routes", "p50", "p99", "mean"], rows, [
      "left",
      "right",
      "right",
      "right",
      "right",
    ]),
    "",
  ].join("\n");
  console.log(report);
  if (quick) console.error("\n--quick: results file not written");
  else console.error(`written to ${await writeResult("store-postgres", report)}`);
}
