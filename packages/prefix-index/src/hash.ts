import { createHash, type Hash } from "node:crypto";
import type { PrefixHash } from "@switchyard/core";
import { writeCanonicalJson } from "./canonical-json.js";
import type { PromptBlock } from "./parse-request.js";

const SEPARATOR = Buffer.of(0);

/** Feeds a block's canonical bytes to `hash`: small pieces batched as one string, long strings as bytes. */
function updateWithBlock(hash: Hash, block: Pick<PromptBlock, "role" | "value">): void {
  let pending = "";
  hash.update(block.role, "utf8");
  hash.update(SEPARATOR);
  writeCanonicalJson(block.value, "cache_control", (chunk) => {
    if (typeof chunk === "string") {
      pending += chunk;
      return;
    }
    if (pending) hash.update(pending, "utf8");
    pending = "";
    hash.update(chunk);
  });
  if (pending) hash.update(pending, "utf8");
}

/** `role`, one `0x00` byte, then the block's compact key-sorted JSON without its `cache_control`. */
export function canonicalBlockBytes(block: Pick<PromptBlock, "role" | "value">): Buffer {
  const chunks: Buffer[] = [Buffer.from(block.role, "utf8"), SEPARATOR];
  writeCanonicalJson(block.value, "cache_control", (chunk) => {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk);
  });
  return Buffer.concat(chunks);
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
    updateWithBlock(hash, blocks[i] as PromptBlock);
    out.push(hash.copy().digest());
  }
  return out;
}
