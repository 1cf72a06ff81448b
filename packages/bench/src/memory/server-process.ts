// The harness's side of a memory benchmark server: starts
// dist/memory/server-main.js under --expose-gc, sends it commands, reads its
// answers, and makes sure it ends (killed if it does not exit when asked).
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { ImplName } from "../rpc/protocol.js";
import type { MemorySample } from "./sample.js";

const script = new URL("server-main.js", import.meta.url).pathname;

export interface MemoryServer {
  readonly port: number;
  readonly pid: number;
  sample(): Promise<MemorySample>;
  /** Its memory after a full collection and `ms` of settling. */
  settle(ms: number): Promise<MemorySample>;
  /** Ends it; resolves with its peak resident set in bytes (undefined if it had to be killed). */
  stop(): Promise<number | undefined>;
}

export const startedPids: number[] = [];

export async function startMemoryServer(impl: ImplName, window: number | undefined, replyTimeoutMs: number): Promise<MemoryServer> {
  const args = ["--expose-gc", script, "--impl", impl, ...(window !== undefined ? ["--window", String(window)] : [])];
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
  child.stdin!.on("error", () => {}); // a child that died early: its exit says so
  if (child.pid !== undefined) startedPids.push(child.pid);
  const next = replies(child);
  const ask = async (command: string | undefined): Promise<Record<string, unknown>> => {
    if (command !== undefined) child.stdin!.write(`${command}\n`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), replyTimeoutMs)));
    const reply = await Promise.race([next(), timeout]);
    clearTimeout(timer);
    if (reply === undefined) {
      child.kill("SIGKILL");
      throw new Error(`memory server ${impl}: no answer to ${command ?? "start"} within ${replyTimeoutMs} ms (exit ${child.exitCode ?? child.signalCode})`);
    }
    if (typeof reply.error === "string") throw new Error(`memory server ${impl}: ${reply.error}`);
    return reply;
  };
  const hello = await ask(undefined);
  const sample = async (command: string): Promise<MemorySample> => (await ask(command)).sample as MemorySample;
  return {
    port: hello.port as number,
    pid: child.pid!,
    sample: () => sample("sample"),
    settle: (ms) => sample(`settle ${ms}`),
    async stop() {
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      try {
        const bye = await ask("stop");
        return typeof bye.maxRssKiB === "number" ? bye.maxRssKiB * 1024 : undefined;
      } catch {
        return undefined;
      } finally {
        if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once("exit", resolve));
        clearTimeout(timer);
      }
    },
  };
}

/** The JSON lines a child prints, one per call; undefined once it has closed stdout. */
function replies(child: ChildProcess): () => Promise<Record<string, unknown> | undefined> {
  const queue: Record<string, unknown>[] = [];
  let waiter: ((line: Record<string, unknown> | undefined) => void) | undefined;
  let closed = false;
  const lines = createInterface({ input: child.stdout! });
  lines.on("line", (line) => {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      process.stderr.write(`${line}\n`); // not ours: pass it on
      return;
    }
    const w = waiter;
    waiter = undefined;
    if (w !== undefined) w(message);
    else queue.push(message);
  });
  lines.on("close", () => {
    closed = true;
    waiter?.(undefined);
  });
  return () => {
    if (queue.length > 0) return Promise.resolve(queue.shift());
    if (closed) return Promise.resolve(undefined);
    return new Promise((resolve) => (waiter = resolve));
  };
}
