import type { ValidationIssue } from "../errors.js";

/** Collects every problem found while decoding untrusted JSON, with its path. */
export class IssueList {
  readonly items: ValidationIssue[] = [];

  add(path: string, message: string): void {
    this.items.push({ path, message });
  }

  get empty(): boolean {
    return this.items.length === 0;
  }
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value === undefined) return "nothing (the field is missing)";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

export function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/** Absent and `null` both mean "not set", as serde's `Option` reads them. */
export function isUnset(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

export function readString(value: unknown, path: string, issues: IssueList): string | undefined {
  if (typeof value === "string") return value;
  issues.add(path, `must be a string, got ${describe(value)}`);
  return undefined;
}

export function readBoolean(value: unknown, path: string, issues: IssueList): boolean | undefined {
  if (typeof value === "boolean") return value;
  issues.add(path, `must be true or false, got ${describe(value)}`);
  return undefined;
}

export function readFiniteNumber(
  value: unknown,
  path: string,
  issues: IssueList,
): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  issues.add(path, `must be a finite number, got ${describe(value)}`);
  return undefined;
}

export function readInteger(
  value: unknown,
  path: string,
  issues: IssueList,
  min: number,
  max: number,
): number | undefined {
  if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) {
    return value;
  }
  const got = typeof value === "number" ? String(value) : describe(value);
  issues.add(path, `must be an integer from ${min} to ${max}, got ${got}`);
  return undefined;
}

export function readStringArray(
  value: unknown,
  path: string,
  issues: IssueList,
): string[] | undefined {
  if (!Array.isArray(value)) {
    issues.add(path, `must be an array of strings, got ${describe(value)}`);
    return undefined;
  }
  const out: string[] = [];
  value.forEach((item, index) => {
    const text = readString(item, join(path, index), issues);
    if (text !== undefined) out.push(text);
  });
  return out;
}
