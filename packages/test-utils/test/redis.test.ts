import { afterAll, describe, expect, it } from "vitest";
import { createRedisNamespace, RespClient, redisUrl } from "../src/index.js";

describe("the run's Redis server", () => {
  it("answers PING at REDIS_URL", async () => {
    const client = await RespClient.connect(redisUrl());
    try {
      expect(await client.command("PING")).toBe("PONG");
    } finally {
      await client.close();
    }
  });

  it("decodes integers, nulls, arrays and error replies", async () => {
    const client = await RespClient.connect(redisUrl());
    try {
      expect(await client.command("ECHO", "héllo")).toBe("héllo");
      expect(await client.command("GET", "sy-test:surely-missing")).toBeNull();
      expect(await client.command("EXISTS", "sy-test:surely-missing")).toBe(0);
      expect(Array.isArray(await client.command("CONFIG", "GET", "databases"))).toBe(true);
      await expect(client.command("NOT-A-COMMAND")).rejects.toThrow(/unknown command/i);
    } finally {
      await client.close();
    }
  });
});

describe("createRedisNamespace", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  it("gives every caller its own key prefix and a logical database", async () => {
    const a = await createRedisNamespace();
    const b = await createRedisNamespace();
    cleanups.push(a.cleanup, b.cleanup);
    expect(a.prefix).not.toBe(b.prefix);
    expect(a.db).toBeGreaterThan(0);
    expect(a.url.endsWith(`/${a.db}`)).toBe(true);
    const client = await RespClient.connect(a.url);
    try {
      await client.command("SET", a.key("k"), "v");
      expect(await client.command("GET", a.key("k"))).toBe("v");
      expect(await client.command("GET", b.key("k"))).toBeNull();
    } finally {
      await client.close();
    }
  });

  it("cleanup deletes the namespace's keys and leaves other keys alone", async () => {
    const ns = await createRedisNamespace();
    const client = await RespClient.connect(ns.url);
    const outsider = `sy-test:outsider:${Date.now()}`;
    try {
      for (let i = 0; i < 25; i++) await client.command("SET", ns.key(`k${i}`), i);
      await client.command("SET", outsider, "stay");
      expect(await ns.cleanup()).toBe(25);
      expect(await client.command("EXISTS", ns.key("k0"))).toBe(0);
      expect(await client.command("GET", outsider)).toBe("stay");
    } finally {
      await client.command("DEL", outsider);
      await client.close();
    }
  });
});
