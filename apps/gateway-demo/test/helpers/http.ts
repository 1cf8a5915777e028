/** Plain HTTP calls for tests (the gateway itself never uses fetch; tests may). */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: replies are asserted on field by field
  readonly json: any;
}

export async function call(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const init: RequestInit = {
    method,
    headers: { "content-type": "application/json", ...headers },
    signal: AbortSignal.timeout(10_000),
  };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export const chat = (model: string, content: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: "user", content }],
  ...extra,
});

/** The management API, as one org. */
export function routesApi(base: string, key: string) {
  const h = bearer(key);
  return {
    create: (route: unknown) => call(`${base}/v1/routes`, "POST", route, h),
    list: () => call(`${base}/v1/routes`, "GET", undefined, h),
    get: (id: string) => call(`${base}/v1/routes/${id}`, "GET", undefined, h),
    patch: (id: string, patch: unknown) => call(`${base}/v1/routes/${id}`, "PATCH", patch, h),
    remove: (id: string) => call(`${base}/v1/routes/${id}`, "DELETE", undefined, h),
    async clear() {
      const { json } = await call(`${base}/v1/routes`, "GET", undefined, h);
      for (const route of json.data)
        await call(`${base}/v1/routes/${route.id}`, "DELETE", undefined, h);
    },
  };
}
