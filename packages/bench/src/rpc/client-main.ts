// A benchmark client process:
//   node dist/rpc/client-main.js --impl NAME --port N --verify
//   node dist/rpc/client-main.js --impl NAME --port N --plan JSON [--server-pid PID]
// One connection to 127.0.0.1:N. --verify runs the correctness checks;
// --plan warms up, then takes one sample per cell. Prints one JSON line:
// {impl, checks | samples, maxRssKiB, cpuSeconds} or {impl, error}, then exits.
import { parseArgs } from "node:util";
import { loadImplementation } from "./impls.js";
import { measure, type Sample, warmUp } from "./load.js";
import type { Plan } from "./plan.js";
import { isImplName } from "./protocol.js";
import { verify } from "./verify.js";

const { values } = parseArgs({
  options: {
    impl: { type: "string" },
    port: { type: "string" },
    verify: { type: "boolean", default: false },
    plan: { type: "string" },
    "server-pid": { type: "string" },
  },
  strict: true,
});
const impl = values.impl ?? "";

function say(message: object): void {
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ ...message, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`);
}

async function main(): Promise<void> {
  if (!isImplName(impl)) throw new Error(`--impl: unknown implementation "${impl}"`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`--port: not a port: ${values.port}`);
  const client = await (await loadImplementation(impl)).connect(port);
  if (values.verify) {
    const checks = await verify(client);
    await client.close();
    say({ impl, checks, maxRssKiB: process.resourceUsage().maxRSS });
    return;
  }
  if (values.plan === undefined) throw new Error("--verify or --plan JSON");
  const plan = JSON.parse(values.plan) as Plan;
  const serverPid = values["server-pid"] !== undefined ? Number(values["server-pid"]) : undefined;
  await warmUp(client, plan);
  const samples: Sample[] = [];
  for (const cell of plan.cells) samples.push(await measure(client, cell, plan, serverPid));
  await client.close();
  say({ impl, samples, maxRssKiB: process.resourceUsage().maxRSS });
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    say({ impl, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    process.exit(1);
  },
);
