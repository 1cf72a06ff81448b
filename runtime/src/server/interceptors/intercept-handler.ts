// Composes a server's interceptors with one handler, once, when the handler is
// added. The result is an ordinary route handler, so the call engine
// (server-call.ts, dispatch.ts) does not know interceptors exist: a
// single-response route gets a Promise of exactly one message, a streaming
// route an AsyncIterable.
import { GrpcError } from "../../grpc/grpc-error.js";
import { isRequestStream, isResponseStream, type MethodDefinition } from "../../grpc/service.js";
import { Status } from "../../grpc/status.js";
import type { ServerContext } from "../context.js";
import type { ServerCallInfo, ServerInterceptor, ServerNext } from "./interceptor.js";

/** A route's handler: a request (or the request stream) and the context in; a response, a Promise of one, or a stream out. */
export type RouteHandler = (input: unknown, context: ServerContext) => unknown;

/** `handler` inside `interceptors`, the first outermost. */
export function interceptHandler(
  method: MethodDefinition<unknown, unknown>,
  handler: RouteHandler,
  interceptors: readonly ServerInterceptor[],
): RouteHandler {
  const requestStream = isRequestStream(method.kind);
  const responseStream = isResponseStream(method.kind);
  let chain: ServerNext<unknown, unknown> = (call) => callHandler(handler, call, requestStream, responseStream);
  for (let i = interceptors.length - 1; i >= 0; i--) {
    const interceptor = interceptors[i]!;
    const next = chain;
    chain = (call) => interceptor(call, next);
  }
  const run = chain;
  return (input, context) => {
    const requests = requestStream ? (input as AsyncIterable<unknown>) : new OneRequest(input);
    const responses = run({ method, context, requests });
    return responseStream ? responses : onlyResponse(responses, method);
  };
}

/** The end of the chain: the handler, with the request stream or its one request, as one response stream. */
async function* callHandler(
  handler: RouteHandler,
  call: ServerCallInfo<unknown, unknown>,
  requestStream: boolean,
  responseStream: boolean,
): AsyncGenerator<unknown, void, undefined> {
  const input = requestStream ? call.requests : await oneRequest(call);
  const output = handler(input, call.context);
  if (!responseStream) {
    yield await output;
    return;
  }
  if (output === null || typeof output !== "object" || !(Symbol.asyncIterator in output || Symbol.iterator in output)) {
    throw new TypeError("a streaming handler must return an AsyncIterable or an Iterable");
  }
  yield* output as AsyncIterable<unknown> | Iterable<unknown>;
}

/** The request of a unary or server-streaming call as a stream of one: what interceptors see. */
class OneRequest<I> implements AsyncIterable<I> {
  constructor(readonly value: I) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<I, void, undefined> {
    yield this.value;
  }
}

/** Exactly one request from a stream an interceptor may have replaced. */
async function oneRequest(call: ServerCallInfo<unknown, unknown>): Promise<unknown> {
  const requests = call.requests;
  if (requests instanceof OneRequest) return requests.value;
  let request: unknown;
  let count = 0;
  for await (const message of requests) {
    if (count++ === 0) request = message;
    else break;
  }
  if (count !== 1) {
    throw new GrpcError(Status.INTERNAL, `protocol error: the interceptors gave ${count === 0 ? "no request" : "more than one request"} to ${call.method.path}`);
  }
  return request;
}

/**
 * The response of a unary or client-streaming call: the one message the chain
 * yields. It is read to its end, so interceptors' `finally` blocks (timing,
 * logging) run before the response is sent.
 */
async function onlyResponse(responses: AsyncIterable<unknown>, method: MethodDefinition<unknown, unknown>): Promise<unknown> {
  const iterator = responses[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done === true) throw new GrpcError(Status.INTERNAL, `protocol error: the interceptors gave no response to ${method.path}`);
  const second = await iterator.next();
  if (second.done !== true) {
    await iterator.return?.();
    throw new GrpcError(Status.INTERNAL, `protocol error: the interceptors gave more than one response to ${method.path}`);
  }
  return first.value;
}
