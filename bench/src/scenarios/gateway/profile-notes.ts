import type { ProfileEntry } from "./profile.js";

/**
 * One sentence per profile entry: what the function is and why it is on the
 * gateway's hot path. Specific notes first (function name and file), then a
 * sentence for the area the code lives in. Written from the profiles of
 * issue 9's runs; an entry none of them covers gets the area's sentence.
 */
const SPECIFIC: ReadonlyArray<{
  readonly fn: RegExp;
  readonly where: RegExp;
  readonly note: string;
}> = [
  {
    fn: /^writev$/,
    where: /^$/,
    note: "The socket write syscall: one writev per response to the client (headers and body corked in `sendJson`) and one per upstream request (undici `writeH1`); unavoidable, and expensive on this VM.",
  },
  {
    fn: /^(writeString|writeBuffer|writeUtf8String|set natives)$/,
    where: /^$/,
    note: "Native half of socket writes (string to bytes, stream handles) behind the same two writes per request.",
  },
  {
    fn: /^(getBpeRankFromString|countNative|bytePairEncode|encode|countTokens|.*BytePair.*)$/,
    where: /gpt-tokenizer/,
    note: "The BPE tokenizer: an input-token estimate a route or the cost ceiling actually needed (routing passes it lazily, with a byte-length upper bound first).",
  },
  {
    fn: /^RegExp: .*\\p\{L\}/,
    where: /^$/,
    note: "gpt-tokenizer's pre-tokenizer (a `\\p{L}` regular expression) splitting the prompt into words before BPE (the same per-request estimate).",
  },
  {
    fn: /^RegExp: [^\\]*\|/,
    where: /^$/,
    note: "Core's one-pass keyword search (every keyword of the org's routes in one alternation) over a long lowercased prompt.",
  },
  {
    fn: /^RegExp: /,
    where: /^$/,
    note: "A regular expression on the request path (compiled by V8's irregexp to native code).",
  },
  {
    fn: /^\(program\)$/,
    where: /^$/,
    note: "V8 and Node native work not attributed to a JavaScript frame (event loop, syscall entry, inline-cache misses).",
  },
  {
    fn: /^\(garbage collector\)$/,
    where: /^$/,
    note: "Garbage collection of the per-request allocations: parsed body, header objects, the request context, undici's request and the collected body.",
  },
  {
    fn: /^(createAbortSignal|AbortController|AbortSignal|abort)$/,
    where: /abort_controller/,
    note: "An `AbortSignal`: the gateway's own `CancelToken` creates one only for streamed upstream requests (undici's `request`) and response-cache lookups.",
  },
  {
    fn: /^(_addListener|addListener|once|emit|removeListener|_onceWrap)$/,
    where: /^node:events/,
    note: "EventEmitter plumbing of the HTTP server, sockets and streams, including the `close` listeners the gateway adds per request.",
  },
  {
    fn: /^(runMicrotasks|processTicksAndRejections|processImmediate)$/,
    where: /.*/,
    note: "Promise and tick machinery: every `await` on the request path (stages, undici `request`, body iteration) costs a turn here.",
  },
  {
    fn: /^parseJsonObject$/,
    where: /parse-json/,
    note: "`JSON.parse` of the request body plus the nesting-depth check; routing needs the model and messages, so the parse stays.",
  },
  {
    fn: /^(_asJson|asJson|write|LOG|noop)$/,
    where: /pino/,
    note: "pino's destination buffering the access-log line (the line itself is built by hand in `access-log.ts`).",
  },
  {
    fn: /^evaluate$/,
    where: /routing-engine/,
    note: "`RoutingEngine.evaluate` walking the org's 100 routes (no route matches, so all of them).",
  },
  {
    fn: /^(hash|Hash|createHash|digest|update)$/,
    where: /crypto/,
    note: "SHA-256 of the presented API key (`ApiKeyIndex.authenticate`, one-shot `crypto.hash`): keys are stored hashed only.",
  },
  {
    fn: /^wasm-function/,
    where: /^wasm:/,
    note: "llhttp (WebAssembly) in undici parsing the upstream response.",
  },
  {
    fn: /.*/,
    where: /^undici\/lib\/dispatcher\/client-h1/,
    note: "undici's HTTP/1.1 client: writing the upstream request and reading the response.",
  },
  {
    fn: /.*/,
    where: /^undici\/lib\/api\/(api-request|readable)/,
    note: "undici's `request` API: the response body as a Readable stream and its async iterator, per request.",
  },
  {
    fn: /^__name$/,
    where: /.*/,
    note: "tsx's `keepNames` helper (`Object.defineProperty(fn, 'name')`), called for every named closure created per request; the gateway runs from TypeScript sources through tsx.",
  },
  {
    fn: /^(parserOnHeadersComplete|_addHeaderLine|parserOnIncoming)$/,
    where: /^node:_http/,
    note: "Node's HTTP parser callbacks for the client's request: headers into `req.headers`, then the `request` event; unavoidable with `node:http`.",
  },
  {
    fn: /^decideRoute$/,
    where: /route-stage/,
    note: "The routing stage (docs/routing.md#in-the-gateway, steps 2-5): the routing view of the body, the lazy token/cost estimates and the decision around `evaluate`; V8 inlines those small helpers, so their time shows here.",
  },
  {
    fn: /^contains$/,
    where: /keyword-table/,
    note: "Keyword conditions: each distinct keyword a request reaches is answered at most once, however many routes share it (`String#includes`; on prompts of 4k+ characters one pass over all keywords when the model's requests usually ask for many).",
  },
  {
    fn: /^writevGeneric$/,
    where: /stream_base_commons/,
    note: "Node's JavaScript side of the same two writev calls per request (building the chunk list for the native write).",
  },
  {
    fn: /^(requestFields|logRequest)$/,
    where: /access-log/,
    note: "The access-log line, built by hand in pino's format (one string per request, no object serialization).",
  },
  {
    fn: /^observeRequest$/,
    where: /metrics/,
    note: "The per-request Prometheus series: one string key per label set into the gateway's own histogram and counters (no prom-client label lookups per request).",
  },
  {
    fn: /^(sendJson|sendAnswer)$/,
    where: /(send|respond-stage)/,
    note: "Writing the answer: the gateway's response headers and the body in one corked write.",
  },
  {
    fn: /^(readBody|onData|onEnd)$/,
    where: /read-body/,
    note: "Reading the request body under the size limit (chunks kept, one concat).",
  },
  {
    fn: /^usageSpan$/,
    where: /usage-extract/,
    note: "Finds the upstream answer's `usage` object from the end of the body (no full parse) to price the request.",
  },
  {
    fn: /.*/,
    where: /collect-response/,
    note: "The upstream answer collected by an undici dispatch handler (no body stream): headers, chunks, one concat.",
  },
  {
    fn: /^\(anonymous\)$/,
    where: /http\/server/,
    note: "The server's request listener: request context, router, the close listener that writes the log line, metrics and dashboard counters.",
  },
  {
    fn: /^\(anonymous\)$/,
    where: /completion-handler/,
    note: "The completion handler's own body: stage wiring and the closures it allocates per request.",
  },
  {
    fn: /.*/,
    where: /^node:_http_(server|incoming|common)/,
    note: "Node's HTTP server: the request/response lifecycle (inbound parsing, `req`/`res` objects, finishing the response and keep-alive).",
  },
  {
    fn: /.*/,
    where: /^node:_http_outgoing/,
    note: "Node's outgoing message: response headers and body framing.",
  },
];

const BY_AREA: ReadonlyArray<{ readonly area: RegExp; readonly note: string }> = [
  { area: /^gateway-demo$/, note: "The gateway's own request-path code." },
  { area: /^@switchyard\//, note: "A Switchyard package called on every request." },
  {
    area: /^Node core \(streams/,
    note: "Node stream internals under sockets, `req` and undici bodies.",
  },
  {
    area: /^Node core/,
    note: "Node core internals (timers, sockets, buffers) on the request path.",
  },
  { area: /^undici$/, note: "undici, the upstream keep-alive pool." },
  { area: /^pino/, note: "pino: the per-request access log line." },
  { area: /^prom-client$/, note: "prom-client: the per-request metrics." },
  { area: /^gpt-tokenizer$/, note: "The BPE tokenizer: input-token estimates for routing." },
  { area: /^native$/, note: "Native code called from JavaScript (bindings, builtins)." },
];

export function noteFor(entry: ProfileEntry): string {
  for (const rule of SPECIFIC) {
    if (rule.fn.test(entry.fn) && rule.where.test(entry.location)) return rule.note;
  }
  for (const rule of BY_AREA) if (rule.area.test(entry.area)) return rule.note;
  return `Code in ${entry.area}.`;
}
