// The client process of the callgrind benchmark:
//   node dist/rpc-callgrind/caller.js --impl NAME --port N --call unary|stream --warmup W --calls K [--window | --pause]
// Over one connection to 127.0.0.1:N, makes W warm-up calls and then K
// measured calls, one after another, each answer checked; then closes and
// exits 0 (1 on a failure, with its message on stderr).
//   --window  the measured calls are the callgrind window (valgrind.ts): the
//             client is the measured process
//   --pause   before and after the measured calls, prints {"phase":"warm"} or
//             {"phase":"measured"} and waits for a line on stdin: the harness
//             opens and closes the window of the measured server meanwhile
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { int } from "../cli-values.js";
import { loadImplementation } from "../rpc/impls.js";
import { isImplName } from "../rpc/protocol.js";
import { endWindow, startWindow } from "../valgrind.js";
import { callOnce, isCallKind } from "./calls.js";

const { values } = parseArgs({
  options: {
    impl: { type: "string" },
    port: { type: "string" },
    call: { type: "string" },
    warmup: { type: "string" },
    calls: { type: "string" },
    window: { type: "boolean", default: false },
    pause: { type: "boolean", default: false },
  },
  strict: true,
});

const stdinLines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

/** Says where it is and waits for the harness's go-ahead. */
async function pause(phase: string): Promise<void> {
  process.stdout.write(`${JSON.stringify({ phase })}\n`);
  if ((await stdinLines.next()).done === true) throw new Error(`stdin closed while waiting after the ${phase} phase`);
}

async function main(): Promise<void> {
  const impl = values.impl ?? "";
  if (!isImplName(impl)) throw new Error(`--impl: unknown implementation "${impl}"`);
  const kind = values.call ?? "";
  if (!isCallKind(kind)) throw new Error(`--call: unary or stream, not "${kind}"`);
  const port = int("port", values.port, 0);
  if (port === 0) throw new Error("--port N is required");
  const warmup = int("warmup", values.warmup, 0);
  const calls = int("calls", values.calls, 0);
  const client = await (await loadImplementation(impl)).connect(port);
  for (let i = 0; i < warmup; i++) await callOnce(client, kind);
  if (values.pause) await pause("warm");
  if (values.window) startWindow();
  for (let i = 0; i < calls; i++) await callOnce(client, kind);
  if (values.window) endWindow();
  if (values.pause) await pause("measured");
  await client.close();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`caller: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
