// The server side of an in-memory call: what ServerCall is over HTTP/2, over
// an InMemoryStream. It is the handler's ServerContext, decodes requests with
// the server's limits, runs the route's handler (wrapped with the server's
// interceptors) through the same dispatch, encodes responses, and sends the
// status as trailers built by the same code as on the wire. It ends exactly
// once, in end(), whichever way the call ends.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http2";
import { type Compression, negotiateCompression } from "../grpc/compression.js";
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
  headerValue,
} from "../grpc/headers.js";
import { MessageQueue, type QueueSource } from "../grpc/message-queue.js";
import { Metadata, type MetadataInit, toMetadata } from "../grpc/metadata.js";
import type { MethodDefinition } from "../grpc/service.js";
import { Status } from "../grpc/status.js";
import { parseTimeout } from "../grpc/timeout.js";
import { statusToTrailers } from "../grpc/trailers.js";
import type { PartialMessage } from "../message/types.js";
import type { AuthContext } from "../server/context.js";
import { dispatch, type DispatchedCall } from "../server/dispatch.js";
import type { Route, RunningCall, ServerCallConfig } from "../server/server-call.js";
import type { ServerInternals } from "../server/server.js";
import { asReceived, type InMemoryStream, type RequestReceiver, type ResetReason, type ResponseReceiver } from "./stream.js";

/** What `ctx.peer` says of an in-memory client. */
export const IN_MEMORY_PEER = "in-memory";

const IN_MEMORY_AUTH: AuthContext = Object.freeze({ transportSecurity: "in-memory", peerCertificate: undefined });

/** Requests of a call the server did not take: dropped, as a server drops the DATA of a stream it answered. */
const DROP: RequestReceiver = Object.freeze({ onMessage() {}, onEnd() {}, onReset() {} });

/**
 * Answers request headers as the server's `stream` listener does: a call
 * started on the route, or a Trailers-Only error (UNIMPLEMENTED for an
 * unknown method; UNAVAILABLE once the server is shutting down, as a client
 * of a closed listener would see).
 */
export function acceptCall(
  server: ServerInternals,
  headers: IncomingHttpHeaders,
  stream: InMemoryStream,
  client: ResponseReceiver,
): RequestReceiver {
  const config = server.config;
  if (server.shuttingDown) {
    respondTrailersOnly(stream, client, config, new GrpcError(Status.UNAVAILABLE, "server is shutting down"), undefined);
    return DROP;
  }
  const path = headers[":path"] ?? "";
  const route = server.route(path);
  if (route === undefined) {
    respondTrailersOnly(stream, client, config, new GrpcError(Status.UNIMPLEMENTED, `method ${path} is not implemented`), undefined);
    return DROP;
  }
  const call = new InMemoryServerCall(stream, client, headers, route, config);
  call.start();
  return call;
}

function respondTrailersOnly(
  stream: InMemoryStream,
  client: ResponseReceiver,
  config: ServerCallConfig,
  error: GrpcError | undefined,
  trailers: Metadata | undefined,
): void {
  const headers = asReceived({
    [HEADER_CONTENT_TYPE]: CONTENT_TYPE_GRPC,
    [HEADER_ACCEPT_ENCODING]: config.acceptEncoding,
    ...statusToTrailers(error, trailers),
  });
  stream.responses.send(() => client.onTrailers(headers));
}

class InMemoryServerCall implements DispatchedCall, RequestReceiver, FrameSink, QueueSource, RunningCall {
  readonly method: MethodDefinition<unknown, unknown>;
  deadline: number | undefined;
  done = false;
  /** @internal links of ServerCallConfig.calls */
  listPrev: RunningCall | undefined = undefined;
  /** @internal */
  listNext: RunningCall | undefined = undefined;
  /** @internal */
  listed = false;

  private readonly decoder: FrameDecoder;
  private timer: DeadlineTimer | undefined;
  private requestEncoding: string | undefined;
  private responseEncoding: Compression = "identity";
  /** The client's `grpc-accept-encoding`, for setCompression. */
  private acceptEncoding: string | undefined;
  private request: unknown;
  private received = 0;
  private requests: MessageQueue<unknown> | undefined;
  private headersSent = false;
  private responseHeaders: Metadata | undefined;
  private trailers: Metadata | undefined;
  private controller: AbortController | undefined;
  /** How the call ended: null for OK; undefined while running. */
  private outcome: GrpcError | null | undefined;
  private metadataCache: Metadata | undefined;

  constructor(
    private readonly stream: InMemoryStream,
    private readonly client: ResponseReceiver,
    private readonly headers: IncomingHttpHeaders,
    private readonly route: Route,
    private readonly config: ServerCallConfig,
  ) {
    this.method = route.method;
    this.decoder = new FrameDecoder(this, config.maxReceiveMessageSize);
  }

  start(): void {
    const { headers, config } = this;
    config.calls.add(this);
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
      this.timer = new DeadlineTimer(this.deadline, () => this.finish(deadlineExceeded()));
    }
    this.acceptEncoding = headerValue(headers, HEADER_ACCEPT_ENCODING);
    this.responseEncoding = negotiateCompression(config.compression, this.acceptEncoding);
    if (this.route.requestStream) {
      this.requests = new MessageQueue<unknown>(this);
      dispatch(this.route, this, this.requests);
    }
  }

  // --- ServerContext ---

  get metadata(): Metadata {
    return (this.metadataCache ??= Metadata.fromHttp2Headers(this.headers));
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.outcome !== undefined) this.controller.abort(abortReason(this.outcome));
    }
    return this.controller.signal;
  }

  get peer(): string {
    return IN_MEMORY_PEER;
  }

  get auth(): AuthContext {
    return IN_MEMORY_AUTH;
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

  // --- reading (RequestReceiver) ---

  onMessage(frame: Uint8Array): void {
    if (this.done) return; // finished early: the rest of the request is dropped
    try {
      this.decoder.push(frame);
    } catch (e) {
      this.finish(GrpcError.from(e, Status.INTERNAL));
    }
  }

  onFrame(compressed: boolean, payload: Uint8Array): void {
    const message = unpackMessage(this.method.input, compressed, payload, this.requestEncoding, this.config.maxReceiveMessageSize);
    if (this.requests !== undefined) this.requests.push(message);
    else if (this.received++ === 0) this.request = message;
    else throw new GrpcError(Status.UNIMPLEMENTED, "protocol error: received a second request message for a single-request method");
  }

  onEnd(): void {
    if (this.done) return;
    if (this.requests !== undefined) {
      this.requests.end();
    } else if (this.received !== 1) {
      this.finish(new GrpcError(Status.UNIMPLEMENTED, "protocol error: expected one request message, received none"));
    } else {
      dispatch(this.route, this, this.request);
      this.request = undefined;
    }
  }

  /**
   * The client reset the call. Over HTTP/2 the server's own timer says
   * DEADLINE_EXCEEDED at about the same moment the client's reset arrives;
   * here the client's reason decides, so the handler sees which it was.
   */
  onReset(reason: ResetReason): void {
    if (this.done) return;
    this.end(reason === "deadline" ? deadlineExceeded() : new GrpcError(Status.CANCELLED, "call cancelled by the client"));
  }

  // QueueSource: the handler's request iteration throttles or leaves.
  pause(): void {
    this.stream.requests.pause();
  }

  resume(): void {
    this.stream.requests.resume();
  }

  abandon(): void {
    // The handler stopped reading requests: keep them coming, and drop them.
    this.stream.requests.resume();
  }

  // --- writing (DispatchedCall) ---

  private sendHeaders(): void {
    if (this.headersSent) return;
    this.headersSent = true;
    const headers: OutgoingHttpHeaders = {
      [HEADER_CONTENT_TYPE]: CONTENT_TYPE_GRPC,
      [HEADER_ACCEPT_ENCODING]: this.config.acceptEncoding,
    };
    if (this.responseEncoding !== "identity") headers[HEADER_ENCODING] = this.responseEncoding;
    if (this.responseHeaders !== undefined) Object.assign(headers, this.responseHeaders.toHttp2Headers());
    const received = asReceived(headers);
    const client = this.client;
    this.stream.responses.send(() => client.onHeaders(received));
  }

  send(message: unknown): boolean {
    if (this.done) return true;
    const frame = this.pack(message);
    this.sendHeaders();
    this.sendFrame(frame);
    return this.stream.responses.writable;
  }

  drained(): Promise<void> {
    return this.stream.responses.ready();
  }

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

  fail(error: unknown): void {
    if (this.done) return;
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
    if (!this.headersSent && lastFrame === undefined) {
      this.headersSent = true;
      respondTrailersOnly(this.stream, this.client, this.config, error ?? undefined, this.trailers);
    } else {
      this.sendHeaders();
      if (lastFrame !== undefined) this.sendFrame(lastFrame);
      const trailers = asReceived(statusToTrailers(error ?? undefined, this.trailers));
      const client = this.client;
      this.stream.responses.send(() => client.onTrailers(trailers));
    }
    this.end(error);
  }

  /** forceShutdown: the client sees the stream reset. */
  cancel(reason: GrpcError): void {
    if (this.done) return;
    const client = this.client;
    this.stream.responses.send(() => client.onReset());
    this.end(reason);
  }

  private pack(message: unknown): Uint8Array {
    return packMessage(this.method.output, message as PartialMessage<unknown>, this.responseEncoding, this.config.maxSendMessageSize);
  }

  private sendFrame(frame: Uint8Array): void {
    const client = this.client;
    this.stream.responses.send(() => client.onMessage(frame));
  }

  /** Bookkeeping shared by every ending: timer, registry, request stream, signal, a writer waiting. */
  private end(outcome: GrpcError | null): void {
    this.done = true;
    this.outcome = outcome;
    this.timer?.clear();
    this.config.calls.delete(this);
    this.requests?.end(outcome ?? undefined);
    this.controller?.abort(abortReason(outcome));
    this.stream.responses.release();
  }
}

function deadlineExceeded(): GrpcError {
  return new GrpcError(Status.DEADLINE_EXCEEDED, "deadline exceeded");
}

function abortReason(outcome: GrpcError | null): GrpcError {
  return outcome ?? new GrpcError(Status.CANCELLED, "call completed");
}

function mergeInto(target: Metadata | undefined, init: MetadataInit): Metadata {
  const md = toMetadata(init)!;
  return target === undefined ? new Metadata(md) : target.merge(md);
}
