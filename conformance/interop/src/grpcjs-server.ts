// The grpc-js interop server (the control): `node dist/src/grpcjs-server.js --port=P [--use_tls=false] [--server_id=ID]`.
import { fileURLToPath } from "node:url";
import { bindGrpcJsServer, createGrpcJsInteropServer, shutdownGrpcJsServer } from "./grpcjs-service.js";
import { runServerCli } from "./runner.js";

const protoRoot = fileURLToPath(new URL("../../proto", import.meta.url));

await runServerCli(process.argv.slice(2), "grpc-js", async (port, identity) => {
  const server = createGrpcJsInteropServer(protoRoot, identity);
  const bound = await bindGrpcJsServer(server, `0.0.0.0:${port}`);
  return { port: bound, shutdown: () => shutdownGrpcJsServer(server), forceShutdown: () => server.forceShutdown() };
});
