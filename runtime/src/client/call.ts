// The client call engine: one object per call, for all four kinds. The kinds
// differ only in how many messages go each way — one framed request or a pumped
// iterable; one response (a Promise) or a MessageQueue (an AsyncIterable).
// Deadline timer and abort listeners are set up here and removed in finish(),
// the single place where a call ends.
import * as http2 from "node:http2";
import type { Compression } from "../grpc/compression.js";
import { DeadlineTimer } from "../grpc/deadline-timer.js";
import { waitForDrain } from "../grpc/drain.js";
import { FrameBatch } from "../grpc/frame-batch.js";
import { packMessage, unpackMessage } from "../grpc/envelope.js";
import { FrameDecoder, type FrameSink } from "../grpc/framing.js";
import { GrpcError } from "../grpc/grpc-error.js";
import {
  CONTENT_TYPE_GRPC,
  HEADER_ACCEPT_ENCODING,
  HEADER_CONTENT_TYPE,
  HEADER_ENCODING,
  HEADER_STATUS,
  HEADER_TIMEOUT,
  HEADER_USER_AGENT,
} from "../grpc/headers.js";
import { MessageQueue, type QueueSource } from "../grpc/message-queue.js";
import { Metadata, toMetadata } from "../grpc/metadata.js";
import type { MethodDefinition } from "../grpc/service.js";
import { Status } from "../grpc/status.js";
import { statusFromHttpStatus, statusFromRstCode } from "../grpc/status-mapping.js";
import { encodeTimeout } from "../grpc/timeout.js";
import { statusFromTrailers } from "../grpc/trailers.js";
import type { PartialMessage } from "../message/types.js";
import { type CallOptions, effectiveDeadline } from "./call-options.js";
import type { Connection } from "./connection.js";
import type { CallTransport, ConnectionWaiter } from "./call-transport.js";

const { NGHTTP2_CANCEL, NGHTTP2_NO_ERROR, NGHTTP2_REFUSED_STREAM } = http2.constants;

/** Retries of a request refused by connections going away, as several servers recycle their connections at once. */
const MAX_SENDS_AFTER_GOAWAY = 5;

/** Channel-wide settings every call reads; resolved once per channel. */
export interface CallConfig {
  readonly scheme: "http" | "https";
  readonly authority: string;
  readonly userAgent: string;
  /** Value of `grpc-accept-encoding`. */
  readonly acceptEncoding: string;
  readonly compression: Compression;
  readonly maxReceiveMessageSize: number;
  readonly maxSendMessageSize: number;
  readonly waitForReady: boolean;
  /** Request headers of calls without deadline, metadata or compression, by method path: built once, node:http2 copies them anyway. */
  readonly plainHeaders: Map<string, http2.OutgoingHttpHeaders>;
}

/** Requests of streaming kinds. */
export type RequestStream<I> = AsyncIterable<PartialMessage<I>> | Iterable<PartialMessage<I>>;

/** Running, then OK (null) or failed (GrpcError). */
type Outcome = GrpcError | null | undefined;

// The stream's listeners find their call through the stream (listeners run
// with `this` bound to it): shared functions instead of closures per call.
const CALL = Symbol("tsgrpc.call");
interface StreamEvents {
  onResponse(headers: http2.IncomingHttpHeaders): void;
  onData(chunk: Buffer): void;
  onTrailers(trailers: http2.IncomingHttpHeaders): void;
  onEnd(): void;
  onClose(): void;
}
type CallStream = http2.ClientHttp2Stream & { [CALL]: StreamEvents };

function onStreamResponse(this: http2.ClientHttp2Stream, headers: http2.IncomingHttpHeaders): void {
  (this as CallStream)[CALL].onResponse(headers);
}

function onStreamData(this: http2.ClientHttp2Stream, chunk: Buffer): void {
  (this as CallStream)[CALL].onData(chunk);
}

function onStreamTrailers(this: http2.ClientHttp2Stream, trailers: http2.IncomingHttpHeaders): void {
  (this as CallStream)[CALL].onTrailers(trailers);
}

function onStreamEnd(this: http2.ClientHttp2Stream): void {
  (this as CallStream)[CALL].onEnd();
}

function onStreamClose(this: http2.ClientHttp2Stream): void {
  (this as CallStream)[CALL].onClose();
}

export class ClientCall<I, O> implements FrameSink, QueueSource, ConnectionWaiter {
  readonly waitForReady: boolean;
  /** Settles with the single response (unary and client-streaming kinds). */
  readonly response: Promise<O> | undefined;
  /** The response stream (server-streaming and bidi kinds). */
  readonly responses: MessageQueue<O> | undefined;

  private outcome: Outcome;
  private readonly deadline: number | undefined;
  private readonly compression: Compression;
  /** The request metadata, validated and converted once, before anything else happens. */
  private readonly metadata: Metadata | undefined;
  private timer: DeadlineTimer | undefined;
  private abortListener: (() => void) | undefined;
  private connection: Connection | undefined;
  private stream: http2.ClientHttp2Stream | undefined;
  private waiting = false;
  private retriedRequest = false;
  /** Times the request was sent again after REFUSED_STREAM. */
  private refusals = 0;
  private requestFrame: Uint8Array | undefined;
  private requestStream: RequestStream<I> | undefined;
  private requestIterator: AsyncIterator<PartialMessage<I>> | Iterator<PartialMessage<I>> | undefined;
  private decoder: FrameDecoder | undefined;
  private httpStatus = 0;
  private grpcContentType = false;
  private responseEncoding: string | undefined;
  private trailers: http2.IncomingHttpHeaders | undefined;
  private single: O | undefined;
  private received = 0;
  private resolve: ((value: O) => void) | undefined;
  private reject: ((error: GrpcError) => void) | undefined;

  constructor(
    private readonly transport: CallTransport,
    private readonly config: CallConfig,
    readonly method: MethodDefinition<I, O>,
    private readonly options: CallOptions | undefined,
    responseStream: boolean,
  ) {
    // First, so that a bad key or value is a TypeError thrown at the call site, not a failed call.
    const metadata = options?.metadata;
    this.metadata = metadata === undefined ? undefined : toMetadata(metadata);
    this.deadline = effectiveDeadline(options);
    this.compression = options?.compression ?? config.compression;
    this.waitForReady = options?.waitForReady ?? config.waitForReady;
    if (responseStream) {
      this.responses = new MessageQueue<O>(this);
    } else {
      this.response = new Promise<O>((resolve, reject) => {
        this.resolve = resolve;
        this.reject = reject;
      });
    }
  }

  /** Starts a call that sends exactly one request. */
  sendOne(request: PartialMessage<I>): void {
    try {
      this.requestFrame = packMessage(
        this.method.input,
        request,
        this.compression,
        this.config.maxSendMessageSize,
      );
    } catch (e) {
      this.finish(GrpcError.from(e, Status.INTERNAL));
      return;
    }
    this.start();
  }

  /** Starts a call that sends a stream of requests. */
  sendAll(requests: RequestStream<I>): void {
    this.requestStream = requests;
    this.start();
  }

  private start(): void {
    const options = this.options;
    const signal = options?.signal;
    const parentSignal = options?.parent?.signal;
    if (signal?.aborted || parentSignal?.aborted) {
      this.finish(this.abortError(), true);
      return;
    }
    if (this.deadline !== undefined) {
      if (this.deadline <= Date.now()) {
        this.finish(deadlineExceeded());
        return;
      }
      this.timer = new DeadlineTimer(this.deadline, () => this.finish(deadlineExceeded()));
    }
    if (signal !== undefined || parentSignal !== undefined) {
      const listener = (): void => this.finish(this.abortError(), true);
      this.abortListener = listener;
      signal?.addEventListener("abort", listener);
      parentSignal?.addEventListener("abort", listener);
    }
    const connection = this.transport.ready(this.method);
    if (connection !== undefined) {
      this.open(connection);
    } else {
      this.waiting = true;
      this.transport.wait(this);
    }
  }

  onConnection(connection: Connection): void {
    this.waiting = false;
    if (this.outcome === undefined) this.open(connection);
  }

  onConnectionFailure(error: GrpcError): void {
    this.waiting = false;
    this.finish(error);
  }

  private open(connection: Connection): void {
    let headers: http2.OutgoingHttpHeaders;
    let stream: http2.ClientHttp2Stream;
    try {
      headers = this.requestHeaders();
    } catch (e) {
      this.finish(GrpcError.from(e, Status.INTERNAL));
      return;
    }
    try {
      stream = connection.session.request(headers);
    } catch (e) {
      const session = connection.session;
      if ((session.closed || session.destroyed) && !this.retriedRequest) {
        // The session started closing after it was handed out; nothing was sent, so try a fresh one.
        this.retriedRequest = true;
        connection.discard();
        this.waiting = true;
        this.transport.wait(this);
        return;
      }
      this.finish(GrpcError.from(e, session.closed || session.destroyed ? Status.UNAVAILABLE : Status.INTERNAL));
      return;
    }
    this.connection = connection;
    this.stream = stream;
    connection.callStarted();
    this.decoder = new FrameDecoder(this, this.config.maxReceiveMessageSize);
    (stream as CallStream)[CALL] = this;
    stream.on("response", onStreamResponse);
    stream.on("data", onStreamData);
    stream.on("trailers", onStreamTrailers);
    // A single request has already ended our side: nothing to reset when the response ends first.
    if (this.requestFrame === undefined) stream.on("end", onStreamEnd);
    stream.on("close", onStreamClose);
    // Errors surface as the stream's close (rstCode) or the connection's loss.
    stream.on("error", noop);
    if (this.requestFrame !== undefined) {
      stream.end(this.requestFrame); // kept: a refused stream may be sent again
    } else {
      void this.pump(stream);
    }
  }

  private requestHeaders(): http2.OutgoingHttpHeaders {
    const config = this.config;
    const plain = this.deadline === undefined && this.compression === "identity" && this.metadata === undefined;
    if (plain) {
      const cached = config.plainHeaders.get(this.method.path);
      if (cached !== undefined) return cached;
    }
    const headers: http2.OutgoingHttpHeaders = {
      ":method": "POST",
      ":scheme": config.scheme,
      ":path": this.method.path,
      ":authority": config.authority,
    };
    if (this.deadline !== undefined) {
      // Sent right after the pseudo-headers, as the spec asks; measured now, after any wait to connect.
      headers[HEADER_TIMEOUT] = encodeTimeout(Math.max(1, this.deadline - Date.now()));
    }
    headers[HEADER_CONTENT_TYPE] = CONTENT_TYPE_GRPC;
    headers.te = "trailers";
    headers[HEADER_USER_AGENT] = config.userAgent;
    headers[HEADER_ACCEPT_ENCODING] = config.acceptEncoding;
    if (this.compression !== "identity") headers[HEADER_ENCODING] = this.compression;
    const metadata = this.metadata;
    if (metadata !== undefined) {
      const custom = metadata.toHttp2Headers();
      for (const key in custom) headers[key] = custom[key];
    }
    if (plain) config.plainHeaders.set(this.method.path, Object.freeze(headers));
    return headers;
  }

  /** Writes the request stream, waiting for HTTP/2 flow control when a write is refused. */
  private async pump(stream: http2.ClientHttp2Stream): Promise<void> {
    const source = this.requestStream!;
    const iterator =
      Symbol.asyncIterator in source
        ? (source as AsyncIterable<PartialMessage<I>>)[Symbol.asyncIterator]()
        : (source as Iterable<PartialMessage<I>>)[Symbol.iterator]();
    this.requestIterator = iterator;
    // Requests produced within one tick go out as one write, as a server's responses do (see FrameBatch).
    const batch =
      this.compression === "identity"
        ? new FrameBatch((frames, written) => {
            if (!stream.destroyed) stream.write(frames, written);
            else written?.();
          })
        : undefined;
    try {
      for (;;) {
        const next = await iterator.next();
        if (this.outcome !== undefined) return;
        if (next.done === true) break;
        const input = this.method.input;
        const maxSize = this.config.maxSendMessageSize;
        let full: boolean;
        if (batch !== undefined && batch.add(input, next.value, maxSize)) {
          full = batch.size + stream.writableLength >= stream.writableHighWaterMark;
          if (full) batch.flush();
        } else {
          batch?.flush();
          full = !stream.write(packMessage(input, next.value, this.compression, maxSize));
        }
        if (full && stream.writableNeedDrain) {
          await waitForDrain(stream);
          if (this.outcome !== undefined) return;
        }
      }
      batch?.flush();
      stream.end();
    } catch (e) {
      this.finish(GrpcError.from(e, Status.CANCELLED));
    }
  }

  /** @internal */
  onResponse(headers: http2.IncomingHttpHeaders): void {
    this.httpStatus = Number(headers[":status"]);
    const contentType = headers[HEADER_CONTENT_TYPE];
    this.grpcContentType = typeof contentType === "string" && contentType.startsWith(CONTENT_TYPE_GRPC);
    if (headers[HEADER_STATUS] !== undefined) {
      this.trailers = headers; // Trailers-Only
      return;
    }
    const encoding = headers[HEADER_ENCODING];
    this.responseEncoding = typeof encoding === "string" ? encoding : undefined;
    const onHeader = this.options?.onHeader;
    if (onHeader !== undefined) this.callHook(onHeader, headers);
  }

  /** @internal */
  onData(chunk: Buffer): void {
    // After a local failure, and for bodies that are not gRPC (we map the HTTP status instead), data is dropped.
    if (this.outcome !== undefined || this.httpStatus !== 200 || !this.grpcContentType) return;
    try {
      this.decoder!.push(chunk);
    } catch (e) {
      this.finish(GrpcError.from(e, Status.INTERNAL));
    }
  }

  onFrame(compressed: boolean, payload: Uint8Array): void {
    const message = unpackMessage(
      this.method.output,
      compressed,
      payload,
      this.responseEncoding,
      this.config.maxReceiveMessageSize,
    );
    if (this.responses !== undefined) {
      this.responses.push(message);
    } else if (this.received++ === 0) {
      this.single = message;
    } else {
      throw new GrpcError(Status.UNIMPLEMENTED, "protocol error: received a second response message for a single-response method");
    }
  }

  /** @internal The server finished its side; if we are still sending, stop (RST_STREAM NO_ERROR, as the spec suggests). */
  onTrailers(trailers: http2.IncomingHttpHeaders): void {
    this.trailers = trailers;
  }

  /** @internal */
  onEnd(): void {
    const stream = this.stream!;
    if (!stream.writableEnded && !stream.closed) reset(stream, NGHTTP2_NO_ERROR);
  }

  /** @internal */
  onClose(): void {
    if (this.outcome !== undefined) return;
    if (this.retryRefused()) return;
    let status = this.statusFromResponse();
    if (status === null) {
      if (this.decoder!.partial) {
        status = new GrpcError(Status.INTERNAL, "protocol error: stream ended inside a message");
      } else if (this.responses === undefined && this.received !== 1) {
        status = new GrpcError(Status.UNIMPLEMENTED, "protocol error: expected one response message, received none");
      }
    }
    const onTrailer = this.options?.onTrailer;
    if (onTrailer !== undefined && this.trailers !== undefined) {
      if (!this.callHook(onTrailer, this.trailers)) return;
    }
    if (status !== null && this.deadline !== undefined && Date.now() >= this.deadline) {
      // Whatever ended the stream, a call that fails after its deadline failed by it.
      status = deadlineExceeded();
    }
    this.finish(status);
  }

  /**
   * REFUSED_STREAM before any response means the server did not process the
   * request (it is going away, or at its stream limit): the spec allows
   * sending it again. Once (a few times when GOAWAY came with it: gRFC A6's
   * transparent retry), and only when the request is a single message we
   * still hold — a consumed request iterable cannot be replayed.
   */
  private retryRefused(): boolean {
    const stream = this.stream!;
    if (this.requestFrame === undefined || this.httpStatus !== 0) return false;
    if (stream.rstCode !== NGHTTP2_REFUSED_STREAM) return false;
    // A connection told GOAWAY refuses the streams the server will not take and the ones node:http2 had not
    // sent yet: none reached a handler, and each retry is on another connection, so a few are allowed.
    if (this.refusals >= (this.connection!.goneAway ? MAX_SENDS_AFTER_GOAWAY : 1)) return false;
    this.refusals++;
    this.connection!.callEnded();
    this.stream = undefined;
    this.connection = undefined;
    const connection = this.transport.ready(this.method);
    if (connection !== undefined) {
      this.open(connection);
    } else {
      this.waiting = true;
      this.transport.wait(this);
    }
    return true;
  }

  private statusFromResponse(): GrpcError | null {
    const httpStatus = this.httpStatus;
    if (httpStatus !== 0 && httpStatus !== 200) {
      return new GrpcError(statusFromHttpStatus(httpStatus), `received HTTP status ${httpStatus}`);
    }
    if (this.trailers !== undefined) {
      const status = statusFromTrailers(this.trailers);
      if (status !== undefined) return status;
    }
    const connection = this.connection!;
    if (connection.lost) return new GrpcError(Status.UNAVAILABLE, connection.lossMessage);
    const rstCode = this.stream!.rstCode ?? NGHTTP2_NO_ERROR;
    if (rstCode !== NGHTTP2_NO_ERROR) {
      return new GrpcError(statusFromRstCode(rstCode), `stream reset by the server with HTTP/2 error code ${rstCode}`);
    }
    if (httpStatus === 200 && !this.grpcContentType) {
      return new GrpcError(Status.UNKNOWN, "protocol error: response content-type is not application/grpc");
    }
    return new GrpcError(Status.INTERNAL, "protocol error: stream closed without grpc-status");
  }

  /** Runs a user hook; if it throws, the call is cancelled with that error. */
  private callHook(hook: (md: Metadata) => void, headers: http2.IncomingHttpHeaders): boolean {
    try {
      hook(Metadata.fromHttp2Headers(headers));
      return true;
    } catch (e) {
      this.finish(GrpcError.from(e, Status.CANCELLED));
      return false;
    }
  }

  // QueueSource: the response stream's consumer throttles or leaves.
  pause(): void {
    this.stream?.pause();
  }

  resume(): void {
    this.stream?.resume();
  }

  abandon(): void {
    this.finish(new GrpcError(Status.CANCELLED, "call cancelled: the response stream was not read to the end"));
  }

  private abortError(): GrpcError {
    const parentReason = this.options?.parent?.signal?.reason;
    if (parentReason instanceof GrpcError && parentReason.code === Status.DEADLINE_EXCEEDED) return deadlineExceeded();
    return new GrpcError(Status.CANCELLED, "call cancelled");
  }

  /**
   * Ends the call once: releases timer, listeners and stream, then settles.
   * `cancelled`: the caller aborted, so responses still buffered are dropped
   * and the next read fails at once.
   */
  private finish(outcome: GrpcError | null, cancelled = false): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    this.timer?.clear();
    const listener = this.abortListener;
    if (listener !== undefined) {
      this.options?.signal?.removeEventListener("abort", listener);
      this.options?.parent?.signal?.removeEventListener("abort", listener);
    }
    if (this.waiting) {
      this.waiting = false;
      this.transport.cancelWait(this);
    }
    const stream = this.stream;
    if (stream !== undefined) {
      this.connection!.callEnded();
      if (!stream.closed) reset(stream, outcome === null ? NGHTTP2_NO_ERROR : NGHTTP2_CANCEL);
    }
    const iterator = this.requestIterator;
    if (iterator?.return !== undefined) {
      // Stop the request producer; a generator suspended in an await finishes its step first.
      try {
        void Promise.resolve(iterator.return()).catch(noop);
      } catch {
        // a throwing return() is the producer's problem, not the call's
      }
    }
    if (this.responses !== undefined) {
      this.responses.end(outcome ?? undefined, cancelled);
    } else if (outcome === null) {
      this.resolve!(this.single as O);
    } else {
      this.reject!(outcome);
    }
  }
}

/**
 * RST_STREAM without a half-close first. node:http2's close() ends the writable
 * side before resetting, so the peer would see END_STREAM — a complete request
 * stream — and only then the reset: a handler could act on input that was
 * cancelled. A no-op `_final` (the Writable hook that sends END_STREAM) leaves
 * just the reset.
 */
function reset(stream: http2.ClientHttp2Stream, code: number): void {
  if (!stream.writableEnded) (stream as unknown as { _final(cb: () => void): void })._final = (cb) => cb();
  stream.close(code);
}

function deadlineExceeded(): GrpcError {
  return new GrpcError(Status.DEADLINE_EXCEEDED, "deadline exceeded");
}

function noop(): void {}
