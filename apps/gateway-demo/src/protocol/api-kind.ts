/** The two wire dialects: what a client speaks and what a provider speaks. */
export type ApiKind = "openai" | "anthropic";
