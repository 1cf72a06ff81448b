// The grpc-js interop client (the control):
// `node dist/src/grpcjs-client.js --server_host=HOST --server_port=PORT --test_case=NAME|all [--use_tls=false] [--server_host_override=HOST]`.
import { fileURLToPath } from "node:url";
import { connectGrpcJs, grpcJsCases } from "./grpcjs-cases.js";
import { loadInteropProtos } from "./grpcjs-protos.js";
import { runClientCli } from "./runner.js";

const protos = loadInteropProtos(fileURLToPath(new URL("../../proto", import.meta.url)));

await runClientCli(process.argv.slice(2), grpcJsCases, ({ host, port, authority }) => {
  const address = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  return connectGrpcJs(protos, address, authority);
});
