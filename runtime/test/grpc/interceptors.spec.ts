// Client and server interceptors end to end, over a real HTTP/2 connection:
// order, metadata and message rewriting in all four kinds, short-circuits,
// a retrying interceptor, headers and trailers, rejection before the handler,
// errors becoming statuses, cancellation and deadlines through the chain.
import { AsyncLocalStorage } from "node:async_hooks";
import {
  type Channel,
  type ClientCallInfo,
  type ClientInterceptor,
  type ClientNext,
  type ClientResponse,
  ConnectivityState,
  createChannel,
  createClient,
  intercept,
  respondWith,
} from "../../src/client/index.js";
import { GrpcError, Metadata, Status } from "../../src/grpc/index.js";
import type { ServerCallInfo, ServerContext, ServerInterceptor, ServerNext } from "../../src/server/index.js";
import { aborted, collect, deferred, type Echo, fromArray, type Harness, rejection, startHarness, TestService, within } from "./fixtures.js";

const { unary, serverStream, clientStream, bidi } = TestService.methods;
const empty = new Uint8Array(0);
const echo = (text: string, count = 0): Echo => ({ text, data: empty, count });

/** Echoes each request's text with the request's `x-tag` header appended; counts what reached it. */
function echoHandlers(seen: string[] = []) {
  const tag = (ctx: ServerContext): string => (ctx.metadata.get("x-tag") as string | undefined) ?? "";
  return {
    unary(req: Echo, ctx: ServerContext): Echo {
      seen.push(`unary:${req.text}`);
      return echo(`${req.text}${tag(ctx)}`, req.count);
    },
    async *serverStream(req: Echo, ctx: ServerContext): AsyncGenerator<Echo> {
      seen.push(`serverStream:${req.text}`);
      for (let i = 0; i < req.count; i++) yield echo(`${req.text}${i}${tag(ctx)}`, i);
    },
    async clientStream(reqs: AsyncIterable<Echo>, ctx: ServerContext): Promise<Echo> {
      const texts: string[] = [];
      for await (const r of reqs) texts.push(r.text);
      seen.push(`clientStream:${texts.join(",")}`);
      return echo(`${texts.join(",")}${tag(ctx)}`, texts.length);
    },
    async *bidi(reqs: AsyncIterable<Echo>, ctx: ServerContext): AsyncGenerator<Echo> {
      for await (const r of reqs) {
        seen.push(`bidi:${r.text}`);
        yield echo(`${r.text}${tag(ctx)}`, r.count);
      }
    },
  };
}

/** Appends `suffix` to every response's text. */
function suffixResponses(suffix: string): ClientInterceptor {
  return async (call, next) => {
    const response = await next(call);
    return { ...response, messages: mapMessages(response.messages, (m) => ({ ...(m as Echo), text: `${(m as Echo).text}${suffix}` }) as typeof m) };
  };
}

async function* mapMessages<T>(source: AsyncIterable<T>, f: (value: T) => T): AsyncGenerator<T> {
  for await (const value of source) yield f(value);
}

describe("client interceptors", () => {
  let h: Harness;
  const seen: string[] = [];
  beforeAll(async () => {
    h = await startHarness(echoHandlers(seen));
  });
  afterAll(() => h.close());
  beforeEach(() => (seen.length = 0));

  test("run in order, first added outermost: requests in, responses out", async () => {
    const log: string[] = [];
    const logging = (name: string): ClientInterceptor => async (call, next) => {
      log.push(`${name} call`);
      const response = await next(call);
      log.push(`${name} response`);
      return response;
    };
    const channel = intercept(h.channel, logging("a"), logging("b"), suffixResponses("1"), suffixResponses("2"));
    const reply = await within(channel.unary(unary, { text: "x" }));
    expect(log).toEqual(["a call", "b call", "b response", "a response"]);
    expect(reply.text).toBe("x21"); // the innermost ("2") changes the response first
  });

  test("metadata added by an interceptor reaches the server in all four kinds", async () => {
    const channel = intercept(h.channel, async (call, next) => {
      call.metadata.set("x-tag", "!");
      return next(call);
    });
    expect((await within(channel.unary(unary, { text: "u" }))).text).toBe("u!");
    expect((await within(collect(channel.serverStream(serverStream, { text: "s", count: 2 })))).map((m) => m.text)).toEqual(["s0!", "s1!"]);
    expect((await within(channel.clientStream(clientStream, fromArray([{ text: "a" }, { text: "b" }])))).text).toBe("a,b!");
    expect((await within(collect(channel.bidiStream(bidi, [{ text: "p" }, { text: "q" }])))).map((m) => m.text)).toEqual(["p!", "q!"]);
  });

  test("call.metadata holds options.metadata, fresh for each call", async () => {
    const metadatas: Metadata[] = [];
    const shared = new Metadata({ "x-tag": "?" });
    const channel = intercept(h.channel, async (call, next) => {
      metadatas.push(call.metadata);
      expect(call.metadata.get("x-tag")).toBe("?");
      call.metadata.append("x-extra", "1");
      return next(call);
    });
    await within(channel.unary(unary, { text: "a" }, { metadata: shared }));
    await within(channel.unary(unary, { text: "b" }, { metadata: shared }));
    expect(metadatas[0]).not.toBe(metadatas[1]);
    expect(metadatas[0]).not.toBe(shared);
    expect(shared.has("x-extra")).toBe(false);
  });

  test("requests and responses are rewritten in all four kinds", async () => {
    const upper: ClientInterceptor = async (call, next) => {
      const requests = (async function* () {
        for await (const r of call.requests) yield { ...r, text: String((r as Partial<Echo>).text).toUpperCase() } as typeof r;
      })();
      return next({ ...call, requests });
    };
    const channel = intercept(h.channel, suffixResponses("<"), upper);
    expect((await within(channel.unary(unary, { text: "u" }))).text).toBe("U<");
    expect((await within(collect(channel.serverStream(serverStream, { text: "s", count: 2 })))).map((m) => m.text)).toEqual(["S0<", "S1<"]);
    expect((await within(channel.clientStream(clientStream, [{ text: "a" }, { text: "b" }]))).text).toBe("A,B<");
    expect((await within(collect(channel.bidiStream(bidi, fromArray([{ text: "p" }]))))).map((m) => m.text)).toEqual(["P<"]);
    expect(seen).toEqual(["unary:U", "serverStream:S", "clientStream:A,B", "bidi:P"]);
  });

  test("a short-circuit with a response makes no call", async () => {
    const cached: ClientInterceptor = async <I, O>() => respondWith([echo("cached") as O], { headers: { "x-h": "1" }, trailers: { "x-t": "2" } });
    const channel = intercept(h.channel, cached);
    const headers: Metadata[] = [];
    const trailers: Metadata[] = [];
    const reply = await within(
      channel.unary(unary, { text: "x" }, { onHeader: (md) => headers.push(md), onTrailer: (md) => trailers.push(md) }),
    );
    expect(reply.text).toBe("cached");
    expect(headers.map((md) => md.get("x-h"))).toEqual(["1"]);
    expect(trailers.map((md) => md.get("x-t"))).toEqual(["2"]);
    expect((await within(collect(channel.bidiStream(bidi, [{ text: "y" }])))).map((m) => m.text)).toEqual(["cached"]);
    expect(seen).toEqual([]);
  });

  test("a short-circuit with a GrpcError fails the call without a network call", async () => {
    const deny: ClientInterceptor = async () => {
      throw new GrpcError(Status.PERMISSION_DENIED, "not you", { metadata: { "x-why": "policy" } });
    };
    const channel = intercept(h.channel, deny);
    const error = (await rejection(channel.unary(unary, { text: "x" }))) as GrpcError;
    expect(error).toBeInstanceOf(GrpcError);
    expect(error.code).toBe(Status.PERMISSION_DENIED);
    expect(error.metadata.get("x-why")).toBe("policy");
    const streamError = (await rejection(collect(channel.serverStream(serverStream, { text: "s", count: 1 })))) as GrpcError;
    expect(streamError.code).toBe(Status.PERMISSION_DENIED);
    expect(seen).toEqual([]);
  });

  test("errors thrown inside an interceptor become statuses: UNKNOWN unless a GrpcError", async () => {
    const boom = new Error("boom");
    const channel = intercept(h.channel, () => {
      throw boom; // synchronously, not even a rejected promise
    });
    const error = (await rejection(channel.unary(unary, { text: "x" }))) as GrpcError;
    expect(error.code).toBe(Status.UNKNOWN);
    expect(error.details).toBe("boom");
    expect(error.cause).toBe(boom);
    const seenByOuter: unknown[] = [];
    const outer: ClientInterceptor = async (call, next) => {
      try {
        return await next(call);
      } catch (e) {
        seenByOuter.push(e);
        throw e;
      }
    };
    const failingMessages: ClientInterceptor = async (call, next) => {
      const response = await next(call);
      return {
        ...response,
        messages: (async function* () {
          yield* response.messages;
          throw new RangeError("late");
        })(),
      };
    };
    await rejection(intercept(h.channel, outer, () => Promise.reject(new TypeError("inner"))).unary(unary, { text: "x" }));
    expect(seenByOuter[0]).toBeInstanceOf(GrpcError);
    const late = (await rejection(collect(intercept(h.channel, failingMessages).serverStream(serverStream, { text: "s", count: 1 })))) as GrpcError;
    expect(late.code).toBe(Status.UNKNOWN);
    expect(late.details).toBe("late");
  });

  test("a retrying interceptor calls next again after UNAVAILABLE", async () => {
    let attempts = 0;
    const flaky = await startHarness({
      unary(req: Echo, ctx: ServerContext): Echo {
        attempts++;
        if (attempts === 1) throw new GrpcError(Status.UNAVAILABLE, "try again");
        return echo(`${req.text} on attempt ${attempts} with ${ctx.metadata.get("x-attempt") as string}`);
      },
    });
    try {
      const retry: ClientInterceptor = async <I, O>(call: ClientCallInfo<I, O>, next: ClientNext<I, O>): Promise<ClientResponse<O>> => {
        for (let attempt = 1; ; attempt++) {
          call.metadata.set("x-attempt", String(attempt));
          const response = await next(call);
          // Buffer the (single) response to see whether the attempt failed before committing to it.
          const messages: O[] = [];
          try {
            for await (const m of response.messages) messages.push(m);
          } catch (e) {
            if (e instanceof GrpcError && e.code === Status.UNAVAILABLE && attempt < 3) continue;
            throw e;
          }
          const { trailers } = await response.status;
          return respondWith(messages, { headers: await response.headers, trailers });
        }
      };
      const reply = await within(intercept(flaky.channel, retry).unary(unary, { text: "r" }));
      expect(reply.text).toBe("r on attempt 2 with 2");
      expect(attempts).toBe(2);
    } finally {
      await flaky.close();
    }
  });
});

describe("client interceptors: headers, trailers, cancellation, clients", () => {
  let h: Harness;
  const cancelled: string[] = [];
  const started = { unary: deferred(), serverStream: deferred() };
  beforeAll(async () => {
    h = await startHarness({
      unary(req: Echo, ctx: ServerContext): Promise<Echo> | Echo {
        if (req.text === "hang") {
          started.unary.resolve();
          return aborted(ctx.signal).then((reason) => {
            cancelled.push(`unary:${(reason as GrpcError).code}`);
            return echo("too late");
          });
        }
        if (req.text === "fail") throw new GrpcError(Status.NOT_FOUND, "no such thing", { metadata: { "x-t": "failed" } });
        ctx.sendHeader({ "x-h": "head" });
        ctx.setTrailer({ "x-t": "tail" });
        return echo(req.text);
      },
      async *serverStream(req: Echo, ctx: ServerContext): AsyncGenerator<Echo> {
        try {
          for (let i = 0; ; i++) {
            yield echo(`${req.text}${i}`, i);
            if (i === 1) started.serverStream.resolve();
            await new Promise((resolve) => setImmediate(resolve));
          }
        } finally {
          if (ctx.signal.aborted) cancelled.push(`serverStream:${(ctx.signal.reason as GrpcError).code}`);
        }
      },
    });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    cancelled.length = 0;
    started.unary = deferred();
    started.serverStream = deferred();
  });

  test("an interceptor reads response headers and trailers; the caller's hooks run once", async () => {
    const observed: string[] = [];
    const observe: ClientInterceptor = async (call, next) => {
      const response = await next(call);
      void response.headers.then((md) => observed.push(`headers ${md.get("x-h") as string}`));
      void response.status.then(({ error, trailers }) => observed.push(`status ${error?.code ?? "OK"} ${trailers.get("x-t") as string}`));
      return response;
    };
    const channel = intercept(h.channel, observe, observe);
    const headers: Metadata[] = [];
    const trailers: Metadata[] = [];
    const options = { onHeader: (md: Metadata) => headers.push(md), onTrailer: (md: Metadata) => trailers.push(md) };
    await within(channel.unary(unary, { text: "ok" }, options));
    expect(observed).toEqual(["headers head", "headers head", "status OK tail", "status OK tail"]);
    expect(headers.map((md) => md.get("x-h"))).toEqual(["head"]);
    expect(trailers.map((md) => md.get("x-t"))).toEqual(["tail"]);

    observed.length = headers.length = trailers.length = 0;
    const error = (await rejection(channel.unary(unary, { text: "fail" }, options))) as GrpcError;
    expect(error.code).toBe(Status.NOT_FOUND);
    // Trailers-Only: the interceptors see empty headers.
    expect(observed.sort()).toEqual(["headers undefined", "headers undefined", `status ${Status.NOT_FOUND} failed`, `status ${Status.NOT_FOUND} failed`]);
    // A Trailers-Only response has no headers: onHeader is not called, as without interceptors.
    expect(headers).toEqual([]);
    expect(trailers.map((md) => md.get("x-t"))).toEqual(["failed"]);
  });

  test("hooks are called as a plain channel calls them", async () => {
    for (const channel of [h.channel, intercept(h.channel, (call, next) => next(call))]) {
      const events: string[] = [];
      const options = { onHeader: () => events.push("header"), onTrailer: () => events.push("trailer") };
      await within(channel.unary(unary, { text: "ok" }, options));
      await rejection(channel.unary(unary, { text: "fail" }, options));
      await within(collect(channel.serverStream(serverStream, { text: "s" }, { ...options, signal: AbortSignal.abort() })).catch(() => events.push("aborted")));
      expect(events).toEqual(["header", "trailer", "trailer", "aborted"]);
    }
  });

  test("an aborted signal cancels the call under the chain: the server sees the cancel", async () => {
    const channel = intercept(h.channel, suffixResponses("!"), (call, next) => next(call));
    const controller = new AbortController();
    const call = channel.unary(unary, { text: "hang" }, { signal: controller.signal });
    await within(started.unary.promise, 5_000, "the handler to start");
    controller.abort();
    expect(((await rejection(call)) as GrpcError).code).toBe(Status.CANCELLED);
    await within(
      (async () => {
        while (cancelled.length === 0) await new Promise((resolve) => setImmediate(resolve));
      })(),
      5_000,
      "the server to see the cancel",
    );
    expect(cancelled).toEqual([`unary:${Status.CANCELLED}`]);
  });

  test("a deadline goes through the chain to the server", async () => {
    const channel = intercept(h.channel, (call, next) => next({ ...call, options: { ...call.options, timeout: 50 } }));
    const error = (await rejection(channel.unary(unary, { text: "hang" }))) as GrpcError;
    expect(error.code).toBe(Status.DEADLINE_EXCEEDED);
    await within(
      (async () => {
        while (cancelled.length === 0) await new Promise((resolve) => setImmediate(resolve));
      })(),
      5_000,
      "the server to see the deadline",
    );
    // The client's own deadline timer resets the stream when it fires, racing the server's timer: either is the deadline seen.
    expect(cancelled).toHaveLength(1);
    expect([`unary:${Status.DEADLINE_EXCEEDED}`, `unary:${Status.CANCELLED}`]).toContain(cancelled[0]);
  });

  test("leaving a response stream early cancels the call under the chain", async () => {
    const channel = intercept(h.channel, suffixResponses("!"));
    const texts: string[] = [];
    for await (const reply of channel.serverStream(serverStream, { text: "s" })) {
      texts.push(reply.text);
      if (texts.length === 2) break;
    }
    expect(texts).toEqual(["s0!", "s1!"]);
    await within(
      (async () => {
        while (cancelled.length === 0) await new Promise((resolve) => setImmediate(resolve));
      })(),
      5_000,
      "the server to see the cancel",
    );
    expect(cancelled).toEqual([`serverStream:${Status.CANCELLED}`]);
  });

  test("createClient and ChannelOptions.interceptors: the same chain, set on a channel or on a client", async () => {
    const seen: string[] = [];
    const tagging: ClientInterceptor = async (call, next) => {
      seen.push(`${call.method.path} ${(call.metadata.get("x-default") as string | undefined) ?? "-"}`);
      return next(call);
    };
    const client = createClient(TestService, intercept(h.channel, tagging), { metadata: { "x-default": "1" } });
    expect((await within(client.unary({ text: "c" }))).text).toBe("c");
    const channel: Channel = createChannel(h.address, { interceptors: [tagging] });
    try {
      expect((await within(createClient(TestService, channel).unary({ text: "d" }))).text).toBe("d");
      // State, readiness and close are the wrapped channel's.
      await within(channel.waitForReady(Date.now() + 5_000));
      expect(channel.getState()).toBe(ConnectivityState.READY);
      expect(channel.target).toBe(h.address);
    } finally {
      channel.close();
    }
    expect(seen).toEqual([`${unary.path} 1`, `${unary.path} -`]);
  });
});

describe("server interceptors", () => {
  test("run in order around the handler, first added outermost", async () => {
    const log: string[] = [];
    const around = (name: string): ServerInterceptor =>
      async function* (call, next) {
        log.push(`${name} in`);
        try {
          yield* next(call);
        } finally {
          log.push(`${name} out`);
        }
      };
    const h = await startHarness(
      {
        unary(req: Echo): Echo {
          log.push("handler");
          return req;
        },
      },
      { interceptors: [around("a"), around("b")] },
    );
    try {
      await within(h.channel.unary(unary, { text: "x" }));
      expect(log).toEqual(["a in", "b in", "handler", "b out", "a out"]);
    } finally {
      await h.close();
    }
  });

  test("rewrite requests and responses in all four kinds", async () => {
    const rewrite: ServerInterceptor = async function* <I, O>(call: ServerCallInfo<I, O>, next: ServerNext<I, O>) {
      const requests = (async function* () {
        for await (const r of call.requests) yield { ...(r as Echo), text: `<${(r as Echo).text}` } as I;
      })();
      for await (const response of next({ ...call, requests })) yield { ...(response as Echo), text: `${(response as Echo).text}>` } as O;
    };
    const seen: string[] = [];
    const h = await startHarness(echoHandlers(seen), { interceptors: [rewrite] });
    try {
      expect((await within(h.channel.unary(unary, { text: "u" }))).text).toBe("<u>");
      expect((await within(collect(h.channel.serverStream(serverStream, { text: "s", count: 2 })))).map((m) => m.text)).toEqual(["<s0>", "<s1>"]);
      expect((await within(h.channel.clientStream(clientStream, [{ text: "a" }, { text: "b" }]))).text).toBe("<a,<b>");
      expect((await within(collect(h.channel.bidiStream(bidi, [{ text: "p" }])))).map((m) => m.text)).toEqual(["<p>"]);
      expect(seen).toEqual(["unary:<u", "serverStream:<s", "clientStream:<a,<b", "bidi:<p"]);
    } finally {
      await h.close();
    }
  });

  test("reject before the handler runs: the handler is not invoked, the client gets UNAUTHENTICATED", async () => {
    const requireToken: ServerInterceptor = (call, next) => {
      if (call.context.metadata.get("authorization") !== "Bearer secret") throw new GrpcError(Status.UNAUTHENTICATED, "missing or wrong token");
      return next(call);
    };
    const seen: string[] = [];
    const h = await startHarness(echoHandlers(seen), { interceptors: [requireToken] });
    try {
      for (const call of [
        h.channel.unary(unary, { text: "u" }),
        collect(h.channel.serverStream(serverStream, { text: "s", count: 1 })),
        h.channel.clientStream(clientStream, [{ text: "c" }]),
        collect(h.channel.bidiStream(bidi, [{ text: "b" }])),
      ]) {
        expect(((await rejection(call)) as GrpcError).code).toBe(Status.UNAUTHENTICATED);
      }
      expect(seen).toEqual([]);
      const authorized = { metadata: { authorization: "Bearer secret" } };
      expect((await within(h.channel.unary(unary, { text: "u" }, authorized))).text).toBe("u");
      expect(seen).toEqual(["unary:u"]);
    } finally {
      await h.close();
    }
  });

  test("errors thrown inside an interceptor become statuses: GrpcError as is, others UNKNOWN and onError", async () => {
    const reported: unknown[] = [];
    const failAt: ServerInterceptor = async function* (call, next) {
      const where = call.context.metadata.get("x-fail");
      if (where === "before") throw new Error("before the handler");
      if (where === "grpc") throw new GrpcError(Status.FAILED_PRECONDITION, "not now");
      let n = 0;
      for await (const response of next(call)) {
        if (where === "while" && n++ === 1) throw new Error("while yielding");
        yield response;
      }
    };
    const h = await startHarness(echoHandlers(), { interceptors: [failAt], onError: (e) => reported.push(e) });
    try {
      const fail = (where: string) => ({ metadata: { "x-fail": where } });
      const before = (await rejection(h.channel.unary(unary, { text: "u" }, fail("before")))) as GrpcError;
      expect([before.code, before.details]).toEqual([Status.UNKNOWN, "unknown error"]);
      const grpc = (await rejection(h.channel.clientStream(clientStream, [{ text: "c" }], fail("grpc")))) as GrpcError;
      expect([grpc.code, grpc.details]).toEqual([Status.FAILED_PRECONDITION, "not now"]);
      const received: string[] = [];
      const whileError = (await rejection(
        (async () => {
          for await (const m of h.channel.serverStream(serverStream, { text: "s", count: 3 }, fail("while"))) received.push(m.text);
        })(),
      )) as GrpcError;
      expect(whileError.code).toBe(Status.UNKNOWN);
      expect(received).toEqual(["s0"]);
      expect(reported.map((e) => (e as Error).message)).toEqual(["before the handler", "while yielding"]);
    } finally {
      await h.close();
    }
  });

  test("an interceptor adds trailers and maps the handler's errors", async () => {
    const mapErrors: ServerInterceptor = async function* (call, next) {
      call.context.setTrailer({ "x-served-by": "interceptor" });
      try {
        yield* next(call);
      } catch (e) {
        if (e instanceof GrpcError) throw e;
        throw new GrpcError(Status.INVALID_ARGUMENT, (e as Error).message);
      }
    };
    const h = await startHarness(
      {
        unary(req: Echo): Echo {
          if (req.text === "bad") throw new RangeError("text out of range");
          return req;
        },
      },
      { interceptors: [mapErrors] },
    );
    try {
      const trailers: Metadata[] = [];
      await within(h.channel.unary(unary, { text: "ok" }, { onTrailer: (md) => trailers.push(md) }));
      expect(trailers[0]!.get("x-served-by")).toBe("interceptor");
      const error = (await rejection(h.channel.unary(unary, { text: "bad" }))) as GrpcError;
      expect([error.code, error.details]).toEqual([Status.INVALID_ARGUMENT, "text out of range"]);
      expect(error.metadata.get("x-served-by")).toBe("interceptor");
    } finally {
      await h.close();
    }
  });

  test("a single-response method needs exactly one response from the chain", async () => {
    const repeat: ServerInterceptor = async function* (call, next) {
      const times = Number(call.context.metadata.get("x-times"));
      for await (const response of next(call)) for (let i = 0; i < times; i++) yield response;
    };
    const h = await startHarness(echoHandlers(), { interceptors: [repeat] });
    try {
      for (const times of ["0", "2"]) {
        const error = (await rejection(h.channel.unary(unary, { text: "u" }, { metadata: { "x-times": times } }))) as GrpcError;
        expect(error.code).toBe(Status.INTERNAL);
        expect(error.details).toMatch(/^protocol error: the interceptors gave (no|more than one) response to \/test.TestService\/Unary$/);
      }
      expect((await within(h.channel.unary(unary, { text: "u" }, { metadata: { "x-times": "1" } }))).text).toBe("u");
    } finally {
      await h.close();
    }
  });

  test("a client's cancel reaches the interceptors: signal aborted, streams closed", async () => {
    const events: string[] = [];
    const handlerStarted = deferred();
    const watch: ServerInterceptor = async function* (call, next) {
      try {
        yield* next(call);
      } finally {
        events.push(`finally ${call.context.signal.aborted ? (call.context.signal.reason as GrpcError).code : "running"}`);
      }
    };
    const h = await startHarness(
      {
        async *bidi(_reqs: AsyncIterable<Echo>, ctx: ServerContext): AsyncGenerator<Echo> {
          yield echo("first");
          handlerStarted.resolve();
          await aborted(ctx.signal);
        },
      },
      { interceptors: [watch] },
    );
    try {
      const controller = new AbortController();
      const requests = (async function* () {
        yield echo("one");
        await aborted(controller.signal);
      })();
      const call = collect(h.channel.bidiStream(bidi, requests, { signal: controller.signal }));
      await within(handlerStarted.promise, 5_000, "the handler to start");
      controller.abort();
      expect(((await rejection(call)) as GrpcError).code).toBe(Status.CANCELLED);
      await within(
        (async () => {
          while (events.length === 0) await new Promise((resolve) => setImmediate(resolve));
        })(),
        5_000,
        "the interceptor to finish",
      );
      expect(events).toEqual([`finally ${Status.CANCELLED}`]);
    } finally {
      await h.close();
    }
  });
});

// What a tracing package relies on (docs/interceptors.md): the async context of
// the caller reaches the client chain, and a server interceptor can make its
// own context the handler's.
describe("async context through the chains", () => {
  test("a client interceptor runs in the caller's async context", async () => {
    const storage = new AsyncLocalStorage<string>();
    const h = await startHarness(echoHandlers());
    try {
      const seen: (string | undefined)[] = [];
      const channel = intercept(h.channel, (call, next) => {
        seen.push(storage.getStore());
        return next(call);
      });
      await storage.run("caller", () => within(channel.unary(unary, { text: "x" })));
      await storage.run("streaming caller", () => within(collect(channel.bidiStream(bidi, [{ text: "y" }]))));
      expect(seen).toEqual(["caller", "streaming caller"]);
    } finally {
      await h.close();
    }
  });

  test("a server interceptor that steps the chain inside its context gives it to the handler", async () => {
    const storage = new AsyncLocalStorage<string>();
    const inSpan: ServerInterceptor = async function* (call, next) {
      const name = `span for ${call.method.name}`;
      const responses = storage.run(name, () => next(call)[Symbol.asyncIterator]());
      try {
        for (;;) {
          const step = await storage.run(name, () => responses.next());
          if (step.done === true) break;
          yield step.value;
        }
      } finally {
        await responses.return?.();
      }
    };
    const seen: (string | undefined)[] = [];
    const h = await startHarness(
      {
        async unary(req: Echo): Promise<Echo> {
          seen.push(storage.getStore());
          await new Promise((resolve) => setImmediate(resolve));
          seen.push(storage.getStore());
          return req;
        },
        async *bidi(reqs: AsyncIterable<Echo>): AsyncGenerator<Echo> {
          seen.push(storage.getStore());
          for await (const r of reqs) {
            await new Promise((resolve) => setImmediate(resolve));
            seen.push(storage.getStore());
            yield r;
          }
        },
      },
      { interceptors: [inSpan] },
    );
    try {
      await within(h.channel.unary(unary, { text: "x" }));
      await within(collect(h.channel.bidiStream(bidi, fromArray([{ text: "a" }, { text: "b" }]))));
      expect(seen).toEqual(["span for Unary", "span for Unary", "span for Bidi", "span for Bidi", "span for Bidi"]);
    } finally {
      await h.close();
    }
  });
});
