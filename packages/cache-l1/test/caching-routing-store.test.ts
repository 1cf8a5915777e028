import {
  type NewRoute,
  type Route,
  type RouteChange,
  type RouteChangeFeed,
  type RoutingStore,
  RoutingStoreError,
  uuidv7,
} from "@switchyard/core";
import { MemoryRoutingStore } from "@switchyard/store-memory";
import { describe, expect, it } from "vitest";
import { CachingRoutingStore } from "../src/index.js";
import { deferred, manualClock } from "./helpers.js";

const ORG = "0190a8b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b";
const OTHER = "0190a8b2-7c3d-7e4f-8a1b-000000000000";

const newRoute = (name: string, target = "m"): NewRoute => ({
  name,
  priority: 100,
  enabled: true,
  when: { model_in: [], input_tokens_lt: null, input_tokens_gt: null, tag_equals: null },
  then: { target_model: target },
});
const route = (name: string): Route => ({ id: uuidv7(), ...newRoute(name) });

/** Every RoutingStore method of `inner`, bound (works with #private fields). */
function delegate(inner: RoutingStore): RoutingStore {
  return {
    listForOrg: (org) => inner.listForOrg(org),
    listAllForOrg: (org) => inner.listAllForOrg(org),
    createRoute: (org, r) => inner.createRoute(org, r),
    getRoute: (org, id) => inner.getRoute(org, id),
    deleteRoute: (org, id) => inner.deleteRoute(org, id),
    updateRoute: (org, id, patch) => inner.updateRoute(org, id, patch),
  };
}

/** Counts listForOrg calls and can hold them open. */
function countingStore(inner: RoutingStore) {
  let calls = 0;
  let gate: Promise<void> | undefined;
  const store: RoutingStore = {
    ...delegate(inner),
    listForOrg: async (org: string) => {
      calls++;
      const routes = await inner.listForOrg(org); // read first, answer late: a stale load
      if (gate) await gate;
      return routes;
    },
  };
  return {
    store,
    calls: () => calls,
    hold: () => {
      const d = deferred<void>();
      gate = d.promise;
      return () => {
        gate = undefined;
        d.resolve();
      };
    },
  };
}

describe("CachingRoutingStore: engineFor", () => {
  it("reuses the compiled engine within the TTL", async () => {
    const memory = new MemoryRoutingStore();
    memory.setRoutes(ORG, [route("a")]);
    const cache = new CachingRoutingStore(memory);
    const first = await cache.engineFor(ORG);
    memory.setRoutes(ORG, [route("b"), route("c")]); // no feed given: not seen
    expect(await cache.engineFor(ORG)).toBe(first);
    expect(cache.peekEngine(ORG)).toBe(first);
    await cache.close();
  });

  it("reloads after the TTL (the backstop)", async () => {
    const clock = manualClock();
    const memory = new MemoryRoutingStore();
    memory.setRoutes(ORG, [route("a")]);
    const cache = new CachingRoutingStore(memory, { ttlMs: 1_000, jitter: 0, now: clock.now });
    expect((await cache.engineFor(ORG)).routes).toHaveLength(1);
    memory.setRoutes(ORG, [route("b"), route("c")]);
    clock.advance(1_000);
    expect((await cache.engineFor(ORG)).routes.map((r) => r.name)).toEqual(["b", "c"]);
    await cache.close();
  });

  it("caches empty orgs too", async () => {
    const counting = countingStore(new MemoryRoutingStore());
    const cache = new CachingRoutingStore(counting.store);
    expect((await cache.engineFor(OTHER)).routes).toEqual([]);
    await cache.engineFor(OTHER);
    expect(counting.calls()).toBe(1);
    await cache.close();
  });

  it("concurrent refreshes of one org make one listForOrg call", async () => {
    const memory = new MemoryRoutingStore();
    memory.setRoutes(ORG, [route("a")]);
    const counting = countingStore(memory);
    const cache = new CachingRoutingStore(counting.store);
    const release = counting.hold();
    const engines = Array.from({ length: 100 }, () => cache.engineFor(ORG));
    release();
    const resolved = await Promise.all(engines);
    expect(counting.calls()).toBe(1);
    expect(new Set(resolved).size).toBe(1);
    await cache.close();
  });

  it("propagates backend errors and does not cache them", async () => {
    let fail = true;
    const memory = new MemoryRoutingStore();
    const flaky: RoutingStore = {
      ...delegate(memory),
      listForOrg: async (org) => {
        if (fail) throw new RoutingStoreError("db down");
        return memory.listForOrg(org);
      },
    };
    const cache = new CachingRoutingStore(flaky);
    await expect(cache.engineFor(ORG)).rejects.toBeInstanceOf(RoutingStoreError);
    fail = false;
    expect((await cache.engineFor(ORG)).routes).toEqual([]);
    await cache.close();
  });
});

describe("CachingRoutingStore: management passes through and invalidates", () => {
  it("create, update and delete through it are seen by the next engineFor", async () => {
    const cache = new CachingRoutingStore(new MemoryRoutingStore(), { ttlMs: 3_600_000 });
    expect((await cache.engineFor(ORG)).routes).toHaveLength(0);
    const created = await cache.createRoute(ORG, newRoute("x"));
    expect((await cache.engineFor(ORG)).routes.map((r) => r.id)).toEqual([created.id]);
    await cache.updateRoute(ORG, created.id, { then: { target_model: "other" } });
    expect((await cache.engineFor(ORG)).routes[0]?.then.target_model).toBe("other");
    expect(await cache.deleteRoute(ORG, created.id)).toBe(true);
    expect((await cache.engineFor(ORG)).routes).toHaveLength(0);
    await cache.close();
  });

  it("a delete or update that changed nothing keeps the cached engine", async () => {
    const cache = new CachingRoutingStore(new MemoryRoutingStore());
    const engine = await cache.engineFor(ORG);
    expect(await cache.deleteRoute(ORG, uuidv7())).toBe(false);
    expect(await cache.updateRoute(ORG, uuidv7(), { enabled: false })).toBeUndefined();
    expect(cache.peekEngine(ORG)).toBe(engine);
    await cache.close();
  });

  it("listAllForOrg and getRoute read the inner store; listForOrg reads the engine", async () => {
    const memory = new MemoryRoutingStore();
    const cache = new CachingRoutingStore(memory);
    const off = await cache.createRoute(ORG, { ...newRoute("off"), enabled: false });
    expect(await cache.listAllForOrg(ORG)).toHaveLength(1);
    expect(await cache.listForOrg(ORG)).toHaveLength(0);
    expect((await cache.getRoute(ORG, off.id))?.name).toBe("off");
    expect(await cache.getRoute(OTHER, off.id)).toBeUndefined();
    await cache.close();
  });

  it("a create during an in-flight refresh is not lost", async () => {
    const memory = new MemoryRoutingStore();
    const counting = countingStore(memory);
    const cache = new CachingRoutingStore(counting.store, { ttlMs: 3_600_000 });
    const release = counting.hold();
    const loading = cache.engineFor(ORG);
    await cache.createRoute(ORG, newRoute("late"));
    release();
    await loading;
    expect((await cache.engineFor(ORG)).routes.map((r) => r.name)).toEqual(["late"]);
    await cache.close();
  });
});

describe("CachingRoutingStore: change feed", () => {
  it("applies a change made directly on the inner store at once", async () => {
    const memory = new MemoryRoutingStore();
    const cache = new CachingRoutingStore(memory, { ttlMs: 3_600_000, changeFeed: memory });
    await cache.ready();
    expect((await cache.engineFor(ORG)).routes).toHaveLength(0);
    await memory.createRoute(ORG, newRoute("elsewhere"));
    expect((await cache.engineFor(ORG)).routes.map((r) => r.name)).toEqual(["elsewhere"]);
    await cache.close();
  });

  it("a gap drops every org; an org event drops only that org", async () => {
    let emit: (change: RouteChange) => void = () => {};
    const feed: RouteChangeFeed = {
      watch: async (onChange) => {
        emit = onChange;
        return { close: async () => {} };
      },
    };
    const cache = new CachingRoutingStore(new MemoryRoutingStore(), { changeFeed: feed });
    await cache.ready();
    const a = await cache.engineFor(ORG);
    const b = await cache.engineFor(OTHER);
    emit({ type: "org", orgId: ORG });
    expect(cache.peekEngine(ORG)).toBeUndefined();
    expect(cache.peekEngine(OTHER)).toBe(b);
    await cache.engineFor(ORG);
    emit({ type: "gap" });
    expect(cache.peekEngine(ORG)).toBeUndefined();
    expect(cache.peekEngine(OTHER)).toBeUndefined();
    expect(a).not.toBe(await cache.engineFor(ORG));
    await cache.close();
  });

  it("a feed that fails to subscribe is reported and the TTL still converges", async () => {
    const clock = manualClock();
    const errors: unknown[] = [];
    const memory = new MemoryRoutingStore();
    const broken: RouteChangeFeed = { watch: async () => Promise.reject(new Error("no listen")) };
    const cache = new CachingRoutingStore(memory, {
      changeFeed: broken,
      onFeedError: (e) => errors.push(e),
      ttlMs: 500,
      jitter: 0,
      now: clock.now,
    });
    await cache.ready();
    expect(errors).toHaveLength(1);
    await cache.engineFor(ORG);
    await memory.createRoute(ORG, newRoute("n"));
    clock.advance(500);
    expect((await cache.engineFor(ORG)).routes).toHaveLength(1);
    await cache.close();
  });

  it("close() unsubscribes from the feed and leaves the inner store usable", async () => {
    const memory = new MemoryRoutingStore();
    let closed = 0;
    const feed: RouteChangeFeed = {
      watch: async () => ({ close: async () => void closed++ }),
    };
    const cache = new CachingRoutingStore(memory, { changeFeed: feed });
    await cache.close();
    expect(closed).toBe(1);
    expect(await memory.listForOrg(ORG)).toEqual([]);
  });
});
