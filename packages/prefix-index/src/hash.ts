import { createHash } from "node:crypto";
import type { PrefixHash } from "@switchyard/core";
import { canonicalJson } from "./canonical-json.js";
import type { PromptBlock } from "./parse-request.js";

const SEPARATOR = Buffer.of(0);

/** `role`, one `0x00` byte, then the block's compact key-sorted JSON without its `cache_control`. */
export function canonicalBlockBytes(block: Pick<PromptBlock, "role" | "value">): Buffer {
  return Buffer.concat([
    Buffer.from(block.role, "utf8"),
    SEPARATOR,
    Buffer.from(canonicalJson(block.value, "cache_control"), "utf8"),
  ]);
}

/**
 * Cumulative prefix hashes: one running SHA-256 over the blocks' canonical
 * bytes, finalized after each block, so `H[i] = SHA256(bytes_0 .. bytes_i)`.
 * Only blocks `0..upTo` are hashed (default: all). Each hash is a 32-byte Buffer.
 */
export function prefixHashes(
  blocks: readonly Pick<PromptBlock, "role" | "value">[],
  upTo: number = blocks.length - 1,
): PrefixHash[] {
  const hash = createHash("sha256");
  const out: PrefixHash[] = [];
  const last = Math.min(upTo, blocks.length - 1);
  for (let i = 0; i <= last; i++) {
    const block = blocks[i] as PromptBlock;
    hash.update(block.role, "utf8");
    hash.update(SEPARATOR);
    hash.update(canonicalJson(block.value, "cache_control"), "utf8");
    out.push(hash.copy().digest());
  }
  return out;
}
