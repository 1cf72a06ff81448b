// The tsgrpc interop client:
// `node dist/src/client.js (--server_host=HOST --server_port=PORT | --target=TARGET) --test_case=NAME|all [--use_tls=false] [--server_host_override=HOST]`.
import { createChannel } from "@tsgrpc/runtime";
import { tsgrpcCases } from "./cases.js";
import { runClientCli } from "./runner.js";

await runClientCli(process.argv.slice(2), tsgrpcCases, ({ target, authority }) => {
  const channel = createChannel(target, authority !== undefined ? { authority } : {});
  return { ctx: { channel }, close: () => channel.close() };
});
