// Deadlines: the client's timer and grpc-timeout, the server's ctx.deadline,
// signal and DEADLINE_EXCEEDED answer, and propagation through a handler that
// calls another service.
import { getEventListeners } from "node:events";
import { createChannel } from "../../src/client/index.js";
import { GrpcError, Status } from "../../src/grpc/index.js";
import type { ServerContext } from "../../src/server/index.js";
import {
  aborted,
  collect,
  deferred,
  type Echo,
  rejection,
  startHarness,
  TestService,
  within,
} from "./fixtures.js";
import { frame, grpcStatusOf, rawClient, rawServer } from "./raw-http2.js";

const empty = new Uint8Array(0);
const echo = (text: string): Echo => ({ text, data: empty, count: 0 });

test("a client timeout gives DEADLINE_EXCEEDED; the handler sees the deadline and its signal aborts", async () => {
  const ctxSeen = deferred<ServerContext>();
  const h = await startHarness({
    async unary(_req, ctx) {
      ctxSeen.resolve(ctx);
      await aborted(ctx.signal);
      return echo("too late");
    },
  });
  try {
    const start = Date.now();
    const error = (await within(rejection(h.channel.unary(TestService.methods.unary, {}, { timeout: 100 })))) as GrpcError;
    expect(error.code).toBe(Status.DEADLINE_EXCEEDED);
    expect(Date.now() - start).toBeGreaterThanOrEqual(95);
    const ctx = await within(ctxSeen.promise);
    expect(ctx.deadline).toBeGreaterThanOrEqual(start + 95);
    expect(ctx.deadline).toBeLessThanOrEqual(start + 150);
    const reason = await within(aborted(ctx.signal));
    expect(reason).toBeInstanceOf(GrpcError);
    expect([Status.DEADLINE_EXCEEDED, Status.CANCELLED]).toContain((reason as GrpcError).code);
  } finally {
    await h.close();
  }
});

test("the server answers DEADLINE_EXCEEDED on its own timer", async () => {
  const reason = deferred<unknown>();
  const h = await startHarness({
    async unary(_req, ctx) {
      reason.resolve(await aborted(ctx.signal));
      return echo("ignored");
    },
  });
  const client = rawClient(h.port);
  try {
    // A raw client never cancels: only the server's timer can end this call.
    const res = await client.call({ ":path": "/test.TestService/Unary", "grpc-timeout": "50m" }, [frame(new Uint8Array(0))]);
    expect(grpcStatusOf(res)).toBe(String(Status.DEADLINE_EXCEEDED));
    expect(await within(reason.promise)).toMatchObject({ code: Status.DEADLINE_EXCEEDED });
  } finally {
    client.close();
    await h.close();
  }
});

test("an absolute deadline (Date) and a deadline in the past", async () => {
  let calls = 0;
  const h = await startHarness({
    async unary(_req, ctx) {
      calls++;
      await aborted(ctx.signal);
      return echo("x");
    },
  });
  try {
    const error = (await within(
      rejection(h.channel.unary(TestService.methods.unary, {}, { deadline: new Date(Date.now() + 50) })),
    )) as GrpcError;
    expect(error.code).toBe(Status.DEADLINE_EXCEEDED);
    const past = (await within(
      rejection(h.channel.unary(TestService.methods.unary, {}, { deadline: Date.now() - 1 })),
    )) as GrpcError;
    expect(past.code).toBe(Status.DEADLINE_EXCEEDED);
    expect(calls).toBe(1); // the expired call never reached the server
  } finally {
    await h.close();
  }
});

test("a stream gets its messages, then DEADLINE_EXCEEDED", async () => {
  const h = await startHarness({
    async *serverStream(_req, ctx) {
      yield echo("first");
      yield echo("second");
      await aborted(ctx.signal);
    },
  });
  try {
    const got: string[] = [];
    const error = await within(
      rejection(
        (async () => {
          for await (const m of h.channel.serverStream(TestService.methods.serverStream, {}, { timeout: 100 })) got.push(m.text);
        })(),
      ),
    );
    expect(got).toEqual(["first", "second"]);
    expect(error).toMatchObject({ code: Status.DEADLINE_EXCEEDED });
  } finally {
    await h.close();
  }
});

test("a call that fails after its deadline reports DEADLINE_EXCEEDED, whatever ended the stream", async () => {
  const server = await rawServer((stream) =>
    stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "10" }, { endStream: true }),
  );
  const channel = createChannel(`127.0.0.1:${server.port}`);
  try {
    await within(rejection(channel.unary(TestService.methods.unary, {}))); // connect first
    const error = (await within(
      rejection(
        channel.unary(TestService.methods.unary, {}, {
          timeout: 30,
          // Hold the event loop past the deadline while the ABORTED status is being delivered.
          onTrailer: () => {
            const until = Date.now() + 60;
            while (Date.now() < until);
          },
        }),
      ),
    )) as GrpcError;
    expect(error.code).toBe(Status.DEADLINE_EXCEEDED);
  } finally {
    channel.close();
    await server.close();
  }
});

test("deadlines beyond 2^31-1 ms work (chained timers), and timers are cleared", async () => {
  const h = await startHarness({ unary: (req, ctx) => echo(String(ctx.deadline! - Date.now() > 2 ** 31)) });
  try {
    const thirtyDays = 30 * 24 * 3600 * 1000;
    const reply = await within(h.channel.unary(TestService.methods.unary, {}, { timeout: thirtyDays }));
    expect(reply.text).toBe("true");
  } finally {
    await h.close();
  }
});

describe("propagation through a handler calling another service", () => {
  test("the deadline propagates, and expiry ends both calls", async () => {
    const innerCtx = deferred<ServerContext>();
    const innerReason = deferred<unknown>();
    const outerCtx = deferred<ServerContext>();
    const h = await startHarness({
      async unary(_req, ctx) {
        outerCtx.resolve(ctx);
        // The outer handler calls the inner one (server streaming) on its behalf.
        const results = await collect(inner.serverStream(TestService.methods.serverStream, {}, { parent: ctx }));
        return echo(String(results.length));
      },
      async *serverStream(_req, ctx) {
        innerCtx.resolve(ctx);
        innerReason.resolve(await aborted(ctx.signal));
      },
    });
    const inner = createChannel(h.address);
    try {
      const error = (await within(rejection(h.channel.unary(TestService.methods.unary, {}, { timeout: 200 })))) as GrpcError;
      expect(error.code).toBe(Status.DEADLINE_EXCEEDED);
      const outer = await within(outerCtx.promise);
      const innerSeen = await within(innerCtx.promise);
      expect(innerSeen.deadline).toBeDefined();
      expect(Math.abs(innerSeen.deadline! - outer.deadline!)).toBeLessThan(50);
      expect(await within(innerReason.promise)).toBeInstanceOf(GrpcError);
    } finally {
      inner.close();
      await h.close();
    }
  });

  test("cancellation propagates: client abort -> outer signal -> inner call -> inner signal", async () => {
    const innerStarted = deferred();
    const innerReason = deferred<unknown>();
    const outerError = deferred<unknown>();
    const h = await startHarness({
      async unary(_req, ctx) {
        try {
          await inner.clientStream(TestService.methods.clientStream, [], { parent: ctx });
        } catch (e) {
          outerError.resolve(e);
          throw e;
        }
        return echo("unreachable");
      },
      async clientStream(_reqs, ctx) {
        innerStarted.resolve();
        innerReason.resolve(await aborted(ctx.signal));
        return echo("inner");
      },
    });
    const inner = createChannel(h.address);
    try {
      const controller = new AbortController();
      const call = h.channel.unary(TestService.methods.unary, {}, { signal: controller.signal });
      await within(innerStarted.promise);
      controller.abort();
      expect(await within(rejection(call))).toMatchObject({ code: Status.CANCELLED });
      expect(await within(outerError.promise)).toMatchObject({ code: Status.CANCELLED });
      expect(await within(innerReason.promise)).toMatchObject({ code: Status.CANCELLED });
    } finally {
      inner.close();
      await h.close();
    }
  });

  test("the parent's listeners are removed when the child call ends", async () => {
    let listenersAfter = -1;
    const h = await startHarness({
      async unary(_req, ctx) {
        await inner.serverStream(TestService.methods.serverStream, {}, { parent: ctx })[Symbol.asyncIterator]().next();
        listenersAfter = getEventListeners(ctx.signal, "abort").length;
        return echo("done");
      },
      async *serverStream() {
        // no messages
      },
    });
    const inner = createChannel(h.address);
    try {
      await within(h.channel.unary(TestService.methods.unary, {}, { timeout: 5_000 }));
      expect(listenersAfter).toBe(0);
    } finally {
      inner.close();
      await h.close();
    }
  });
});
