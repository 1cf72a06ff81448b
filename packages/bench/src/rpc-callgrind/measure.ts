// One instruction count: a fresh measured process (client or server under
// valgrind --tool=callgrind) and a fresh plain-node peer; after W warm-up
// calls the next N calls are the measured window (valgrind.ts), so that
// start-up, loading, warm-up, connecting and closing stay outside.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type LaunchOptions, runScript, startScript, startServer } from "../rpc/processes.js";
import type { ImplName } from "../rpc/protocol.js";
import { callgrindCommand, NODE_FLAGS, windowIr, type WindowParts, windowParts } from "../valgrind.js";
import { type Cell, cellId, type Counts } from "./cells.js";

const caller = new URL("caller.js", import.meta.url).pathname;

/** Roughly how many times slower node runs under callgrind: it stretches the timeouts of every step. */
const SLOWDOWN = 60;
/** Making the calls, stretched by the slowdown: taking longer, the calls have hung. */
const CALLS_TIMEOUT_MS = 60_000;
const SERVER_MAX_SECONDS = 3600;

export interface CountRequest {
  readonly cell: Cell;
  /** The implementation in the measured process, and the one on the other side. */
  readonly impl: ImplName;
  readonly peer: ImplName;
  readonly counts: Counts;
  /** Where callgrind's profiles (for callgrind_annotate) and log go. */
  readonly dir: string;
  /** Names this count's files within `dir`. */
  readonly tag: string;
}

export interface Count {
  /** The instructions (Ir) the measured process executed for the N measured calls. */
  readonly ir: number;
  /** Of those, V8's optimising compiler's and garbage collector's (see windowParts). */
  readonly parts: WindowParts;
}

export async function countInstructions(r: CountRequest): Promise<Count> {
  mkdirSync(r.dir, { recursive: true });
  const base = join(r.dir, `${cellId(r.cell).replace("/", "-")}-${r.tag}`);
  const profile = `${base}.callgrind.out`;
  const measured: LaunchOptions = { wrapper: callgrindCommand(profile, `${base}.log`, true), slowdown: SLOWDOWN };
  const client = r.cell.side === "client" ? r.impl : r.peer;
  const callerArgs = (port: number): string[] =>
    ["--impl", client, "--port", String(port), "--call", r.cell.call, "--warmup", String(r.counts.warmup), "--calls", String(r.counts.calls)];
  if (r.cell.side === "client") {
    const server = await startServer(r.peer, undefined, [], SERVER_MAX_SECONDS);
    let code: number | undefined;
    try {
      code = await runScript(caller, [...callerArgs(server.port), "--window"], NODE_FLAGS, CALLS_TIMEOUT_MS, measured);
    } finally {
      await server.stop();
    }
    if (code !== 0) throw new Error(`${cellId(r.cell)}: the measured ${client} client ${code === undefined ? "was killed (timeout)" : `exited with ${code}`}`);
  } else {
    const server = await startServer(r.impl, undefined, NODE_FLAGS, SERVER_MAX_SECONDS, measured);
    try {
      await driveServer(callerArgs(server.port), (command) => server.command(command));
    } finally {
      await server.stop();
    }
  }
  return { ir: windowIr(profile), parts: windowParts(profile) };
}

/** Runs the plain-node caller, opening the measured server's window around its measured calls. */
async function driveServer(args: string[], serverCommand: (line: string) => Promise<Record<string, unknown>>): Promise<void> {
  const peer = startScript(caller, [...args, "--pause"], [], { slowdown: SLOWDOWN });
  const phase = async (want: string): Promise<void> => {
    const got = await peer.next();
    if (got?.phase !== want) throw new Error(`the caller said ${JSON.stringify(got)} instead of {"phase":"${want}"}`);
  };
  let code: number | undefined;
  try {
    await phase("warm");
    await serverCommand("window-start");
    peer.send("go");
    await phase("measured");
    await serverCommand("window-end");
    peer.send("go");
  } finally {
    peer.endInput();
    code = await peer.exit(CALLS_TIMEOUT_MS);
  }
  if (code !== 0) throw new Error(`the caller ${code === undefined ? "was killed (timeout)" : `exited with ${code}`}`);
}
