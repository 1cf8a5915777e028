import { createTestDatabase, type TestDatabase } from "@switchyard/test-utils";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type Harness, KEY_A, startHarness } from "./harness.js";
import { routesApi } from "./http.js";

export interface StoreHarness {
  /** Set in beforeAll. */
  h: Harness;
  /** Org A's routes API, emptied before each test. */
  a: ReturnType<typeof routesApi>;
}

/**
 * Registers the hooks of a suite that runs on the memory store or on a fresh
 * Postgres database (`kind`), and hands out the harness once they have run.
 */
export function useStoreHarness(kind: string, dbPrefix: string): StoreHarness {
  const env = {} as StoreHarness;
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    if (kind === "postgres") db = await createTestDatabase({ prefix: dbPrefix });
    env.h = await startHarness(db ? { route_store: { database_url: db.url } } : {});
    env.a = routesApi(env.h.url, KEY_A);
  }, 60_000);
  afterAll(async () => {
    await env.h?.close();
    await db?.drop();
  });
  beforeEach(() => env.a.clear());
  return env;
}
