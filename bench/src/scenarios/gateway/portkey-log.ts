import { readFileSync } from "node:fs";

export interface LoggedError {
  readonly line: string;
  readonly count: number;
  /** The first stack frames under the first occurrence. */
  readonly frames: readonly string[];
}

/** Error lines of a child's log, deduplicated, with the first three stack frames. */
export function loggedErrors(path: string): LoggedError[] {
  let lines: string[];
  try {
    lines = readFileSync(path, "utf8").split("\n");
  } catch {
    return [];
  }
  const found = new Map<string, { count: number; frames: string[] }>();
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!/error/i.test(line) || line.startsWith("at ")) return;
    const entry = found.get(line);
    if (entry) {
      entry.count++;
      return;
    }
    const frames = lines
      .slice(i + 1, i + 4)
      .map((l) => l.trim().replace(/file:\/\/\S*node_modules\/\.pnpm\/[^/]+\/node_modules\//, ""))
      .filter((l) => l.startsWith("at "));
    found.set(line, { count: 1, frames });
  });
  return [...found.entries()].slice(0, 3).map(([line, e]) => ({ line, ...e }));
}
