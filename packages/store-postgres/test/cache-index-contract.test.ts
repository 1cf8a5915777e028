import { cacheIndexContract } from "@switchyard/conformance";
import type { Knex } from "knex";
import { beforeAll } from "vitest";
import { migrate, PostgresCacheIndex } from "../src/index.js";
import { countQueries, useDatabase } from "./helpers.js";

const database = useDatabase();
let knex: Knex;
let queries: () => number;
const custom = { schema: "prefix_cache", tablePrefix: "sy_" };
beforeAll(async () => {
  knex = database.knex();
  queries = countQueries(knex);
  await migrate(knex);
  await migrate(knex, custom);
});

function subject(options: { schema?: string; tablePrefix?: string } = {}) {
  const start = queries();
  // Silent: the contract writes for a non-UUID principal on purpose (skipped, warned once).
  const index = new PostgresCacheIndex({ knex, ...options, logger: { warn() {} } });
  return { index, queries: () => queries() - start };
}

cacheIndexContract(() => subject(), {
  label: "PostgresCacheIndex meets the CacheIndex contract",
  sweep: true,
});

cacheIndexContract(() => subject(custom), {
  label: "PostgresCacheIndex with schema and tablePrefix meets the CacheIndex contract",
  sweep: true,
});
