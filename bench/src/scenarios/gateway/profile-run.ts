import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { type Children, cpuTimeMs } from "./children.js";
import { closedLoop, pool, sequential, singleConnection } from "./load.js";
import { type ProfileSummary, summarizeProfile } from "./profile.js";
import type { Settings } from "./settings.js";
import { type Mock, startOurs } from "./targets.js";

export interface ProfileRun {
  readonly load: string;
  readonly file: string;
  readonly requests: number;
  readonly windowMs: number;
  /** The gateway process's CPU time in the window (`/proc/<pid>/stat`), ms. */
  readonly cpuMs: number;
  readonly summary: ProfileSummary;
}

/** `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`: thread 0 is the main thread. */
function mainThreadProfile(dir: string, pid: number): string {
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  const main = files.find((f) => f.includes(`.${pid}.0.`));
  if (main === undefined) {
    throw new Error(
      `no main-thread profile of pid ${pid} in ${dir} (found: ${files.join(", ") || "none"})`,
    );
  }
  return join(dir, main);
}

/** A fresh gateway child under `--cpu-prof`: a warm-up, then one timed window of `load` sending `body`. */
export async function profileRun(
  children: Children,
  mock: Mock,
  workDir: string,
  profileDir: string,
  load: "one at a time" | "32 connections",
  body: Buffer,
  settings: Settings,
): Promise<ProfileRun> {
  const name = load === "one at a time" ? "one-at-a-time" : "32-connections";
  const dir = join(profileDir, name);
  mkdirSync(dir, { recursive: true });
  const g = await startOurs(children, {
    name: `profile-${name}`,
    target: "ours",
    mockUrl: mock.url,
    workDir,
    caches: true,
    tokenConditions: true,
    profileDir: dir,
  });
  const target = g.target;
  const warm = singleConnection(target);
  await sequential(warm, target, body, 500, performance.now() + 10_000);
  const warmPool = pool(target, 32);
  await closedLoop(warmPool, target, body, 32, settings.warmupMs, 100_000);
  await warmPool.close();
  const cpuBefore = cpuTimeMs(g.child.pid);
  const from = Number(process.hrtime.bigint() / 1000n);
  let requests: number;
  if (load === "one at a time") {
    const r = await sequential(
      warm,
      target,
      body,
      1_000_000,
      performance.now() + settings.profileWindowMs,
    );
    requests = r.latencies.length;
  } else {
    const p = pool(target, 32);
    const r = await closedLoop(p, target, body, 32, settings.profileWindowMs, 500_000);
    requests = r.completed;
    await p.close();
  }
  const to = Number(process.hrtime.bigint() / 1000n);
  const cpuMs = cpuTimeMs(g.child.pid) - cpuBefore;
  await warm.close();
  await children.stop(g.child, 20_000);
  const file = mainThreadProfile(dir, g.child.pid);
  return {
    load,
    file,
    requests,
    windowMs: (to - from) / 1000,
    cpuMs,
    summary: summarizeProfile(file, from, to, 15),
  };
}
