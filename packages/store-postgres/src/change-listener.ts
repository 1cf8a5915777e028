import {
  type RouteChange,
  type RouteChangeSubscription,
  RoutingStoreError,
} from "@switchyard/core";
import type {
  ListenConnection,
  ListenConnectionFactory,
  PgNotification,
} from "./listen-connection.js";
import { errorMessage, type RoutesLogger } from "./logger.js";
import { quoteIdentifier } from "./names.js";

/** How the feed retries after its connection drops: exponential backoff with jitter. */
export interface ReconnectOptions {
  /** First retry delay in ms. Default 100. */
  initialDelayMs: number;
  /** Upper bound of the delay in ms. Default 5000. */
  maxDelayMs: number;
}

interface ChangeListenerConfig {
  readonly open: ListenConnectionFactory;
  readonly channel: string;
  readonly onChange: (change: RouteChange) => void;
  readonly logger: RoutesLogger;
  readonly reconnect: ReconnectOptions;
  /** Probe the connection with `SELECT 1` this often (ms) to notice silent drops; 0 disables. */
  readonly healthCheckIntervalMs: number;
  readonly onClose: () => void;
}

interface Active {
  readonly connection: ListenConnection;
  lost: boolean;
  detach(): void;
}

const noop = () => {};

/**
 * One `watch` subscription: LISTEN on a dedicated connection; when it drops,
 * reconnect with backoff and report `{ type: "gap" }` once listening again,
 * because NOTIFYs sent while it was away are lost.
 */
export class ChangeListener implements RouteChangeSubscription {
  readonly #config: ChangeListenerConfig;
  #active: Active | undefined;
  #closed = false;
  #failures = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #healthTimer: NodeJS.Timeout | undefined;

  constructor(config: ChangeListenerConfig) {
    this.#config = config;
  }

  /** Connects and LISTENs; rejects with RoutingStoreError when that fails. */
  async start(): Promise<void> {
    try {
      this.#adopt(await this.#connect());
    } catch (error) {
      this.#closed = true;
      throw new RoutingStoreError(
        `postgres routing store: watch could not LISTEN on channel "${this.#config.channel}": ${errorMessage(error)}`,
        { cause: error },
      );
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    clearInterval(this.#healthTimer);
    const active = this.#active;
    this.#active = undefined;
    this.#config.onClose();
    if (active) {
      active.detach();
      await active.connection.end().catch(noop);
    }
  }

  async #connect(): Promise<Active> {
    const connection = await this.#config.open();
    const active: Active = {
      connection,
      lost: false,
      detach: () => {
        connection.removeListener("notification", onNotification);
        connection.removeListener("error", onLost);
        connection.removeListener("end", onLost);
        connection.on("error", noop); // a late socket error must never go unhandled
      },
    };
    const onNotification = (message: PgNotification) => this.#onNotification(message);
    const onLost = (error?: unknown) => this.#onLost(active, error);
    connection.on("notification", onNotification);
    connection.on("error", onLost);
    connection.on("end", onLost);
    try {
      await connection.query(`LISTEN ${quoteIdentifier(this.#config.channel)}`);
    } catch (error) {
      active.detach();
      await connection.end().catch(noop);
      throw error;
    }
    return active;
  }

  #adopt(active: Active): void {
    this.#active = active;
    this.#startHealthCheck(active);
    if (active.lost) this.#onLost(active, new Error("connection lost while starting to LISTEN"));
  }

  #onNotification(message: PgNotification): void {
    if (message.channel !== this.#config.channel || !message.payload) return;
    this.#deliver({ type: "org", orgId: message.payload });
  }

  #deliver(change: RouteChange): void {
    try {
      this.#config.onChange(change);
    } catch (error) {
      this.#config.logger.warn("postgres routing store: a watch callback threw", {
        change,
        error: errorMessage(error),
      });
    }
  }

  #onLost(active: Active, error: unknown): void {
    active.lost = true;
    if (this.#closed || active !== this.#active) return;
    this.#active = undefined;
    clearInterval(this.#healthTimer);
    active.detach();
    active.connection.end().catch(noop);
    this.#config.logger.warn(
      "postgres routing store: the change feed lost its LISTEN connection; reconnecting (changes until then may be missed)",
      { channel: this.#config.channel, error: errorMessage(error ?? "connection ended") },
    );
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    const { initialDelayMs, maxDelayMs } = this.#config.reconnect;
    const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** this.#failures);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.#reconnectTimer = setTimeout(() => void this.#reconnect(), delay);
  }

  async #reconnect(): Promise<void> {
    this.#reconnectTimer = undefined;
    if (this.#closed) return;
    let active: Active;
    try {
      active = await this.#connect();
    } catch (error) {
      this.#failures += 1;
      this.#config.logger.warn("postgres routing store: change feed reconnect failed; retrying", {
        channel: this.#config.channel,
        attempt: this.#failures,
        error: errorMessage(error),
      });
      if (!this.#closed) this.#scheduleReconnect();
      return;
    }
    if (this.#closed) {
      active.detach();
      await active.connection.end().catch(noop);
      return;
    }
    this.#failures = 0;
    this.#adopt(active);
    this.#deliver({ type: "gap" });
  }

  #startHealthCheck(active: Active): void {
    const interval = this.#config.healthCheckIntervalMs;
    if (interval <= 0) return;
    let inFlight = false;
    this.#healthTimer = setInterval(() => {
      if (inFlight || active !== this.#active) return;
      inFlight = true;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error("health check timed out")),
          Math.min(interval, 10_000),
        );
      });
      Promise.race([active.connection.query("SELECT 1"), timeout])
        .catch((error: unknown) => this.#onLost(active, error))
        .finally(() => {
          clearTimeout(timer);
          inFlight = false;
        });
    }, interval);
    this.#healthTimer.unref();
  }
}
