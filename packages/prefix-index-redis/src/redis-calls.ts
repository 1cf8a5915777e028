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

/**
 * One round trip for a whole lookup. KEYS = n entry keys then their n
 * negative-marker keys. For each candidate it answers the entry's value
 * "count|tier|expiresAtMs", "-" (the baseline is known to have none) or ""
 * (unknown: ask the baseline).
 */
const LOOKUP_SCRIPT = `
local n = #KEYS / 2
local out = {}
for i = 1, n do
  local v = redis.call('GET', KEYS[i])
  if v then
    out[i] = v
  elseif redis.call('EXISTS', KEYS[n + i]) == 1 then
    out[i] = '-'
  else
    out[i] = ''
  end
end
return out
`;

/** Slides an entry's expiry (value and key TTL together); a missing entry stays missing. */
const REFRESH_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local count, tier = string.match(v, '^([^|]*)|([^|]*)')
redis.call('SET', KEYS[1], count .. '|' .. tier .. '|' .. ARGV[1], 'PXAT', ARGV[1])
return 1
`;

const sha1 = (script: string) => createHash("sha1").update(script).digest("hex");
const LOOKUP_SHA = sha1(LOOKUP_SCRIPT);
const REFRESH_SHA = sha1(REFRESH_SCRIPT);

/** EVALSHA, loading the script on NOSCRIPT (first use, or after a Redis restart). */
async function evalScript(
  redis: Redis | Cluster,
  script: string,
  sha: string,
  keys: readonly string[],
  args: readonly string[],
): Promise<unknown> {
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!String((error as Error)?.message).includes("NOSCRIPT")) throw error;
    return await redis.eval(script, keys.length, ...keys, ...args);
  }
}

export async function evalLookup(
  redis: Redis | Cluster,
  keys: readonly string[],
): Promise<string[]> {
  return (await evalScript(redis, LOOKUP_SCRIPT, LOOKUP_SHA, keys, [])) as string[];
}

export function evalRefresh(
  redis: Redis | Cluster,
  key: string,
  expiresAtMs: number,
): Promise<unknown> {
  return evalScript(redis, REFRESH_SCRIPT, REFRESH_SHA, [key], [String(expiresAtMs)]);
}

/** Rejects when any command of an executed pipeline failed. */
export function pipelineErrors(results: Array<[Error | null, unknown]> | null): void {
  const failed = results?.find(([error]) => error !== null);
  if (failed?.[0]) throw failed[0];
}
