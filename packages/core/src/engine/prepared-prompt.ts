import type { KeywordSearch } from "./keyword-search.js";
import type { KeywordTable } from "./keyword-table.js";
import { promptText } from "./prompt-text.js";
import type { RoutingRequest } from "./routing-request.js";

/** Characters a step of {@link PreparedPrompt.advance} searches by default: about 0.4 ms (measured: ~3.3 ns a character with 100 keywords). */
export const PREPARE_STEP_CHARS = 131_072;

/**
 * A request's prompt made ready for routing ahead of `evaluate` or `explain`,
 * in steps a caller spreads over turns of the event loop: the lowercased
 * text of its user and system messages, then the search of that text for
 * every keyword of the engine's routes. Passed as `context.prompt`, the
 * routes' keyword conditions read its answers instead of searching the
 * prompt (once per evaluation) on the spot. Worth it for long prompts only:
 * a short one is searched faster during the evaluation.
 *
 * Made by {@link RoutingEngine.preparePrompt} for one request and one
 * engine; an engine ignores a prompt prepared by another one, and one not
 * finished is finished synchronously when evaluated.
 */
export class PreparedPrompt {
  private lowered: string | undefined;
  private search: KeywordSearch | undefined;
  /** 1 for each keyword (table id) the prompt contains, once {@link done}. */
  readonly found: Uint8Array;

  /** @internal Use {@link RoutingEngine.preparePrompt}. */
  constructor(
    /** @internal The engine's keywords; answers are by their ids. */
    readonly table: KeywordTable,
    private readonly request: RoutingRequest,
  ) {
    this.found = new Uint8Array(table.keywords.length);
  }

  /** Whether the prompt is ready (every keyword answered). */
  get done(): boolean {
    return this.search?.done ?? false;
  }

  /** The lowercased prompt text, taken on the first step. */
  text(): string {
    if (this.lowered === undefined) this.lowered = promptText(this.request.messages).toLowerCase();
    return this.lowered;
  }

  /**
   * Does the next step: takes the text on the first, then searches about
   * `work` characters per step. Returns whether the prompt is ready.
   */
  advance(work = PREPARE_STEP_CHARS): boolean {
    if (this.search === undefined) {
      const text = this.text();
      this.search = this.table.keywordScanner().search(text, this.found);
      // The text alone is a step's work when it is long.
      if (text.length >= work) return this.search.done;
    }
    return this.search.advance(work);
  }

  /** Finishes the remaining steps at once. */
  finish(): void {
    while (!this.advance(Number.POSITIVE_INFINITY));
  }
}
