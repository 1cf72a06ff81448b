// The server interceptor contract (DESIGN.md "Interceptors"): the same idea as
// the client's, around handlers. Every kind is a stream of requests in and a
// stream of responses out, so an async generator interceptor covers all four:
//
//   const timing: ServerInterceptor = async function* (call, next) {
//     const start = performance.now();
//     try { yield* next(call); } finally { record(call.method.path, performance.now() - start); }
//   };
//
// Interceptors are composed with the handler when it is added, so a server
// without them calls handlers directly.
import type { MethodDefinition } from "../../grpc/service.js";
import type { ServerContext } from "../context.js";

export interface ServerCallInfo<I, O> {
  readonly method: MethodDefinition<I, O>;
  /** The handler's context: metadata, deadline, signal, peer, auth, sendHeader, setTrailer. */
  readonly context: ServerContext;
  /** The requests; one message for unary and server-streaming methods. Replace to observe or rewrite them. */
  readonly requests: AsyncIterable<I>;
}

/** The rest of the chain: the next interceptor, or the handler. */
export type ServerNext<I, O> = (call: ServerCallInfo<I, O>) => AsyncIterable<O>;

/**
 * Runs around every handler of a server. Added first = outermost. Throwing
 * (before or while yielding) ends the call with that status: a GrpcError as
 * it is, anything else as UNKNOWN (and reported to `onError`).
 */
export type ServerInterceptor = <I, O>(call: ServerCallInfo<I, O>, next: ServerNext<I, O>) => AsyncIterable<O>;
