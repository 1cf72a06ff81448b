// The tsgrpc interop server: `node dist/src/server.js --port=P [--use_tls=false] [--server_id=ID]`.
import { runServerCli } from "./runner.js";
import { createInteropServer } from "./test-service.js";

await runServerCli(process.argv.slice(2), "tsgrpc", async (port, identity) => {
  const server = createInteropServer({}, identity);
  const bound = await server.listen(`0.0.0.0:${port}`);
  return { port: bound, shutdown: () => server.shutdown(), forceShutdown: () => server.forceShutdown() };
});
