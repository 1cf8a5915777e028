import { randomUUID } from "node:crypto";
import { ChangeRecorder, newRoute } from "@switchyard/conformance";
import { RoutingStoreError } from "@switchyard/core";
import type { Knex } from "knex";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type ListenConnection,
  listenConnectionFromKnex,
  migrate,
  PostgresRoutingStore,
} from "../src/index.js";
import { recordingLogger, useDatabase, waitUntil } from "./helpers.js";

const database = useDatabase();
let writerKnex: Knex;
let watcherKnex: Knex;
beforeAll(async () => {
  writerKnex = database.knex();
  watcherKnex = database.knex();
  await migrate(writerKnex);
});

/** Backend pids of this database's sessions that are LISTENing. */
async function listenerPids(): Promise<number[]> {
  const result = await writerKnex.raw(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()",
  );
  return result.rows.map((row: { pid: number }) => row.pid);
}

async function terminate(pids: number[]): Promise<void> {
  for (const pid of pids) await writerKnex.raw("SELECT pg_terminate_backend(?)", [pid]);
}

/** The closed watcher's backend goes away (its exit is asynchronous to the client's end()). */
async function noListenerLeft(): Promise<void> {
  const deadline = Date.now() + 2000;
  while ((await listenerPids()).length > 0) {
    if (Date.now() > deadline) throw new Error(`LISTEN sessions left: ${await listenerPids()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("PostgreSQL change feed across connections", () => {
  it("a change made through one knex instance reaches a watcher on another within one second", async () => {
    const writer = new PostgresRoutingStore({ knex: writerKnex });
    const watcher = new PostgresRoutingStore({ knex: watcherKnex });
    const recorder = new ChangeRecorder();
    await watcher.watch(recorder.onChange);
    try {
      const org = randomUUID();
      const started = performance.now();
      await writer.createRoute(org, newRoute());
      expect(await recorder.waitForOrg(org, 1000)).toEqual({ type: "org", orgId: org });
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      await watcher.close();
    }
  });

  it("a change written by raw SQL, outside the store, is reported too", async () => {
    const watcher = new PostgresRoutingStore({ knex: watcherKnex });
    const recorder = new ChangeRecorder();
    await watcher.watch(recorder.onChange);
    try {
      const org = randomUUID();
      await writerKnex.raw(
        `INSERT INTO routes (id, org_id, name, priority, conditions, target) VALUES (gen_random_uuid(), ?, 'raw', 1, '{}', '{"target_model":"m"}')`,
        [org],
      );
      await recorder.waitForOrg(org, 1000);
      recorder.clear();
      await writerKnex("routes").where({ org_id: org }).del();
      await recorder.waitForOrg(org, 1000);
    } finally {
      await watcher.close();
    }
  });

  it("moving a row to another org by raw SQL reports both orgs", async () => {
    const writer = new PostgresRoutingStore({ knex: writerKnex });
    const recorder = new ChangeRecorder();
    const subscription = await writer.watch(recorder.onChange);
    try {
      const [from, to] = [randomUUID(), randomUUID()];
      const route = await writer.createRoute(from, newRoute());
      await recorder.waitForOrg(from, 1000);
      recorder.clear();
      await writerKnex("routes").where({ id: route.id }).update({ org_id: to });
      await recorder.waitForOrg(to, 1000);
      await recorder.waitForOrg(from, 1000);
    } finally {
      await subscription.close();
    }
  });

  it("watch uses a dedicated connection, not one of the pool's", async () => {
    const tiny = database.knex(1);
    const store = new PostgresRoutingStore({ knex: tiny });
    const recorder = new ChangeRecorder();
    await store.watch(recorder.onChange);
    try {
      const org = randomUUID();
      await store.createRoute(org, newRoute()); // would wait forever if LISTEN held the only pooled connection
      await recorder.waitForOrg(org, 1000);
    } finally {
      await store.close();
    }
  });
});

describe("reconnecting after the LISTEN connection is lost", () => {
  it("after pg_terminate_backend kills the watcher's connection, it reconnects, reports a gap, and delivers again", async () => {
    const logger = recordingLogger();
    const watcher = new PostgresRoutingStore({
      knex: watcherKnex,
      logger,
      reconnect: { initialDelayMs: 20 },
    });
    const writer = new PostgresRoutingStore({ knex: writerKnex });
    const recorder = new ChangeRecorder();
    await watcher.watch(recorder.onChange);
    try {
      const pids = await listenerPids();
      expect(pids).toHaveLength(1);
      await terminate(pids);
      expect(await recorder.waitFor((c) => c.type === "gap", 5000, "gap")).toEqual({ type: "gap" });
      expect(logger.warnings.some((w) => w.message.includes("lost its LISTEN connection"))).toBe(
        true,
      );
      const after = await listenerPids();
      expect(after).toHaveLength(1);
      expect(after[0]).not.toBe(pids[0]);
      const org = randomUUID();
      await writer.createRoute(org, newRoute());
      await recorder.waitForOrg(org, 1000);
    } finally {
      await watcher.close();
    }
    await noListenerLeft();
  });

  it("keeps retrying with growing delays while connecting fails, then reports one gap", async () => {
    const logger = recordingLogger();
    const open = listenConnectionFromKnex(watcherKnex);
    const attempts: number[] = [];
    let failuresLeft = 0;
    const flaky = async (): Promise<ListenConnection> => {
      attempts.push(performance.now());
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error("connection refused (simulated)");
      }
      return open();
    };
    const watcher = new PostgresRoutingStore({
      knex: watcherKnex,
      logger,
      listenConnection: flaky,
      reconnect: { initialDelayMs: 20, maxDelayMs: 400 },
    });
    const recorder = new ChangeRecorder();
    await watcher.watch(recorder.onChange);
    try {
      failuresLeft = 4;
      attempts.length = 0;
      await terminate(await listenerPids());
      await recorder.waitFor((c) => c.type === "gap", 10_000, "gap");
      expect(attempts).toHaveLength(5);
      const gaps = attempts.slice(1).map((t, i) => t - (attempts[i] ?? t));
      // Delays are drawn from [ceiling/2, ceiling] with ceiling 20, 40, 80, 160 ms.
      expect(gaps[3]).toBeGreaterThan(gaps[0] ?? 0);
      expect(gaps[3]).toBeGreaterThanOrEqual(75);
      expect(logger.warnings.filter((w) => w.message.includes("reconnect failed"))).toHaveLength(4);
      expect(recorder.changes.filter((c) => c.type === "gap")).toHaveLength(1);
    } finally {
      await watcher.close();
    }
  });

  it("close() during a reconnect stops retrying and leaves no connection behind", async () => {
    let opened = 0;
    const open = listenConnectionFromKnex(watcherKnex);
    const watcher = new PostgresRoutingStore({
      knex: watcherKnex,
      logger: recordingLogger(),
      listenConnection: async () => {
        opened += 1;
        if (opened > 1) throw new Error("down (simulated)");
        return open();
      },
      reconnect: { initialDelayMs: 10, maxDelayMs: 20 },
    });
    const subscription = await watcher.watch(() => {});
    await terminate(await listenerPids());
    await waitUntil(() => opened >= 3, 2000, "a few reconnect attempts");
    await subscription.close();
    const attemptsAtClose = opened;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(opened).toBe(attemptsAtClose);
    await noListenerLeft();
  });

  it("watch rejects with RoutingStoreError when it cannot connect at all", async () => {
    const watcher = new PostgresRoutingStore({
      knex: watcherKnex,
      listenConnection: async () => {
        throw new Error("ECONNREFUSED (simulated)");
      },
    });
    const error = await watcher.watch(() => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoutingStoreError);
    expect((error as Error).message).toMatch(
      /could not LISTEN on channel "switchyard_routes_changed".*ECONNREFUSED/,
    );
  });

  it("a watch callback that throws is logged and later changes still arrive", async () => {
    const logger = recordingLogger();
    const store = new PostgresRoutingStore({ knex: writerKnex, logger });
    const recorder = new ChangeRecorder();
    let calls = 0;
    await store.watch((change) => {
      calls += 1;
      if (calls === 1) throw new Error("callback bug");
      recorder.onChange(change);
    });
    try {
      const [first, second] = [randomUUID(), randomUUID()];
      await store.createRoute(first, newRoute());
      await store.createRoute(second, newRoute());
      await recorder.waitForOrg(second, 1000);
      expect(logger.warnings.some((w) => w.message.includes("watch callback threw"))).toBe(true);
    } finally {
      await store.close();
    }
  });
});
