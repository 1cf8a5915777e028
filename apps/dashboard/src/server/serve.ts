import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { dashboardAssetsDir } from "./assets.js";
import { contentTypeFor } from "./content-types.js";

export interface ServeDashboardOptions {
  /** Directory of the built page. Default: {@link dashboardAssetsDir}. */
  readonly root?: string;
  /** URL prefix the page lives under; must match Vite's `base`. Default `/dashboard`. */
  readonly mount?: string;
}

export const DASHBOARD_MOUNT = "/dashboard";

/**
 * The page may talk to its own origin only (`connect-src 'self'`): the API
 * key it holds can never be sent anywhere else, even by injected markup.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** `/dashboard`, `/dashboard/` and everything below it (with the default mount). */
export function isDashboardPath(pathname: string, mount: string = DASHBOARD_MOUNT): boolean {
  const base = trimSlash(mount);
  return pathname === base || pathname.startsWith(`${base}/`);
}

/**
 * Answers a request for the dashboard page or one of its files from a
 * `node:http` server. `pathname` is the request path without the query
 * string, as received (still percent-encoded), e.g. `/dashboard/assets/index-3f2a.js`.
 *
 * - `/dashboard` and `/dashboard/` serve `index.html` (`cache-control: no-cache`,
 *   revalidated by ETag), files under `assets/` are content-hashed and cached
 *   for a year (`immutable`), other files for an hour.
 * - GET and HEAD only (else 405 with `allow`); `if-none-match` answers 304.
 * - A missing file, a directory, a dotfile, `..`, an encoded slash or
 *   backslash, or a path that leaves the assets directory (symlinks
 *   resolved): 404. Assets not built: 503 naming the build command.
 * - Errors use the gateway's OpenAI error envelope.
 *
 * Resolves `true` once it answered, `false` when `pathname` is not under
 * the mount (nothing written: the caller routes the request on).
 */
export async function serveDashboard(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  options: ServeDashboardOptions = {},
): Promise<boolean> {
  const mount = trimSlash(options.mount ?? DASHBOARD_MOUNT);
  if (!isDashboardPath(pathname, mount)) return false;
  const method = req.method ?? "GET";
  if (method !== "GET" && method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    sendError(
      res,
      405,
      "invalid_request_error",
      "method_not_allowed",
      `${method} is not allowed on ${pathname}; use GET or HEAD.`,
    );
    return true;
  }
  const root = options.root ?? dashboardAssetsDir();
  const segments = fileSegments(pathname.slice(mount.length));
  const notFound = () =>
    sendError(res, 404, "not_found_error", "not_found", `No dashboard file at ${pathname}.`);
  if (segments === undefined) {
    notFound();
    return true;
  }
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    sendError(
      res,
      503,
      "api_error",
      "dashboard_not_built",
      "The dashboard's assets are not built; run `npx -y pnpm@10.34.9 --filter @switchyard/dashboard build`.",
    );
    return true;
  }
  const file = await resolveFile(realRoot, segments);
  if (file === undefined) {
    notFound();
    return true;
  }
  const name = segments.join("/");
  const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
  res.setHeader("content-type", contentTypeFor(name));
  res.setHeader("cache-control", cacheControlFor(name));
  res.setHeader("etag", etag);
  res.setHeader("last-modified", new Date(file.mtimeMs).toUTCString());
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "no-referrer");
  if (name.endsWith(".html")) {
    res.setHeader("content-security-policy", CONTENT_SECURITY_POLICY);
    res.setHeader("x-frame-options", "DENY");
  }
  if (req.headers["if-none-match"] === etag) {
    res.statusCode = 304;
    res.end();
    return true;
  }
  res.statusCode = 200;
  res.setHeader("content-length", file.size);
  if (method === "HEAD") {
    res.end();
    return true;
  }
  try {
    await pipeline(createReadStream(file.path), res);
  } catch {
    // The client went away, or the file vanished mid-read: nothing left to answer.
    res.destroy();
  }
  return true;
}

function trimSlash(mount: string): string {
  return mount.endsWith("/") ? mount.slice(0, -1) : mount;
}

/** The path below the mount as safe file segments, or `undefined` when it cannot name a file. */
function fileSegments(rest: string): string[] | undefined {
  if (rest === "" || rest === "/") return ["index.html"];
  if (!rest.startsWith("/")) return undefined;
  const segments: string[] = [];
  for (const raw of rest.slice(1).split("/")) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    // Empty (`//`), dotfiles, `.` and `..`, and anything a decoded segment
    // could use to escape or confuse the file system.
    if (segment === "" || segment.startsWith(".")) return undefined;
    if (/[/\\\0:]/.test(segment)) return undefined;
    segments.push(segment);
  }
  return segments;
}

async function resolveFile(
  realRoot: string,
  segments: readonly string[],
): Promise<{ path: string; size: number; mtimeMs: number } | undefined> {
  const candidate = join(realRoot, ...segments);
  if (!candidate.startsWith(realRoot + sep)) return undefined;
  try {
    const path = await realpath(candidate);
    if (!path.startsWith(realRoot + sep)) return undefined;
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

function cacheControlFor(name: string): string {
  if (name.endsWith(".html")) return "no-cache";
  if (name.startsWith("assets/")) return "public, max-age=31536000, immutable";
  return "public, max-age=3600";
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  code: string,
  message: string,
): void {
  const body = JSON.stringify({ error: { message, type, code, param: null } });
  res.statusCode = status;
  res.setHeader("content-type", "application/json");
  res.setHeader("content-length", Buffer.byteLength(body));
  res.setHeader("x-content-type-options", "nosniff");
  res.end(body);
}
