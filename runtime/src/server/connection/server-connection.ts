// One per HTTP/2 connection the server accepts: enforces the client's PING
// rate (gRFC A8), pings the client to find dead peers (doc/keepalive.md), and
// ends the connection when it has been idle or alive too long (gRFC A9).
//
// node:http2 acknowledges PINGs itself; the session's 'ping' event (Node 10.12+)
// reports each PING received that is not an ACK, which is all the enforcement
// needs. Calls report to their connection in O(1): a counter up and down, and a
// flag set when the server sends headers or data.
import * as http2 from "node:http2";
import { goAwayGracefully } from "./goaway.js";
import { PingStrikes } from "./ping-strikes.js";
import { type ConnectionPolicy, jitteredAge } from "./policy.js";
import { LongTimer } from "./timer.js";

const { NGHTTP2_ENHANCE_YOUR_CALM } = http2.constants;
const TOO_MANY_PINGS = Buffer.from("too_many_pings");
const CONNECTION = Symbol("tsgrpc.connection");

type TrackedSession = http2.ServerHttp2Session & { [CONNECTION]?: ServerConnection };

/** The connection `session` belongs to; undefined for a session the server did not set up. */
export function connectionOf(session: http2.Http2Session | undefined): ServerConnection | undefined {
  return (session as TrackedSession | undefined)?.[CONNECTION];
}

export class ServerConnection {
  /**
   * Set whenever the server sends headers or data on this connection; the
   * next client PING is then not a strike (A8), and clears it.
   */
  sentSincePing = false;
  private activeCalls = 0;
  private readonly strikes: PingStrikes;
  private readonly tracksIdle: boolean;
  /** performance.now() when the last call ended (or the connection opened); kept only with maxConnectionIdle. */
  private idleSince = 0;
  private keepaliveTimer: LongTimer | undefined;
  private pingTimeoutTimer: LongTimer | undefined;
  private idleTimer: LongTimer | undefined;
  private ageTimer: LongTimer | undefined;
  private graceTimer: LongTimer | undefined;
  private disposed = false;

  constructor(
    private readonly session: http2.ServerHttp2Session,
    private readonly policy: ConnectionPolicy,
  ) {
    (session as TrackedSession)[CONNECTION] = this;
    this.strikes = new PingStrikes(policy.keepaliveMinTime, policy.keepalivePermitWithoutCalls);
    this.tracksIdle = policy.maxConnectionIdle !== Infinity;
    session.on("ping", () => this.onPing());
    session.once("close", () => this.dispose());
    this.scheduleKeepalive();
    if (this.tracksIdle) {
      this.idleSince = performance.now();
      this.idleTimer = new LongTimer(policy.maxConnectionIdle, () => this.checkIdle());
    }
    if (policy.maxConnectionAge !== Infinity) {
      this.ageTimer = new LongTimer(jitteredAge(policy.maxConnectionAge), () => this.onMaxAge());
    }
  }

  /** A call counts from its start until its stream closes (grpc-go's active streams). */
  callStarted(): void {
    this.activeCalls++;
  }

  callEnded(): void {
    if (--this.activeCalls === 0 && this.tracksIdle) this.idleSince = performance.now();
  }

  private onPing(): void {
    const tooMany = this.strikes.onPing(performance.now(), this.activeCalls, this.sentSincePing);
    this.sentSincePing = false;
    if (!tooMany || this.session.destroyed) return;
    // As grpc-go: GOAWAY ENHANCE_YOUR_CALM "too_many_pings", then close. Destroying
    // flushes the frames nghttp2 has queued before the socket goes.
    this.session.goaway(NGHTTP2_ENHANCE_YOUR_CALM, 0, TOO_MANY_PINGS);
    this.session.destroy();
  }

  // --- keepalive (server → client PINGs) ---

  private scheduleKeepalive(): void {
    if (this.disposed || this.policy.keepaliveTime === Infinity) return;
    this.keepaliveTimer = new LongTimer(this.policy.keepaliveTime, () => this.sendKeepalive());
  }

  private sendKeepalive(): void {
    const session = this.session;
    if (this.disposed || session.destroyed) return;
    // Only an ACK stops this timer: a PING that could not be sent, or failed,
    // counts as unanswered.
    const timeout = new LongTimer(this.policy.keepaliveTimeout, () => {
      // The peer is gone or stuck: its calls end (handlers' signals abort) with the connection.
      if (!session.destroyed) session.destroy();
    });
    this.pingTimeoutTimer = timeout;
    try {
      session.ping((error) => {
        if (error !== null) return;
        timeout.clear();
        this.scheduleKeepalive();
      });
    } catch {
      // destroyed meanwhile: 'close' disposes of the timers
    }
  }

  // --- lifetimes ---

  private checkIdle(): void {
    const maxIdle = this.policy.maxConnectionIdle;
    // Busy: look again a whole period later, as grpc-go does.
    let left = maxIdle;
    if (this.activeCalls === 0) {
      left = maxIdle - (performance.now() - this.idleSince);
      if (left <= 0) {
        this.drain("max_idle");
        return;
      }
    }
    this.idleTimer = new LongTimer(left, () => this.checkIdle());
  }

  private onMaxAge(): void {
    this.drain("max_age");
    this.graceTimer = new LongTimer(this.policy.maxConnectionAgeGrace, () => {
      // Calls still open after the grace period are cut off with the connection.
      if (!this.session.destroyed) this.session.destroy();
    });
  }

  /** GOAWAY (NO_ERROR, with `reason` as debug data); the session closes once its calls are done. */
  private drain(reason: string): void {
    const session = this.session;
    if (session.closed || session.destroyed) return;
    goAwayGracefully(session, Buffer.from(reason));
  }

  private dispose(): void {
    this.disposed = true;
    this.keepaliveTimer?.clear();
    this.pingTimeoutTimer?.clear();
    this.idleTimer?.clear();
    this.ageTimer?.clear();
    this.graceTimer?.clear();
  }
}
