// What only the in-memory channel has: its connectivity, the server it
// borrows (no listen(), shutdown), bounded buffering both ways, and the peer
// and auth a handler sees.
import { ConnectivityState } from "../client/connectivity.js";
import { GrpcError } from "../grpc/grpc-error.js";
import { Status } from "../grpc/status.js";
import type { Server } from "../server/server.js";
import { createServer } from "../server/server.js";
import type { ServerContext } from "../server/context.js";
import { aborted, collect, deferred, type Echo, rejection, type TestHandlers, TestService, within } from "../../test/grpc/fixtures.js";
import { createInMemoryChannel } from "./channel.js";
import { MAX_IN_FLIGHT } from "./stream.js";

const { unary, serverStream, clientStream, bidi } = TestService.methods;

const servers: Server[] = [];

function serve(handlers: TestHandlers, onError: (e: unknown) => void = () => {}): Server {
  const server = createServer({ onError }).add(TestService, handlers);
  servers.push(server);
  return server;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.forceShutdown();
    await within(server.shutdown());
  }
});

/** The most messages either lane of a call may hold: what is in flight plus a full MessageQueue (16) and the one that paused it. */
const BUFFER_BOUND = MAX_IN_FLIGHT + 16 + 1;

describe("connectivity", () => {
  test("READY from the start; close() makes it SHUTDOWN, wakes watchers and ends states()", async () => {
    const channel = createInMemoryChannel(serve({ unary: () => ({}) }));
    expect(channel.target).toBe("in-memory");
    expect(channel.getState()).toBe(ConnectivityState.READY);
    expect(channel.getState(true)).toBe(ConnectivityState.READY);
    await within(channel.waitForReady(Date.now() + 1_000));
    expect(await channel.watchState(ConnectivityState.READY, Date.now() + 10)).toBe(false);
    const states = collect(channel.states());
    const changed = channel.watchState(ConnectivityState.READY);
    channel.close();
    expect(await within(changed)).toBe(true);
    expect(await within(states)).toEqual([ConnectivityState.READY, ConnectivityState.SHUTDOWN]);
    expect(channel.getState()).toBe(ConnectivityState.SHUTDOWN);
    await expect(channel.waitForReady()).rejects.toMatchObject({ code: Status.UNAVAILABLE, details: "channel closed" });
  });

  test("after close() new calls fail with UNAVAILABLE; a call in flight completes", async () => {
    const release = deferred();
    const started = deferred();
    const channel = createInMemoryChannel(
      serve({
        async unary(req) {
          started.resolve();
          await release.promise;
          return req;
        },
      }),
    );
    const inFlight = channel.unary(unary, { text: "kept" });
    await within(started.promise);
    channel.close();
    await expect(channel.unary(unary, {})).rejects.toMatchObject({ code: Status.UNAVAILABLE, details: "channel closed" });
    await expect(collect(channel.serverStream(serverStream, {}))).rejects.toMatchObject({ code: Status.UNAVAILABLE });
    release.resolve();
    expect(await within(inFlight)).toMatchObject({ text: "kept" });
  });
});

describe("the server", () => {
  test("needs no listen(), and takes no new calls once shut down", async () => {
    const server = serve({ unary: (req) => req });
    const channel = createInMemoryChannel(server);
    expect(await channel.unary(unary, { count: 3 })).toMatchObject({ count: 3 });
    await within(server.shutdown());
    await expect(channel.unary(unary, {})).rejects.toMatchObject({ code: Status.UNAVAILABLE, details: "server is shutting down" });
    channel.close();
  });

  test("forceShutdown() cancels calls in flight: the client sees the reset, the handler's signal aborts", async () => {
    const reason = deferred<unknown>();
    const server = serve({
      async *serverStream(_req, ctx) {
        yield { count: 1 };
        reason.resolve(await aborted(ctx.signal));
      },
    });
    const channel = createInMemoryChannel(server);
    const responses = channel.serverStream(serverStream, {})[Symbol.asyncIterator]();
    expect((await responses.next()).value).toMatchObject({ count: 1 });
    server.forceShutdown();
    await expect(responses.next()).rejects.toMatchObject({
      code: Status.CANCELLED,
      details: "stream reset by the server with HTTP/2 error code 8",
    });
    expect(await within(reason.promise)).toMatchObject({ code: Status.CANCELLED, details: "server shut down" });
    channel.close();
  });

  test("only servers made by createServer() are accepted", () => {
    const fake = { add() {}, listen: async () => 0, shutdown: async () => {}, forceShutdown() {} } as unknown as Server;
    expect(() => createInMemoryChannel(fake)).toThrow(new TypeError("expected a Server made by createServer()"));
  });
});

test("the handler's peer is in-memory, and so is its transport security", async () => {
  let seen: Pick<ServerContext, "peer" | "auth"> | undefined;
  const channel = createInMemoryChannel(
    serve({
      unary(_req, ctx) {
        seen = { peer: ctx.peer, auth: ctx.auth };
        return {};
      },
    }),
  );
  await channel.unary(unary, {});
  expect(seen).toEqual({ peer: "in-memory", auth: { transportSecurity: "in-memory", peerCertificate: undefined } });
  channel.close();
});

describe("backpressure: a side that stops reading stops the other, with a bounded buffer between", () => {
  test("a streaming handler waits while the client does not read; breaking out cancels it", async () => {
    let produced = 0;
    const ended = deferred<unknown>();
    const channel = createInMemoryChannel(
      serve({
        *serverStream(_req, ctx) {
          // A sync generator without end: only flow control makes dispatch wait.
          try {
            for (;;) {
              produced++;
              yield { count: produced };
            }
          } finally {
            ended.resolve(ctx.signal.reason);
          }
        },
      }),
    );
    const responses = channel.serverStream(serverStream, {})[Symbol.asyncIterator]();
    expect((await responses.next()).value).toMatchObject({ count: 1 });
    // Let every delivery and wake-up that can happen, happen.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(produced).toBeGreaterThan(1);
    expect(produced).toBeLessThanOrEqual(BUFFER_BOUND + 1);
    await responses.return!();
    expect(await within(ended.promise)).toMatchObject({ code: Status.CANCELLED, details: "call cancelled by the client" });
    channel.close();
  });

  test("a client-streaming request producer waits while the handler does not read", async () => {
    let produced = 0;
    const read = deferred();
    const release = deferred();
    const channel = createInMemoryChannel(
      serve({
        async clientStream(reqs) {
          const iterator = reqs[Symbol.asyncIterator]();
          await iterator.next();
          read.resolve();
          await release.promise;
          let count = 1;
          while (!(await iterator.next()).done) count++;
          return { count };
        },
      }),
    );
    function* requests(): Generator<Partial<Echo>> {
      while (produced < 1_000) {
        produced++;
        yield { count: produced };
      }
    }
    const response = channel.clientStream(clientStream, requests());
    await within(read.promise);
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(produced).toBeLessThanOrEqual(BUFFER_BOUND + 2);
    release.resolve();
    expect(await within(response)).toMatchObject({ count: 1_000 });
    channel.close();
  });

  test("a bidi handler that stops reading requests keeps taking them (dropped), as over HTTP/2", async () => {
    const channel = createInMemoryChannel(
      serve({
        async *bidi(reqs) {
          for await (const r of reqs) {
            yield r;
            break;
          }
          yield { text: "done" };
        },
      }),
    );
    function* many(): Generator<Partial<Echo>> {
      for (let i = 0; i < 200; i++) yield { count: i };
    }
    const responses = await within(collect(channel.bidiStream(bidi, many())));
    expect(responses.map((r) => r.text || r.count)).toEqual([0, "done"]);
    channel.close();
  });
});

test("a throwing onHeader hook cancels the call with its error, and the handler sees the cancel", async () => {
  const reason = deferred<unknown>();
  const channel = createInMemoryChannel(
    serve({
      async *serverStream(_req, ctx) {
        ctx.sendHeader({ "x-a": "1" });
        reason.resolve(await aborted(ctx.signal));
      },
    }),
  );
  const error = await rejection(
    collect(
      channel.serverStream(serverStream, {}, {
        onHeader() {
          throw new Error("hook failed");
        },
      }),
    ),
  );
  expect(error).toBeInstanceOf(GrpcError);
  expect(error).toMatchObject({ code: Status.CANCELLED, details: "hook failed" });
  expect(await within(reason.promise)).toMatchObject({ code: Status.CANCELLED });
  channel.close();
});

test("calls with deadlines leave no timers behind, whichever way they end", async () => {
  const started = deferred();
  const channel = createInMemoryChannel(
    serve({
      unary: (req) => req,
      async *serverStream(_req, ctx) {
        started.resolve();
        yield { count: 1 };
        await aborted(ctx.signal);
      },
    }),
  );
  const set = jest.spyOn(globalThis, "setTimeout");
  const clear = jest.spyOn(globalThis, "clearTimeout");
  try {
    await channel.unary(unary, { text: "ok" }, { timeout: 60_000 });
    const responses = channel.serverStream(serverStream, {}, { timeout: 60_000 })[Symbol.asyncIterator]();
    await responses.next();
    await within(started.promise);
    await responses.return!();
    await expect(channel.unary(unary, {}, { timeout: 60_000, signal: AbortSignal.abort() })).rejects.toMatchObject({ code: Status.CANCELLED });
    // The server side ends when the client's reset reaches it, a microtask later.
    await new Promise((resolve) => setImmediate(resolve));
    const created = set.mock.results.map((r) => r.value as unknown);
    const cleared = new Set(clear.mock.calls.map(([handle]) => handle as unknown));
    // A deadline timer on each side of the two calls that started (and `within`'s); none still pending.
    expect(created.length).toBeGreaterThanOrEqual(4);
    expect(created.filter((handle) => !cleared.has(handle))).toEqual([]);
  } finally {
    set.mockRestore();
    clear.mockRestore();
    channel.close();
  }
});
