import { SwitchyardError } from "@switchyard/core";
import type { Knex } from "knex";
import { describe, expect, it } from "vitest";
import {
  cacheIndexTableNames,
  PostgresCacheIndex,
  PostgresRoutingStore,
  PostgresStoreOptionsError,
  routesMigrationSource,
  routeTableNames,
} from "../src/index.js";
import { connect } from "./helpers.js";

// Building a knex instance opens no connection; these tests never query.
const knex = connect("postgres://nobody@127.0.0.1:1/none");

function optionsError(make: () => unknown): PostgresStoreOptionsError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(PostgresStoreOptionsError);
    expect(error).toBeInstanceOf(SwitchyardError);
    expect((error as PostgresStoreOptionsError).code).toBe("E_INVALID_STORE_OPTIONS");
    return error as PostgresStoreOptionsError;
  }
  throw new Error("expected a PostgresStoreOptionsError");
}

describe("options are validated at construction", () => {
  it("a missing knex instance is rejected", () => {
    expect(optionsError(() => new PostgresRoutingStore({} as { knex: Knex })).message).toMatch(
      /needs your knex instance/,
    );
  });

  it("a knex instance for another database is rejected", () => {
    const mysqlLike = Object.assign(() => {}, {
      raw: () => {},
      client: { dialect: "mysql" },
    }) as unknown as Knex;
    expect(optionsError(() => new PostgresRoutingStore({ knex: mysqlLike })).message).toMatch(
      /dialect "mysql"/,
    );
  });

  it.each([
    ["a schema with a dot", { schema: "a.b" }, /schema must be a plain identifier/],
    ["a schema with a quote", { schema: 'x"y' }, /schema must be a plain identifier/],
    ["a prefix with a space", { tablePrefix: "my routes" }, /tablePrefix must be/],
    ["a prefix starting with a digit", { tablePrefix: "1_" }, /tablePrefix must be/],
    ["names over 63 characters", { tablePrefix: `${"p".repeat(60)}_` }, /at most 63/],
  ])("%s is rejected", (_, names, message) => {
    expect(optionsError(() => new PostgresRoutingStore({ knex, ...names })).message).toMatch(
      message,
    );
    expect(optionsError(() => routesMigrationSource(names)).message).toMatch(message);
  });

  it.each([
    [
      "a zero initial delay",
      { reconnect: { initialDelayMs: 0 } },
      /initialDelayMs must be a positive/,
    ],
    [
      "a max delay below the initial one",
      { reconnect: { initialDelayMs: 500, maxDelayMs: 100 } },
      /maxDelayMs \(100\) must be >=/,
    ],
    [
      "a negative health-check interval",
      { healthCheckIntervalMs: -1 },
      /healthCheckIntervalMs must be a non-negative/,
    ],
    ["a logger without warn", { logger: {} as { warn: () => void } }, /logger must have a warn/],
  ])("%s is rejected", (_, extra, message) => {
    expect(optionsError(() => new PostgresRoutingStore({ knex, ...extra })).message).toMatch(
      message,
    );
  });
});

describe("routeTableNames", () => {
  it("defaults to the reference table name `routes` in the search_path", () => {
    expect(routeTableNames()).toEqual({
      schema: undefined,
      table: "routes",
      qualifiedTable: "routes",
      channel: "switchyard_routes_changed",
      notifyFunction: "routes_notify_change",
      trigger: "routes_notify_change",
      orderIndex: "routes_org_order_idx",
      migrationsTable: "switchyard_routes_migrations",
    });
  });

  it("prefixes every name and qualifies those that live in the schema", () => {
    expect(routeTableNames({ schema: "gw", tablePrefix: "sy_" })).toEqual({
      schema: "gw",
      table: "sy_routes",
      qualifiedTable: "gw.sy_routes",
      channel: "switchyard_gw_sy_routes_changed",
      notifyFunction: "gw.sy_routes_notify_change",
      trigger: "sy_routes_notify_change",
      orderIndex: "gw.sy_routes_org_order_idx",
      migrationsTable: "switchyard_sy_routes_migrations",
    });
  });
});

describe("PostgresCacheIndex options are validated at construction", () => {
  it("a missing knex instance is rejected, naming the class", () => {
    expect(optionsError(() => new PostgresCacheIndex({} as { knex: Knex })).message).toMatch(
      /PostgresCacheIndex needs your knex instance/,
    );
  });

  it("a knex instance for another database is rejected", () => {
    const sqliteLike = Object.assign(() => {}, {
      raw: () => {},
      client: { dialect: "sqlite3" },
    }) as unknown as Knex;
    expect(optionsError(() => new PostgresCacheIndex({ knex: sqliteLike })).message).toMatch(
      /PostgresCacheIndex needs a knex instance for PostgreSQL.*sqlite3/,
    );
  });

  it.each([
    ["a schema with a dot", { schema: "a.b" }, /schema must be a plain identifier/],
    ["a prefix with a dash", { tablePrefix: "sy-" }, /tablePrefix must be/],
    ["names over 63 characters", { tablePrefix: `${"p".repeat(40)}_` }, /at most 63/],
    ["a zero sweepBatchSize", { sweepBatchSize: 0 }, /sweepBatchSize must be a positive integer/],
    [
      "a fractional sweepBatchSize",
      { sweepBatchSize: 2.5 },
      /sweepBatchSize must be a positive integer/,
    ],
    ["a logger without warn", { logger: {} as { warn: () => void } }, /logger must have a warn/],
  ])("%s is rejected", (_, extra, message) => {
    expect(optionsError(() => new PostgresCacheIndex({ knex, ...extra })).message).toMatch(message);
  });
});

describe("cacheIndexTableNames", () => {
  it("defaults to the reference table name prompt_cache_entries in the search_path", () => {
    expect(cacheIndexTableNames()).toEqual({
      schema: undefined,
      table: "prompt_cache_entries",
      qualifiedTable: "prompt_cache_entries",
      scopeHashKey: "prompt_cache_entries_scope_hash_key",
      hashLengthCheck: "prompt_cache_entries_prefix_hash_check",
      ttlTierCheck: "prompt_cache_entries_ttl_tier_check",
      expiresIndex: "prompt_cache_entries_expires_at_idx",
    });
  });

  it("prefixes every name and qualifies those that live in the schema", () => {
    expect(cacheIndexTableNames({ schema: "gw", tablePrefix: "sy_" })).toEqual({
      schema: "gw",
      table: "sy_prompt_cache_entries",
      qualifiedTable: "gw.sy_prompt_cache_entries",
      scopeHashKey: "sy_prompt_cache_entries_scope_hash_key",
      hashLengthCheck: "sy_prompt_cache_entries_prefix_hash_check",
      ttlTierCheck: "sy_prompt_cache_entries_ttl_tier_check",
      expiresIndex: "gw.sy_prompt_cache_entries_expires_at_idx",
    });
  });

  it("the index exposes the names it uses", () => {
    expect(new PostgresCacheIndex({ knex, tablePrefix: "x_" }).names.qualifiedTable).toBe(
      "x_prompt_cache_entries",
    );
  });
});
