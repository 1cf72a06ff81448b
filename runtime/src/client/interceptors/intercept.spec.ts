// intercept() over a fake Channel that records what reaches it: what the
// innermost `next` passes on, how the outermost adapter settles, and what the
// decorator delegates. The same behaviour over HTTP/2 is in
// test/grpc/interceptors.spec.ts.
import { GrpcError } from "../../grpc/grpc-error.js";
import { Metadata } from "../../grpc/metadata.js";
import type { MethodDefinition, MethodKind } from "../../grpc/service.js";
import { Status } from "../../grpc/status.js";
import type { RequestStream } from "../call.js";
import type { CallOptions } from "../call-options.js";
import type { Channel } from "../channel.js";
import { ConnectivityState } from "../connectivity.js";
import { intercept } from "./intercept.js";
import type { ClientCallInfo, ClientInterceptor, ClientNext } from "./interceptor.js";
import { respondWith } from "./response.js";
import type { PartialMessage } from "../../message/types.js";

interface Text {
  text: string;
}

const Text = {
  typeName: "test.Text",
  encode: (m: Partial<Text>) => new TextEncoder().encode(m.text ?? ""),
  decode: (bytes: Uint8Array): Text => ({ text: new TextDecoder().decode(bytes) }),
  create: (init?: Partial<Text>): Text => ({ text: init?.text ?? "" }),
};

function method(kind: MethodKind): MethodDefinition<Text, Text> {
  return { name: kind, localName: kind, path: `/test.Fake/${kind}`, kind, input: Text, output: Text };
}
const unary = method("unary");
const serverStreaming = method("server_streaming");
const clientStreaming = method("client_streaming");
const bidi = method("bidi_streaming");

interface Recorded {
  readonly kind: string;
  readonly requests: Text[];
  readonly options: CallOptions | undefined;
}

/** A channel that answers each request with its text reversed, and calls the hooks a server's response would. */
class FakeChannel implements Channel {
  readonly target = "fake:///";
  readonly calls: Recorded[] = [];
  closed = false;
  headers: Metadata | undefined = new Metadata({ "x-h": "1" });
  trailers = new Metadata({ "x-t": "2" });
  failWith: GrpcError | undefined;

  getState(tryToConnect?: boolean): ConnectivityState {
    return tryToConnect === true ? ConnectivityState.CONNECTING : ConnectivityState.IDLE;
  }
  watchState(): Promise<boolean> {
    return Promise.resolve(true);
  }
  async *states(): AsyncIterable<ConnectivityState> {
    yield ConnectivityState.IDLE;
  }
  waitForReady(): Promise<void> {
    return Promise.resolve();
  }
  close(): void {
    this.closed = true;
  }
  unary<I, O>(_: MethodDefinition<I, O>, request: PartialMessage<I>, options?: CallOptions): Promise<O> {
    return this.answer("unary", [request], options).then((all) => all[0] as O);
  }
  serverStream<I, O>(_: MethodDefinition<I, O>, request: PartialMessage<I>, options?: CallOptions): AsyncIterable<O> {
    return this.stream(this.answer("serverStream", [request], options));
  }
  clientStream<I, O>(_: MethodDefinition<I, O>, requests: RequestStream<I>, options?: CallOptions): Promise<O> {
    return this.collect(requests).then((all) => this.answer<I, O>("clientStream", all, options)).then((all) => all[0] as O);
  }
  bidiStream<I, O>(_: MethodDefinition<I, O>, requests: RequestStream<I>, options?: CallOptions): AsyncIterable<O> {
    return this.stream(this.collect(requests).then((all) => this.answer<I, O>("bidiStream", all, options)));
  }

  private async collect<I>(requests: RequestStream<I>): Promise<PartialMessage<I>[]> {
    const out: PartialMessage<I>[] = [];
    for await (const r of requests) out.push(r);
    return out;
  }
  private async answer<I, O>(kind: string, requests: PartialMessage<I>[], options: CallOptions | undefined): Promise<O[]> {
    await Promise.resolve();
    this.calls.push({ kind, requests: requests as unknown as Text[], options });
    if (this.headers !== undefined) options?.onHeader?.(this.headers);
    options?.onTrailer?.(this.failWith?.metadata ?? this.trailers);
    if (this.failWith !== undefined) throw this.failWith;
    return requests.map((r) => ({ text: [...(r as unknown as Text).text].reverse().join("") }) as O);
  }
  private async *stream<O>(all: Promise<O[]>): AsyncGenerator<O> {
    yield* await all;
  }
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<GrpcError> {
  try {
    await promise;
  } catch (e) {
    return e as GrpcError;
  }
  throw new Error("expected a rejection");
}

const passThrough: ClientInterceptor = (call, next) => next(call);

describe("intercept", () => {
  test("with no interceptors, the channel itself", () => {
    const channel = new FakeChannel();
    expect(intercept(channel)).toBe(channel);
  });

  test("state, readiness, target and close are the wrapped channel's", async () => {
    const inner = new FakeChannel();
    const channel = intercept(inner, passThrough);
    expect(channel.target).toBe("fake:///");
    expect(channel.getState(true)).toBe(ConnectivityState.CONNECTING);
    expect(await channel.watchState(ConnectivityState.IDLE)).toBe(true);
    expect(await collect(channel.states())).toEqual([ConnectivityState.IDLE]);
    await channel.waitForReady();
    channel.close();
    expect(inner.closed).toBe(true);
  });

  test("intercepting an intercepted channel adds the new interceptors outside", async () => {
    const log: string[] = [];
    const named = (name: string): ClientInterceptor => (call, next) => {
      log.push(name);
      return next(call);
    };
    const channel = intercept(intercept(intercept(new FakeChannel(), named("c")), named("a"), named("b")));
    await channel.unary(unary, { text: "x" });
    expect(log).toEqual(["a", "b", "c"]);
  });

  test("the innermost next passes metadata and options, but not the caller's hooks", async () => {
    const inner = new FakeChannel();
    const signal = new AbortController().signal;
    const onHeader = jest.fn();
    const channel = intercept(inner, (call, next) => {
      expect(call.options).toEqual({ signal, timeout: 5 });
      call.metadata.set("x-b", "2");
      return next({ ...call, options: { ...call.options, metadata: { "x-c": "3" } } });
    });
    await channel.unary(unary, { text: "ab" }, { signal, timeout: 5, metadata: { "x-a": "1" }, onHeader });
    const options = inner.calls[0]!.options!;
    expect(options.signal).toBe(signal);
    expect(options.timeout).toBe(5);
    expect([...(options.metadata as Metadata)]).toEqual([["x-a", "1"], ["x-b", "2"], ["x-c", "3"]]);
    expect(options.onHeader).not.toBe(onHeader);
    expect(onHeader).toHaveBeenCalledTimes(1);
  });

  test("all four kinds reach the channel's method for their kind", async () => {
    const inner = new FakeChannel();
    const channel = intercept(inner, passThrough);
    expect(await channel.unary(unary, { text: "ab" })).toEqual({ text: "ba" });
    expect(await collect(channel.serverStream(serverStreaming, { text: "cd" }))).toEqual([{ text: "dc" }]);
    expect(await channel.clientStream(clientStreaming, [{ text: "e" }, { text: "f" }])).toEqual({ text: "e" });
    expect(await collect(channel.bidiStream(bidi, [{ text: "gh" }, { text: "ij" }]))).toEqual([{ text: "hg" }, { text: "ji" }]);
    expect(inner.calls.map((c) => c.kind)).toEqual(["unary", "serverStream", "clientStream", "bidiStream"]);
  });

  test("a stream call starts when made, not when its responses are read", async () => {
    const started: string[] = [];
    const channel = intercept(new FakeChannel(), (call, next) => {
      started.push(call.method.kind);
      return next(call);
    });
    const responses = channel.bidiStream(bidi, [{ text: "a" }]);
    expect(started).toEqual(["bidi_streaming"]);
    expect(await collect(responses)).toEqual([{ text: "a" }]);
  });

  test.each([
    ["none", []],
    ["more than one", [{ text: "a" }, { text: "b" }]],
  ])("a unary call given %s requests by the interceptors fails with INTERNAL", async (_, requests) => {
    const inner = new FakeChannel();
    const channel = intercept(inner, <I, O>(call: ClientCallInfo<I, O>, next: ClientNext<I, O>) =>
      next({ ...call, requests: requests as unknown as PartialMessage<I>[] }));
    const error = await rejection(channel.unary(unary, { text: "x" }));
    expect(error.code).toBe(Status.INTERNAL);
    expect(error.details).toMatch(/^unary method \/test.Fake\/unary takes exactly one request, the interceptors gave/);
    expect(inner.calls).toEqual([]);
  });

  test("one request from an async iterable an interceptor put in place of the array", async () => {
    const inner = new FakeChannel();
    const channel = intercept(inner, async (call, next) => {
      const requests = (async function* () {
        for await (const r of call.requests) yield { ...r, text: `${(r as unknown as Text).text}!` };
      })();
      return next({ ...call, requests });
    });
    expect(await collect(channel.serverStream(serverStreaming, { text: "ab" }))).toEqual([{ text: "!ba" }]);
  });

  test.each([
    ["no", [], /no response/],
    ["two", [{ text: "a" }, { text: "b" }], /more than one response/],
  ])("a single-response call given %s responses by the interceptors fails with INTERNAL", async (_, messages, details) => {
    const channel = intercept(new FakeChannel(), async <I, O>() => respondWith(messages as O[]));
    const error = await rejection(channel.unary(unary, { text: "x" }));
    expect(error.code).toBe(Status.INTERNAL);
    expect(error.details).toMatch(details);
  });

  test("the caller's onHeader and onTrailer run once per call, with what the chain returns", async () => {
    const inner = new FakeChannel();
    const headers: Metadata[] = [];
    const trailers: Metadata[] = [];
    const twice: ClientInterceptor = async (call, next) => {
      await collect((await next(call)).messages);
      return next(call);
    };
    const channel = intercept(inner, twice);
    await collect(channel.serverStream(serverStreaming, { text: "x" }, { onHeader: (md) => headers.push(md), onTrailer: (md) => trailers.push(md) }));
    expect(inner.calls.length).toBe(2);
    expect(headers.map((md) => md.get("x-h"))).toEqual(["1"]);
    expect(trailers.map((md) => md.get("x-t"))).toEqual(["2"]);
  });

  test("no onHeader when the response had no headers (Trailers-Only), as on a plain channel", async () => {
    const inner = new FakeChannel();
    inner.headers = undefined;
    inner.failWith = new GrpcError(Status.NOT_FOUND, "gone", { metadata: { "x-t": "3" } });
    const onHeader = jest.fn();
    const trailers: Metadata[] = [];
    const channel = intercept(inner, passThrough);
    const error = await rejection(channel.unary(unary, { text: "x" }, { onHeader, onTrailer: (md) => trailers.push(md) }));
    expect(error).toBe(inner.failWith);
    expect(onHeader).not.toHaveBeenCalled();
    expect(trailers.map((md) => md.get("x-t"))).toEqual(["3"]);
  });

  test("an onHeader that throws cancels the call with that error", async () => {
    const channel = intercept(new FakeChannel(), passThrough);
    const onTrailer = jest.fn();
    const error = await rejection(
      collect(
        channel.bidiStream(bidi, [{ text: "x" }], {
          onHeader: () => {
            throw new Error("bad header");
          },
          onTrailer,
        }),
      ),
    );
    expect([error.code, error.details]).toEqual([Status.CANCELLED, "bad header"]);
    expect(onTrailer).not.toHaveBeenCalled();
  });

  test("an onTrailer that throws fails a call that succeeded", async () => {
    const channel = intercept(new FakeChannel(), passThrough);
    const error = await rejection(
      channel.unary(unary, { text: "x" }, {
        onTrailer: () => {
          throw new Error("bad trailer");
        },
      }),
    );
    expect([error.code, error.details]).toEqual([Status.CANCELLED, "bad trailer"]);
  });

  test("the error from reading the messages settles the call, whatever the status says", async () => {
    const channel = intercept(new FakeChannel(), async (call, next) => {
      const response = await next(call);
      return {
        ...response,
        messages: (async function* () {
          yield* response.messages;
          throw new GrpcError(Status.DATA_LOSS, "truncated");
        })(),
      };
    });
    expect((await rejection(collect(channel.serverStream(serverStreaming, { text: "x" })))).code).toBe(Status.DATA_LOSS);
  });

  test("a stream never read leaves no unhandled rejection", async () => {
    const channel = intercept(new FakeChannel(), () => Promise.reject(new Error("refused")));
    channel.serverStream(serverStreaming, { text: "x" });
    // An unhandled rejection would fail the test run; give it the turns it needs to surface.
    await new Promise((resolve) => setImmediate(resolve));
  });
});
