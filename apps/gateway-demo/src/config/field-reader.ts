import type { ConfigIssue } from "./config-error.js";

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const join = (path: string, key: string) => (path === "" ? key : `${path}.${key}`);

/**
 * Reads untrusted JSON field by field, collecting every problem with its
 * path (`upstream.headers_timeout_ms`) instead of stopping at the first.
 * `sources` maps a path to the environment variable that set it, so an
 * invalid override names the variable too.
 */
export class FieldReader {
  readonly issues: ConfigIssue[] = [];

  constructor(private readonly sources: ReadonlyMap<string, string> = new Map()) {}

  fail(path: string, message: string): void {
    const env = this.sources.get(path);
    this.issues.push({ path, message: env ? `${message} (set by ${env})` : message });
  }

  /** An optional nested object; reports unknown keys (typos) against `allowed`. */
  section(parent: Obj, key: string, path: string, allowed?: readonly string[]): Obj {
    const full = join(path, key);
    const value = parent[key];
    if (value === undefined || value === null) return {};
    if (!isObj(value)) {
      this.fail(full, `must be an object, got ${describe(value)}`);
      return {};
    }
    if (allowed) this.onlyKeys(value, full, allowed);
    return value;
  }

  onlyKeys(value: Obj, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        this.fail(join(path, key), `unknown field; expected one of: ${allowed.join(", ")}`);
      }
    }
  }

  string(o: Obj, key: string, path: string, fallback: string): string;
  string(o: Obj, key: string, path: string, fallback?: undefined): string | undefined;
  string(o: Obj, key: string, path: string, fallback?: string): string | undefined {
    const value = o[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "string" || value.trim() === "") {
      this.fail(join(path, key), `must be a non-empty string, got ${describe(value)}`);
      return fallback;
    }
    return value;
  }

  requiredString(o: Obj, key: string, path: string): string {
    if (o[key] === undefined || o[key] === null) {
      this.fail(join(path, key), "is required");
      return "";
    }
    return this.string(o, key, path) ?? "";
  }

  int(o: Obj, key: string, path: string, fallback: number, min: number, max: number): number {
    const value = o[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      this.fail(
        join(path, key),
        `must be an integer between ${min} and ${max}, got ${describe(value)}`,
      );
      return fallback;
    }
    return value;
  }

  /** An optional non-negative finite number. */
  amount(o: Obj, key: string, path: string): number | undefined {
    const value = o[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      this.fail(join(path, key), `must be a finite number >= 0, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  bool(o: Obj, key: string, path: string, fallback: boolean): boolean {
    const value = o[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "boolean") {
      this.fail(join(path, key), `must be true or false, got ${describe(value)}`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(
    o: Obj,
    key: string,
    path: string,
    options: readonly T[],
    fallback: T,
  ): T {
    const value = o[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "string" || !(options as readonly string[]).includes(value)) {
      this.fail(join(path, key), `must be one of ${options.join(", ")}, got ${describe(value)}`);
      return fallback;
    }
    return value as T;
  }

  array(o: Obj, key: string, path: string): unknown[] {
    const value = o[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.fail(join(path, key), `must be an array, got ${describe(value)}`);
      return [];
    }
    return value;
  }
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}
