import { SwitchyardError } from "@switchyard/core";

/** The options given to a memory store are invalid. Thrown at construction. */
export class MemoryStoreOptionsError extends SwitchyardError {
  static readonly code = "E_INVALID_MEMORY_STORE_OPTIONS";

  constructor(message: string) {
    super(MemoryStoreOptionsError.code, message);
  }
}
