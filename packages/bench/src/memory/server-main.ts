// A server process of the memory benchmark:
//   node --expose-gc dist/memory/server-main.js --impl NAME [--window BYTES]
// Listens on 127.0.0.1 (port chosen by the system), prints {"port","pid"}, then
// answers commands on stdin, one JSON line each:
//   sample        {"sample"}: its memory now
//   settle MS     {"sample"}: its memory after collecting garbage and waiting
//                 MS (collecting every 250 ms meanwhile), so that what freed
//                 memory lags behind a call (timers, closed streams) is gone
//   stop          {"maxRssKiB"}: its peak resident set (getrusage); then exits
// It exits too when stdin closes, and after --max-seconds (default 300).
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { loadImplementation } from "../rpc/impls.js";
import { isImplName } from "../rpc/protocol.js";
import { sampleMemory } from "./sample.js";

const { values } = parseArgs({
  options: { impl: { type: "string" }, window: { type: "string" }, "max-seconds": { type: "string" } },
  strict: true,
});
const impl = values.impl ?? "";
if (!isImplName(impl)) throw new Error(`--impl: unknown implementation "${impl}"`);
const window = values.window !== undefined ? Number(values.window) : undefined;
const maxSeconds = Number(values["max-seconds"] ?? 300);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc: the samples after a settle must follow a full collection");

function say(message: object): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

setTimeout(() => {
  process.stderr.write(`memory server ${impl}: still running after ${maxSeconds} s, exiting\n`);
  process.exit(3);
}, maxSeconds * 1000).unref();

const server = await (await loadImplementation(impl)).serve(window !== undefined ? { flowControlWindow: window } : {});
say({ port: server.port, pid: process.pid });

async function settle(ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    gc!();
    const left = until - Date.now();
    if (left <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(250, left)));
  }
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.race([server.close(), new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())]);
  say({ maxRssKiB: process.resourceUsage().maxRSS });
  process.exit(0);
}

// Commands run one at a time, in order.
let queue = Promise.resolve();
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const [command, arg] = line.trim().split(/\s+/);
  queue = queue.then(async () => {
    if (command === "sample") say({ sample: sampleMemory() });
    else if (command === "settle") {
      await settle(Number(arg));
      say({ sample: sampleMemory() });
    } else if (command === "stop") await stop();
    else say({ error: `unknown command ${line}` });
  });
});
lines.on("close", () => void queue.then(stop));
