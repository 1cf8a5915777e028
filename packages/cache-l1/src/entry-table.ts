/**
 * Entry storage: a Map from key to a slot number, and the slot's fields in
 * parallel arrays (structure of arrays), so an entry costs a few dozen bytes
 * of bookkeeping and a hit allocates nothing. Slots form a FIFO queue for
 * SIEVE eviction: a hit only sets a bit; the hand clears bits as it passes
 * and evicts the first unvisited (or dead) entry. The visited bit is the
 * sign of the slot's expiry (negative = visited), so a hit reads and writes
 * one memory location beside the value's. No timers: expiry is
 * checked on read, and each insert sweeps a couple of slots for dead entries.
 */
const NONE = -1;
const SWEEP_PER_INSERT = 2;
const INITIAL_CAPACITY = 256;

export class EntryTable<K, V> {
  private index = new Map<K, number>();
  private keys: Array<K | undefined> = [];
  private values: Array<V | undefined> = [];
  private freshUntil = new Float64Array(INITIAL_CAPACITY);
  private newer = new Int32Array(INITIAL_CAPACITY);
  private older = new Int32Array(INITIAL_CAPACITY);
  private head = NONE;
  private tail = NONE;
  private hand = NONE;
  private cursor = NONE;
  private freeSlots: number[] = [];
  private used = 0;

  /**
   * @param maxEntries bound on entries (Infinity for none)
   * @param graceMs how long past freshness an entry is kept (for stale serving); after it, the entry is dead
   */
  constructor(
    private readonly maxEntries: number,
    private readonly graceMs: number,
  ) {}

  get size(): number {
    return this.index.size;
  }

  slotOf(key: K): number | undefined {
    return this.index.get(key);
  }

  valueAt(slot: number): V {
    return this.values[slot] as V;
  }

  freshUntilAt(slot: number): number {
    const signed = this.freshUntil[slot] as number;
    return signed < 0 ? -signed : signed;
  }

  /** True when the slot is fresh at `now`; a fresh slot is marked visited (the hit path: one read, at most one write). */
  hit(slot: number, now: number): boolean {
    const signed = this.freshUntil[slot] as number;
    if (signed < 0) return now < -signed;
    if (now >= signed) return false;
    this.freshUntil[slot] = -signed;
    return true;
  }

  private visited(slot: number): boolean {
    return (this.freshUntil[slot] as number) < 0;
  }

  private clearVisited(slot: number): void {
    this.freshUntil[slot] = this.freshUntilAt(slot);
  }

  /** Inserts or replaces; returns how many entries were evicted and swept to make room. */
  set(key: K, value: V, freshUntil: number, now: number): { evicted: number; expired: number } {
    const existing = this.index.get(key);
    if (existing !== undefined) {
      this.values[existing] = value;
      this.freshUntil[existing] = -freshUntil; // replaced: counts as used
      return { evicted: 0, expired: 0 };
    }
    const expired = this.sweep(now);
    let evicted = 0;
    if (this.index.size >= this.maxEntries) {
      this.evictOne(now);
      evicted = 1;
    }
    const slot = this.allocate();
    this.keys[slot] = key;
    this.values[slot] = value;
    this.freshUntil[slot] = freshUntil;
    this.linkAtHead(slot);
    this.index.set(key, slot);
    return { evicted, expired };
  }

  delete(key: K): boolean {
    const slot = this.index.get(key);
    if (slot === undefined) return false;
    this.remove(slot);
    return true;
  }

  /** O(1): drops the index and queue; slot arrays are reused as they are refilled. */
  clear(): void {
    this.index = new Map();
    this.keys = [];
    this.values = [];
    this.head = this.tail = this.hand = this.cursor = NONE;
    this.freeSlots = [];
    this.used = 0;
  }

  private isDead(slot: number, now: number): boolean {
    return this.freshUntilAt(slot) + this.graceMs <= now;
  }

  private evictOne(now: number): void {
    let slot = this.hand !== NONE ? this.hand : this.tail;
    while (!this.isDead(slot, now) && this.visited(slot)) {
      this.clearVisited(slot);
      const next = this.newer[slot] as number;
      slot = next !== NONE ? next : this.tail;
    }
    this.hand = this.newer[slot] as number;
    this.remove(slot);
  }

  private sweep(now: number): number {
    let removed = 0;
    for (let i = 0; i < SWEEP_PER_INSERT && this.tail !== NONE; i++) {
      const slot = this.cursor !== NONE ? this.cursor : this.tail;
      this.cursor = this.newer[slot] as number;
      if (this.isDead(slot, now)) {
        this.remove(slot);
        removed += 1;
      }
    }
    return removed;
  }

  private allocate(): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) return reused;
    const slot = this.used++;
    if (slot >= this.freshUntil.length) this.grow();
    return slot;
  }

  private grow(): void {
    const capacity = this.freshUntil.length * 2;
    const copy = <T extends Float64Array | Int32Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.freshUntil = copy(this.freshUntil, new Float64Array(capacity));
    this.newer = copy(this.newer, new Int32Array(capacity));
    this.older = copy(this.older, new Int32Array(capacity));
  }

  private linkAtHead(slot: number): void {
    this.newer[slot] = NONE;
    this.older[slot] = this.head;
    if (this.head !== NONE) this.newer[this.head] = slot;
    this.head = slot;
    if (this.tail === NONE) this.tail = slot;
  }

  private remove(slot: number): void {
    const newer = this.newer[slot] as number;
    const older = this.older[slot] as number;
    if (this.hand === slot) this.hand = newer;
    if (this.cursor === slot) this.cursor = newer;
    if (newer !== NONE) this.older[newer] = older;
    else this.head = older;
    if (older !== NONE) this.newer[older] = newer;
    else this.tail = newer;
    this.index.delete(this.keys[slot] as K);
    this.keys[slot] = undefined;
    this.values[slot] = undefined;
    this.freeSlots.push(slot);
  }
}
