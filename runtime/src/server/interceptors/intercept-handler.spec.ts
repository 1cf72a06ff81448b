// interceptHandler() without a network: what the composed route handler
// returns per kind, what interceptors see of the requests, and the protocol
// errors of a chain that breaks the kind's shape. Over HTTP/2:
// test/grpc/interceptors.spec.ts.
import { GrpcError } from "../../grpc/grpc-error.js";
import type { MethodDefinition, MethodKind } from "../../grpc/service.js";
import { Status } from "../../grpc/status.js";
import type { ServerContext } from "../context.js";
import { interceptHandler, type RouteHandler } from "./intercept-handler.js";
import type { ServerInterceptor } from "./interceptor.js";

function method(kind: MethodKind): MethodDefinition<unknown, unknown> {
  const codec = { typeName: "test.Any", encode: () => new Uint8Array(0), decode: () => ({}), create: () => ({}) };
  return { name: kind, localName: kind, path: `/test.Fake/${kind}`, kind, input: codec, output: codec };
}

const context = { metadata: undefined } as unknown as ServerContext;

async function collect(output: unknown): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of output as AsyncIterable<unknown>) out.push(item);
  return out;
}

async function* fromArray(items: unknown[]): AsyncGenerator<unknown> {
  yield* items;
}

const passThrough: ServerInterceptor = (call, next) => next(call);

describe("interceptHandler", () => {
  test("a unary route returns a Promise of the one response; the request is a stream of one", async () => {
    const seenRequests: unknown[][] = [];
    const observe: ServerInterceptor = async function* (call, next) {
      seenRequests.push(await collect(call.requests));
      yield* next(call);
    };
    const handler: RouteHandler = (request, ctx) => {
      expect(ctx).toBe(context);
      return { echoed: request };
    };
    const wrapped = interceptHandler(method("unary"), handler, [observe]);
    const result = wrapped("hello", context);
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toEqual({ echoed: "hello" });
    expect(seenRequests).toEqual([["hello"]]);
  });

  test("streaming routes return an AsyncIterable; handlers may return sync iterables and promises", async () => {
    const serverStreaming = interceptHandler(method("server_streaming"), (request) => [request, request], [passThrough]);
    expect(await collect(serverStreaming("a", context))).toEqual(["a", "a"]);
    const clientStreaming = interceptHandler(method("client_streaming"), async (requests) => (await collect(requests)).join(""), [passThrough]);
    expect(await clientStreaming(fromArray(["a", "b"]), context)).toBe("ab");
    const bidi = interceptHandler(method("bidi_streaming"), (requests) => requests, [passThrough]);
    expect(await collect(bidi(fromArray(["x", "y"]), context))).toEqual(["x", "y"]);
  });

  test("a streaming handler that returns no iterable is a TypeError", async () => {
    const wrapped = interceptHandler(method("bidi_streaming"), () => 42, [passThrough]);
    await expect(collect(wrapped(fromArray([]), context))).rejects.toThrow("a streaming handler must return an AsyncIterable or an Iterable");
  });

  test("first added is outermost; an interceptor may answer without calling next", async () => {
    const log: string[] = [];
    const named = (name: string): ServerInterceptor =>
      async function* (call, next) {
        log.push(name);
        yield* next(call);
      };
    const cached: ServerInterceptor = async function* <I, O>(): AsyncGenerator<O> {
      yield "from cache" as O;
    };
    const handler = jest.fn();
    const wrapped = interceptHandler(method("unary"), handler, [named("a"), named("b"), cached, named("never")]);
    expect(await wrapped("x", context)).toBe("from cache");
    expect(log).toEqual(["a", "b"]);
    expect(handler).not.toHaveBeenCalled();
  });

  test.each([
    ["no request", []],
    ["more than one request", ["a", "b"]],
  ])("a single-request route given %s by the interceptors fails with INTERNAL", async (what, requests) => {
    const replace: ServerInterceptor = (call, next) => next({ ...call, requests: fromArray(requests) as AsyncIterable<never> });
    const handler = jest.fn();
    const wrapped = interceptHandler(method("server_streaming"), handler, [replace]);
    const error = (await collect(wrapped("x", context)).catch((e: unknown) => e)) as GrpcError;
    expect(error).toBeInstanceOf(GrpcError);
    expect([error.code, error.details]).toEqual([Status.INTERNAL, `protocol error: the interceptors gave ${what} to /test.Fake/server_streaming`]);
    expect(handler).not.toHaveBeenCalled();
  });

  test("a single-response route reads the chain to its end, so finally blocks run before the response goes out", async () => {
    const events: string[] = [];
    const timing: ServerInterceptor = async function* (call, next) {
      try {
        yield* next(call);
      } finally {
        events.push("finally");
      }
    };
    const wrapped = interceptHandler(method("client_streaming"), () => "done", [timing]);
    const response = await (wrapped(fromArray([]), context) as Promise<unknown>);
    events.push(`response ${String(response)}`);
    expect(events).toEqual(["finally", "response done"]);
  });

  test("an interceptor that throws synchronously throws from the route handler (the call engine's fail path)", () => {
    const reject: ServerInterceptor = () => {
      throw new GrpcError(Status.UNAUTHENTICATED, "who are you");
    };
    const wrapped = interceptHandler(method("bidi_streaming"), jest.fn(), [reject]);
    expect(() => wrapped(fromArray([]), context)).toThrow("UNAUTHENTICATED: who are you");
  });
});
