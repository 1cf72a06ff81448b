// Server and client processes of the RPC benchmark: started with `taskset -c`
// on their own cores where taskset exists, each one bounded in time, and
// always ended — killed if it does not finish by itself. Every pid started
// is recorded, so that a test can check none is left behind.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { createInterface } from "node:readline";
import type { Check } from "./verify.js";
import type { Sample } from "./load.js";
import type { ImplName } from "./protocol.js";

const dir = new URL("./", import.meta.url);
const serverScript = new URL("server-main.js", dir).pathname;
const clientScript = new URL("client-main.js", dir).pathname;

export interface Pinning {
  /** Cores for server and client, or undefined when not pinned. */
  readonly server?: number;
  readonly client?: number;
  readonly note: string;
}

/** Server on core 0, client on core 1, with `taskset` when it exists and there are two cores. */
export function pinning(disabled: boolean): Pinning {
  if (disabled) return { note: "not pinned (--no-pin)" };
  if (process.platform !== "linux") return { note: `not pinned (${process.platform})` };
  if (cpus().length < 2) return { note: "not pinned (one CPU)" };
  const probe = spawnSync("taskset", ["-c", "0", "true"], { stdio: "ignore" });
  if (probe.status !== 0) return { note: "not pinned (taskset missing or refused)" };
  return { server: 0, client: 1, note: "server on core 0, client on core 1 (taskset -c)" };
}

export const started: number[] = [];
const live = new Set<ChildProcess>();

/** Kills whatever is still running (on the harness's own exit). */
export function killAll(): void {
  for (const child of live) child.kill("SIGKILL");
}

/** How a process is started beyond its node flags. */
export interface LaunchOptions {
  /** A command that runs node, e.g. valgrind and its options. */
  readonly wrapper?: readonly string[];
  /** How many times slower than plain node it runs: its start and stop timeouts are stretched by it (default 1). */
  readonly slowdown?: number;
}

function launch(script: string, args: string[], core: number | undefined, nodeArgs: readonly string[], wrapper: readonly string[] = []): ChildProcess {
  const [cmd, ...argv] = [...(core !== undefined ? ["taskset", "-c", String(core)] : []), ...wrapper, process.execPath, ...nodeArgs, script, ...args];
  const child = spawn(cmd!, argv, { stdio: ["pipe", "pipe", "inherit"] });
  child.stdin!.on("error", () => {}); // a child that died early: its exit says so
  if (child.pid !== undefined) started.push(child.pid);
  live.add(child);
  child.once("exit", () => live.delete(child));
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Kills `child` unless it exits within `ms`. */
async function endWithin(child: ChildProcess, ms: number): Promise<void> {
  const timer = setTimeout(() => child.kill("SIGKILL"), ms);
  await exited(child);
  clearTimeout(timer);
}

/** JSON lines a child prints on stdout, one at a time. */
function jsonLines(child: ChildProcess): () => Promise<Record<string, unknown> | undefined> {
  const lines = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  let waiter: ((line: string | undefined) => void) | undefined;
  let closed = false;
  lines.on("line", (line) => {
    if (waiter !== undefined) {
      const w = waiter;
      waiter = undefined;
      w(line);
    } else {
      queue.push(line);
    }
  });
  lines.on("close", () => {
    closed = true;
    waiter?.(undefined);
  });
  return async () => {
    for (;;) {
      const line = queue.length > 0 ? queue.shift() : closed ? undefined : await new Promise<string | undefined>((r) => (waiter = r));
      if (line === undefined) return undefined;
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        process.stderr.write(`${line}\n`); // not ours: pass it on
      }
    }
  };
}

export interface ServerEnd {
  /** Undefined when it had to be killed. */
  readonly maxRssKiB?: number;
  readonly cpuSeconds?: number;
}

export interface ServerHandle {
  readonly impl: ImplName;
  readonly port: number;
  readonly pid: number;
  /** Sends a command line (server-main.ts's) and resolves with the JSON line that answers it. */
  command(line: string): Promise<Record<string, unknown>>;
  /** Asks it to stop; resolves with its peak RSS and CPU time. */
  stop(): Promise<ServerEnd>;
}

export async function startServer(
  impl: ImplName,
  core: number | undefined,
  nodeArgs: readonly string[],
  maxSeconds: number,
  options: LaunchOptions = {},
): Promise<ServerHandle> {
  const slowdown = options.slowdown ?? 1;
  const child = launch(serverScript, ["--impl", impl, "--max-seconds", String(maxSeconds)], core, nodeArgs, options.wrapper);
  const next = jsonLines(child);
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000 * slowdown);
  const hello = await next();
  clearTimeout(timer);
  if (hello === undefined || typeof hello.port !== "number") {
    child.kill("SIGKILL");
    await exited(child);
    throw new Error(`rpc server ${impl} did not start (exit ${child.exitCode ?? child.signalCode})`);
  }
  return {
    impl,
    port: hello.port,
    pid: child.pid!,
    async command(line) {
      const answer = next();
      child.stdin!.write(`${line}\n`);
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000 * slowdown);
      const got = await answer;
      clearTimeout(timer);
      if (got === undefined) throw new Error(`rpc server ${impl} ended without answering "${line}"`);
      return got;
    },
    async stop() {
      const bye = next();
      child.stdin!.end("stop\n");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000 * slowdown);
      const last = await bye;
      clearTimeout(timer);
      await endWithin(child, 5_000 * slowdown);
      return {
        ...(typeof last?.maxRssKiB === "number" ? { maxRssKiB: last.maxRssKiB } : {}),
        ...(typeof last?.cpuSeconds === "number" ? { cpuSeconds: last.cpuSeconds } : {}),
      };
    },
  };
}

/** A script started with startScript. */
export interface ScriptHandle {
  readonly pid: number;
  /** The next JSON line it prints; undefined once its stdout has ended. */
  next(): Promise<Record<string, unknown> | undefined>;
  /** Writes a line to its stdin. */
  send(line: string): void;
  /** Ends its stdin. */
  endInput(): void;
  /** Waits for it to exit, killing it after `timeoutMs` (stretched by the slowdown); its exit code, or undefined when it was killed. */
  exit(timeoutMs: number): Promise<number | undefined>;
}

/** Starts `script` (not pinned), talking JSON lines over stdout and plain lines over stdin. */
export function startScript(script: string, args: string[], nodeArgs: readonly string[], options: LaunchOptions = {}): ScriptHandle {
  const child = launch(script, args, undefined, nodeArgs, options.wrapper);
  return {
    pid: child.pid!,
    next: jsonLines(child),
    send: (line) => child.stdin!.write(`${line}\n`),
    endInput: () => child.stdin!.end(),
    async exit(timeoutMs) {
      await endWithin(child, timeoutMs * (options.slowdown ?? 1));
      return child.exitCode ?? undefined;
    },
  };
}

/** Runs `script` to its end with nothing on stdin; see ScriptHandle.exit. */
export function runScript(script: string, args: string[], nodeArgs: readonly string[], timeoutMs: number, options: LaunchOptions = {}): Promise<number | undefined> {
  const handle = startScript(script, args, nodeArgs, options);
  handle.endInput();
  return handle.exit(timeoutMs);
}

export interface ClientOutput {
  readonly checks?: Check[];
  readonly samples?: Sample[];
  readonly maxRssKiB?: number;
  readonly cpuSeconds?: number;
  readonly error?: string;
}

export interface MachineCpu {
  /** CPU seconds of all processes (user, nice, system, irq, softirq), all cores. */
  readonly busy: number;
  /** CPU seconds the hypervisor gave to others while we wanted to run. */
  readonly steal: number;
}

/** From /proc/stat; undefined elsewhere. */
export function machineCpu(): MachineCpu | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return { busy: (user! + nice! + system! + irq! + softirq!) / 100, steal: steal! / 100 };
  } catch {
    return undefined;
  }
}

/** Runs a client process to the end (or kills it after `timeoutMs`) and returns what it printed. */
export async function runClient(
  impl: ImplName,
  server: ServerHandle,
  mode: { verify: true } | { plan: object },
  core: number | undefined,
  nodeArgs: readonly string[],
  timeoutMs: number,
): Promise<ClientOutput> {
  const args = ["--impl", impl, "--port", String(server.port)];
  if ("verify" in mode) args.push("--verify");
  else args.push("--plan", JSON.stringify(mode.plan), "--server-pid", String(server.pid));
  const child = launch(clientScript, args, core, nodeArgs);
  child.stdin!.end();
  const next = jsonLines(child);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  const out = await next();
  await exited(child);
  clearTimeout(timer);
  if (timedOut) return { error: `client ${impl} killed after ${timeoutMs} ms` };
  if (out === undefined) return { error: `client ${impl} printed nothing (exit ${child.exitCode ?? child.signalCode})` };
  return out as ClientOutput;
}
