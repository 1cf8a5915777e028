import type { Knex } from "knex";

/** The notification a pg client emits for NOTIFY. */
export interface PgNotification {
  channel: string;
  payload?: string | undefined;
}

/**
 * The part of a `pg.Client` the change feed uses. A connection given to the
 * store through `listenConnection` must be a dedicated, connected client that
 * the store may close.
 */
export interface ListenConnection {
  query(sql: string): Promise<unknown>;
  on(event: "notification" | "error" | "end", listener: (...args: never[]) => void): unknown;
  removeListener(
    event: "notification" | "error" | "end",
    listener: (...args: never[]) => void,
  ): unknown;
  end(): Promise<void>;
}

/** Opens a new dedicated connection for LISTEN. */
export type ListenConnectionFactory = () => Promise<ListenConnection>;

/** What we use of knex's pg client; not part of knex's typed API. */
interface KnexPgClientInternals {
  dialect?: string;
  connectionConfigProvider?: () => Promise<Record<string, unknown>>;
  acquireRawConnection(): Promise<unknown>;
  driver: { Client: new (settings: unknown) => ListenConnection & { connect(): Promise<unknown> } };
}

function internals(knex: Knex): KnexPgClientInternals {
  return knex.client as unknown as KnexPgClientInternals;
}

/** The dialect of the knex instance's client, e.g. `"postgresql"`. */
export function knexDialect(knex: Knex): string | undefined {
  return internals(knex).dialect;
}

/**
 * The default way `watch` connects: a new connection outside knex's pool,
 * made from the knex instance's own connection settings (so SSL, credentials
 * and searchPath match), which the store closes itself.
 */
export function listenConnectionFromKnex(knex: Knex): ListenConnectionFactory {
  return async () => {
    const client = internals(knex);
    if (typeof client.connectionConfigProvider === "function") {
      const { expirationChecker: _unused, ...settings } = await client.connectionConfigProvider();
      const connection = new client.driver.Client(settings);
      await connection.connect();
      return connection;
    }
    return (await client.acquireRawConnection()) as ListenConnection;
  };
}
