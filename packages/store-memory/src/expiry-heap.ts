/** A heap node: the expiry an entry had when the node was pushed, and the entry's version then. */
export interface HeapNode<T> {
  readonly expiresAt: number;
  readonly version: number;
  readonly item: T;
}

function before<T>(a: HeapNode<T>, b: HeapNode<T>): boolean {
  return a.expiresAt < b.expiresAt || (a.expiresAt === b.expiresAt && a.version < b.version);
}

/**
 * A binary min-heap on `(expiresAt, version)`: the earliest expiry first, ties
 * by the oldest version (write or refresh). Nodes are never updated in place:
 * a changed entry pushes a new node, and the owner recognizes outdated ones
 * (lazy deletion) by their version.
 */
export class ExpiryHeap<T> {
  #nodes: HeapNode<T>[] = [];

  get size(): number {
    return this.#nodes.length;
  }

  peek(): HeapNode<T> | undefined {
    return this.#nodes[0];
  }

  push(node: HeapNode<T>): void {
    const nodes = this.#nodes;
    nodes.push(node);
    let i = nodes.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const up = nodes[parent] as HeapNode<T>;
      if (!before(node, up)) break;
      nodes[i] = up;
      i = parent;
    }
    nodes[i] = node;
  }

  pop(): HeapNode<T> | undefined {
    const nodes = this.#nodes;
    const top = nodes[0];
    const last = nodes.pop();
    if (top === undefined || last === undefined || nodes.length === 0) return top;
    this.#siftDown(0, last);
    return top;
  }

  /** Replaces the content with these nodes (O(n) heapify). */
  rebuild(nodes: HeapNode<T>[]): void {
    this.#nodes = nodes;
    for (let i = (nodes.length >> 1) - 1; i >= 0; i--) this.#siftDown(i, nodes[i] as HeapNode<T>);
  }

  clear(): void {
    this.#nodes = [];
  }

  #siftDown(start: number, node: HeapNode<T>): void {
    const nodes = this.#nodes;
    const n = nodes.length;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && before(nodes[right] as HeapNode<T>, nodes[left] as HeapNode<T>)) {
        child = right;
      }
      const smaller = nodes[child] as HeapNode<T>;
      if (!before(smaller, node)) break;
      nodes[i] = smaller;
      i = child;
    }
    nodes[i] = node;
  }
}
