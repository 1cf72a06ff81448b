// Every interop case (grpc/grpc doc/interop-test-descriptions.md) through the
// in-memory channel: the tsgrpc client cases against the interop server's
// TestService handlers, called in this process — no listen(), no socket.
// None is left out: compression (per call and per message, both ways) goes
// through the Compressed-Flag of in-memory frames as it does on the wire;
// only interop.spec.ts's raw HTTP/2 checks of the servers' frames need a real
// connection, and they are not client cases. pick_first_unary runs by name,
// as on the command line: with one server, every answer carries its server_id.
// The cases run twice: plain, and with pass-through interceptors on both
// sides, which must change nothing (deadlines, cancellation, metadata and
// compression cross both chains).
import { type Channel, type ClientInterceptor, createInMemoryChannel, type Server, type ServerInterceptor } from "@tsgrpc/runtime";
import { tsgrpcCases } from "./src/cases.js";
import { CASE_NAMES } from "./src/descriptions.js";
import { runCase } from "./src/runner.js";
import { createInteropServer } from "./src/test-service.js";

const CASE_TIMEOUT_MS = 10_000;

describe.each([
  { setup: "plain", interceptors: false },
  { setup: "with pass-through interceptors on both sides", interceptors: true },
])("in memory, $setup", ({ interceptors }) => {
  const calls = { client: 0, server: 0 };
  const countClient: ClientInterceptor = (call, next) => {
    calls.client++;
    return next(call);
  };
  const countServer: ServerInterceptor = (call, next) => {
    calls.server++;
    return next(call);
  };
  let server: Server;
  let channel: Channel;

  beforeAll(() => {
    server = createInteropServer({ onError: () => {}, ...(interceptors ? { interceptors: [countServer] } : {}) });
    channel = createInMemoryChannel(server, interceptors ? { interceptors: [countClient] } : {});
  });

  afterAll(async () => {
    channel.close();
    server.forceShutdown();
    await server.shutdown();
  });

  test.each(CASE_NAMES)("%s", async (name) => {
    expect(await runCase(tsgrpcCases, name, { channel }, CASE_TIMEOUT_MS)).toEqual({ name, passed: true });
  });

  test(interceptors ? "every call crossed both chains" : "no interceptor ran", () => {
    if (interceptors) {
      // pick_first_unary alone makes 100 calls; every one reaches a handler.
      expect(calls.client).toBeGreaterThan(100);
      expect(calls.server).toBeGreaterThan(100);
    } else {
      expect(calls).toEqual({ client: 0, server: 0 });
    }
  });
});
