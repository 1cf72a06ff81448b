// One HTTP/2 session per channel, shared by all its calls. Connects on demand,
// forgets a session on GOAWAY or close (the next call connects anew), and after
// a failed connect backs off exponentially: meanwhile fail-fast calls fail with
// UNAVAILABLE and waitForReady calls wait for the next attempt.
import * as http2 from "node:http2";
import * as net from "node:net";
import * as tls from "node:tls";
import { GrpcError } from "../grpc/grpc-error.js";
import { Status } from "../grpc/status.js";
import { openTunnel, type ProxyEndpoint, secureTunnel } from "./proxy/index.js";
import { Connection, type ConnectionOwner } from "./connection.js";
import type { KeepaliveOptions } from "./keepalive.js";
import type { Target } from "./target.js";

/** A call waiting for a connection. */
export interface ConnectionWaiter {
  readonly waitForReady: boolean;
  onConnection(connection: Connection): void;
  onConnectionFailure(error: GrpcError): void;
}

export interface TransportOptions {
  /** TLS options; `undefined` means plaintext (h2c). */
  readonly tls: tls.ConnectionOptions | undefined;
  readonly maxHeaderListSize: number;
  /** Receive window per stream and per connection (see grpc/flow-control.ts). */
  readonly flowControlWindow: number;
  /** HTTP CONNECT proxy to tunnel through (see proxy/select-proxy.ts); `undefined` dials the target. */
  readonly proxy?: ProxyEndpoint | undefined;
  /** connection-backoff.md's MIN_CONNECT_TIMEOUT, in ms: an attempt waits max(this, current backoff) for the server's SETTINGS. */
  readonly minConnectTimeout: number;
  /** `undefined`: no keepalive PINGs. */
  readonly keepalive: KeepaliveOptions | undefined;
}

const INITIAL_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 120_000;
const BACKOFF_MULTIPLIER = 1.6;
const BACKOFF_JITTER = 0.2;

/** gRFC A8 doubles the keepalive time on each `too_many_pings`; past setTimeout's range it stays there. */
const MAX_KEEPALIVE_TIME_MS = 2 ** 31 - 1;

const { NGHTTP2_ENHANCE_YOUR_CALM } = http2.constants;

export class Transport implements ConnectionOwner {
  private current: Connection | undefined;
  private connected = false;
  private readonly waiters = new Set<ConnectionWaiter>();
  private failure: GrpcError | undefined;
  private retryAt = 0;
  private backoff = INITIAL_BACKOFF_MS;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  /** Aborts the CONNECT through a proxy in progress, if any. */
  private tunnel: AbortController | undefined;
  /** The options' keepalive, its time doubled for each `too_many_pings` GOAWAY. */
  private keepalive: KeepaliveOptions | undefined;

  constructor(
    private readonly target: Target,
    private readonly options: TransportOptions,
  ) {
    this.keepalive = options.keepalive;
  }

  /** The keepalive interval new connections use, in ms (`Infinity` when off). */
  get keepaliveTime(): number {
    return this.keepalive?.time ?? Infinity;
  }

  /** The connected session, if any: the synchronous fast path of every call. */
  ready(): Connection | undefined {
    return this.connected ? this.current : undefined;
  }

  /** Calls `waiter` back once connected, or when connecting failed (at once during backoff, unless waitForReady). */
  wait(waiter: ConnectionWaiter): void {
    if (this.closed) {
      waiter.onConnectionFailure(new GrpcError(Status.UNAVAILABLE, "channel closed"));
      return;
    }
    if (this.connected && this.current !== undefined) {
      waiter.onConnection(this.current);
      return;
    }
    this.waiters.add(waiter);
    if (this.current !== undefined || this.tunnel !== undefined) return; // connecting
    if (this.failure !== undefined && Date.now() < this.retryAt) {
      if (!waiter.waitForReady) {
        this.waiters.delete(waiter);
        waiter.onConnectionFailure(this.failure);
      } else {
        this.scheduleRetry();
      }
      return;
    }
    this.connect();
  }

  cancelWait(waiter: ConnectionWaiter): void {
    this.waiters.delete(waiter);
    if (this.waiters.size === 0 && this.retryTimer !== undefined) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
  }

  /** Stops using `connection` for new calls (e.g. `request()` threw because it is closing). */
  discard(connection: Connection): void {
    if (this.current === connection) {
      this.current = undefined;
      this.connected = false;
    }
  }

  /** New calls fail; calls in flight finish, then the session closes. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.tunnel?.abort();
    const waiters = [...this.waiters];
    this.waiters.clear();
    const error = new GrpcError(Status.UNAVAILABLE, "channel closed");
    for (const w of waiters) w.onConnectionFailure(error);
    const current = this.current;
    this.current = undefined;
    this.connected = false;
    if (current !== undefined && !current.session.closed) current.session.close();
  }

  private connect(): void {
    const proxy = this.options.proxy;
    if (proxy !== undefined && this.target.kind === "tcp") this.connectThroughProxy(proxy, this.target.host, this.target.port);
    else this.startSession(undefined);
  }

  /** Opens the tunnel, then HTTP/2 (over TLS when the channel uses it) through it. */
  private connectThroughProxy(proxy: ProxyEndpoint, host: string, port: number): void {
    const abort = new AbortController();
    this.tunnel = abort;
    openTunnel({ proxy, host, port, timeout: Math.max(this.options.minConnectTimeout, this.backoff), signal: abort.signal }).then(
      (socket) => {
        this.tunnel = undefined;
        if (this.closed) {
          socket.destroy();
          return;
        }
        const secure = this.options.tls;
        let handedOver = false;
        this.startSession(() => {
          handedOver = true;
          return secure !== undefined ? secureTunnel(socket, host, secure) : socket;
        });
        if (!handedOver) socket.destroy(); // http2.connect threw before taking it
      },
      (error: Error) => {
        this.tunnel = undefined;
        if (!this.closed) this.onConnectFailure(error);
      },
    );
  }

  /** `createConnection`: the socket to run HTTP/2 on, when not node's own connection to the target. */
  private startSession(createConnection: (() => net.Socket) | undefined): void {
    const target = this.target;
    const secure = this.options.tls;
    const sessionOptions: http2.SecureClientSessionOptions = {
      ...secure,
      settings: { enablePush: false, maxHeaderListSize: this.options.maxHeaderListSize, initialWindowSize: this.options.flowControlWindow },
    };
    let authority: string;
    if (target.kind === "unix") {
      authority = secure !== undefined ? "https://localhost" : "http://localhost";
      const path = target.path;
      sessionOptions.createConnection = () =>
        secure !== undefined ? tls.connect({ ...secure, path, ALPNProtocols: ["h2"] }) : net.connect(path);
    } else {
      authority = `${secure !== undefined ? "https" : "http"}://${target.authority}`;
      if (createConnection !== undefined) sessionOptions.createConnection = createConnection;
    }
    let session: http2.ClientHttp2Session;
    try {
      session = http2.connect(authority, sessionOptions);
    } catch (e) {
      this.onConnectFailure(e as Error);
      return;
    }
    const connection = new Connection(
      session,
      {
        connectTimeout: Math.max(this.options.minConnectTimeout, this.backoff),
        flowControlWindow: this.options.flowControlWindow,
        keepalive: this.keepalive,
      },
      this,
    );
    this.current = connection;
    this.connected = false;
  }

  /** @internal ConnectionOwner */
  onConnectionReady(connection: Connection): void {
    if (this.current !== connection) return;
    this.connected = true;
    this.failure = undefined;
    this.backoff = INITIAL_BACKOFF_MS;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const w of waiters) w.onConnection(connection);
    // Calls just started took a reference; an idle session lets the process exit.
    connection.unrefIfIdle();
  }

  /** @internal ConnectionOwner: streams the server accepted finish; new calls get a new connection. */
  onConnectionGoaway(connection: Connection, code: number, debugData: string): void {
    this.discard(connection);
    const keepalive = this.keepalive;
    if (code === NGHTTP2_ENHANCE_YOUR_CALM && debugData === "too_many_pings" && keepalive !== undefined) {
      const time = Math.min(keepalive.time * 2, MAX_KEEPALIVE_TIME_MS);
      this.keepalive = { ...keepalive, time };
      process.emitWarning(
        `server ${this.where()} sent GOAWAY too_many_pings; keepaliveTime raised to ${time} ms (gRFC A8)`,
        { code: "TSGRPC_TOO_MANY_PINGS" },
      );
    }
  }

  /** @internal ConnectionOwner */
  onConnectionClosed(connection: Connection, ready: boolean, error: Error | undefined): void {
    this.discard(connection);
    if (!ready) this.onConnectFailure(error);
  }

  private where(): string {
    return this.target.kind === "unix" ? `unix:${this.target.path}` : this.target.authority;
  }

  /**
   * Called when a connection attempt fails before READY: a subclass that
   * knows further addresses moves the target to the next one and returns
   * true, and the next attempt starts at once instead of after a backoff.
   */
  protected advanceAddress(): boolean {
    return false;
  }

  private onConnectFailure(error: Error | undefined): void {
    if (this.advanceAddress() && this.waiters.size > 0 && !this.closed) {
      this.connect();
      return;
    }
    this.failure = new GrpcError(
      Status.UNAVAILABLE,
      `failed to connect to ${this.where()}: ${error?.message ?? "connection closed"}`,
      { cause: error },
    );
    const jitter = 1 + BACKOFF_JITTER * (Math.random() * 2 - 1);
    this.retryAt = Date.now() + this.backoff * jitter;
    this.backoff = Math.min(this.backoff * BACKOFF_MULTIPLIER, MAX_BACKOFF_MS);
    for (const w of [...this.waiters]) {
      if (w.waitForReady) continue;
      this.waiters.delete(w);
      w.onConnectionFailure(this.failure);
    }
    if (this.waiters.size > 0) this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined || this.closed) return;
    this.retryTimer = setTimeout(
      () => {
        this.retryTimer = undefined;
        if (this.waiters.size > 0 && this.current === undefined && this.tunnel === undefined && !this.closed) this.connect();
      },
      Math.max(0, this.retryAt - Date.now()),
    );
  }
}
