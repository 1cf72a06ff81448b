// The server: routes by `:path`, owns listeners and sessions, and shuts down
// gracefully (GOAWAY, in-flight calls finish) or by force (RST_STREAM CANCEL).
// Keepalive and connection lifetimes live in connection/, one object per session.
import * as http2 from "node:http2";
import type * as tls from "node:tls";
import { acceptEncodingHeader, type Compression, SUPPORTED_COMPRESSION } from "../grpc/compression.js";
import { GrpcError } from "../grpc/grpc-error.js";
import { flowControlWindow, openConnectionWindow } from "../grpc/flow-control.js";
import { isGrpcContentType } from "../grpc/headers.js";
import { isRequestStream, isResponseStream, type ServiceDefinition } from "../grpc/service.js";
import { Status } from "../grpc/status.js";
import type { ServerContext } from "./context.js";
import { interceptHandler } from "./interceptors/intercept-handler.js";
import type { ServerInterceptor } from "./interceptors/interceptor.js";
import type { ServiceHandlers } from "./handlers.js";
import { parseListenAddress } from "./listen-address.js";
import { CallList } from "./call-list.js";
import { connectionOf, ServerConnection } from "./connection/server-connection.js";
import { type ConnectionOptions, type ConnectionPolicy, resolveConnectionPolicy } from "./connection/policy.js";
import { respondTrailersOnly, type Route, ServerCall, type ServerCallConfig } from "./server-call.js";

/** Limits, compression, flow control, and (from ConnectionOptions) keepalive and connection lifetimes. */
export interface ServerOptions extends ConnectionOptions {
  /** Largest request message accepted, in bytes (after decompression). Default 4 MiB. */
  readonly maxReceiveMessageSize?: number;
  /** Largest response message sent, in bytes (serialized). Default unlimited. */
  readonly maxSendMessageSize?: number;
  /** Response compression, used when the client accepts it. Default identity. */
  readonly compression?: Compression;
  /** Request encodings accepted; others get UNIMPLEMENTED. Default identity, deflate, gzip. */
  readonly acceptCompression?: readonly Compression[];
  /** SETTINGS_MAX_HEADER_LIST_SIZE: bound on request headers. Default 8 KiB (the spec's suggestion). */
  readonly maxHeaderListSize?: number;
  /**
   * HTTP/2 receive window, per stream and per connection, in bytes: how much
   * a client may send before we acknowledge it. Default 1 MiB (node's own is
   * 64 KiB, which caps a streaming call at one window per round trip). A call
   * whose handler stops reading holds up to one window of requests, so a
   * connection holds at most maxConcurrentStreams windows: set both to bound
   * the memory untrusted clients can pin.
   */
  readonly flowControlWindow?: number;
  /** SETTINGS_MAX_CONCURRENT_STREAMS per connection. Default: node's (unlimited). */
  readonly maxConcurrentStreams?: number;
  /**
   * Called when a handler throws something other than a GrpcError (the client
   * gets UNKNOWN without details). Default: console.error.
   */
  readonly onError?: (error: unknown, context: ServerContext) => void;
  /** Run around every handler, first = outermost (see ServerInterceptor). */
  readonly interceptors?: readonly ServerInterceptor[];
}

export interface ListenOptions {
  /** Serve TLS (HTTP/2 over ALPN h2) with these credentials (key, cert, ca, requestCert…). */
  readonly tls?: tls.TlsOptions;
}

export interface Server {
  /** Registers a service's handlers, keyed by method localName. */
  add<S extends ServiceDefinition>(service: S, handlers: ServiceHandlers<S>): this;
  /** Binds `host:port` (port 0 picks one), `unix:/path` or `unix-abstract:name`; resolves with the port (0 for unix sockets). */
  listen(address: string, options?: ListenOptions): Promise<number>;
  /** Stops accepting, sends GOAWAY, and resolves once in-flight calls have finished. */
  shutdown(): Promise<void>;
  /** Cancels in-flight calls (RST_STREAM CANCEL) and closes every connection now. */
  forceShutdown(): void;
}

export function createServer(options: ServerOptions = {}): Server {
  return new GrpcServer(options);
}

const DEFAULT_MAX_RECEIVE_MESSAGE_SIZE = 4 * 1024 * 1024;
const DEFAULT_MAX_HEADER_LIST_SIZE = 8 * 1024;
const MAX_MESSAGE_SIZE = 2 ** 32 - 1;

type Listener = http2.Http2Server | http2.Http2SecureServer;

/**
 * @internal What an in-process transport (the in-memory channel) needs of a
 * server: its routes (handlers wrapped with the server's interceptors) and
 * call settings, and whether it still takes calls. No listener is involved.
 */
export interface ServerInternals {
  readonly config: ServerCallConfig;
  /** True once shutdown() or forceShutdown() was called. */
  readonly shuttingDown: boolean;
  route(path: string): Route | undefined;
}

/** @internal The internals of a server made by createServer(). */
export function serverInternals(server: Server): ServerInternals {
  if (!(server instanceof GrpcServer)) throw new TypeError("expected a Server made by createServer()");
  return server;
}

class GrpcServer implements Server, ServerInternals {
  private readonly routes = new Map<string, Route>();
  private readonly listeners = new Set<Listener>();
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  readonly config: ServerCallConfig;
  private readonly settings: http2.Settings;
  private readonly flowControlWindow: number;
  private readonly connectionPolicy: ConnectionPolicy;
  private readonly interceptors: readonly ServerInterceptor[];
  shuttingDown = false;
  private lastPath: string | undefined;
  private lastRoute: Route | undefined;

  constructor(options: ServerOptions) {
    const accept = options.acceptCompression ?? SUPPORTED_COMPRESSION;
    const acceptList = accept.includes("identity") ? accept : (["identity", ...accept] as Compression[]);
    this.config = {
      maxReceiveMessageSize: options.maxReceiveMessageSize ?? DEFAULT_MAX_RECEIVE_MESSAGE_SIZE,
      maxSendMessageSize: Math.min(options.maxSendMessageSize ?? MAX_MESSAGE_SIZE, MAX_MESSAGE_SIZE),
      compression: options.compression ?? "identity",
      acceptCompression: new Set(acceptList),
      acceptEncoding: acceptEncodingHeader(acceptList),
      onError: options.onError ?? defaultOnError,
      calls: new CallList(),
    };
    this.flowControlWindow = flowControlWindow(options.flowControlWindow);
    this.interceptors = [...(options.interceptors ?? [])];
    this.connectionPolicy = resolveConnectionPolicy(options);
    this.settings = {
      maxHeaderListSize: options.maxHeaderListSize ?? DEFAULT_MAX_HEADER_LIST_SIZE,
      initialWindowSize: this.flowControlWindow,
      ...(options.maxConcurrentStreams !== undefined ? { maxConcurrentStreams: options.maxConcurrentStreams } : {}),
    };
  }

  add<S extends ServiceDefinition>(service: S, handlers: ServiceHandlers<S>): this {
    const impl = handlers as Readonly<Record<string, unknown>>;
    for (const [localName, method] of Object.entries(service.methods)) {
      const handler = impl[localName];
      if (handler === undefined) continue; // answered with UNIMPLEMENTED
      if (typeof handler !== "function") throw new TypeError(`handler for ${method.path} is not a function`);
      if (this.routes.has(method.path)) throw new Error(`method ${method.path} is already registered`);
      const bound = (handler as Route["handler"]).bind(handlers);
      this.routes.set(method.path, {
        method,
        // Without interceptors the handler itself: the call path crosses no extra layer.
        handler: this.interceptors.length === 0 ? bound : interceptHandler(method, bound, this.interceptors),
        requestStream: isRequestStream(method.kind),
        responseStream: isResponseStream(method.kind),
      });
    }
    return this;
  }

  route(path: string): Route | undefined {
    return this.routes.get(path);
  }

  listen(address: string, options: ListenOptions = {}): Promise<number> {
    const parsed = parseListenAddress(address);
    const listener: Listener =
      options.tls !== undefined
        ? http2.createSecureServer({ ...options.tls, allowHTTP1: false, settings: this.settings })
        : http2.createServer({ settings: this.settings });
    listener.on("stream", (stream, headers) => this.onStream(stream, headers));
    listener.on("session", (session) => this.onSession(session));
    return new Promise<number>((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      listener.once("error", onError);
      const onListening = (): void => {
        listener.off("error", onError);
        // Later listener errors (e.g. EMFILE on accept) must not crash the process.
        listener.on("error", noop);
        this.listeners.add(listener);
        const bound = listener.address();
        resolve(typeof bound === "object" && bound !== null ? bound.port : 0);
      };
      if (parsed.kind === "unix") listener.listen(parsed.path, onListening);
      else listener.listen({ host: parsed.host, port: parsed.port }, onListening);
    });
  }

  shutdown(): Promise<void> {
    this.shuttingDown = true;
    const closed = [...this.listeners].map((l) => new Promise<void>((resolve) => l.close(() => resolve())));
    this.listeners.clear();
    for (const session of this.sessions) closeGracefully(session);
    return Promise.all(closed).then(noop);
  }

  forceShutdown(): void {
    this.shuttingDown = true;
    const reason = new GrpcError(Status.CANCELLED, "server shut down");
    for (const call of this.config.calls.toArray()) call.cancel(reason);
    for (const session of this.sessions) session.destroy();
    for (const listener of this.listeners) listener.close();
    this.listeners.clear();
  }

  private onSession(session: http2.ServerHttp2Session): void {
    this.sessions.add(session);
    session.on("error", noop); // a broken connection ends its calls through their streams
    session.once("close", () => this.sessions.delete(session));
    // Attaches itself to the session: keepalive enforcement and pings, idle and age limits.
    new ServerConnection(session, this.connectionPolicy);
    openConnectionWindow(session, this.flowControlWindow);
    if (this.shuttingDown) closeGracefully(session);
  }

  private onStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    stream.on("error", noop); // resets surface as 'close'; nothing to throw at
    if (headers[":method"] !== "POST") {
      respondHttpError(stream, 405, { allow: "POST" });
      return;
    }
    if (!isGrpcContentType(headers["content-type"])) {
      respondHttpError(stream, 415, {});
      return;
    }
    const path = headers[":path"] ?? "";
    // Most connections call one method over and over: comparing with the last
    // path is cheaper than hashing each new header string for the map.
    let route: Route | undefined;
    if (path === this.lastPath) {
      route = this.lastRoute;
    } else {
      route = this.routes.get(path);
      if (route !== undefined) {
        this.lastPath = path;
        this.lastRoute = route;
      }
    }
    if (route === undefined) {
      stream.resume();
      respondTrailersOnly(
        stream,
        new GrpcError(Status.UNIMPLEMENTED, `method ${path} is not implemented`),
        this.config.acceptEncoding,
      );
      return;
    }
    const connection = connectionOf(stream.session);
    if (connection === undefined) return; // the session is already gone
    new ServerCall(stream, headers, route, this.config, connection).start();
  }
}

/** GOAWAY now; the session closes once its streams are done. */
/**
 * shutdown() closes at once (one GOAWAY naming the last stream taken): a
 * client closing its channel at the same moment never answers the two-step
 * GOAWAY's PING, and node:http2 would keep the half-closed socket until the
 * fallback timer.
 */
function closeGracefully(session: http2.ServerHttp2Session): void {
  if (!session.closed && !session.destroyed) session.close();
}

/** Answers a non-gRPC request with a bare HTTP status, as the spec asks (405, 415). */
function respondHttpError(stream: http2.ServerHttp2Stream, status: number, headers: http2.OutgoingHttpHeaders): void {
  stream.resume();
  if (stream.destroyed || stream.headersSent) return;
  stream.respond({ ":status": status, ...headers }, { endStream: true });
}

function defaultOnError(error: unknown, context: ServerContext): void {
  console.error(`tsgrpc: handler for ${context.method.path} failed:`, error);
}

function noop(): void {}
