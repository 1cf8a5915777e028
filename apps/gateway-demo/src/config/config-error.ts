/** One problem in the configuration, located by its field path. */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

/** The configuration is invalid; the message lists every issue with its field. */
export class ConfigError extends Error {
  readonly code = "E_INVALID_CONFIG";
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], source: string) {
    const lines = issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join("\n");
    super(`invalid configuration (${source}):\n${lines}`);
    this.name = "ConfigError";
    this.issues = issues;
  }
}
