import type { ServerResponse } from "node:http";
import type { UsageStream } from "@switchyard/prefix-index";
import { streamErrorEvent } from "../errors/envelope.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { PlainTokens, Pricing } from "../prompt-cache/pricing.js";
import type { ProviderBilling } from "../prompt-cache/provider-billing.js";
import type { RequestContext } from "../protocol/request-context.js";
import { UsageSniffer } from "../stream/usage-sniffer.js";
import { failureToError } from "../upstream/failure-to-error.js";
import { failureFromError } from "../upstream/upstream-failure.js";
import { type PromptAccounting, recordPromptCache, usageRecord } from "./answer-stage.js";
import type { Dispatched } from "./dispatch-stage.js";
import { SSE_HEADERS, setResponseHeaders } from "./reply.js";

/**
 * Streams a successful upstream response in the client's API. With
 * prompt-cache accounting, the output goes through the package's
 * `UsageStream` (only the usage frames change; what precedes a usage frame
 * is written before it waits for the classification, so the first token
 * never does); otherwise passthrough usage is sniffed for the cost. A
 * stream that breaks after its first byte cannot fail over any more: it
 * ends with an error event in the client's API, never with a clean finish,
 * and commits nothing.
 */
export async function streamResponse(
  res: ServerResponse,
  ctx: RequestContext,
  dispatched: Dispatched,
  accounting: PromptAccounting | undefined,
  pricing: Pricing,
  providerBilling: ProviderBilling,
): Promise<void> {
  const { result } = dispatched;
  if (result.kind !== "stream") throw new Error("streamResponse needs a streamed response");
  setResponseHeaders(res, ctx, dispatched.model.name);
  res.writeHead(200, SSE_HEADERS);
  const { rest, transformer } = result;
  const byProvider = providerBilling.bills(dispatched.model.name);
  const usageStream =
    accounting && !byProvider
      ? accounting.service.prefix.usageStream(ctx.api, accounting.classification)
      : undefined;
  // The provider's cache numbers are read from what the client receives (translators carry them).
  const sniffer =
    usageStream === undefined && (byProvider || transformer.usage === undefined)
      ? new UsageSniffer(ctx.api)
      : undefined;
  let failed = false;
  try {
    await emit(res, result.first, usageStream, sniffer);
    ctx.firstByteNs = Number(process.hrtime.bigint() - ctx.startedAt);
    for (;;) {
      const next = await rest.next();
      const out = next.done ? transformer.end() : transformer.push(next.value);
      if (out.length > 0) await emit(res, out, usageStream, sniffer);
      if (next.done) break;
    }
    if (usageStream) {
      const tail = await usageStream.end();
      if (tail.length > 0) await write(res, tail);
    }
  } catch (error) {
    failed = true;
    result.cancel(); // a broken stream is not read further
    if (!res.destroyed) {
      const failure = failureFromError(error, dispatched.provider.name);
      const gatewayError = error instanceof GatewayError ? error : failureToError(failure);
      ctx.errorCode = "stream_interrupted";
      res.write(streamErrorEvent(ctx.api, gatewayError));
    }
  }
  res.end();
  const broken = failed || ctx.clientAborted === true;
  const model = dispatched.model.name;
  if (usageStream && accounting) {
    const billed = usageStream.billed;
    const outcome = usageStream.outcome(broken ? 502 : 200);
    const { service } = accounting;
    void accounting.classification.then((classification) => {
      recordPromptCache(
        ctx,
        classification,
        billed,
        billed && pricing.promptCacheSavings(model, billed),
      );
      return service.commit(classification, outcome);
    });
    if (billed && !broken) {
      ctx.usage = usageRecord(billed);
      const cost = pricing.cost(model, billed);
      if (cost !== undefined) ctx.costUsd = cost;
    }
    return;
  }
  if (byProvider && !broken && providerBilling.bill(ctx, ctx.api, model, sniffer?.usage())) return;
  // Translated streams count their usage; passthrough streams were sniffed.
  const u = transformer.usage;
  const tokens: PlainTokens | undefined = u
    ? { prompt: u.input, completion: u.output }
    : sniffer?.tokens();
  if (tokens && !broken) {
    ctx.usage = { input: tokens.prompt, output: tokens.completion };
    const cost = pricing.plainCost(model, tokens);
    if (cost !== undefined) ctx.costUsd = cost;
  }
}

/**
 * Writes one output: through the usage rewriter (what precedes a usage frame
 * first), or straight to the socket (the sniffer only keeps a reference).
 */
async function emit(
  res: ServerResponse,
  out: string | Buffer,
  usageStream: UsageStream | undefined,
  sniffer: UsageSniffer | undefined,
): Promise<void> {
  if (usageStream === undefined) {
    sniffer?.keep(out);
    await write(res, out);
    return;
  }
  // The rewriter only edits frames mentioning usage or an error (it passes
  // everything else byte for byte and learns nothing from it), so such parts
  // go straight out. Outputs and the parts before a usage frame end on an
  // event boundary.
  let wrote = false;
  for (const part of splitBeforeUsage(out)) {
    if (part.indexOf("usage") === -1 && part.indexOf("error") === -1) {
      await write(res, part);
      wrote = true;
      continue;
    }
    // Node corks the socket until the next tick: let what was just written
    // (the first tokens) leave before the usage frame is worked on.
    if (wrote) await nextTick();
    const edited = await usageStream.push(part);
    if (edited.length > 0) await write(res, edited);
  }
}

function nextTick(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve));
}

const USAGE_KEY = '"usage"';

/**
 * The output split just before the event that carries usage, so the events
 * before it are written at once while the usage event waits for the
 * classification. Outputs always end on an event boundary.
 */
function splitBeforeUsage(out: string | Buffer): Array<string | Buffer> {
  const at = out.indexOf(USAGE_KEY);
  if (at <= 0) return [out];
  const lf = out.lastIndexOf("\n\n", at);
  const crlf = out.lastIndexOf("\r\n\r\n", at);
  const cut = Math.max(lf === -1 ? 0 : lf + 2, crlf === -1 ? 0 : crlf + 4);
  return cut === 0 ? [out] : [out.slice(0, cut), out.slice(cut)];
}

function write(res: ServerResponse, data: string | Buffer): Promise<void> | undefined {
  if (res.write(data)) return undefined;
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
