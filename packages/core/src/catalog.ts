/** What the model catalog knows about one model. Every field is optional: unknown means "don't check". */
export interface CatalogModel {
  readonly capabilities?: {
    readonly vision?: boolean;
    readonly audio?: boolean;
    readonly tools?: boolean;
    readonly json_mode?: boolean;
  };
  /** Maximum input + output tokens. */
  readonly contextWindow?: number;
  /** USD per million input tokens. */
  readonly inputPricePerMillion?: number;
  /** USD per million output tokens. */
  readonly outputPricePerMillion?: number;
}

/** Anything with `get(model)`: a `Map<string, CatalogModel>` works as is. */
export interface ModelCatalog {
  get(model: string): CatalogModel | undefined;
}
