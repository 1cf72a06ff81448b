// Client and server interceptors end to end, over a real HTTP/2 connection:
// order, metadata and message rewriting in all four kinds, short-circuits,
// a retrying interceptor, headers and trailers, rejection before the handler,
// errors becoming statuses, cancellation and deadlines through the chain.
import {
  type Channel,
  type ClientCallInfo,
  type ClientInterceptor,
  type ClientNext,
  type ClientResponse,
  createChannel,
  createClient,
  intercept,
  respondWith,
} from "../../src/client/index.js";
import { GrpcError, Metadata, Status } from "../../src/grpc/index.js";
import type { ServerContext, ServerInterceptor } from "../../src/server/index.js";
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
