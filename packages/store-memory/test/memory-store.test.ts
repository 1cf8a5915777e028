import { ChangeRecorder, fullRoute, newRoute, randomOrgId } from "@switchyard/conformance";
import { type Route, uuidv7 } from "@switchyard/core";
import { describe, expect, it, vi } from "vitest";
import { createMemoryRoutingStore, MemoryRoutingStore } from "../src/index.js";

function route(overrides: Partial<Route> = {}): Route {
  return { id: uuidv7(), ...newRoute(), ...overrides };
}

describe("setRoutes", () => {
  it("replaces all routes of the org", async () => {
    const store = createMemoryRoutingStore();
    const org = randomOrgId();
    await store.createRoute(org, newRoute({ name: "old" }));
    const planted = [route({ name: "a" }), route({ name: "b", enabled: false })];
    store.setRoutes(org, planted);
    expect(await store.listAllForOrg(org)).toEqual(planted);
    expect(await store.listForOrg(org)).toEqual([planted[0]]);
  });

  it("an empty list leaves the org without routes", async () => {
    const store = createMemoryRoutingStore();
    const org = randomOrgId();
    store.setRoutes(org, [route()]);
    store.setRoutes(org, []);
    expect(await store.listAllForOrg(org)).toEqual([]);
  });

  it("treats the given order as creation order for equal priorities", async () => {
    const store = createMemoryRoutingStore();
    const org = randomOrgId();
    store.setRoutes(org, [
      route({ name: "x", priority: 1 }),
      route({ name: "y", priority: 5 }),
      route({ name: "z", priority: 1 }),
    ]);
    expect((await store.listForOrg(org)).map((r) => r.name)).toEqual(["y", "x", "z"]);
  });

  it("copies the routes it is given", async () => {
    const store = createMemoryRoutingStore();
    const org = randomOrgId();
    const planted = route(fullRoute());
    const snapshot = structuredClone(planted);
    store.setRoutes(org, [planted]);
    planted.when.model_in.push("sneaky");
    planted.priority = 1;
    expect(await store.listAllForOrg(org)).toEqual([snapshot]);
  });

  it("reports the org on the change feed", async () => {
    const store = createMemoryRoutingStore();
    const recorder = new ChangeRecorder();
    await store.watch(recorder.onChange);
    const org = randomOrgId();
    store.setRoutes(org, [route()]);
    await recorder.waitForOrg(org, 100);
  });
});

describe("in-process change feed", () => {
  it("delivers changes after the write returned, in order", async () => {
    const store = new MemoryRoutingStore();
    const recorder = new ChangeRecorder();
    await store.watch(recorder.onChange);
    const [a, b] = [randomOrgId(), randomOrgId()];
    await store.createRoute(a, newRoute());
    await store.createRoute(b, newRoute());
    await store.createRoute(a, newRoute());
    await recorder.waitFor(() => recorder.changes.length === 3, 100);
    expect(recorder.changes).toEqual([
      { type: "org", orgId: a },
      { type: "org", orgId: b },
      { type: "org", orgId: a },
    ]);
  });

  it("a watcher that throws is logged and does not stop the write or other watchers", async () => {
    const warn = vi.fn();
    const store = createMemoryRoutingStore({ logger: { warn } });
    await store.watch(() => {
      throw new Error("boom");
    });
    const recorder = new ChangeRecorder();
    await store.watch(recorder.onChange);
    const org = randomOrgId();
    const created = await store.createRoute(org, newRoute());
    await recorder.waitForOrg(org, 100);
    expect(await store.getRoute(org, created.id)).toEqual(created);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining("watch callback threw"),
      expect.objectContaining({ error: expect.any(Error) }),
    );
  });

  it("simulateGap tells every watcher that changes may have been missed", async () => {
    const store = createMemoryRoutingStore();
    const recorder = new ChangeRecorder();
    await store.watch(recorder.onChange);
    store.simulateGap();
    expect(await recorder.waitFor((c) => c.type === "gap", 100)).toEqual({ type: "gap" });
  });

  it("an empty patch is not reported as a change", async () => {
    const store = createMemoryRoutingStore();
    const org = randomOrgId();
    const created = await store.createRoute(org, newRoute());
    const recorder = new ChangeRecorder();
    await store.watch(recorder.onChange);
    await store.updateRoute(org, created.id, {});
    store.simulateGap(); // sentinel: delivered after anything queued before it
    await recorder.waitFor((c) => c.type === "gap", 100);
    expect(recorder.forOrg(org)).toEqual([]);
  });
});
