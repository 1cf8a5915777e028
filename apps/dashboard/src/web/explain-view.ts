import { ApiError, type GatewayApi } from "./api.js";
import { byId, h, replaceChildren } from "./dom.js";
import { formatInt, formatUsd } from "./format.js";
import type { ExplainResponse, ExplainVerdict } from "./wire.js";

/** Builds the request body from the form: the pasted JSON when given, else model + messages. */
export function explainBody(fields: {
  model: string;
  system: string;
  user: string;
  raw: string;
}): { body: unknown } | { error: string } {
  if (fields.raw.trim() !== "") {
    try {
      return { body: JSON.parse(fields.raw) };
    } catch (error) {
      return { error: `The request body is not valid JSON: ${(error as Error).message}` };
    }
  }
  const messages: Array<{ role: string; content: string }> = [];
  if (fields.system.trim() !== "") messages.push({ role: "system", content: fields.system });
  messages.push({ role: "user", content: fields.user });
  return { body: { model: fields.model.trim(), messages } };
}

type Verdict = "failed" | "disabled" | "fires" | "held" | "not-reached";

/** Where each route stands relative to the route that fires (the engine's pick). */
export function verdictKinds(result: ExplainResponse): Verdict[] {
  const winner = result.route ? result.verdicts.findIndex((v) => v.id === result.route?.id) : -1;
  return result.verdicts.map((v, i) => {
    if (winner !== -1 && i > winner) return "not-reached";
    if (i === winner) return result.decision.outcome === "routed" ? "fires" : "held";
    return v.failed_condition === "enabled" ? "disabled" : "failed";
  });
}

/** The Explain panel: compose or paste a request, see which route fires and why the others did not. */
export class ExplainView {
  private readonly result = byId("explain-result");
  private readonly status = byId("explain-status");

  constructor(
    private readonly api: () => GatewayApi,
    private readonly onError: (error: unknown) => void,
  ) {
    byId<HTMLFormElement>("explain-form").addEventListener("submit", (event) => {
      event.preventDefault();
      void this.run();
    });
  }

  reset(): void {
    replaceChildren(this.result);
    this.status.textContent = "";
  }

  /** Marks the shown result as possibly out of date (a route changed since). */
  markStale(): void {
    if (this.result.childElementCount > 0 && !this.result.classList.contains("stale")) {
      this.result.classList.add("stale");
      this.status.textContent = "Routes changed since: explain again to see their effect.";
    }
  }

  async run(): Promise<void> {
    const value = (id: string) => byId<HTMLInputElement | HTMLTextAreaElement>(id).value;
    const built = explainBody({
      model: value("explain-model"),
      system: value("explain-system"),
      user: value("explain-user"),
      raw: value("explain-body"),
    });
    if ("error" in built) {
      this.status.textContent = built.error;
      return;
    }
    const tag = value("explain-tag");
    this.status.textContent = "Explaining…";
    try {
      const result = await this.api().explain(built.body, tag.trim() === "" ? undefined : tag);
      this.status.textContent = "";
      this.render(result, built.body);
    } catch (error) {
      const where = error instanceof ApiError && error.param ? ` (${error.param})` : "";
      this.status.textContent = `The gateway refused the request${where}: ${(error as Error).message}`;
      replaceChildren(this.result);
      this.onError(error);
    }
  }

  private render(result: ExplainResponse, body: unknown): void {
    const model =
      typeof body === "object" && body !== null && "model" in body
        ? String((body as { model: unknown }).model)
        : "the requested model";
    const kinds = verdictKinds(result);
    this.result.classList.remove("stale");
    replaceChildren(
      this.result,
      this.headline(result, model),
      h(
        "p",
        { class: "meta" },
        `≈ ${formatInt(result.input_tokens)} input tokens`,
        result.estimated_cost_usd === null
          ? " · no cost estimate (no pricing for this model)"
          : ` · estimated cost ${formatUsd(result.estimated_cost_usd)} on ${model}`,
      ),
      result.verdicts.length === 0
        ? h("p", { class: "hint" }, "This org has no routes.")
        : h(
            "ol",
            { class: "verdicts", "aria-label": "Route verdicts in evaluation order" },
            ...result.verdicts.map((v, i) => this.verdictItem(v, kinds[i] as Verdict)),
          ),
    );
  }

  private headline(result: ExplainResponse, model: string): HTMLElement {
    const d = result.decision;
    const strong = (text: string) => h("strong", {}, text);
    switch (d.outcome) {
      case "routed":
      case "forced": {
        const [target, ...fallbacks] = d.candidates;
        return h(
          "p",
          { class: "headline fires" },
          "Route ",
          strong(d.route ?? "?"),
          d.outcome === "forced" ? " is forced (x-switchyard-route): " : " fires: ",
          `${model} -> ${target ?? "?"}`,
          fallbacks.length > 0 ? `, then ${fallbacks.join(", ")}` : "",
        );
      }
      case "bypassed":
        return h(
          "p",
          { class: "headline held" },
          "Route ",
          strong(result.route?.name ?? "?"),
          ` matches but is bypassed (${d.bypass_reason ?? "capability guard"}): the request goes to ${model} unrouted.`,
        );
      case "unrouted":
        return h(
          "p",
          { class: "headline none" },
          "No route fires: ",
          `the request goes to ${model} as sent.`,
        );
      case "rejected":
        return h(
          "p",
          { class: "headline rejected" },
          `Rejected before dispatch with ${d.status} `,
          h("code", {}, d.code),
          `: ${d.message}`,
        );
    }
  }

  private verdictItem(v: ExplainVerdict, kind: Verdict): HTMLLIElement {
    const label: Record<Verdict, string> = {
      failed: "did not match",
      disabled: "skipped: disabled",
      fires: "fires",
      held: "matches",
      "not-reached": "not reached",
    };
    return h(
      "li",
      { class: `verdict ${kind}`, "data-route": v.name },
      h("span", { class: "verdict-name" }, v.name),
      h("span", { class: "meta" }, `priority ${v.priority}`),
      h("span", { class: `badge ${kind}` }, label[kind]),
      kind === "failed"
        ? h(
            "span",
            { class: "reason" },
            "first failing condition ",
            h("code", {}, v.failed_condition ?? "?"),
            `: ${v.reason}`,
          )
        : kind === "disabled"
          ? h("span", { class: "reason" }, "route is disabled")
          : kind === "not-reached"
            ? h("span", { class: "reason muted" }, "not evaluated: a route above it matched")
            : h("span", { class: "reason" }, v.reason),
    );
  }
}
