// Server shutdown (graceful vs forced), channel close, reconnection after the
// server went away, and waitForReady.
import { createChannel } from "../../src/client/index.js";
import { type GrpcError, Status } from "../../src/grpc/index.js";
import { createServer, type ServerContext } from "../../src/server/index.js";
import {
  aborted,
  deferred,
  type Echo,
  rejection,
  TestService,
  type TestHandlers,
  within,
} from "./fixtures.js";

const empty = new Uint8Array(0);
const echo = (text: string): Echo => ({ text, data: empty, count: 0 });

function gatedHandlers(): { handlers: TestHandlers; started: Promise<ServerContext>; release: () => void } {
  const started = deferred<ServerContext>();
  const gate = deferred();
  return {
    handlers: {
      async unary(req, ctx) {
        if (req.text === "wait") {
          started.resolve(ctx);
          await Promise.race([gate.promise, aborted(ctx.signal)]);
        }
        return echo(`done ${req.text}`);
      },
    },
    started: started.promise,
    release: () => gate.resolve(),
  };
}

test("shutdown(): GOAWAY, new calls fail, the in-flight call completes, then it resolves", async () => {
  const { handlers, started, release } = gatedHandlers();
  const server = createServer();
  server.add(TestService, handlers);
  const port = await server.listen("127.0.0.1:0");
  const channel = createChannel(`127.0.0.1:${port}`);
  try {
    const inFlight = channel.unary(TestService.methods.unary, { text: "wait" });
    await within(started);
    let shutDown = false;
    const shutdown = server.shutdown().then(() => {
      shutDown = true;
    });
    // New calls fail: the listener is closed and the connection is going away.
    const fresh = createChannel(`127.0.0.1:${port}`);
    const refused = (await within(rejection(fresh.unary(TestService.methods.unary, { text: "new" })))) as GrpcError;
    fresh.close();
    expect(refused.code).toBe(Status.UNAVAILABLE);
    expect(shutDown).toBe(false);
    release();
    expect((await within(inFlight)).text).toBe("done wait");
    await within(shutdown);
    expect(shutDown).toBe(true);
  } finally {
    channel.close();
    server.forceShutdown();
  }
});

test("forceShutdown(): in-flight calls are cancelled, handlers see CANCELLED, sessions close", async () => {
  const { handlers, started } = gatedHandlers();
  const server = createServer();
  server.add(TestService, handlers);
  const port = await server.listen("127.0.0.1:0");
  const channel = createChannel(`127.0.0.1:${port}`);
  try {
    const inFlight = channel.unary(TestService.methods.unary, { text: "wait" });
    const ctx = await within(started);
    const shutdown = server.shutdown(); // resolves once everything is closed
    server.forceShutdown();
    const error = (await within(rejection(inFlight))) as GrpcError;
    expect([Status.CANCELLED, Status.UNAVAILABLE]).toContain(error.code);
    expect(await within(aborted(ctx.signal))).toMatchObject({ code: Status.CANCELLED });
    await within(shutdown);
  } finally {
    channel.close();
  }
});

test("the channel reconnects after the server restarted on the same port", async () => {
  const first = createServer();
  first.add(TestService, { unary: () => echo("first") });
  const port = await first.listen("127.0.0.1:0");
  const channel = createChannel(`127.0.0.1:${port}`);
  let second: ReturnType<typeof createServer> | undefined;
  try {
    expect((await within(channel.unary(TestService.methods.unary, {}))).text).toBe("first");
    await within(first.shutdown()); // GOAWAY: the channel drops that connection
    second = createServer();
    second.add(TestService, { unary: () => echo("second") });
    await second.listen(`127.0.0.1:${port}`);
    expect((await within(channel.unary(TestService.methods.unary, {}))).text).toBe("second");
  } finally {
    channel.close();
    first.forceShutdown();
    second?.forceShutdown();
    await second?.shutdown();
  }
});

test("channel.close(): calls in flight finish, new calls fail with UNAVAILABLE", async () => {
  const { handlers, started, release } = gatedHandlers();
  const server = createServer();
  server.add(TestService, handlers);
  const port = await server.listen("127.0.0.1:0");
  const channel = createChannel(`127.0.0.1:${port}`);
  try {
    const inFlight = channel.unary(TestService.methods.unary, { text: "wait" });
    await within(started);
    channel.close();
    const error = (await within(rejection(channel.unary(TestService.methods.unary, {})))) as GrpcError;
    expect(error.code).toBe(Status.UNAVAILABLE);
    expect(error.details).toBe("channel closed");
    release();
    expect((await within(inFlight)).text).toBe("done wait");
  } finally {
    channel.close();
    server.forceShutdown();
    await within(server.shutdown());
  }
});

describe("waitForReady", () => {
  test("without a server: fails fast by default, waits until the deadline with waitForReady", async () => {
    const probe = createServer();
    const port = await probe.listen("127.0.0.1:0");
    await probe.shutdown();
    const channel = createChannel(`127.0.0.1:${port}`);
    try {
      expect(await within(rejection(channel.unary(TestService.methods.unary, {})))).toMatchObject({ code: Status.UNAVAILABLE });
      const waited = (await within(
        rejection(channel.unary(TestService.methods.unary, {}, { waitForReady: true, timeout: 300 })),
      )) as GrpcError;
      expect(waited.code).toBe(Status.DEADLINE_EXCEEDED);
    } finally {
      channel.close();
    }
  });

  test("a waitForReady call goes through once the server comes up", async () => {
    const probe = createServer();
    const port = await probe.listen("127.0.0.1:0");
    await probe.shutdown();
    const channel = createChannel(`127.0.0.1:${port}`);
    const server = createServer();
    server.add(TestService, { unary: () => echo("finally") });
    try {
      // The first (fail-fast) call fails: the channel is now backing off.
      expect(await within(rejection(channel.unary(TestService.methods.unary, {})))).toMatchObject({ code: Status.UNAVAILABLE });
      const waiting = channel.unary(TestService.methods.unary, {}, { waitForReady: true, timeout: 10_000 });
      await server.listen(`127.0.0.1:${port}`);
      expect((await within(waiting, 10_000)).text).toBe("finally"); // after one backoff (~1 s)
    } finally {
      channel.close();
      server.forceShutdown();
      await within(server.shutdown());
    }
  });

  test("a waiting call can be cancelled, and channel.close() fails waiting calls", async () => {
    const probe = createServer();
    const port = await probe.listen("127.0.0.1:0");
    await probe.shutdown();
    const channel = createChannel(`127.0.0.1:${port}`, { waitForReady: true });
    try {
      const controller = new AbortController();
      const cancelled = channel.unary(TestService.methods.unary, {}, { signal: controller.signal });
      const closed = channel.unary(TestService.methods.unary, {});
      controller.abort();
      expect(await within(rejection(cancelled))).toMatchObject({ code: Status.CANCELLED });
      channel.close();
      expect(await within(rejection(closed))).toMatchObject({ code: Status.UNAVAILABLE, details: "channel closed" });
    } finally {
      channel.close();
    }
  });
});
