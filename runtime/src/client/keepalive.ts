// Client keepalive (gRFC A8, grpc/grpc doc/keepalive.md): a PING every
// keepaliveTime while the connection has calls (or always, when permitted
// without calls); a PING unanswered within keepaliveTimeout means the peer or
// the path to it is gone. One timer per connection, re-armed in place; calls
// starting and ending cost nothing unless the connection goes from idle to busy.
import type * as http2 from "node:http2";

export interface KeepaliveOptions {
  /** Interval between PINGs, in ms; `Infinity` disables keepalive. */
  readonly time: number;
  /** How long to wait for a PING's ACK, in ms. */
  readonly timeout: number;
  /** Ping also while the connection carries no calls. */
  readonly permitWithoutCalls: boolean;
}

export const DEFAULT_KEEPALIVE_TIMEOUT_MS = 20_000;

/** setTimeout's longest delay; longer ones fire at once. */
const MAX_DELAY = 2 ** 31 - 1;

export class KeepalivePinger {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** A PING is out and the timer measures keepaliveTimeout. */
  private awaitingAck = false;
  private stopped = false;
  private readonly onAck = (error: Error | null): void => {
    if (error !== null || this.stopped) return;
    this.awaitingAck = false;
    this.arm(this.options.time);
  };
  private readonly onTimer = (): void => {
    if (this.stopped) return;
    if (this.awaitingAck) {
      this.stop();
      this.onTimeout();
      return;
    }
    if (!this.options.permitWithoutCalls && !this.hasCalls()) {
      // Idle: no PINGs until a call starts (callsResumed).
      this.timer = undefined;
      return;
    }
    this.ping();
  };

  constructor(
    private readonly session: http2.ClientHttp2Session,
    private readonly options: KeepaliveOptions,
    private readonly hasCalls: () => boolean,
    private readonly onTimeout: () => void,
  ) {}

  /** The connection is ready: start counting keepaliveTime. */
  start(): void {
    if (this.options.permitWithoutCalls || this.hasCalls()) this.arm(this.options.time);
  }

  /** The connection went from no calls to one: resume pinging if idle. */
  callsResumed(): void {
    if (this.timer === undefined && !this.stopped) this.arm(this.options.time);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private ping(): void {
    let sent: boolean;
    try {
      sent = this.session.ping(this.onAck);
    } catch {
      // The session is closing: its close ends this pinger.
      sent = false;
    }
    if (!sent) {
      this.timer = undefined;
      return;
    }
    this.awaitingAck = true;
    this.arm(this.options.timeout);
  }

  private arm(ms: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    const timer = setTimeout(this.onTimer, Math.min(ms, MAX_DELAY));
    // Keepalive alone never keeps the process running; calls hold the session's reference.
    timer.unref();
    this.timer = timer;
  }
}

/** gRFC A8 doubles the keepalive time on each `too_many_pings`; past setTimeout's range it stays there. */
const MAX_KEEPALIVE_TIME_MS = 2 ** 31 - 1;

/** A channel's keepalive settings, shared by its subchannels: `too_many_pings` from any server slows them all (gRFC A8). */
export class ChannelKeepalive {
  constructor(private current: KeepaliveOptions | undefined) {}

  /** For a new connection; `undefined`: no PINGs. */
  get options(): KeepaliveOptions | undefined {
    return this.current;
  }

  /** The interval new connections use, in ms (`Infinity` when off). */
  get time(): number {
    return this.current?.time ?? Infinity;
  }

  /** A server said `too_many_pings`: double the time for the connections made from now on. */
  tooManyPings(where: string): void {
    const keepalive = this.current;
    if (keepalive === undefined) return;
    const time = Math.min(keepalive.time * 2, MAX_KEEPALIVE_TIME_MS);
    this.current = { ...keepalive, time };
    process.emitWarning(`server ${where} sent GOAWAY too_many_pings; keepaliveTime raised to ${time} ms (gRFC A8)`, {
      code: "TSGRPC_TOO_MANY_PINGS",
    });
  }
}
