// The server call engine: one object per call, which is also the handler's
// ServerContext. It reads and decodes requests synchronously from DATA chunks,
// writes responses, and ends the call exactly once in finish(), whichever way
// it ends: handler result, handler error, deadline, protocol error, client
// cancel or disconnect, forced shutdown.
import * as http2 from "node:http2";
import { type Compression, negotiateCompression } from "../grpc/compression.js";
import { DeadlineTimer } from "../grpc/deadline-timer.js";
import { packMessage, unpackMessage } from "../grpc/envelope.js";
import { FrameBatch } from "../grpc/frame-batch.js";
import type { CallList, Linked } from "./call-list.js";
import { FrameDecoder, type FrameSink } from "../grpc/framing.js";
import { GrpcError } from "../grpc/grpc-error.js";
import {
  CONTENT_TYPE_GRPC,
  HEADER_ACCEPT_ENCODING,
  HEADER_CONTENT_TYPE,
  HEADER_ENCODING,
  HEADER_TIMEOUT,
  headerValue,
} from "../grpc/headers.js";
import { MessageQueue, type QueueSource } from "../grpc/message-queue.js";
import { Metadata, type MetadataInit, toMetadata } from "../grpc/metadata.js";
import type { MethodDefinition } from "../grpc/service.js";
import { Status } from "../grpc/status.js";
import { parseTimeout } from "../grpc/timeout.js";
import { statusToTrailers } from "../grpc/trailers.js";
import type { PartialMessage } from "../message/types.js";
import type { ServerConnection } from "./connection/server-connection.js";
import { authContextOf } from "./auth-context.js";
import type { AuthContext, ServerContext } from "./context.js";
import { dispatch } from "./dispatch.js";

const { NGHTTP2_CANCEL } = http2.constants;

/** A registered method: its definition and its handler, bound to the handler object. */
export interface Route {
  readonly method: MethodDefinition<unknown, unknown>;
  readonly handler: (input: unknown, context: ServerContext) => unknown;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
}

/** Server-wide settings and bookkeeping every call reads. */
export interface ServerCallConfig {
  readonly maxReceiveMessageSize: number;
  readonly maxSendMessageSize: number;
  readonly compression: Compression;
  /** Request encodings accepted, and their `grpc-accept-encoding` header value. */
  readonly acceptCompression: ReadonlySet<string>;
  readonly acceptEncoding: string;
  readonly onError: (error: unknown, context: ServerContext) => void;
  /** Calls in flight, for forceShutdown. */
  readonly calls: CallList<RunningCall>;
}

/** A call in flight, as forceShutdown sees it: over HTTP/2, or through the in-memory channel. */
export interface RunningCall extends Linked<RunningCall> {
  /** Ends the call from the server side, telling the client it was reset. */
  cancel(reason: GrpcError): void;
}

// `sendDate` is honoured by node:http2 but missing from its type declarations.
const responseOptions = Object.freeze({ waitForTrailers: true, sendDate: false }) as http2.ServerStreamResponseOptions;
const trailersOnlyOptions = Object.freeze({ endStream: true, sendDate: false }) as http2.ServerStreamResponseOptions;
const plainHeadersCache = new Map<string, http2.OutgoingHttpHeaders>();

/** The response headers of a call with no custom headers and no compression: built once, shared. */
function plainResponseHeaders(acceptEncoding: string): http2.OutgoingHttpHeaders {
  let headers = plainHeadersCache.get(acceptEncoding);
  if (headers === undefined) {
    headers = Object.freeze({ ":status": 200, [HEADER_CONTENT_TYPE]: CONTENT_TYPE_GRPC, [HEADER_ACCEPT_ENCODING]: acceptEncoding });
    plainHeadersCache.set(acceptEncoding, headers);
  }
  return headers;
}

// The stream's listeners find their call through the stream (listeners run
// with `this` bound to it): three shared functions instead of three closures
// per call.
const CALL = Symbol("tsgrpc.call");
type CallStream = http2.ServerHttp2Stream & { [CALL]: ServerCall };

function onStreamData(this: http2.ServerHttp2Stream, chunk: Buffer): void {
  (this as CallStream)[CALL].onData(chunk);
}

function onStreamEnd(this: http2.ServerHttp2Stream): void {
  (this as CallStream)[CALL].onEnd();
}

function onStreamWantTrailers(this: http2.ServerHttp2Stream): void {
  (this as CallStream)[CALL].sendTrailers();
}

function onStreamClose(this: http2.ServerHttp2Stream): void {
  (this as CallStream)[CALL].onClose();
}

function uncorkCall(call: ServerCall): void {
  call.uncork();
}

/** Answers a stream with a status and nothing else (Trailers-Only). */
export function respondTrailersOnly(
  stream: http2.ServerHttp2Stream,
  error: GrpcError | undefined,
  acceptEncoding: string,
  trailers?: Metadata,
): void {
  if (stream.destroyed || stream.closed || stream.headersSent) return;
  stream.respond(
    {
      ":status": 200,
      [HEADER_CONTENT_TYPE]: CONTENT_TYPE_GRPC,
      [HEADER_ACCEPT_ENCODING]: acceptEncoding,
      ...statusToTrailers(error, trailers),
    },
    trailersOnlyOptions,
  );
}

export class ServerCall implements ServerContext, FrameSink, QueueSource, RunningCall {
  readonly method: MethodDefinition<unknown, unknown>;
  deadline: number | undefined;
  /** True once the outcome is decided; later results, writes and errors are ignored. */
  done = false;

  private readonly decoder: FrameDecoder;
  private timer: DeadlineTimer | undefined;
  private requestEncoding: string | undefined;
  private responseEncoding: Compression = "identity";
  private request: unknown;
  private received = 0;
  private requests: MessageQueue<unknown> | undefined;
  private headersSent = false;
  private drainWaiter: (() => void) | undefined;
  /** @internal links of ServerCallConfig.calls */
  listPrev: RunningCall | undefined = undefined;
  /** @internal */
  listNext: RunningCall | undefined = undefined;
  /** @internal */
  listed = false;
  /** Made on the first wait for 'drain': unary calls never wait. */
  private drainListener: (() => void) | undefined;
  private corked = false;
  private batch: FrameBatch | undefined;
  private responseHeaders: Metadata | undefined;
  private trailers: Metadata | undefined;
  private pendingTrailers: http2.OutgoingHttpHeaders | undefined;
  private controller: AbortController | undefined;
  /** How the call ended: null for OK; undefined while running. */
  private outcome: GrpcError | null | undefined;
  private metadataCache: Metadata | undefined;
  private peerCache: string | undefined;
  private readonly session: http2.Http2Session | undefined;
  private readonly headers: http2.IncomingHttpHeaders;
  /** The client's `grpc-accept-encoding`, for setCompression. */
  private acceptEncoding: string | undefined;

  constructor(
    private readonly stream: http2.ServerHttp2Stream,
    headers: http2.IncomingHttpHeaders,
    private readonly route: Route,
    private readonly config: ServerCallConfig,
    /** Counts the call for keepalive enforcement and idleness. */
    private readonly connection: ServerConnection,
  ) {
    this.method = route.method;
    this.headers = headers;
    this.session = stream.session;
    this.decoder = new FrameDecoder(this, config.maxReceiveMessageSize);
  }

  start(): void {
    const { stream, config } = this;
    const headers = this.headers;
    config.calls.add(this);
    this.connection.callStarted();
    (stream as CallStream)[CALL] = this;
    stream.on("close", onStreamClose);
    const encoding = headerValue(headers, HEADER_ENCODING);
    if (encoding !== undefined && encoding !== "identity" && !config.acceptCompression.has(encoding)) {
      this.finish(new GrpcError(Status.UNIMPLEMENTED, `grpc-encoding "${encoding}" is not supported`));
      return;
    }
    this.requestEncoding = encoding;
    const timeout = headerValue(headers, HEADER_TIMEOUT);
    if (timeout !== undefined) {
      const ms = parseTimeout(timeout);
      if (ms === undefined) {
        this.finish(new GrpcError(Status.INTERNAL, `protocol error: invalid grpc-timeout "${timeout}"`));
        return;
      }
      this.deadline = Date.now() + ms;
      this.timer = new DeadlineTimer(this.deadline, () =>
        this.finish(new GrpcError(Status.DEADLINE_EXCEEDED, "deadline exceeded")),
      );
    }
    this.acceptEncoding = headerValue(headers, HEADER_ACCEPT_ENCODING);
    this.responseEncoding = negotiateCompression(config.compression, this.acceptEncoding);
    if (this.route.requestStream || this.route.responseStream) {
      // node:http2 gives header values as strings backed by nghttp2's
      // buffers (malloc'd), and a stream may stay open for long: it lets go
      // of those that never become metadata. 10,000 open streams held 2 MiB
      // that way, at the peak that glibc keeps once freed (`npm run
      // bench:memory`). (Converting the metadata here instead costs about
      // 7,000 instructions a call (callgrind); these four stores about 650.)
      headers[":path"] = headers[":authority"] = headers[HEADER_CONTENT_TYPE] = headers.te = undefined;
    }
    stream.on("data", onStreamData);
    stream.on("end", onStreamEnd);
    if (this.route.requestStream) {
      this.requests = new MessageQueue<unknown>(this);
      dispatch(this.route, this, this.requests);
    }
  }

  // --- ServerContext ---

  get metadata(): Metadata {
    // Converted on first use: many handlers never look at their metadata.
    return (this.metadataCache ??= Metadata.fromHttp2Headers(this.headers));
  }

  get signal(): AbortSignal {
    // Created on first use, and aborted at once if the call is already over.
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.outcome !== undefined) this.controller.abort(abortReason(this.outcome));
    }
    return this.controller.signal;
  }

  get peer(): string {
    if (this.peerCache === undefined) {
      // The session, not the stream: a finished stream no longer knows its session.
      const socket = this.session?.socket;
      const address = socket?.remoteAddress;
      if (socket === undefined) return "unknown";
      this.peerCache =
        address === undefined ? "unix:" : address.includes(":") ? `[${address}]:${socket.remotePort}` : `${address}:${socket.remotePort}`;
    }
    return this.peerCache;
  }

  get auth(): AuthContext {
    return authContextOf(this.session);
  }

  sendHeader(metadata: MetadataInit): void {
    if (this.done) return;
    if (this.headersSent) throw new Error("response headers were already sent");
    this.responseHeaders = mergeInto(this.responseHeaders, metadata);
    this.sendHeaders();
  }

  setTrailer(metadata: MetadataInit): void {
    this.trailers = mergeInto(this.trailers, metadata);
  }

  setCompression(encoding: Compression): void {
    if (this.headersSent) throw new Error("setCompression must precede the response headers");
    this.responseEncoding = negotiateCompression(encoding, this.acceptEncoding);
  }

  // --- reading ---

  /** @internal */
  onData(chunk: Buffer): void {
    if (this.done) return; // finished early: the rest of the request is dropped
    try {
      this.decoder.push(chunk);
    } catch (e) {
      this.finish(GrpcError.from(e, Status.INTERNAL));
    }
  }

  onFrame(compressed: boolean, payload: Uint8Array): void {
    const message = unpackMessage(
      this.route.method.input,
      compressed,
      payload,
      this.requestEncoding,
      this.config.maxReceiveMessageSize,
    );
    if (this.requests !== undefined) {
      this.requests.push(message);
    } else if (this.received++ === 0) {
      this.request = message;
    } else {
      throw new GrpcError(Status.UNIMPLEMENTED, "protocol error: received a second request message for a single-request method");
    }
  }

  /** @internal */
  onEnd(): void {
    if (this.done) return;
    if (this.stream.aborted) {
      // node:http2 also ends the readable side of a reset stream: that is a cancel, not end of input.
      this.end(new GrpcError(Status.CANCELLED, "call cancelled by the client"));
    } else if (this.decoder.partial) {
      this.finish(new GrpcError(Status.INTERNAL, "protocol error: request ended inside a message"));
    } else if (this.requests !== undefined) {
      this.requests.end();
    } else if (this.received !== 1) {
      this.finish(new GrpcError(Status.UNIMPLEMENTED, "protocol error: expected one request message, received none"));
    } else {
      dispatch(this.route, this, this.request);
      this.request = undefined;
    }
  }

  /** @internal The stream is gone. If the call had not finished, the client cancelled or disconnected. */
  onClose(): void {
    this.config.calls.delete(this);
    this.connection.callEnded();
    if (!this.done) this.end(new GrpcError(Status.CANCELLED, "call cancelled by the client"));
    this.onDrain();
  }

  // QueueSource: the handler's request iteration throttles or leaves.
  pause(): void {
    this.stream.pause();
  }

  resume(): void {
    this.stream.resume();
  }

  abandon(): void {
    // The handler stopped reading requests; keep the stream flowing and drop them.
    this.stream.resume();
  }

  // --- writing ---

  private sendHeaders(): void {
    if (this.headersSent) return;
    this.headersSent = true;
    this.connection.sentSincePing = true;
    let headers: http2.OutgoingHttpHeaders;
    if (this.responseEncoding === "identity" && this.responseHeaders === undefined) {
      headers = plainResponseHeaders(this.config.acceptEncoding);
    } else {
      headers = { ...plainResponseHeaders(this.config.acceptEncoding) };
      if (this.responseEncoding !== "identity") headers[HEADER_ENCODING] = this.responseEncoding;
      if (this.responseHeaders !== undefined) Object.assign(headers, this.responseHeaders.toHttp2Headers());
    }
    // 'wantTrailers' comes once per stream: `on` spares the wrapper `once` makes.
    this.stream.on("wantTrailers", onStreamWantTrailers);
    // No `date` header: gRPC does not use it (grpc-go sends none) and it costs a lookup per call.
    this.stream.respond(headers, responseOptions);
  }

  /** @internal */
  sendTrailers(): void {
    if (this.stream.destroyed) return;
    try {
      this.stream.sendTrailers(this.pendingTrailers ?? statusToTrailers(undefined, this.trailers));
    } catch {
      // the stream was reset between 'wantTrailers' and now; nothing left to tell
    }
  }

  /** Writes one response of a stream; false means wait for `drained()` before the next. Throws GrpcError. */
  send(message: unknown): boolean {
    if (this.done) return true;
    const stream = this.stream;
    this.connection.sentSincePing = true;
    if (this.responseEncoding === "identity") {
      // Batched: written as one at the end of the tick (see FrameBatch).
      const batch = (this.batch ??= new FrameBatch((frames, written) => {
        // A message too big to batch goes out from within add(): headers first.
        this.sendHeaders();
        if (!stream.destroyed) stream.write(frames, written);
        else written?.();
      }));
      if (batch.add(this.route.method.output, message as PartialMessage<unknown>, this.config.maxSendMessageSize)) {
        this.sendHeaders();
        return batch.size + stream.writableLength < stream.writableHighWaterMark;
      }
    }
    // Compressed (or too big to batch): corked until the end of the tick, for the same reason.
    const frame = this.pack(message);
    this.sendHeaders();
    this.batch?.flush(); // frames batched before this one go first
    if (!this.corked) {
      this.corked = true;
      stream.cork();
      process.nextTick(uncorkCall, this);
    }
    return stream.write(frame);
  }

  /** @internal */
  uncork(): void {
    this.corked = false;
    if (!this.stream.destroyed) this.stream.uncork();
  }

  /** Completes a (possibly partial) response message, then encodes and frames it. */
  private pack(message: unknown): Uint8Array {
    const output = this.route.method.output;
    return packMessage(output, message as PartialMessage<unknown>, this.responseEncoding, this.config.maxSendMessageSize);
  }

  drained(): Promise<void> {
    this.batch?.flush();
    // A full batch may have gone out without a refused write: then nothing will emit 'drain'.
    if (!this.stream.writableNeedDrain || this.stream.destroyed || this.done) return Promise.resolve();
    // One 'drain' listener; the end of the call (close, error, cancel) releases the wait too.
    // (waitForDrain's three listeners per wait, added and removed, were measured at 5% of
    // a server's instructions streaming 1 KiB messages.)
    return new Promise((resolve) => {
      this.drainWaiter = resolve;
      this.stream.once("drain", (this.drainListener ??= () => this.onDrain()));
    });
  }

  private onDrain(): void {
    const resolve = this.drainWaiter;
    this.drainWaiter = undefined;
    resolve?.();
  }

  /** Completes a single-response call with `message`: headers, message and OK trailers in one go. */
  respond(message: unknown): void {
    if (this.done) return;
    let frame: Uint8Array;
    try {
      frame = this.pack(message);
    } catch (e) {
      this.fail(e);
      return;
    }
    this.finish(null, frame);
  }

  /** A handler failed: GrpcErrors are sent as they are; anything else is reported and becomes UNKNOWN. */
  fail(error: unknown): void {
    if (this.done) return; // e.g. the handler gave up because its signal aborted
    if (error instanceof GrpcError) {
      this.finish(error);
      return;
    }
    try {
      this.config.onError(error, this);
    } catch {
      // an error hook that throws must not take the call down with it
    }
    this.finish(new GrpcError(Status.UNKNOWN, "unknown error"));
  }

  /** Ends the call with a status (null for OK), sending `lastFrame` first when given. */
  finish(error: GrpcError | null, lastFrame?: Uint8Array): void {
    if (this.done) return;
    const stream = this.stream;
    if (!stream.destroyed && !stream.closed) {
      try {
        if (!this.headersSent && lastFrame === undefined) {
          this.headersSent = true;
          this.connection.sentSincePing = true;
          respondTrailersOnly(stream, error ?? undefined, this.config.acceptEncoding, this.trailers);
        } else {
          this.pendingTrailers = statusToTrailers(error ?? undefined, this.trailers);
          this.sendHeaders();
          this.batch?.flush();
          if (lastFrame !== undefined) stream.end(lastFrame);
          else stream.end();
        }
      } catch {
        // the stream died under us (reset, session destroyed); the client learns nothing more
      }
      // Requests still arriving are read and dropped so that flow control never stalls.
      if (!stream.readableEnded) stream.resume();
    }
    this.end(error);
  }

  /** Cancels the call from the server side (forceShutdown): RST_STREAM CANCEL. */
  cancel(reason: GrpcError): void {
    if (this.done) return;
    if (!this.stream.closed && !this.stream.destroyed) this.stream.close(NGHTTP2_CANCEL);
    this.end(reason);
  }

  /** Bookkeeping shared by every ending: timer, registry, request stream, signal. */
  private end(outcome: GrpcError | null): void {
    this.done = true;
    this.onDrain();
    this.outcome = outcome;
    this.timer?.clear();
    this.config.calls.delete(this);
    this.requests?.end(outcome ?? undefined);
    this.controller?.abort(abortReason(outcome));
  }
}

/** Built only when someone holds the signal: a GrpcError costs a stack trace. */
function abortReason(outcome: GrpcError | null): GrpcError {
  return outcome ?? new GrpcError(Status.CANCELLED, "call completed");
}

function mergeInto(target: Metadata | undefined, init: MetadataInit): Metadata {
  const md = toMetadata(init)!;
  return target === undefined ? new Metadata(md) : target.merge(md);
}
