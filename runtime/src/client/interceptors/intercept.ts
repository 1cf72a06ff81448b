// intercept(): a Channel decorator that runs a chain of ClientInterceptors
// around every call. The chain is composed once per channel; each call builds
// one ClientCallInfo, runs the chain, and turns the final ClientResponse back
// into what the Channel method returns (a Promise or an AsyncIterable),
// calling the caller's onHeader/onTrailer on the way.
import { GrpcError } from "../../grpc/grpc-error.js";
import { Metadata, toMetadata } from "../../grpc/metadata.js";
import type { MethodDefinition } from "../../grpc/service.js";
import { Status } from "../../grpc/status.js";
import type { PartialMessage } from "../../message/types.js";
import type { RequestStream } from "../call.js";
import type { CallOptions } from "../call-options.js";
import type { Channel } from "../channel.js";
import type { ConnectivityState } from "../connectivity.js";
import { callChannel } from "./channel-next.js";
import type { ClientCallInfo, ClientInterceptor, ClientResponse } from "./interceptor.js";
import { wasReceived } from "./response.js";

/** A composed chain: every interceptor, then the channel. */
type Chain = <I, O>(call: ClientCallInfo<I, O>) => Promise<ClientResponse<O>>;

/**
 * A channel whose calls run through `interceptors`, the first given
 * outermost. The channel's state, `waitForReady` and `close` are the wrapped
 * channel's. Intercepting an intercepted channel adds the new interceptors
 * outside the ones it has. With no interceptors, returns `channel` itself.
 */
export function intercept(channel: Channel, ...interceptors: ClientInterceptor[]): Channel {
  if (interceptors.length === 0) return channel;
  if (channel instanceof InterceptedChannel) {
    return new InterceptedChannel(channel.inner, [...interceptors, ...channel.interceptors]);
  }
  return new InterceptedChannel(channel, interceptors);
}

class InterceptedChannel implements Channel {
  private readonly chain: Chain;

  constructor(
    readonly inner: Channel,
    readonly interceptors: readonly ClientInterceptor[],
  ) {
    let chain = rejectingWithGrpcErrors((call) => callChannel(inner, call));
    for (let i = interceptors.length - 1; i >= 0; i--) {
      const interceptor = interceptors[i]!;
      const next = chain;
      chain = rejectingWithGrpcErrors((call) => interceptor(call, next));
    }
    this.chain = chain;
  }

  get target(): string {
    return this.inner.target;
  }

  getState(tryToConnect?: boolean): ConnectivityState {
    return this.inner.getState(tryToConnect);
  }

  watchState(current: ConnectivityState, deadline?: Date | number): Promise<boolean> {
    return this.inner.watchState(current, deadline);
  }

  states(): AsyncIterable<ConnectivityState> {
    return this.inner.states();
  }

  waitForReady(deadline?: Date | number): Promise<void> {
    return this.inner.waitForReady(deadline);
  }

  close(): void {
    this.inner.close();
  }

  unary<I, O>(method: MethodDefinition<I, O>, request: PartialMessage<I>, options?: CallOptions): Promise<O> {
    return oneResponse(this.start(method, [request], options), options);
  }

  serverStream<I, O>(method: MethodDefinition<I, O>, request: PartialMessage<I>, options?: CallOptions): AsyncIterable<O> {
    return responseStream(this.start(method, [request], options), options);
  }

  clientStream<I, O>(method: MethodDefinition<I, O>, requests: RequestStream<I>, options?: CallOptions): Promise<O> {
    return oneResponse(this.start(method, requests, options), options);
  }

  bidiStream<I, O>(method: MethodDefinition<I, O>, requests: RequestStream<I>, options?: CallOptions): AsyncIterable<O> {
    return responseStream(this.start(method, requests, options), options);
  }

  /** Runs the chain now, as a channel starts its calls when they are made, not when their responses are read. */
  private start<I, O>(method: MethodDefinition<I, O>, requests: RequestStream<I>, options: CallOptions | undefined): Promise<ClientResponse<O>> {
    // The caller's metadata goes into `call.metadata` alone, and its hooks are called by the adapter.
    const { metadata, onHeader: _onHeader, onTrailer: _onTrailer, ...rest } = options ?? {};
    const call: ClientCallInfo<I, O> = { method, metadata: new Metadata(toMetadata(metadata)), options: rest, requests };
    return this.chain(call);
  }
}

/** `step`, throwing (or rejecting with) anything but a GrpcError as UNKNOWN: what every `next` and the adapters see. */
function rejectingWithGrpcErrors(step: Chain): Chain {
  return async (call) => {
    try {
      return await step(call);
    } catch (e) {
      throw GrpcError.from(e);
    }
  };
}

/** The caller's side of a unary or client-streaming call. */
async function oneResponse<O>(started: Promise<ClientResponse<O>>, options: CallOptions | undefined): Promise<O> {
  const response = await started;
  const iterator = response.messages[Symbol.asyncIterator]();
  const headersReported = reportHeaders(response, options, iterator);
  let failure: unknown;
  let result: O | undefined;
  let count = 0;
  for (;;) {
    let next: IteratorResult<O>;
    try {
      next = await iterator.next();
    } catch (e) {
      failure = e;
      break;
    }
    if (count === 0) await headersReported;
    if (next.done === true) break;
    if (count++ > 0) {
      abandon(iterator);
      throw new GrpcError(Status.INTERNAL, "protocol error: the interceptors gave more than one response to a single-response call");
    }
    result = next.value;
  }
  if (count === 0) await headersReported;
  failure = await reportTrailers(response, options, failure);
  if (failure !== undefined) throw GrpcError.from(failure);
  if (count === 0) throw new GrpcError(Status.INTERNAL, "protocol error: the interceptors gave no response to a single-response call");
  return result as O;
}

/** The caller's side of a server-streaming or bidi call. */
function responseStream<O>(started: Promise<ClientResponse<O>>, options: CallOptions | undefined): AsyncIterable<O> {
  started.catch(noop); // seen by the reader; a stream never read must not leave an unhandled rejection
  return (async function* () {
    const response = await started;
    const iterator = response.messages[Symbol.asyncIterator]();
    const headersReported = reportHeaders(response, options, iterator);
    let failure: unknown;
    let ended = false;
    try {
      for (let first = true; ; first = false) {
        let next: IteratorResult<O>;
        try {
          next = await iterator.next();
        } catch (e) {
          failure = e;
          ended = true;
          break;
        }
        if (first) await headersReported;
        if (next.done === true) {
          ended = true;
          break;
        }
        yield next.value;
      }
    } finally {
      if (!ended) abandon(iterator); // the reader left early, or the onHeader hook failed
    }
    await headersReported;
    failure = await reportTrailers(response, options, failure);
    if (failure !== undefined) throw GrpcError.from(failure);
  })();
}

/**
 * Runs the caller's onHeader as soon as the headers come. The returned
 * promise is awaited before the first response is handed out; if the hook
 * throws, the call is cancelled and fails with that error (as a channel does).
 */
function reportHeaders<O>(response: ClientResponse<O>, options: CallOptions | undefined, iterator: AsyncIterator<O>): Promise<void> {
  const onHeader = options?.onHeader;
  if (onHeader === undefined) return Promise.resolve();
  const reported = response.headers.then((headers) => {
    if (!wasReceived(headers)) return;
    try {
      onHeader(headers);
    } catch (e) {
      abandon(iterator);
      throw GrpcError.from(e, Status.CANCELLED);
    }
  });
  reported.catch(noop); // surfaced by the await in the adapter
  return reported;
}

/** Calls the caller's onTrailer once the call is over; returns the call's failure, or the hook's. */
async function reportTrailers<O>(response: ClientResponse<O>, options: CallOptions | undefined, failure: unknown): Promise<unknown> {
  const onTrailer = options?.onTrailer;
  if (onTrailer === undefined) return failure;
  const { trailers } = await response.status;
  if (!wasReceived(trailers)) return failure;
  try {
    onTrailer(trailers);
  } catch (e) {
    return failure ?? GrpcError.from(e, Status.CANCELLED);
  }
  return failure;
}

/** Stops a response stream the caller no longer reads. */
function abandon<O>(iterator: AsyncIterator<O>): void {
  try {
    void Promise.resolve(iterator.return?.()).catch(noop);
  } catch {
    // a return() that throws has nothing left to stop
  }
}

function noop(): void {}
