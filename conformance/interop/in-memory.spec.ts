// Every interop case (grpc/grpc doc/interop-test-descriptions.md) through the
// in-memory channel: the tsgrpc client cases against the interop server's
// TestService handlers, called in this process — no listen(), no socket.
// None is left out: compression (per call and per message, both ways) goes
// through the Compressed-Flag of in-memory frames as it does on the wire;
// only interop.spec.ts's raw HTTP/2 checks of the servers' frames need a real
// connection, and they are not client cases. pick_first_unary runs by name,
// as on the command line: with one server, every answer carries its server_id.
import { createInMemoryChannel } from "@tsgrpc/runtime";
import { tsgrpcCases } from "./src/cases.js";
import { CASE_NAMES } from "./src/descriptions.js";
import { runCase } from "./src/runner.js";
import { createInteropServer } from "./src/test-service.js";

const CASE_TIMEOUT_MS = 10_000;

const server = createInteropServer({ onError: () => {} });
const channel = createInMemoryChannel(server);

afterAll(async () => {
  channel.close();
  server.forceShutdown();
  await server.shutdown();
});

test.each(CASE_NAMES)("%s", async (name) => {
  expect(await runCase(tsgrpcCases, name, { channel }, CASE_TIMEOUT_MS)).toEqual({ name, passed: true });
});
