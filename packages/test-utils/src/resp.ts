import { connect, type Socket } from "node:net";

/** A decoded RESP2 reply. Error replies reject the command instead. */
export type RespValue = string | number | null | RespValue[];

type Parsed = { value: RespValue | Error; next: number } | undefined;

function lineEnd(buffer: Buffer, from: number): number {
  return buffer.indexOf("\r\n", from, "latin1");
}

/** Parses one reply starting at `at`; undefined when the buffer does not hold all of it yet. */
function parseReply(buffer: Buffer, at: number): Parsed {
  const end = lineEnd(buffer, at);
  if (end === -1) return undefined;
  const type = String.fromCharCode(buffer[at] ?? 0);
  const line = buffer.toString("utf8", at + 1, end);
  const next = end + 2;
  switch (type) {
    case "+":
      return { value: line, next };
    case "-":
      return { value: new Error(line), next };
    case ":":
      return { value: Number(line), next };
    case "$": {
      const length = Number(line);
      if (length < 0) return { value: null, next };
      if (buffer.length < next + length + 2) return undefined;
      return { value: buffer.toString("utf8", next, next + length), next: next + length + 2 };
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return { value: null, next };
      const items: RespValue[] = [];
      let cursor = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, cursor);
        if (!item) return undefined;
        items.push(item.value instanceof Error ? item.value.message : item.value);
        cursor = item.next;
      }
      return { value: items, next: cursor };
    }
    default:
      return { value: new Error(`unexpected RESP type byte "${type}"`), next: buffer.length };
  }
}

function encode(args: readonly (string | number)[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) {
    const text = String(arg);
    out += `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
  }
  return out;
}

/**
 * A minimal Redis client for test setup and cleanup (no dependency on a
 * Redis library): one connection, commands answered in order.
 */
export class RespClient {
  readonly #socket: Socket;
  #buffer = Buffer.alloc(0);
  readonly #pending: { resolve(value: RespValue): void; reject(error: Error): void }[] = [];

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on("data", (chunk) => this.#onData(chunk));
    socket.on("error", (error) => this.#failAll(error));
    socket.on("close", () => this.#failAll(new Error("redis connection closed")));
  }

  /** Connects to `redis://[user:password@]host:port[/db]`, authenticating and selecting the db. */
  static async connect(url: string): Promise<RespClient> {
    const parsed = new URL(url);
    const socket = connect({ host: parsed.hostname, port: Number(parsed.port || 6379) });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const client = new RespClient(socket);
    if (parsed.password) {
      const user = decodeURIComponent(parsed.username);
      const password = decodeURIComponent(parsed.password);
      await client.command(...(user ? ["AUTH", user, password] : ["AUTH", password]));
    }
    const db = parsed.pathname.replace("/", "");
    if (db) await client.command("SELECT", db);
    return client;
  }

  command(...args: (string | number)[]): Promise<RespValue> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ resolve, reject });
      this.#socket.write(encode(args));
    });
  }

  async close(): Promise<void> {
    if (this.#socket.destroyed) return;
    await this.command("QUIT").catch(() => undefined);
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const reply = parseReply(this.#buffer, 0);
      if (!reply) return;
      this.#buffer = this.#buffer.subarray(reply.next);
      const waiter = this.#pending.shift();
      if (reply.value instanceof Error) waiter?.reject(reply.value);
      else waiter?.resolve(reply.value);
    }
  }

  #failAll(error: Error): void {
    for (const waiter of this.#pending.splice(0)) waiter.reject(error);
  }
}
