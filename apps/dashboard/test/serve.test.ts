import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  contentTypeFor,
  dashboardAssetsDir,
  isDashboardPath,
  serveDashboard,
} from "../src/server/index.js";

let base: string;
let root: string;
let server: Server;
let port: number;

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with the path sent exactly as given (no URL normalization of `..`). */
function raw(path: string, method = "GET", headers: Record<string, string> = {}) {
  return new Promise<RawResponse>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), "dashboard-serve-"));
  root = join(base, "dist");
  mkdirSync(join(root, "assets", "sub"), { recursive: true });
  writeFileSync(join(root, "index.html"), "<!doctype html><title>t</title>");
  writeFileSync(join(root, "assets", "index-abc123.js"), "console.log(1)");
  writeFileSync(join(root, "assets", "index-abc123.css"), "body{}");
  writeFileSync(join(root, "favicon.svg"), "<svg/>");
  writeFileSync(join(root, ".env"), "SECRET=1");
  writeFileSync(join(base, "secret.txt"), "outside");
  symlinkSync(join(base, "secret.txt"), join(root, "assets", "link.js"));
  server = createServer((req, res) => {
    const pathname = (req.url ?? "/").split("?", 1)[0] as string;
    const missing = pathname.startsWith("/missing-root")
      ? { root: join(base, "nope"), mount: "/missing-root" }
      : { root };
    serveDashboard(req, res, pathname, missing).then((handled) => {
      if (!handled) {
        res.statusCode = 418;
        res.end("not mine");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(base, { recursive: true, force: true });
});

describe("serveDashboard", () => {
  it("serves index.html at /dashboard, /dashboard/ and /dashboard/index.html, never cached stale", async () => {
    for (const path of ["/dashboard", "/dashboard/", "/dashboard/index.html", "/dashboard?x=1"]) {
      const res = await raw(path);
      expect(res.status, path).toBe(200);
      expect(res.body).toBe("<!doctype html><title>t</title>");
      expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(res.headers["cache-control"]).toBe("no-cache");
      expect(res.headers["content-security-policy"]).toContain("connect-src 'self'");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["x-frame-options"]).toBe("DENY");
    }
  });

  it("serves hashed assets as immutable with their content type and length", async () => {
    const js = await raw("/dashboard/assets/index-abc123.js");
    expect(js.status).toBe(200);
    expect(js.body).toBe("console.log(1)");
    expect(js.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(js.headers["content-length"]).toBe("14");
    expect(js.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(js.headers["content-security-policy"]).toBeUndefined();
    const css = await raw("/dashboard/assets/index-abc123.css");
    expect(css.headers["content-type"]).toBe("text/css; charset=utf-8");
    const icon = await raw("/dashboard/favicon.svg");
    expect(icon.headers["content-type"]).toBe("image/svg+xml");
    expect(icon.headers["cache-control"]).toBe("public, max-age=3600");
  });

  it("answers 304 to a matching if-none-match and no body to HEAD", async () => {
    const first = await raw("/dashboard/");
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"/);
    const again = await raw("/dashboard/", "GET", { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.body).toBe("");
    const head = await raw("/dashboard/assets/index-abc123.js", "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe("14");
    expect(head.body).toBe("");
  });

  it("answers 404 in the OpenAI envelope for unknown files and directories", async () => {
    for (const path of [
      "/dashboard/nope.js",
      "/dashboard/assets/",
      "/dashboard/assets/sub",
      "/dashboard/assets",
    ]) {
      const res = await raw(path);
      expect(res.status, path).toBe(404);
      expect(JSON.parse(res.body)).toEqual({
        error: {
          message: `No dashboard file at ${path}.`,
          type: "not_found_error",
          code: "not_found",
          param: null,
        },
      });
    }
  });

  it("never leaves the assets directory", async () => {
    const attempts = [
      "/dashboard/../secret.txt",
      "/dashboard/assets/../../secret.txt",
      "/dashboard/%2e%2e/secret.txt",
      "/dashboard/..%2fsecret.txt",
      "/dashboard/assets/..%2f..%2fsecret.txt",
      "/dashboard/..%5csecret.txt",
      "/dashboard//etc/passwd",
      "/dashboard/%2fetc%2fpasswd",
      "/dashboard/.env",
      "/dashboard/index.html%00.js",
      "/dashboard/%E0%A4%A",
      "/dashboard/assets/link.js",
    ];
    for (const path of attempts) {
      const res = await raw(path);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain("outside");
      expect(res.body).not.toContain("SECRET");
    }
  });

  it("allows GET and HEAD only", async () => {
    const res = await raw("/dashboard/", "POST");
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe("GET, HEAD");
    expect(JSON.parse(res.body).error.code).toBe("method_not_allowed");
  });

  it("leaves other paths to the caller", async () => {
    for (const path of ["/", "/dashboards", "/v1/routes", "/dashboardx/index.html"]) {
      expect((await raw(path)).status, path).toBe(418);
    }
  });

  it("says how to build when the assets are missing", async () => {
    const res = await raw("/missing-root/");
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body).error.message).toContain("--filter @switchyard/dashboard build");
  });
});

describe("helpers", () => {
  it("dashboardAssetsDir is the package's dist", () => {
    expect(dashboardAssetsDir()).toBe(join(import.meta.dirname, "..", "dist"));
  });

  it("isDashboardPath matches the mount and below only", () => {
    expect(isDashboardPath("/dashboard")).toBe(true);
    expect(isDashboardPath("/dashboard/assets/a.js")).toBe(true);
    expect(isDashboardPath("/dashboards")).toBe(false);
    expect(isDashboardPath("/ops/dash/x", "/ops/dash/")).toBe(true);
  });

  it("contentTypeFor knows the build's file types", () => {
    expect(contentTypeFor("a.HTML")).toBe("text/html; charset=utf-8");
    expect(contentTypeFor("x.woff2")).toBe("font/woff2");
    expect(contentTypeFor("README")).toBe("application/octet-stream");
  });
});
