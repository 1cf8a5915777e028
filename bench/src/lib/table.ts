import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import { fileURLToPath } from "node:url";

export type Align = "left" | "right";

/** A GitHub-flavoured markdown table with padded columns, readable as plain text too. */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string {
  // A `|` inside a cell (even inside backticks) would end the cell in GitHub's renderer.
  const cells = rows.map((row) => row.map((text) => text.replace(/\|/g, "\\|")));
  const widths = headers.map((h, i) =>
    Math.max(3, h.length, ...cells.map((row) => (row[i] ?? "").length)),
  );
  const cell = (text: string, i: number): string => {
    const width = widths[i] ?? 0;
    return align[i] === "right" ? text.padStart(width) : text.padEnd(width);
  };
  const line = (row: readonly string[]): string =>
    `| ${headers.map((_, i) => cell(row[i] ?? "", i)).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (align[i] === "right" ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [line(headers), rule, ...cells.map(line)].join("\n");
}

/** `12,345,678` for rates; two significant decimals below 100. */
export function formatRate(value: number): string {
  const digits = value < 100 ? 2 : 0;
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** `1.23x` */
export function formatRatio(value: number): string {
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(2)}x`;
}

/** Where and when a result was produced: date, Node version, CPU, cores, platform. */
export function environmentLines(now: Date = new Date()): string[] {
  const cpus = os.cpus();
  const cpu = cpus[0]?.model.trim() || "unknown CPU";
  return [
    `- Date: ${now.toISOString()}`,
    `- Node: ${process.version} (V8 ${process.versions.v8})`,
    `- CPU: ${cpu}, ${cpus.length} logical cores`,
    `- Platform: ${os.platform()} ${os.release()} ${os.arch()}`,
  ];
}

/** Writes `bench/results/<name>.md` and returns its path. */
export async function writeResult(name: string, markdown: string): Promise<string> {
  const dir = fileURLToPath(new URL("../../results/", import.meta.url));
  await mkdir(dir, { recursive: true });
  const path = `${dir}${name}.md`;
  await writeFile(path, markdown.endsWith("\n") ? markdown : `${markdown}\n`);
  return path;
}
