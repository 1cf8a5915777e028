import { createHash } from "node:crypto";
import { SwitchyardError } from "@switchyard/core";
import type { Cluster, Redis } from "ioredis";

/** A Redis call took longer than `commandTimeoutMs`; the accelerator fell back to the baseline. */
export class RedisTimeoutError extends SwitchyardError {
  static readonly code = "E_REDIS_TIMEOUT";

  constructor(operation: string, ms: number) {
    super(RedisTimeoutError.code, `redis ${operation} took longer than ${ms} ms`);
  }
}

const noop = () => {};

/** Races `promise` against a timer; the late outcome is swallowed. */
export function withTimeout<T>(promise: Promise<T>, ms: number, operation: string): Promise<T> {
  promise.catch(noop);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RedisTimeoutError(operation, ms)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * One round trip for a whole lookup. KEYS = n entry keys then their n
 * negative-marker keys. For each candidate it answers "count|tier|expiresAtMs"
 * (a live entry; expiry read from the key's own TTL on the server clock),
 * "-" (the baseline is known to have none) or "" (unknown: ask the baseline).
 */
export const LOOKUP_SCRIPT = `
local n = #KEYS / 2
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
for i = 1, n do
  local v = redis.call('GET', KEYS[i])
  local ttl = -2
  if v then ttl = redis.call('PTTL', KEYS[i]) end
  if v and ttl > 0 then
    out[i] = v .. '|' .. string.format('%.0f', now + ttl)
  elseif redis.call('EXISTS', KEYS[n + i]) == 1 then
    out[i] = '-'
  else
    out[i] = ''
  end
end
return out
`;

const LOOKUP_SHA = createHash("sha1").update(LOOKUP_SCRIPT).digest("hex");

/** EVALSHA, loading the script on NOSCRIPT (first use, or after a Redis restart). */
export async function evalLookup(
  redis: Redis | Cluster,
  keys: readonly string[],
): Promise<string[]> {
  try {
    return (await redis.evalsha(LOOKUP_SHA, keys.length, ...keys)) as string[];
  } catch (error) {
    if (!String((error as Error)?.message).includes("NOSCRIPT")) throw error;
    return (await redis.eval(LOOKUP_SCRIPT, keys.length, ...keys)) as string[];
  }
}

/** Rejects when any command of an executed pipeline failed. */
export function pipelineErrors(results: Array<[Error | null, unknown]> | null): void {
  const failed = results?.find(([error]) => error !== null);
  if (failed?.[0]) throw failed[0];
}
