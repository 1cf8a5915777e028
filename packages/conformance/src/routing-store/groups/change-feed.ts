import { randomUUID } from "node:crypto";
import type { RouteChangeFeed, RoutingStore } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import type { ContractContext } from "../context.js";
import { newRoute, randomOrgId } from "../fixtures.js";
import { ChangeRecorder } from "../recorder.js";

function feedOf(store: RoutingStore): RouteChangeFeed {
  const candidate = store as RoutingStore & Partial<RouteChangeFeed>;
  if (typeof candidate.watch !== "function") {
    throw new Error("routingStoreContract: changeFeed is true but the store has no watch() method");
  }
  return candidate as RouteChangeFeed;
}

export function changeFeedTests({ store, eventTimeoutMs }: ContractContext): void {
  describe("change feed (watch)", () => {
    it("createRoute, updateRoute and deleteRoute each report the org", async () => {
      const recorder = new ChangeRecorder();
      const subscription = await feedOf(store()).watch(recorder.onChange);
      try {
        const org = randomOrgId();
        const route = await store().createRoute(org, newRoute());
        expect(await recorder.waitForOrg(org, eventTimeoutMs)).toEqual({ type: "org", orgId: org });
        recorder.clear();
        await store().updateRoute(org, route.id, { enabled: false });
        await recorder.waitForOrg(org, eventTimeoutMs);
        recorder.clear();
        await store().deleteRoute(org, route.id);
        await recorder.waitForOrg(org, eventTimeoutMs);
      } finally {
        await subscription.close();
      }
    });

    it("a change reports the org it happened in and no other", async () => {
      const recorder = new ChangeRecorder();
      const subscription = await feedOf(store()).watch(recorder.onChange);
      try {
        const a = randomOrgId();
        const b = randomOrgId();
        await store().createRoute(a, newRoute());
        await recorder.waitForOrg(a, eventTimeoutMs);
        expect(recorder.forOrg(b)).toEqual([]);
        await store().createRoute(b, newRoute());
        await recorder.waitForOrg(b, eventTimeoutMs);
      } finally {
        await subscription.close();
      }
    });

    it("writes that find nothing to change report nothing", async () => {
      const recorder = new ChangeRecorder();
      const subscription = await feedOf(store()).watch(recorder.onChange);
      try {
        const owner = randomOrgId();
        const other = randomOrgId();
        const route = await store().createRoute(owner, newRoute());
        await recorder.waitForOrg(owner, eventTimeoutMs);
        recorder.clear();
        await store().deleteRoute(owner, randomUUID());
        await store().updateRoute(owner, randomUUID(), { enabled: false });
        await store().deleteRoute(other, route.id);
        await store().updateRoute(other, route.id, { enabled: false });
        // Changes arrive in order: once a later sentinel change is seen, nothing else is coming.
        const sentinel = randomOrgId();
        await store().createRoute(sentinel, newRoute());
        await recorder.waitForOrg(sentinel, eventTimeoutMs);
        expect(recorder.forOrg(owner)).toEqual([]);
        expect(recorder.forOrg(other)).toEqual([]);
      } finally {
        await subscription.close();
      }
    });

    it("every open subscription receives every change", async () => {
      const first = new ChangeRecorder();
      const second = new ChangeRecorder();
      const subscriptions = [
        await feedOf(store()).watch(first.onChange),
        await feedOf(store()).watch(second.onChange),
      ];
      try {
        const org = randomOrgId();
        await store().createRoute(org, newRoute());
        await first.waitForOrg(org, eventTimeoutMs);
        await second.waitForOrg(org, eventTimeoutMs);
      } finally {
        for (const subscription of subscriptions) await subscription.close();
      }
    });

    it("a closed subscription receives nothing more, and close is idempotent", async () => {
      const closed = new ChangeRecorder();
      const open = new ChangeRecorder();
      const toClose = await feedOf(store()).watch(closed.onChange);
      const stillOpen = await feedOf(store()).watch(open.onChange);
      try {
        await toClose.close();
        await toClose.close();
        const org = randomOrgId();
        await store().createRoute(org, newRoute());
        await open.waitForOrg(org, eventTimeoutMs);
        expect(closed.changes).toEqual([]);
      } finally {
        await stillOpen.close();
      }
    });
  });
}
