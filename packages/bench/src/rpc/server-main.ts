// A benchmark server process: `node dist/rpc/server-main.js --impl NAME`.
// Listens on 127.0.0.1 (port chosen by the system) and prints one JSON line,
// {"port","pid"}. On "stop" on stdin — or when stdin closes, so that it never
// outlives the harness — it closes the server, prints {"maxRssKiB"} (its
// peak resident set, getrusage) and {"cpuSeconds"} (all it used), and exits. It also exits by itself after
// --max-seconds (default 900). Under callgrind, "window-start" and
// "window-end" open and close the measured window (valgrind.ts), each
// answered with {"window"}.
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { endWindow, startWindow } from "../valgrind.js";
import { loadImplementation } from "./impls.js";
import { isImplName } from "./protocol.js";

const { values } = parseArgs({ options: { impl: { type: "string" }, "max-seconds": { type: "string" } }, strict: true });
const impl = values.impl ?? "";
if (!isImplName(impl)) throw new Error(`--impl: unknown implementation "${impl}"`);
const maxSeconds = Number(values["max-seconds"] ?? 900);

function say(message: object): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

setTimeout(() => {
  process.stderr.write(`rpc server ${impl}: still running after ${maxSeconds} s, exiting\n`);
  process.exit(3);
}, maxSeconds * 1000).unref();

const server = await (await loadImplementation(impl)).serve();
say({ port: server.port, pid: process.pid });

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  const closed = server.close();
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
  await Promise.race([closed, timeout]);
  const cpu = process.cpuUsage();
  say({ maxRssKiB: process.resourceUsage().maxRSS, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  process.exit(0);
}

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const command = line.trim();
  if (command === "stop") void stop();
  else if (command === "window-start") {
    startWindow();
    say({ window: "started" });
  } else if (command === "window-end") {
    endWindow();
    say({ window: "ended" });
  }
});
lines.on("close", () => void stop());
