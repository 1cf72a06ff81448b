// Building a ClientResponse: from the channel's own call (the innermost
// `next`) or from values an interceptor supplies (a short-circuit). Both keep
// the contract's promises: `status` settles once `messages` is done, and
// neither `headers` nor `status` ever rejects.
import { GrpcError } from "../../grpc/grpc-error.js";
import { Metadata, type MetadataInit, toMetadata } from "../../grpc/metadata.js";
import { Status } from "../../grpc/status.js";
import type { ClientCallStatus, ClientResponse } from "./interceptor.js";

// Headers and trailers that never came (a Trailers-Only response has no
// headers; a call that failed locally has no trailers) are empty Metadata,
// as the contract says, but the outermost adapter must not run the caller's
// onHeader/onTrailer for them, as a channel without interceptors would not.
const notReceived = new WeakSet<Metadata>();

/** An empty Metadata standing for headers or trailers the peer did not send. */
export function noMetadata(): Metadata {
  const md = new Metadata();
  notReceived.add(md);
  return md;
}

/** False for the placeholder of headers or trailers that were not sent. */
export function wasReceived(md: Metadata): boolean {
  return !notReceived.has(md);
}

/**
 * `messages` that settle `status` when they end: OK after the last one, the
 * error when iteration throws (as a GrpcError), CANCELLED when the reader
 * leaves early — also before its first read, which an async generator could
 * not notice. `trailers` is asked once, at the end.
 */
export function settlingMessages<O>(
  source: AsyncIterable<O> | Iterable<O>,
  trailers: () => Metadata | undefined,
): { messages: AsyncIterable<O>; status: Promise<ClientCallStatus> } {
  let settle!: (status: ClientCallStatus) => void;
  const status = new Promise<ClientCallStatus>((resolve) => (settle = resolve));
  return { messages: new SettlingStream(source, trailers, settle), status };
}

class SettlingStream<O> implements AsyncIterableIterator<O> {
  private iterator: AsyncIterator<O> | Iterator<O> | undefined;
  private settled = false;

  constructor(
    private readonly source: AsyncIterable<O> | Iterable<O>,
    private readonly trailers: () => Metadata | undefined,
    private readonly settle: (status: ClientCallStatus) => void,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<O>> {
    if (this.settled) return { done: true, value: undefined };
    let result: IteratorResult<O>;
    try {
      result = await (this.iterator ??= iteratorOf(this.source)).next();
    } catch (e) {
      const error = GrpcError.from(e);
      this.end(error);
      throw error;
    }
    if (result.done === true) {
      this.end(null);
      return { done: true, value: undefined };
    }
    return this.settled ? { done: true, value: undefined } : result;
  }

  /** The reader leaves: the call is cancelled (the source's own return() cancels a channel's stream). */
  async return(): Promise<IteratorResult<O>> {
    if (!this.settled) {
      this.end(new GrpcError(Status.CANCELLED, "call cancelled: the response stream was not read to the end"));
      try {
        await (this.iterator ?? iteratorOf(this.source)).return?.();
      } catch {
        // the call is over for its reader; a source failing to clean up has nobody left to tell
      }
    }
    return { done: true, value: undefined };
  }

  private end(error: GrpcError | null): void {
    this.settled = true;
    const received = this.trailers();
    const trailers = received ?? (error !== null && error.metadata.size > 0 ? error.metadata : noMetadata());
    this.settle({ error, trailers });
  }
}

function iteratorOf<O>(source: AsyncIterable<O> | Iterable<O>): AsyncIterator<O> | Iterator<O> {
  return Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
}

export interface RespondWithOptions {
  /** Response headers, passed to the caller's `onHeader`; none when unset (as a Trailers-Only response). */
  readonly headers?: MetadataInit;
  /** Trailers, passed to the caller's `onTrailer`; none when unset. */
  readonly trailers?: MetadataInit;
}

/**
 * A response made without calling `next`: a cache hit, a stub, a canned
 * answer. The caller sees `messages` as the server's responses (one for unary
 * and client-streaming methods); an iterable that throws fails the call with
 * that error (as UNKNOWN unless it is a GrpcError). To fail without any
 * response, throw a GrpcError from the interceptor instead.
 */
export function respondWith<O>(messages: AsyncIterable<O> | Iterable<O>, init: RespondWithOptions = {}): ClientResponse<O> {
  const headers = init.headers !== undefined ? new Metadata(toMetadata(init.headers)) : noMetadata();
  const trailers = init.trailers !== undefined ? new Metadata(toMetadata(init.trailers)) : undefined;
  return { headers: Promise.resolve(headers), ...settlingMessages(messages, () => trailers) };
}
