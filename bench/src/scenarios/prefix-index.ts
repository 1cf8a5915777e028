/**
 * Prompt-prefix cache accounting per request (@switchyard/prefix-index): for
 * turn 40 of a ~60k-token conversation with 4 breakpoints, the time to parse,
 * hash and pick candidates; classification against MemoryCacheIndex and
 * PostgresCacheIndex (local PostgreSQL), with lookup p50/p99; and a check that
 * a warm classification tokenizes nothing before its read.
 *
 * Needs DATABASE_URL (a role with CREATEDB). From the repo root:
 *   node scripts/with-test-services.mjs --only postgres -- npx -y pnpm@10.34.9 bench prefix-index
 */
import { createHash } from "node:crypto";
import os from "node:os";
import {
  blockTokenText,
  candidateIndices,
  canonicalBlockBytes,
  createGptTokenizer,
  PrefixCache,
  prefixHashes,
} from "@switchyard/prefix-index";
import { MemoryCacheIndex } from "@switchyard/store-memory";
import { migrate, PostgresCacheIndex } from "@switchyard/store-postgres";
import { environmentLines, writeResult } from "../lib/table.js";
import {
  type Cell,
  type ClassificationPlan,
  measureIndex,
  TARIFFS,
} from "./prefix-index/classification.js";
import { buildConversation, requestBody } from "./prefix-index/conversation.js";
import { type SamplePlan, timeSyncCalls } from "./prefix-index/latency.js";
import { seedOtherPrincipals, withScratchDatabase } from "./prefix-index/postgres.js";
import {
  classificationTable,
  commitTable,
  factsLines,
  goalLines,
  notes,
  type RequestFacts,
  type StepRow,
  stepsTable,
  tokenizerTable,
} from "./prefix-index/report.js";

const SEED = 20250605;

interface Plan {
  readonly steps: SamplePlan;
  readonly classification: ClassificationPlan;
  /** Live rows of other principals in prompt_cache_entries. */
  readonly otherRows: number;
}

const FULL: Plan = {
  steps: { warmup: 300, samples: 3000 },
  classification: { warmup: 50, samples: 1000, coldSamples: 10 },
  otherRows: 200_000,
};
const QUICK: Plan = {
  steps: { warmup: 20, samples: 200 },
  classification: { warmup: 5, samples: 50, coldSamples: 2 },
  otherRows: 10_000,
};

const MISSING_DATABASE =
  "prefix-index needs DATABASE_URL (a PostgreSQL role with CREATEDB) for its PostgresCacheIndex rows. " +
  "From the repo root: node scripts/with-test-services.mjs --only postgres -- npx -y pnpm@10.34.9 bench prefix-index";

function method(plan: Plan): string[] {
  return [
    "Per request, for the last turn of a seeded 40-turn Anthropic Messages conversation",
    "(8 tools, a long system prompt, tool calls every 5th turn). The gateway path is",
    "`prepare` (parse into blocks, validate and strip markers) before forwarding, then",
    "`classify` (cumulative SHA-256 prefix hashes, candidates, one index lookup, tokenization",
    "of the blocks after the read with the default BPE tokenizer, writes) in parallel with",
    "the upstream call.",
    "",
    `- Steps: ${plan.steps.samples} sequential calls after ${plan.steps.warmup} warm-up.`,
    `- Classification: turns 1 to 39 are classified and committed first, as a gateway would;`,
    `  then turn 40 is classified ${plan.classification.samples} times after ${plan.classification.warmup} warm-up`,
    "  (*warm*: turn 39 committed, so the read is turn 39's last breakpoint and only the",
    "  blocks after it are tokenized), its commit (one upsert + one refresh) is timed, and",
    "  the same request is classified again after that commit (*pure read*). *Cold*: a",
    "  principal with no entries, which tokenizes the whole prompt.",
    `- PostgreSQL: a scratch database on DATABASE_URL, \`migrate\`d, with ${plan.otherRows.toLocaleString("en-US")} live`,
    "  entries of other principals in `prompt_cache_entries` (ANALYZEd) so lookups go through",
    "  the unique btree; the pool and the server are local (loopback).",
    "- Lookup latency is measured inside classification, around `CacheIndex.lookup`.",
  ];
}

function parseHashSteps(plan: Plan): {
  rows: StepRow[];
  facts: Omit<RequestFacts, "promptTokens" | "tokenizerVersion">;
} {
  const conversation = buildConversation(SEED);
  const body = requestBody(conversation, conversation.turns.length);
  const raw = JSON.stringify(body);
  const cache = new PrefixCache({ index: new MemoryCacheIndex(), tariffs: TARIFFS });
  const prepared = cache.prepare(body, "anthropic");
  const breakpoints = prepared.breakpoints.map((b) => b.blockIndex);
  const deepest = breakpoints.at(-1) ?? -1;
  const candidates = candidateIndices(breakpoints);
  const canonical = prepared.blocks.slice(0, deepest + 1).map((b) => canonicalBlockBytes(b));

  const rows: StepRow[] = [
    {
      step: "JSON.parse of the raw body (the gateway's, for scale; not in the goal)",
      latency: timeSyncCalls(plan.steps, () => JSON.parse(raw)),
    },
    {
      step: "prepare: parse into blocks + validate + strip markers",
      latency: timeSyncCalls(plan.steps, () => cache.prepare(body, "anthropic")),
    },
    {
      step: `prefixHashes: SHA-256 over ${deepest + 1} blocks`,
      latency: timeSyncCalls(plan.steps, () => prefixHashes(prepared.blocks, deepest)),
    },
    {
      step: "  floor: SHA-256 alone over the same canonical bytes, one digest per block",
      latency: timeSyncCalls(plan.steps, () => {
        const hash = createHash("sha256");
        return canonical.map((bytes) => {
          hash.update(bytes);
          return hash.copy().digest();
        });
      }),
    },
    {
      step: `candidateIndices: ${candidates.length} candidates`,
      latency: timeSyncCalls(plan.steps, () => candidateIndices(breakpoints)),
    },
    {
      step: "**parse + hash + candidates** (prepare + prefixHashes + candidateIndices)",
      latency: timeSyncCalls(plan.steps, () => {
        const p = cache.prepare(body, "anthropic");
        const bps = p.breakpoints.map((b) => b.blockIndex);
        const hashes = prefixHashes(p.blocks, bps.at(-1));
        return candidateIndices(bps).map((i) => hashes[i]);
      }),
    },
  ];
  return {
    rows,
    facts: {
      turns: conversation.turns.length,
      blocks: prepared.blocks.length,
      breakpoints: breakpoints.length,
      candidates: candidates.length,
      bodyBytes: Buffer.byteLength(raw),
    },
  };
}

function sameSplit(a: Cell, b: Cell): boolean {
  const x = a.classification;
  const y = b.classification;
  return x.read === y.read && JSON.stringify(x.creation) === JSON.stringify(y.creation);
}

export async function run(args: readonly string[]): Promise<void> {
  const quick = args.includes("--quick");
  const plan = quick ? QUICK : FULL;
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error(MISSING_DATABASE);

  const load = os.loadavg()[0] ?? 0;
  const conversation = buildConversation(SEED);
  const tokenizer = createGptTokenizer();
  const lastBody = requestBody(conversation, conversation.turns.length);
  const lastBlocks = new PrefixCache({ index: new MemoryCacheIndex(), tariffs: TARIFFS }).prepare(
    lastBody,
    "anthropic",
  ).blocks;
  const [promptTokens = 0] = await tokenizer.countCumulative([lastBlocks.map(blockTokenText)]);

  const steps = parseHashSteps(plan);
  console.error("measured parse + hash + candidates");
  const memory = await measureIndex(
    "MemoryCacheIndex",
    new MemoryCacheIndex(),
    conversation,
    plan.classification,
    true,
  );
  console.error("measured MemoryCacheIndex");
  const postgres = await withScratchDatabase(serverUrl, async (knex) => {
    await migrate(knex);
    await seedOtherPrincipals(knex, plan.otherRows);
    return measureIndex(
      "PostgresCacheIndex",
      new PostgresCacheIndex({ knex }),
      conversation,
      plan.classification,
      false,
    );
  });
  console.error("measured PostgresCacheIndex");

  const [memoryWarm, memoryPure] = memory.cells;
  const [postgresWarm, postgresPure] = postgres.cells;
  if (!memoryWarm || !memoryPure || !postgresWarm || !postgresPure) {
    throw new Error("prefix-index benchmark: missing cells");
  }
  if (!sameSplit(memoryWarm, postgresWarm) || !sameSplit(memoryPure, postgresPure)) {
    throw new Error(
      "prefix-index benchmark: the memory and Postgres indexes classified differently",
    );
  }
  const parseHash = steps.rows.at(-1)?.latency;
  if (!parseHash) throw new Error("prefix-index benchmark: missing parse + hash row");
  const warmCells = [memoryWarm, memoryPure, postgresWarm, postgresPure];

  const report = [
    "# Prompt-prefix cache accounting: per-request cost",
    "",
    ...environmentLines(),
    `- Load average (1 min) at the start: ${load.toFixed(2)} on ${os.cpus().length} logical cores${load > 0.5 ? " (other processes were running: p99 especially is noisy)" : ""}`,
    ...factsLines({ ...steps.facts, promptTokens, tokenizerVersion: tokenizer.version }),
    "",
    ...method(plan),
    "",
    "## Parse, hash and candidates",
    "",
    stepsTable(steps.rows),
    "",
    "## Classification",
    "",
    classificationTable([memory, postgres]),
    "",
    "Commit of the warm classification (after the response; off the response path):",
    "",
    commitTable([memory, postgres], ["MemoryCacheIndex", "PostgresCacheIndex"]),
    "",
    "## What the tokenizer saw (counting wrapper around the default tokenizer)",
    "",
    tokenizerTable([...memory.cells, postgresWarm, postgresPure]),
    "",
    "## Goals",
    "",
    ...goalLines(parseHash, warmCells),
    "",
    notes(),
    "",
  ].join("\n");
  console.log(report);
  if (quick) {
    console.error("\n--quick: results file not written");
    return;
  }
  const path = await writeResult("prefix-index", report);
  console.error(`\nwrote ${path}`);
}
