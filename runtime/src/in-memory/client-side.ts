// The client side of an in-memory call: what ClientCall is over HTTP/2, over
// an InMemoryStream. Request metadata is validated at the call site, requests
// and responses go through the codecs with the channel's limits, the deadline
// and the caller's signal end the call, and the status is read from trailers
// by the same code as on the wire. One object per call, for all four kinds;
// it ends exactly once, in finish().
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http2";
import type { CallOptions } from "../client/call-options.js";
import { effectiveDeadline } from "../client/call-options.js";
import type { RequestStream } from "../client/call.js";
import type { Compression } from "../grpc/compression.js";
import { DeadlineTimer } from "../grpc/deadline-timer.js";
import { packMessage, unpackMessage } from "../grpc/envelope.js";
import { FrameDecoder, type FrameSink } from "../grpc/framing.js";
import { GrpcError } from "../grpc/grpc-error.js";
import {
  CONTENT_TYPE_GRPC,
  HEADER_ACCEPT_ENCODING,
  HEADER_CONTENT_TYPE,
  HEADER_ENCODING,
  HEADER_TIMEOUT,
  HEADER_USER_AGENT,
} from "../grpc/headers.js";
import { MessageQueue, type QueueSource } from "../grpc/message-queue.js";
import { Metadata, toMetadata } from "../grpc/metadata.js";
import type { MethodDefinition } from "../grpc/service.js";
import { Status } from "../grpc/status.js";
import { encodeTimeout } from "../grpc/timeout.js";
import { statusFromTrailers } from "../grpc/trailers.js";
import type { PartialMessage } from "../message/types.js";
import type { ServerInternals } from "../server/server.js";
import { acceptCall } from "./server-side.js";
import { asReceived, InMemoryStream, type RequestReceiver, type ResponseReceiver } from "./stream.js";

/** The `:authority` in-memory calls claim. */
export const IN_MEMORY_AUTHORITY = "in-memory";

/** HTTP/2's CANCEL: the code a server's forced shutdown resets streams with. */
const RST_CANCEL = 8;

/** Channel-wide settings every in-memory call reads. */
export interface InMemoryCallConfig {
  readonly server: ServerInternals;
  readonly userAgent: string;
  /** Value of `grpc-accept-encoding`. */
  readonly acceptEncoding: string;
  readonly compression: Compression;
  readonly maxReceiveMessageSize: number;
  readonly maxSendMessageSize: number;
  /** True once the channel is closed: new calls fail with UNAVAILABLE. */
  closed(): boolean;
}

export class InMemoryClientCall<I, O> implements ResponseReceiver, FrameSink, QueueSource {
  /** Settles with the single response (unary and client-streaming kinds). */
  readonly response: Promise<O> | undefined;
  /** The response stream (server-streaming and bidi kinds). */
  readonly responses: MessageQueue<O> | undefined;

  /** Running (undefined), then OK (null) or failed. */
  private outcome: GrpcError | null | undefined;
  private readonly deadline: number | undefined;
  private readonly compression: Compression;
  private readonly metadata: Metadata | undefined;
  private readonly decoder: FrameDecoder;
  private timer: DeadlineTimer | undefined;
  private abortListener: (() => void) | undefined;
  private stream: InMemoryStream | undefined;
  /** The server side, once it has the request headers. */
  private server: RequestReceiver | undefined;
  /** The server ended its side (trailers or reset): nothing to reset. */
  private responseEnded = false;
  private requestIterator: AsyncIterator<PartialMessage<I>> | Iterator<PartialMessage<I>> | undefined;
  private responseEncoding: string | undefined;
  private single: O | undefined;
  private received = 0;
  private resolve: ((value: O) => void) | undefined;
  private reject: ((error: GrpcError) => void) | undefined;

  constructor(
    private readonly config: InMemoryCallConfig,
    readonly method: MethodDefinition<I, O>,
    private readonly options: CallOptions | undefined,
    responseStream: boolean,
  ) {
    // First, so that a bad key or value is a TypeError thrown at the call site, as over HTTP/2.
    const metadata = options?.metadata;
    this.metadata = metadata === undefined ? undefined : toMetadata(metadata);
    this.deadline = effectiveDeadline(options);
    this.compression = options?.compression ?? config.compression;
    this.decoder = new FrameDecoder(this, config.maxReceiveMessageSize);
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
    let frame: Uint8Array;
    try {
      frame = packMessage(this.method.input, request, this.compression, this.config.maxSendMessageSize);
    } catch (e) {
      this.finish(GrpcError.from(e, Status.INTERNAL));
      return;
    }
    const stream = this.start();
    if (stream === undefined) return;
    stream.requests.send(() => this.server!.onMessage(frame));
    stream.requests.send(() => this.server!.onEnd());
  }

  /** Starts a call that sends a stream of requests. */
  sendAll(requests: RequestStream<I>): void {
    const stream = this.start();
    if (stream !== undefined) void this.pump(stream, requests);
  }

  /** Checks signal, deadline and channel, then sends the request headers; undefined if the call already failed. */
  private start(): InMemoryStream | undefined {
    const options = this.options;
    const signal = options?.signal;
    const parentSignal = options?.parent?.signal;
    if (signal?.aborted || parentSignal?.aborted) {
      this.finish(this.abortError(), true);
      return undefined;
    }
    if (this.deadline !== undefined) {
      if (this.deadline <= Date.now()) {
        this.finish(deadlineExceeded());
        return undefined;
      }
      this.timer = new DeadlineTimer(this.deadline, () => this.finish(deadlineExceeded()));
    }
    if (signal !== undefined || parentSignal !== undefined) {
      const listener = (): void => this.finish(this.abortError(), true);
      this.abortListener = listener;
      signal?.addEventListener("abort", listener);
      parentSignal?.addEventListener("abort", listener);
    }
    if (this.config.closed()) {
      this.finish(new GrpcError(Status.UNAVAILABLE, "channel closed"));
      return undefined;
    }
    const stream = new InMemoryStream();
    this.stream = stream;
    const headers = asReceived(this.requestHeaders());
    const server = this.config.server;
    stream.requests.send(() => {
      this.server = acceptCall(server, headers, stream, this);
    });
    return stream;
  }

  private requestHeaders(): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = {
      ":method": "POST",
      ":scheme": "http",
      ":path": this.method.path,
      ":authority": IN_MEMORY_AUTHORITY,
    };
    if (this.deadline !== undefined) headers[HEADER_TIMEOUT] = encodeTimeout(Math.max(1, this.deadline - Date.now()));
    headers[HEADER_CONTENT_TYPE] = CONTENT_TYPE_GRPC;
    headers.te = "trailers";
    headers[HEADER_USER_AGENT] = this.config.userAgent;
    headers[HEADER_ACCEPT_ENCODING] = this.config.acceptEncoding;
    if (this.compression !== "identity") headers[HEADER_ENCODING] = this.compression;
    if (this.metadata !== undefined) Object.assign(headers, this.metadata.toHttp2Headers());
    return headers;
  }

  /** Sends the request stream, waiting while the server's request queue is full. */
  private async pump(stream: InMemoryStream, source: RequestStream<I>): Promise<void> {
    const iterator =
      Symbol.asyncIterator in source
        ? (source as AsyncIterable<PartialMessage<I>>)[Symbol.asyncIterator]()
        : (source as Iterable<PartialMessage<I>>)[Symbol.iterator]();
    this.requestIterator = iterator;
    const lane = stream.requests;
    try {
      for (;;) {
        const next = await iterator.next();
        if (this.outcome !== undefined) return;
        if (next.done === true) break;
        const frame = packMessage(this.method.input, next.value, this.compression, this.config.maxSendMessageSize);
        lane.send(() => this.server!.onMessage(frame));
        if (!lane.writable) {
          await lane.ready();
          if (this.outcome !== undefined) return;
        }
      }
      lane.send(() => this.server!.onEnd());
    } catch (e) {
      this.finish(GrpcError.from(e, Status.CANCELLED));
    }
  }

  // --- ResponseReceiver ---

  onHeaders(headers: IncomingHttpHeaders): void {
    if (this.outcome !== undefined) return;
    const encoding = headers[HEADER_ENCODING];
    this.responseEncoding = typeof encoding === "string" ? encoding : undefined;
    const onHeader = this.options?.onHeader;
    if (onHeader !== undefined) this.callHook(onHeader, headers);
  }

  onMessage(frame: Uint8Array): void {
    if (this.outcome !== undefined) return;
    try {
      this.decoder.push(frame);
    } catch (e) {
      this.finish(GrpcError.from(e, Status.INTERNAL));
    }
  }

  onFrame(compressed: boolean, payload: Uint8Array): void {
    const message = unpackMessage(this.method.output, compressed, payload, this.responseEncoding, this.config.maxReceiveMessageSize);
    if (this.responses !== undefined) {
      this.responses.push(message);
    } else if (this.received++ === 0) {
      this.single = message;
    } else {
      throw new GrpcError(Status.UNIMPLEMENTED, "protocol error: received a second response message for a single-response method");
    }
  }

  onTrailers(trailers: IncomingHttpHeaders): void {
    if (this.outcome !== undefined) return;
    this.responseEnded = true;
    let status = statusFromTrailers(trailers);
    if (status === undefined) status = new GrpcError(Status.INTERNAL, "protocol error: stream closed without grpc-status");
    if (status === null && this.responses === undefined && this.received !== 1) {
      status = new GrpcError(Status.UNIMPLEMENTED, "protocol error: expected one response message, received none");
    }
    const onTrailer = this.options?.onTrailer;
    if (onTrailer !== undefined && !this.callHook(onTrailer, trailers)) return;
    this.finishFromServer(status);
  }

  onReset(): void {
    if (this.outcome !== undefined) return;
    this.responseEnded = true;
    this.finishFromServer(new GrpcError(Status.CANCELLED, `stream reset by the server with HTTP/2 error code ${RST_CANCEL}`));
  }

  private finishFromServer(status: GrpcError | null): void {
    // Whatever ended the call, one that fails after its deadline failed by it.
    if (status !== null && this.deadline !== undefined && Date.now() >= this.deadline) status = deadlineExceeded();
    this.finish(status);
  }

  /** Runs a user hook; if it throws, the call is cancelled with that error. */
  private callHook(hook: (md: Metadata) => void, headers: IncomingHttpHeaders): boolean {
    try {
      hook(Metadata.fromHttp2Headers(headers));
      return true;
    } catch (e) {
      this.finish(GrpcError.from(e, Status.CANCELLED));
      return false;
    }
  }

  // --- QueueSource: the response stream's consumer throttles or leaves ---

  pause(): void {
    this.stream?.responses.pause();
  }

  resume(): void {
    this.stream?.responses.resume();
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
   * Ends the call once: releases timer and listeners, resets the server side
   * if it is still running, stops the request producer, then settles.
   * `cancelled`: the caller aborted, so buffered responses are dropped.
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
    const stream = this.stream;
    if (stream !== undefined) {
      if (!this.responseEnded) {
        const reason = outcome?.code === Status.DEADLINE_EXCEEDED ? "deadline" : "cancel";
        stream.requests.send(() => this.server!.onReset(reason));
      }
      // A server held up by a full response queue waits for the reset, which ends its side.
      stream.requests.release();
    }
    const iterator = this.requestIterator;
    if (iterator?.return !== undefined) {
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

function deadlineExceeded(): GrpcError {
  return new GrpcError(Status.DEADLINE_EXCEEDED, "deadline exceeded");
}

function noop(): void {}
