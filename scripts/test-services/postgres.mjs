// Starts a throwaway PostgreSQL server from the system binaries: initdb into a
// temporary directory, pg_ctl start on a free loopback port, and a stop() that
// shuts it down and removes the directory. Postgres refuses to run as root, so
// under root the directory is handed to the `postgres` user and both commands
// run through `runuser -u postgres --`.
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.mjs";
import { isRoot, run } from "./process.mjs";

const PG_ROOT = "/usr/lib/postgresql";
const INSTALL_HINT =
  "Install the PostgreSQL server binaries (Debian/Ubuntu: `apt-get install -y postgresql`), " +
  "set SWITCHYARD_PG_BIN to a directory holding initdb and pg_ctl, " +
  "or set DATABASE_URL to a server you already run.";

function versionKey(name) {
  return name.split(".").map((part) => Number.parseInt(part, 10) || 0);
}

function compareVersionsDesc(a, b) {
  const x = versionKey(a);
  const y = versionKey(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const diff = (y[i] ?? 0) - (x[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function hasServerBinaries(dir) {
  return existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"));
}

/** The bin directory of the highest installed PostgreSQL version; throws with the fix when none. */
export function findPostgresBinDir() {
  const override = process.env.SWITCHYARD_PG_BIN;
  if (override) {
    if (hasServerBinaries(override)) return override;
    throw new Error(`SWITCHYARD_PG_BIN=${override} has no initdb and pg_ctl. ${INSTALL_HINT}`);
  }
  const versions = existsSync(PG_ROOT) ? readdirSync(PG_ROOT).sort(compareVersionsDesc) : [];
  for (const version of versions) {
    const dir = join(PG_ROOT, version, "bin");
    if (hasServerBinaries(dir)) return dir;
  }
  throw new Error(`No PostgreSQL server binaries under ${PG_ROOT}/*/bin. ${INSTALL_HINT}`);
}

function postgresUser() {
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      "Running as root, so PostgreSQL must run as the `postgres` user, which does not exist. " +
        "Create it with `apt-get install -y postgresql` (or `useradd --system postgres`).",
    );
  }
}

/**
 * Starts PostgreSQL; resolves with `{ url, stop }`. `url` points at the
 * `postgres` database as the trusted superuser `postgres` over TCP.
 */
export async function startPostgres({ log = () => {} } = {}) {
  const bin = findPostgresBinDir();
  const root = isRoot();
  const base = mkdtempSync(join(tmpdir(), "switchyard-pg-"));
  const dataDir = join(base, "data");
  const logFile = join(base, "postgres.log");
  if (root) {
    const { uid, gid } = postgresUser();
    chownSync(base, uid, gid);
  }
  const exec = (tool, args) =>
    root
      ? run("runuser", ["-u", "postgres", "--", join(bin, tool), ...args], { cwd: base })
      : run(join(bin, tool), args, { cwd: base });

  const cleanup = () => rmSync(base, { recursive: true, force: true });
  try {
    await exec("initdb", [
      "-D",
      dataDir,
      "-A",
      "trust",
      "-U",
      "postgres",
      "--no-sync",
      "-E",
      "UTF8",
      "--locale=C",
    ]);
  } catch (error) {
    cleanup();
    throw error;
  }

  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const serverOptions = [
      `-p ${port}`,
      `-k ${base}`,
      "-c listen_addresses=127.0.0.1",
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=300",
    ].join(" ");
    try {
      await exec("pg_ctl", [
        "-D",
        dataDir,
        "-l",
        logFile,
        "-o",
        serverOptions,
        "-w",
        "-t",
        "60",
        "start",
      ]);
      break;
    } catch (error) {
      const serverLog = existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-4000) : "";
      // Another process may have taken the port between probe and bind: retry on a new one.
      if (attempt < 3 && /could not (create|bind)|Address already in use/i.test(serverLog))
        continue;
      await exec("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]).catch(() => {});
      cleanup();
      throw new Error(`${error.message}\n--- postgres log ---\n${serverLog}`, { cause: error });
    }
  }
  log(`postgres ${bin.split("/").at(-2)} listening on 127.0.0.1:${port} (data in ${dataDir})`);

  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await exec("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "30", "stop"]);
      } catch (error) {
        // Fast shutdown timed out or failed: stop at once rather than leave it running.
        await exec("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]).catch(() => {});
        log(
          `postgres: fast shutdown failed (${error.message.split("\n")[0]}); stopped immediately`,
        );
      } finally {
        cleanup();
      }
      log(`postgres on port ${port} stopped`);
    },
  };
}
