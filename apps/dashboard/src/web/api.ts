import type { WireRoute } from "@switchyard/core";
import type { DashboardStats } from "../stats-contract.js";
import { DASHBOARD_STATS_PATH } from "../stats-contract.js";
import type { ErrorEnvelope, ExplainResponse, ModelList, RouteList } from "./wire.js";

/** A non-2xx answer, with the OpenAI envelope's fields when the body had one. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | null;
  readonly param: string | null;
  readonly type: string | null;

  constructor(status: number, message: string, envelope?: ErrorEnvelope["error"]) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = envelope?.code ?? null;
    this.param = envelope?.param ?? null;
    this.type = envelope?.type ?? null;
  }
}

function isEnvelope(value: unknown): value is ErrorEnvelope {
  if (typeof value !== "object" || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as { message?: unknown }).message === "string"
  );
}

/**
 * The gateway's API as the page uses it. Every request goes to the page's
 * own origin (paths only, never a URL), with the key as a bearer token, no
 * cookies and no referrer; the server's CSP (`connect-src 'self'`) enforces
 * the same.
 */
export class GatewayApi {
  constructor(private readonly key: string) {}

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    if (!path.startsWith("/") || path.startsWith("//")) {
      throw new Error(`refusing to send the key to ${path}: same-origin paths only`);
    }
    const init: RequestInit = {
      method,
      headers: { authorization: `Bearer ${this.key}`, ...headers },
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
    };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] = "application/json";
    }
    let response: Response;
    try {
      response = await fetch(path, init);
    } catch (error) {
      throw new ApiError(0, `The gateway did not answer (${(error as Error).message}).`);
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text === "" ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      if (isEnvelope(json)) throw new ApiError(response.status, json.error.message, json.error);
      throw new ApiError(response.status, `${method} ${path} answered ${response.status}.`);
    }
    return json as T;
  }

  listRoutes(): Promise<RouteList> {
    return this.call("GET", "/v1/routes");
  }

  createRoute(body: Record<string, unknown>): Promise<WireRoute> {
    return this.call("POST", "/v1/routes", body);
  }

  updateRoute(id: string, patch: Record<string, unknown>): Promise<WireRoute> {
    return this.call("PATCH", `/v1/routes/${encodeURIComponent(id)}`, patch);
  }

  deleteRoute(id: string): Promise<{ ok: true; id: string }> {
    return this.call("DELETE", `/v1/routes/${encodeURIComponent(id)}`);
  }

  explain(body: unknown, tag: string | undefined): Promise<ExplainResponse> {
    const headers: Record<string, string> = {};
    if (tag !== undefined) headers["x-switchyard-tag"] = tag;
    return this.call("POST", "/v1/routes/explain", body, headers);
  }

  listModels(): Promise<ModelList> {
    return this.call("GET", "/v1/models");
  }

  stats(): Promise<DashboardStats> {
    return this.call("GET", DASHBOARD_STATS_PATH);
  }
}
