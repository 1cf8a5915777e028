import { createHash } from "node:crypto";
import { hashHex, type IndexScope, isUuid, type PrefixHash } from "@switchyard/core";

/**
 * Key layout. Every key of one scope carries the same hash tag `{<scope id>}`,
 * so one Lua call or pipeline serves a whole lookup, also on Redis Cluster.
 *
 *   <prefix>{<scope id>}:e:<hash hex>   entry: "count|tier", expires at the entry's expiresAt (PXAT)
 *   <prefix>{<scope id>}:n:<hash hex>   negative marker: the baseline had no live entry (PX negativeTtlMs)
 *
 * The scope id is the first 24 hex digits of SHA-256(principal \0 model \0 tokenizer):
 * fixed length, no braces, and no scope can spill into another's keys.
 */
export class KeyLayout {
  constructor(private readonly prefix: string) {}

  scopeTag(scope: IndexScope): string {
    const id = createHash("sha256")
      .update(
        `${principal(scope.principalId)}\u0000${scope.virtualModel}\u0000${scope.tokenizerVersion}`,
      )
      .digest("hex")
      .slice(0, 24);
    return `${this.prefix}{${id}}:`;
  }

  entry(tag: string, hash: PrefixHash): string {
    return `${tag}e:${hashHex(hash)}`;
  }

  negative(tag: string, hash: PrefixHash): string {
    return `${tag}n:${hashHex(hash)}`;
  }
}

/** UUIDs compare case-insensitively (as Postgres compares them); other ids as they are. */
function principal(id: string): string {
  return isUuid(id) ? id.toLowerCase() : id;
}
