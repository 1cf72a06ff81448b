// The in-memory channel against the HTTP/2 path: each scenario runs over both
// transports (see in-memory-fixtures.ts), and the outcomes must be equal —
// metadata, response headers and trailers, deadlines, cancellation, errors
// with their status details, limits, compression — and be what gRPC says.
import { GrpcError, type StatusDetail } from "../../src/grpc/index.js";
import { Metadata } from "../../src/grpc/metadata.js";
import { sendUncompressed, wasCompressed } from "../../src/grpc/message-compression.js";
import { Status } from "../../src/grpc/status.js";
import { type Channel, type ClientInterceptor, intercept } from "../../src/client/index.js";
import type { ServerContext, ServerInterceptor } from "../../src/server/index.js";
import { aborted, collect, deferred, type Echo, fromArray, rejection, TestService, within } from "./fixtures.js";
import { onBoth } from "./in-memory-fixtures.js";

const { unary, serverStream, clientStream, bidi } = TestService.methods;

function transportOf(ctx: ServerContext): "http2" | "in-memory" {
  return ctx.peer === "in-memory" ? "in-memory" : "http2";
}

/** What a test compares of a failed call. */
interface Failure {
  readonly code: Status;
  readonly details: string;
  readonly trailers: Record<string, string | string[]>;
  readonly statusDetails: readonly StatusDetail[];
}

function failure(error: unknown): Failure {
  if (!(error instanceof GrpcError)) throw new Error(`expected a GrpcError, got ${String(error)}`);
  return { code: error.code, details: error.details, trailers: error.metadata.toJSON(), statusDetails: error.statusDetails };
}

async function failureOf(call: Promise<unknown>): Promise<Failure> {
  return failure(await rejection(call));
}

/** Metadata as comparable data, without the user-agent (each channel names itself). */
function plain(md: Metadata): Record<string, string | string[]> {
  const copy = md.clone();
  copy.delete("user-agent");
  return copy.toJSON();
}

describe("the in-memory channel behaves as the HTTP/2 path", () => {
  test("unary: the handler gets a decoded copy of the request, the client a decoded copy of the response", async () => {
    const data = Uint8Array.from([1, 2, 3]);
    const request = { text: "hi", data, count: 7 };
    let seen: Echo | undefined;
    const reply = { text: "re", data: Uint8Array.from([9]), count: 1 };
    const results = await onBoth(
      {
        unary(req) {
          seen = req;
          return reply;
        },
      },
      async (channel) => {
        const response = await channel.unary(unary, request);
        // Nothing is shared: both sides work on what the other side's codec produced.
        expect(seen).not.toBe(request);
        expect(seen!.data).not.toBe(data);
        expect(response).not.toBe(reply);
        return { seen, response };
      },
    );
    expect(results["in-memory"]).toEqual(results.http2);
    expect(results.http2).toEqual({ seen: request, response: reply });
  });

  test("the four kinds carry their messages", async () => {
    const results = await onBoth(
      {
        unary: (req) => ({ text: req.text.toUpperCase() }),
        async *serverStream(req) {
          for (let i = 0; i < req.count; i++) yield { count: i };
        },
        async clientStream(reqs) {
          let sum = 0;
          for await (const r of reqs) sum += r.count;
          return { count: sum };
        },
        async *bidi(reqs) {
          for await (const r of reqs) yield { text: `echo ${r.text}` };
        },
      },
      async (channel) => ({
        unary: (await channel.unary(unary, { text: "a" })).text,
        serverStream: (await collect(channel.serverStream(serverStream, { count: 3 }))).map((m) => m.count),
        clientStream: (await channel.clientStream(clientStream, [{ count: 1 }, { count: 2 }, { count: 3 }])).count,
        bidi: (await collect(channel.bidiStream(bidi, fromArray([{ text: "x" }, { text: "y" }])))).map((m) => m.text),
      }),
    );
    expect(results["in-memory"]).toEqual(results.http2);
    expect(results.http2).toEqual({ unary: "A", serverStream: [0, 1, 2], clientStream: 6, bidi: ["echo x", "echo y"] });
  });

  test("request metadata reaches the handler as over HTTP/2: binary values, repeated keys, reserved keys dropped", async () => {
    let userAgent: string | undefined;
    const results = await onBoth(
      {
        unary(_req, ctx) {
          userAgent = ctx.metadata.get("user-agent");
          return { text: JSON.stringify(plain(ctx.metadata)) };
        },
      },
      async (channel) => {
        const metadata = new Metadata()
          .set("x-id", "42")
          .append("x-multi", "a")
          .append("x-multi", "b")
          .set("x-trace-bin", Uint8Array.from([0, 255, 7]))
          .append("x-list-bin", Uint8Array.from([1]))
          .append("x-list-bin", Uint8Array.from([2]))
          // Reserved: the runtime owns them, so neither transport sends them.
          .set("grpc-custom", "no")
          .set("content-type", "text/plain");
        const response = await channel.unary(unary, {}, { metadata });
        return { handlerSaw: JSON.parse(response.text) as unknown, userAgent };
      },
    );
    expect(results["in-memory"].handlerSaw).toEqual(results.http2.handlerSaw);
    expect(results.http2.handlerSaw).toEqual({
      "x-id": "42",
      "x-multi": "a, b", // node:http2 joins repeated fields; the spec calls that equivalent
      "x-trace-bin": "AP8H",
      "x-list-bin": ["AQ", "Ag"],
    });
    expect(results.http2.userAgent).toMatch(/^grpc-node-tsgrpc\//);
    expect(results["in-memory"].userAgent).toMatch(/^grpc-node-tsgrpc\//);
  });

  test("invalid request metadata is a TypeError at the call site", async () => {
    const results = await onBoth({ unary: () => ({}) }, async (channel) => {
      try {
        void channel.unary(unary, {}, { metadata: { "Bad Key": "x" } });
      } catch (e) {
        return e instanceof TypeError ? e.message : `not a TypeError: ${String(e)}`;
      }
      return "no error";
    });
    expect(results["in-memory"]).toEqual(results.http2);
    expect(results.http2).toMatch(/^invalid metadata key "Bad Key"/);
  });

  test("response headers (sendHeader) and trailers (setTrailer) reach onHeader and onTrailer", async () => {
    const handlers = {
      unary(_req: Echo, ctx: ServerContext) {
        ctx.sendHeader({ "x-header": "h", "x-header-bin": Uint8Array.from([1, 2]) });
        ctx.setTrailer({ "x-trailer": "t" });
        return { text: "ok" };
      },
      async *serverStream(_req: Echo, ctx: ServerContext) {
        ctx.setTrailer({ "x-trailer": "stream" });
        yield { count: 1 };
        ctx.setTrailer({ "x-more": "yes" });
      },
    };
    const results = await onBoth(handlers, async (channel) => {
      const seen: Record<string, unknown>[] = [];
      const hooks = {
        onHeader: (md: Metadata) => void seen.push({ header: md.toJSON() }),
        onTrailer: (md: Metadata) => void seen.push({ trailer: md.toJSON() }),
      };
      await channel.unary(unary, {}, hooks);
      await collect(channel.serverStream(serverStream, {}, hooks));
      return seen;
    });
    expect(results["in-memory"]).toEqual(results.http2);
    expect(results.http2).toEqual([
      { header: { "x-header": "h", "x-header-bin": "AQI" } },
      { trailer: { "x-trailer": "t" } },
      { header: {} },
      { trailer: { "x-trailer": "stream", "x-more": "yes" } },
    ]);
  });

  test("a handler's GrpcError arrives with its code, message, trailers and google.rpc.Status details; no headers for Trailers-Only", async () => {
    const details: StatusDetail[] = [
      { typeUrl: "type.googleapis.com/google.rpc.BadRequest", value: Uint8Array.from([10, 3, 1, 2, 3]) },
      { typeUrl: "type.googleapis.com/google.rpc.RetryInfo", value: new Uint8Array(0) },
    ];
    const results = await onBoth(
      {
        unary(_req, ctx) {
          ctx.setTrailer({ "x-from-context": "1" });
          throw new GrpcError(Status.FAILED_PRECONDITION, "not now: 100% ünicode", { metadata: { "x-reason": "busy" }, statusDetails: details });
        },
        async *serverStream() {
          yield { count: 1 };
          throw new GrpcError(Status.ABORTED, "after one");
        },
      },
      async (channel) => {
        let headers = 0;
        const unaryFailure = await failureOf(channel.unary(unary, {}, { onHeader: () => void headers++ }));
        const received: number[] = [];
        const streamFailure = failure(
          await rejection(
            (async () => {
              for await (const m of channel.serverStream(serverStream, {})) received.push(m.count);
            })(),
          ),
        );
        return { unaryFailure, headers, received, streamFailure };
      },
    );
    expect(results["in-memory"]).toEqual(results.http2);
    expect(results.http2).toEqual({
      unaryFailure: {
        code: Status.FAILED_PRECONDITION,
        details: "not now: 100% ünicode",
        trailers: { "x-reason": "busy", "x-from-context": "1" },
        statusDetails: details,
      },
      headers: 0,
      received: [1],
      streamFailure: { code: Status.ABORTED, details: "after one", trailers: {}, statusDetails: [] },
    });
  });

  test("a non-GrpcError becomes UNKNOWN without its message, and goes to onError with the handler's context", async () => {
    const reported: { message: string; method: string }[] = [];
    const onError = (error: unknown, ctx: ServerContext): void => void reported.push({ message: (error as Error).message, method: ctx.method.path });
    const results = await onBoth(
      {
        unary() {
          throw new Error("secret database password");
        },
        async clientStream() {
          await Promise.resolve();
          throw new RangeError("async secret");
        },
      },
      async (channel) => [await failureOf(channel.unary(unary, {})), await failureOf(channel.clientStream(clientStream, []))],
      { onError },
    );
    expect(results["in-memory"]).toEqual(results.http2);
    const unknown = { code: Status.UNKNOWN, details: "unknown error", trailers: {}, statusDetails: [] };
    expect(results.http2).toEqual([unknown, unknown]);
    const once = [
      { message: "secret database password", method: unary.path },
      { message: "async secret", method: clientStream.path },
    ];
    expect(reported).toEqual([...once, ...once]);
  });

  test("unknown methods and methods without a handler are UNIMPLEMENTED", async () => {
    const missing = { ...unary, path: "/test.Nothing/Here" };
    const results = await onBoth({ unary: () => ({}) }, async (channel) => [
      await failureOf(channel.unary(missing, {})),
      await failureOf(channel.clientStream(clientStream, [])),
    ]);
    expect(results["in-memory"]).toEqual(results.http2);
    expect(results.http2.map((f) => [f.code, f.details])).toEqual([
      [Status.UNIMPLEMENTED, "method /test.Nothing/Here is not implemented"],
      [Status.UNIMPLEMENTED, `method ${clientStream.path} is not implemented`],
    ]);
  });

  test("a unary handler that returns nothing answers an empty message", async () => {
    const results = await onBoth({ unary: () => undefined as unknown as Echo }, async (channel) => {
      try {
        return { ok: await channel.unary(unary, { text: "x" }) };
      } catch (e) {
        return { failed: failure(e) };
      }
    });
    expect(results["in-memory"]).toEqual(results.http2);
    expect(results.http2).toEqual({ ok: { text: "", data: new Uint8Array(0), count: 0 } });
  });

  describe("message size limits give RESOURCE_EXHAUSTED on the side that enforces them", () => {
    const big = { data: new Uint8Array(2000) };
    const echo = { unary: (req: Echo) => req, clientStream: async () => big };

    test("client send limit", async () => {
      const results = await onBoth(echo, async (channel) => failureOf(channel.unary(unary, big)), {}, { maxSendMessageSize: 1000 });
      expect(results["in-memory"]).toEqual(results.http2);
      expect(results.http2).toMatchObject({ code: Status.RESOURCE_EXHAUSTED, details: "trying to send message larger than max (2003 vs. 1000)" });
    });

    test("client receive limit", async () => {
      const results = await onBoth(echo, async (channel) => failureOf(channel.clientStream(clientStream, [])), {}, { maxReceiveMessageSize: 1000 });
      expect(results["in-memory"]).toEqual(results.http2);
      expect(results.http2).toMatchObject({ code: Status.RESOURCE_EXHAUSTED, details: "received message larger than max (2003 vs. 1000)" });
    });

    test("server receive limit", async () => {
      const results = await onBoth(echo, async (channel) => failureOf(channel.unary(unary, big)), { maxReceiveMessageSize: 1000 });
      expect(results["in-memory"]).toEqual(results.http2);
      expect(results.http2).toMatchObject({ code: Status.RESOURCE_EXHAUSTED, details: "received message larger than max (2003 vs. 1000)" });
    });

    test("server send limit", async () => {
      const results = await onBoth(echo, async (channel) => failureOf(channel.unary(unary, big)), { maxSendMessageSize: 1000 });
      expect(results["in-memory"]).toEqual(results.http2);
      expect(results.http2).toMatchObject({ code: Status.RESOURCE_EXHAUSTED, details: "trying to send message larger than max (2003 vs. 1000)" });
    });
  });

  test("compression: per call and per message, both ways, as the Compressed-Flag shows", async () => {
    const results = await onBoth(
      {
        async *bidi(reqs, ctx) {
          ctx.setCompression("gzip");
          for await (const r of reqs) {
            yield { text: `${r.text}:${wasCompressed(r)}` };
            yield sendUncompressed({ text: "plain" });
          }
        },
      },
      async (channel) => {
        const requests = [{ text: "a" }, sendUncompressed({ text: "b" })];
        const responses = await collect(channel.bidiStream(bidi, requests, { compression: "deflate" }));
        return responses.map((r) => `${r.text}/${wasCompressed(r)}`);
      },
    );
    expect(results["in-memory"]).toEqual(results.http2);
    expect(results.http2).toEqual(["a:true/true", "plain/false", "b:false/true", "plain/false"]);
  });

  test("a request encoding the server does not accept is UNIMPLEMENTED", async () => {
    const results = await onBoth({ unary: () => ({}) }, async (channel) => failureOf(channel.unary(unary, {}, { compression: "gzip" })), {
      acceptCompression: ["identity"],
    });
    expect(results["in-memory"]).toEqual(results.http2);
    expect(results.http2).toMatchObject({ code: Status.UNIMPLEMENTED, details: 'grpc-encoding "gzip" is not supported' });
  });

  test("client interceptors (option and intercept()) and server interceptors run around the calls", async () => {
    const token: ClientInterceptor = (call, next) => {
      call.metadata.set("authorization", "Bearer secret");
      return next(call);
    };
    const ended: string[] = [];
    const record: ClientInterceptor = async (call, next) => {
      const response = await next(call);
      void response.status.then((s) => ended.push(`${call.method.name} ${s.error?.code ?? Status.OK}`));
      return response;
    };
    const auth: ServerInterceptor = async function* (call, next) {
      if (call.context.metadata.get("authorization") !== "Bearer secret") throw new GrpcError(Status.UNAUTHENTICATED, "no token");
      call.context.setTrailer({ "x-auth": "ok" });
      for await (const response of next(call)) yield response;
    };
    const results = await onBoth(
      {
        unary: (req) => req,
        async *bidi(reqs) {
          for await (const r of reqs) yield { text: r.text.toUpperCase() };
        },
      },
      async (channel) => {
        ended.length = 0;
        const authorized = intercept(channel, token);
        let trailers: Record<string, string | string[]> = {};
        const unaryText = (await authorized.unary(unary, { text: "in" }, { onTrailer: (t) => void (trailers = t.toJSON()) })).text;
        const bidiTexts = (await collect(authorized.bidiStream(bidi, [{ text: "a" }, { text: "b" }]))).map((m) => m.text);
        const rejected = await failureOf(channel.unary(unary, {}));
        return { unaryText, trailers, bidiTexts, rejected, ended: [...ended] };
      },
      { interceptors: [auth] },
      { interceptors: [record] },
    );
    expect(results["in-memory"]).toEqual(results.http2);
    expect(results.http2).toEqual({
      unaryText: "in",
      trailers: { "x-auth": "ok" },
      bidiTexts: ["A", "B"],
      rejected: { code: Status.UNAUTHENTICATED, details: "no token", trailers: {}, statusDetails: [] },
      ended: [`Unary ${Status.OK}`, `Bidi ${Status.OK}`, `Unary ${Status.UNAUTHENTICATED}`],
    });
  });

  describe("deadlines", () => {
    test("the handler sees the deadline; both sides end with DEADLINE_EXCEEDED", async () => {
      const handlerSaw: Record<string, { deadline: number | undefined; reason: unknown }> = {};
      let handlerDone = deferred();
      const results = await onBoth(
        {
          async unary(_req, ctx) {
            const reason = await aborted(ctx.signal);
            handlerSaw[transportOf(ctx)] = { deadline: ctx.deadline, reason };
            handlerDone.resolve();
            return {};
          },
        },
        async (channel) => {
          handlerDone = deferred();
          const deadline = Date.now() + 50;
          const error = await failureOf(channel.unary(unary, {}, { deadline }));
          await within(handlerDone.promise);
          return { error, deadline };
        },
      );
      for (const [transport, { error, deadline }] of Object.entries(results)) {
        expect(error).toMatchObject({ code: Status.DEADLINE_EXCEEDED, details: "deadline exceeded" });
        // grpc-timeout rounds up, never down; the handler's deadline is measured when the headers arrive.
        expect(handlerSaw[transport]!.deadline).toBeGreaterThanOrEqual(deadline);
        expect(handlerSaw[transport]!.deadline).toBeLessThan(deadline + 1_000);
      }
      // Over HTTP/2 the client's reset may reach the handler before the server's own timer fires.
      expect([Status.DEADLINE_EXCEEDED, Status.CANCELLED]).toContain((handlerSaw.http2!.reason as GrpcError).code);
      // In memory the client's reason travels with its reset: the handler sees the deadline.
      expect(handlerSaw["in-memory"]!.reason).toMatchObject({ code: Status.DEADLINE_EXCEEDED });
    });

    test("a deadline already past fails at once, without reaching the handler", async () => {
      let calls = 0;
      const results = await onBoth(
        {
          unary: () => {
            calls++;
            return {};
          },
        },
        async (channel) => failureOf(channel.unary(unary, {}, { deadline: Date.now() - 1 })),
      );
      expect(results["in-memory"]).toEqual(results.http2);
      expect(results.http2).toMatchObject({ code: Status.DEADLINE_EXCEEDED, details: "deadline exceeded" });
      expect(calls).toBe(0);
    });

    test("a stream gets its messages, then DEADLINE_EXCEEDED; parent propagates the deadline", async () => {
      const results = await onBoth(
        {
          async *serverStream(_req, ctx) {
            yield { count: 1 };
            await aborted(ctx.signal);
          },
        },
        async (channel) => {
          const parent = { deadline: Date.now() + 60 };
          const received: number[] = [];
          const error = await rejection(
            (async () => {
              for await (const m of channel.serverStream(serverStream, {}, { parent, timeout: 10_000 })) received.push(m.count);
            })(),
          );
          return { received, error: failure(error) };
        },
      );
      expect(results["in-memory"]).toEqual(results.http2);
      expect(results.http2).toEqual({ received: [1], error: expect.objectContaining({ code: Status.DEADLINE_EXCEEDED }) });
    });
  });

  test("a handler's downstream call with `parent: ctx` inherits its deadline and ends with it", async () => {
    let downstream: Channel | undefined;
    let inner = deferred<{ outerDeadline: number | undefined; error: Failure }>();
    const results = await onBoth(
      {
        async unary(req, ctx) {
          if (req.text === "inner") {
            await aborted(ctx.signal);
            return {};
          }
          const error = await rejection(downstream!.unary(unary, { text: "inner" }, { parent: ctx }));
          inner.resolve({ outerDeadline: ctx.deadline, error: failure(error) });
          throw error; // the usual propagation: the downstream status becomes ours
        },
      },
      async (channel) => {
        downstream = channel;
        inner = deferred();
        const outer = await failureOf(channel.unary(unary, { text: "outer" }, { timeout: 80 }));
        const seen = await within(inner.promise);
        return { outer: outer.code, inner: seen.error.code, hadDeadline: seen.outerDeadline !== undefined };
      },
    );
    expect(results["in-memory"]).toEqual({ outer: Status.DEADLINE_EXCEEDED, inner: Status.DEADLINE_EXCEEDED, hadDeadline: true });
    // Over HTTP/2 the outer client's reset may cancel the handler's context before the inner deadline fires.
    expect(results.http2).toMatchObject({ outer: Status.DEADLINE_EXCEEDED, hadDeadline: true });
    expect([Status.DEADLINE_EXCEEDED, Status.CANCELLED]).toContain(results.http2.inner);
  });

  describe("cancellation", () => {
    test("aborting the signal fails the call with CANCELLED; the handler's signal aborts and its stream stops", async () => {
      let handlerEnded = deferred<unknown>();
      const results = await onBoth(
        {
          async *bidi(reqs, ctx) {
            try {
              for await (const r of reqs) yield r;
            } finally {
              handlerEnded.resolve(ctx.signal.reason);
            }
          },
        },
        async (channel) => {
          handlerEnded = deferred<unknown>();
          const controller = new AbortController();
          const requests = (async function* () {
            yield { text: "one" };
            await aborted(controller.signal);
          })();
          const responses = channel.bidiStream(bidi, requests, { signal: controller.signal })[Symbol.asyncIterator]();
          const first = await responses.next();
          controller.abort();
          const error = failure(await rejection(responses.next()));
          const handlerReason = await within(handlerEnded.promise);
          return { first: first.value?.text, error, handlerReason: failure(handlerReason) };
        },
      );
      expect(results["in-memory"]).toEqual(results.http2);
      expect(results.http2).toEqual({
        first: "one",
        error: { code: Status.CANCELLED, details: "call cancelled", trailers: {}, statusDetails: [] },
        handlerReason: { code: Status.CANCELLED, details: "call cancelled by the client", trailers: {}, statusDetails: [] },
      });
    });

    test("a signal aborted before the call starts fails it without reaching the handler", async () => {
      let calls = 0;
      const results = await onBoth(
        {
          unary: () => {
            calls++;
            return {};
          },
        },
        async (channel) => failureOf(channel.unary(unary, {}, { signal: AbortSignal.abort() })),
      );
      expect(results["in-memory"]).toEqual(results.http2);
      expect(results.http2).toMatchObject({ code: Status.CANCELLED, details: "call cancelled" });
      expect(calls).toBe(0);
    });
  });
});
