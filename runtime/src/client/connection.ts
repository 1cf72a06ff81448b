// One HTTP/2 connection's lifecycle, from dial to close: it is READY only once
// the server's SETTINGS frame arrived (node:http2's 'connect' fires on the TCP
// or TLS handshake, before the peer said a word of HTTP/2), gives up after the
// connect timeout, keeps itself alive with PINGs (keepalive.ts), and reports
// GOAWAY and close to its owner. The call path touches only `session`,
// `callStarted`/`callEnded` and, when a stream fails, `lost`/`lossMessage`.
import * as http2 from "node:http2";
import { openConnectionWindow } from "../grpc/flow-control.js";
import { type KeepaliveOptions, KeepalivePinger } from "./keepalive.js";

const { NGHTTP2_NO_ERROR } = http2.constants;

/** Receives a connection's lifecycle events (the transport that dialled it). */
export interface ConnectionOwner {
  /** The server's SETTINGS arrived: calls may start. */
  onConnectionReady(connection: Connection): void;
  /** The server sent GOAWAY: no new calls on this connection. */
  onConnectionGoaway(connection: Connection, code: number, debugData: string): void;
  /** A call found the connection closing: stop handing it out. */
  onConnectionDiscarded(connection: Connection): void;
  /** The session closed; `ready` says whether it ever was, `error` why it failed. */
  onConnectionClosed(connection: Connection, ready: boolean, error: Error | undefined): void;
}

export interface ConnectionOptions {
  /** How long to wait for the server's SETTINGS, in ms. */
  readonly connectTimeout: number;
  /** Receive window per connection (see grpc/flow-control.ts). */
  readonly flowControlWindow: number;
  /** `undefined`: no keepalive PINGs. */
  readonly keepalive: KeepaliveOptions | undefined;
}

/** A session and the number of calls using it; an idle session does not keep the process alive. */
export class Connection {
  private active = 0;
  /** The server's SETTINGS arrived. */
  private isReady = false;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly pinger: KeepalivePinger | undefined;
  /** The server sent GOAWAY. */
  private goaway = false;
  /** Why the connection was lost, for the calls it fails. */
  private reason = "connection closed";

  constructor(
    readonly session: http2.ClientHttp2Session,
    options: ConnectionOptions,
    private readonly owner: ConnectionOwner,
  ) {
    const keepalive = options.keepalive;
    this.pinger =
      keepalive === undefined
        ? undefined
        : new KeepalivePinger(
            session,
            keepalive,
            () => this.active > 0,
            () => this.destroy(`keepalive timeout: no PING ACK within ${keepalive.timeout} ms`),
          );
    let lastError: Error | undefined;
    session.on("error", (e: Error) => {
      lastError = e;
    });
    session.once("connect", () => openConnectionWindow(session, options.flowControlWindow));
    session.once("remoteSettings", () => {
      this.clearConnectTimer();
      if (session.destroyed) return;
      this.isReady = true;
      this.pinger?.start();
      owner.onConnectionReady(this);
    });
    session.on("goaway", (code: number, _lastStreamId: number, data: Buffer | undefined) => {
      this.goaway = true;
      const debugData = data !== undefined && data.length > 0 ? data.toString("utf8") : "";
      if (code !== NGHTTP2_NO_ERROR) {
        // node:http2 destroys the session at once for an error GOAWAY: say so in the calls it fails.
        this.reason = `connection closed by the server: GOAWAY with HTTP/2 error code ${code}${debugData !== "" ? ` (${debugData})` : ""}`;
      }
      owner.onConnectionGoaway(this, code, debugData);
    });
    session.once("close", () => {
      this.clearConnectTimer();
      this.pinger?.stop();
      owner.onConnectionClosed(this, this.isReady, lastError);
    });
    const timeout = options.connectTimeout;
    if (Number.isFinite(timeout)) {
      this.connectTimer = setTimeout(() => {
        this.connectTimer = undefined;
        const message = `connect timeout: no HTTP/2 SETTINGS from the server within ${timeout} ms`;
        lastError = new Error(message);
        this.destroy(message);
      }, timeout);
      // The socket keeps the process alive while connecting; the timer alone must not.
      this.connectTimer.unref();
    }
  }

  callStarted(): void {
    if (this.active++ === 0) {
      this.session.ref();
      this.pinger?.callsResumed();
    }
  }

  callEnded(): void {
    this.active--;
    this.unrefIfIdle();
  }

  /** Calls using the connection now. */
  get activeCalls(): number {
    return this.active;
  }

  /** The server sent GOAWAY: streams it refuses now were never processed. */
  get goneAway(): boolean {
    return this.goaway;
  }

  /** The server's SETTINGS arrived. */
  get ready(): boolean {
    return this.isReady;
  }

  unrefIfIdle(): void {
    if (this.active === 0 && !this.session.destroyed) this.session.unref();
  }

  /** The connection dropped under the call (socket gone), rather than the peer resetting a stream. */
  get lost(): boolean {
    const session = this.session;
    return session.destroyed || session.socket === undefined || session.socket.destroyed;
  }

  /** Why the connection was lost (keepalive timeout, GOAWAY with an error, or just closed). */
  get lossMessage(): string {
    return this.reason;
  }

  /** Takes the connection out of use for new calls (a call found it closing). */
  discard(): void {
    this.owner.onConnectionDiscarded(this);
  }

  /** Closes the connection at once; calls on it fail UNAVAILABLE with `reason`. */
  destroy(reason: string): void {
    this.reason = reason;
    this.clearConnectTimer();
    this.pinger?.stop();
    if (!this.session.destroyed) this.session.destroy();
  }

  private clearConnectTimer(): void {
    if (this.connectTimer !== undefined) {
      clearTimeout(this.connectTimer);
      this.connectTimer = undefined;
    }
  }
}
