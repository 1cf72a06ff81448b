// The grpc-js interop client (the control):
// `node dist/src/grpcjs-client.js (--server_host=HOST --server_port=PORT | --target=TARGET) --test_case=NAME|all [--use_tls=false] [--server_host_override=HOST]`.
import { fileURLToPath } from "node:url";
import { connectGrpcJs, grpcJsCases } from "./grpcjs-cases.js";
import { loadInteropProtos } from "./grpcjs-protos.js";
import { runClientCli } from "./runner.js";

const protos = loadInteropProtos(fileURLToPath(new URL("../../proto", import.meta.url)));

await runClientCli(process.argv.slice(2), grpcJsCases, ({ target, authority }) => connectGrpcJs(protos, target, authority));
