// One instruction count: a fresh measured process (client or server under
// valgrind --tool=callgrind) and a fresh plain-node peer; the measured process
// makes or answers `calls` calls of one kind, then both end. Everything else
// the process does (start-up, loading, connecting, closing) is the same from
// one count to the next and cancels in the difference of two counts.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type LaunchOptions, runScript, startServer } from "../rpc/processes.js";
import type { ImplName } from "../rpc/protocol.js";
import { callgrindCommand, collectedIr, NODE_FLAGS } from "../valgrind.js";
import { type Cell, cellId } from "./cells.js";

const caller = new URL("caller.js", import.meta.url).pathname;

/** Roughly how many times slower node runs under callgrind: it stretches the measured process's timeouts. */
const SLOWDOWN = 60;
/** Making the calls, stretched by the slowdown: taking longer, the calls have hung. */
const CALLS_TIMEOUT_MS = 60_000;
const SERVER_MAX_SECONDS = 3600;

export interface CountRequest {
  readonly cell: Cell;
  /** The implementation in the measured process, and the one on the other side. */
  readonly impl: ImplName;
  readonly peer: ImplName;
  readonly calls: number;
  /** Where callgrind's profile (for callgrind_annotate) and log go. */
  readonly dir: string;
  /** Names this count's files within `dir`. */
  readonly tag: string;
}

/** The total instructions (Ir) of the measured process. */
export async function countInstructions(r: CountRequest): Promise<number> {
  mkdirSync(r.dir, { recursive: true });
  const base = join(r.dir, `${cellId(r.cell).replace("/", "-")}-${r.tag}`);
  const log = `${base}.log`;
  const measured: LaunchOptions = { wrapper: callgrindCommand(`${base}.callgrind.out`, log), slowdown: SLOWDOWN };
  const client = r.cell.side === "client" ? r.impl : r.peer;
  const server = await startServer(r.cell.side === "server" ? r.impl : r.peer, undefined, r.cell.side === "server" ? NODE_FLAGS : [], SERVER_MAX_SECONDS, r.cell.side === "server" ? measured : {});
  let code: number | undefined;
  try {
    const args = ["--impl", client, "--port", String(server.port), "--call", r.cell.call, "--calls", String(r.calls)];
    code = r.cell.side === "client" ? await runScript(caller, args, NODE_FLAGS, CALLS_TIMEOUT_MS, measured) : await runScript(caller, args, [], CALLS_TIMEOUT_MS, { slowdown: SLOWDOWN });
  } finally {
    await server.stop();
  }
  if (code !== 0) throw new Error(`${cellId(r.cell)}: the ${client} client ${code === undefined ? "was killed (timeout)" : `exited with ${code}`}`);
  return collectedIr(readFileSync(log, "utf8"));
}
