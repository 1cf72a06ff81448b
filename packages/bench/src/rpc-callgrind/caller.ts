// The client process of the callgrind benchmark:
//   node dist/rpc-callgrind/caller.js --impl NAME --port N --call unary|stream --calls K
// Makes K calls one after another over one connection to 127.0.0.1:N, each
// checked, closes the connection and exits 0; on a failure it prints the
// error and exits 1. Run under valgrind it is the measured client; run
// plainly it drives a measured server.
import { parseArgs } from "node:util";
import { int } from "../cli-values.js";
import { loadImplementation } from "../rpc/impls.js";
import { isImplName } from "../rpc/protocol.js";
import { callOnce, isCallKind } from "./calls.js";

const { values } = parseArgs({
  options: { impl: { type: "string" }, port: { type: "string" }, call: { type: "string" }, calls: { type: "string" } },
  strict: true,
});

async function main(): Promise<void> {
  const impl = values.impl ?? "";
  if (!isImplName(impl)) throw new Error(`--impl: unknown implementation "${impl}"`);
  const kind = values.call ?? "";
  if (!isCallKind(kind)) throw new Error(`--call: unary or stream, not "${kind}"`);
  const port = int("port", values.port, 0);
  if (port === 0) throw new Error("--port N is required");
  const calls = int("calls", values.calls, 0);
  const client = await (await loadImplementation(impl)).connect(port);
  for (let i = 0; i < calls; i++) await callOnce(client, kind);
  await client.close();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`caller: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
