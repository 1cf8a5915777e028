import { SwitchyardError } from "@switchyard/core";

/** The options given to the Postgres store or its migrations are invalid. Thrown at construction. */
export class PostgresStoreOptionsError extends SwitchyardError {
  static readonly code = "E_INVALID_STORE_OPTIONS";

  constructor(message: string) {
    super(PostgresStoreOptionsError.code, message);
  }
}
