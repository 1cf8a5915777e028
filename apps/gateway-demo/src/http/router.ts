import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestContext } from "../protocol/request-context.js";

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
  param: string | undefined,
) => Promise<void> | void;

export type RouteMatch =
  | { readonly kind: "found"; readonly handler: Handler; readonly param: string | undefined }
  | { readonly kind: "method_not_allowed"; readonly allow: string }
  | { readonly kind: "not_found" };

type Methods = Map<string, Handler>;

/**
 * A tiny router: exact paths, plus paths whose last segment is one
 * parameter (`/v1/routes/:id`). Exact paths win over parameterized ones, so
 * `/v1/routes/explain` is never taken for an id.
 */
export class Router {
  private readonly exact = new Map<string, Methods>();
  private readonly parameterized = new Map<string, Methods>();

  add(method: string, pattern: string, handler: Handler): this {
    const colon = pattern.lastIndexOf("/:");
    const table = colon === -1 ? this.exact : this.parameterized;
    const key = colon === -1 ? pattern : pattern.slice(0, colon + 1);
    const methods = table.get(key) ?? new Map<string, Handler>();
    table.set(key, methods);
    methods.set(method, handler);
    return this;
  }

  match(method: string, rawUrl: string): RouteMatch {
    const query = rawUrl.indexOf("?");
    const path = query === -1 ? rawUrl : rawUrl.slice(0, query);
    let methods = this.exact.get(path);
    let param: string | undefined;
    if (!methods) {
      const slash = path.lastIndexOf("/");
      const last = path.slice(slash + 1);
      if (last !== "") {
        methods = this.parameterized.get(path.slice(0, slash + 1));
        param = safeDecode(last);
      }
    }
    if (!methods) return { kind: "not_found" };
    const handler = methods.get(method);
    if (!handler) return { kind: "method_not_allowed", allow: [...methods.keys()].join(", ") };
    return { kind: "found", handler, param };
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
