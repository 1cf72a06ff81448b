// The client interceptor contract (DESIGN.md "Interceptors"). One shape for
// the four call kinds: a call is a stream of requests in and a stream of
// responses out; unary is the case of one each. Interceptors wrap any Channel
// (HTTP/2, in-memory, fetch), so the channel's own call path pays nothing
// when none are set.
import type { GrpcError } from "../../grpc/grpc-error.js";
import type { Metadata } from "../../grpc/metadata.js";
import type { MethodDefinition } from "../../grpc/service.js";
import type { PartialMessage } from "../../message/types.js";
import type { CallOptions } from "../call-options.js";

/** What an interceptor sees of a call before it starts, and passes (changed or not) to `next`. */
export interface ClientCallInfo<I, O> {
  readonly method: MethodDefinition<I, O>;
  /**
   * The request metadata: a fresh object per call, so an interceptor may
   * change it in place. `options.metadata` is already merged into it.
   */
  readonly metadata: Metadata;
  /**
   * Deadline, signal, compression, waitForReady…; replace with `{ ...call.options, … }`.
   * Without `metadata` (it is in `call.metadata`; metadata set here is sent too) and
   * without the caller's `onHeader`/`onTrailer`, which run once, outside the chain.
   */
  readonly options: CallOptions;
  /**
   * The requests. For unary and server-streaming calls an array of exactly
   * one message, so that `next` can be called more than once (a retry);
   * a streaming call's iterable can be consumed once.
   */
  readonly requests: AsyncIterable<PartialMessage<I>> | Iterable<PartialMessage<I>>;
}

/** How a call ended, as the client saw it. */
export interface ClientCallStatus {
  /** null when the call succeeded. */
  readonly error: GrpcError | null;
  /** The trailers (for a failed call also in `error.metadata`). */
  readonly trailers: Metadata;
}

/** The response side of a call. */
export interface ClientResponse<O> {
  /** The response headers; empty when the server answered with trailers only or the call failed first. Never rejects. */
  readonly headers: Promise<Metadata>;
  /** The responses; iteration throws the call's GrpcError when it fails. Read at most once. */
  readonly messages: AsyncIterable<O>;
  /** Settles (never rejects) once the call has ended, after `messages` is done. */
  readonly status: Promise<ClientCallStatus>;
}

/** The rest of the chain: the next interceptor, or the channel itself. */
export type ClientNext<I, O> = (call: ClientCallInfo<I, O>) => Promise<ClientResponse<O>>;

/**
 * Runs around every call of a channel or client. Added first = outermost: it
 * sees the call first and its response last. Throwing (or rejecting) fails
 * the call: a GrpcError as it is, anything else as UNKNOWN.
 */
export type ClientInterceptor = <I, O>(call: ClientCallInfo<I, O>, next: ClientNext<I, O>) => Promise<ClientResponse<O>>;
