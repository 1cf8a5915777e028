/**
 * The parts of an OpenAI chat-completions body that routing reads. Every
 * field is `unknown` on purpose: the engine never trusts the shape and never
 * throws on a malformed body, it just fails the conditions it cannot verify.
 */
export interface RoutingRequest {
  readonly model?: unknown;
  readonly messages?: unknown;
  readonly tools?: unknown;
  readonly functions?: unknown;
  readonly stream?: unknown;
}
