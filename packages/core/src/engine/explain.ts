import { formatUsd } from "../money.js";
import type { CompiledRoute, ConditionName } from "./compiled-route.js";
import type { RequestFacts } from "./request.js";
import type { RoutingRequest } from "./routing-request.js";

interface ExplainInput {
  readonly request: RoutingRequest;
  readonly tag: string | undefined;
  /** Also the token and cost estimates, resolved by the time their condition has failed. */
  readonly facts: RequestFacts;
}

const json = (value: unknown): string => JSON.stringify(value);

function presence(has: boolean, what: string): string {
  return has ? `request has ${what}` : `request has no ${what}`;
}

function costReason(input: ExplainInput, op: string, bound: number): string {
  const cost = input.facts.estimates.costUsd();
  if (cost === undefined) return "cost estimate is unknown (no pricing for the requested model)";
  return `estimated cost $${formatUsd(cost)} is not ${op} $${formatUsd(bound)}`;
}

/** Says in words why `condition` failed for this request. */
export function describeFailure(
  c: CompiledRoute,
  condition: ConditionName,
  input: ExplainInput,
): string {
  const when = c.route.when;
  switch (condition) {
    case "enabled":
      return "route is disabled";
    case "model_in":
      return `model ${json(input.request.model ?? null)} is not one of ${json(when.model_in)}`;
    case "input_tokens_lt":
      return `input tokens ${input.facts.estimates.inputTokens()} are not < ${when.input_tokens_lt}`;
    case "input_tokens_gt":
      return `input tokens ${input.facts.estimates.inputTokens()} are not > ${when.input_tokens_gt}`;
    case "tag_equals":
      return input.tag === undefined
        ? "request has no tag (x-switchyard-tag header)"
        : `tag ${json(input.tag)} is not ${json(when.tag_equals)}`;
    case "has_images":
      return presence(input.facts.hasImages(), "image parts");
    case "has_audio":
      return presence(input.facts.hasAudio(), "audio parts");
    case "prompt_contains_any_of":
      return `user and system text contains none of ${json(when.prompt_contains_any_of)}`;
    case "estimated_cost_gt":
      return costReason(input, ">", when.estimated_cost_gt ?? 0);
    case "estimated_cost_lt":
      return costReason(input, "<", when.estimated_cost_lt ?? 0);
    case "stream":
      return input.facts.isStream() ? "request is streamed" : "request is not streamed";
    case "has_tools":
      return presence(input.facts.hasTools(), "tools");
  }
}
