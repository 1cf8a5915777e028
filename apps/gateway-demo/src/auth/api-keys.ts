import type { IncomingMessage } from "node:http";
import type { OrgConfig } from "../config/types.js";
import { hashApiKey } from "../hashing/api-key-hash.js";

/** The key from `Authorization: Bearer <key>` or `x-api-key: <key>` (either API accepts both). */
function presentedKey(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth !== undefined && auth.length > 7 && auth.slice(0, 7).toLowerCase() === "bearer ") {
    const key = auth.slice(7).trim();
    if (key !== "") return key;
  }
  const header = req.headers["x-api-key"];
  return typeof header === "string" && header !== "" ? header : undefined;
}

export interface Principal {
  readonly orgId: string;
  readonly orgName: string;
}

/** Maps key hashes to orgs. Raw keys are hashed on arrival and never kept. */
export class ApiKeyIndex {
  private readonly byHash = new Map<string, Principal>();

  constructor(orgs: readonly OrgConfig[]) {
    for (const org of orgs) {
      const principal = { orgId: org.id, orgName: org.name };
      for (const hash of org.apiKeyHashes) this.byHash.set(hash, principal);
    }
  }

  /** The org of the request's key, or `undefined` (no key, unknown key). */
  authenticate(req: IncomingMessage): Principal | undefined {
    const key = presentedKey(req);
    return key === undefined ? undefined : this.byHash.get(hashApiKey(key));
  }
}
