// One address and at most one usable connection to it, with the connectivity
// states of connectivity-semantics-and-api.md: IDLE until a balancer asks it
// to connect; CONNECTING until the server's SETTINGS (READY) or failure;
// after a failure TRANSIENT_FAILURE for the backoff of connection-backoff.md,
// then IDLE again (the balancer decides whether to reconnect); a READY
// connection lost or told GOAWAY goes IDLE. Released, it is SHUTDOWN and its
// connection closes once its calls finish.
import * as http2 from "node:http2";
import { GrpcError } from "../../grpc/grpc-error.js";
import { Status } from "../../grpc/status.js";
import type { Subchannel } from "../balancer/balancer.js";
import { ConnectionBackoff, type BackoffOptions } from "../backoff.js";
import type { Clock, TimerHandle } from "../clock.js";
import { ConnectivityState } from "../connectivity.js";
import type { Connection, ConnectionOwner } from "../connection.js";
import type { ChannelKeepalive } from "../keepalive.js";
import type { Address } from "../resolver/resolver.js";
import { dialTarget, type Target } from "../target.js";
import { dial, type DialOptions } from "./dial.js";

const { NGHTTP2_ENHANCE_YOUR_CALM } = http2.constants;

/** What a channel's subchannels share. */
export interface SubchannelContext {
  readonly dial: DialOptions;
  readonly backoff: BackoffOptions;
  readonly keepalive: ChannelKeepalive;
  readonly clock: Clock;
  /** The subchannel's state changed (the channel counts connections for idleness). */
  readonly onStateChange?: (subchannel: ChannelSubchannel) => void;
}

type Listener = (subchannel: Subchannel, state: ConnectivityState) => void;

export class ChannelSubchannel implements Subchannel, ConnectionOwner {
  private current: ConnectivityState = ConnectivityState.IDLE;
  private error: GrpcError | undefined;
  private readonly listeners: Listener[] = [];
  private readonly backoff: ConnectionBackoff;
  private readonly target: Target;
  /** The connection being dialled or in use. */
  private connection: Connection | undefined;
  /** READY: calls may use `connection`. */
  private usable = false;
  private abortDial: (() => void) | undefined;
  private backoffTimer: TimerHandle | undefined;
  private retryAt = 0;
  /** Connections that went away with calls still on them: closed when those finish. */
  private readonly draining = new Set<Connection>();

  constructor(
    readonly address: Address,
    private readonly context: SubchannelContext,
  ) {
    this.backoff = new ConnectionBackoff(context.backoff);
    this.target = dialTarget(address);
  }

  get state(): ConnectivityState {
    return this.current;
  }

  get lastError(): GrpcError | undefined {
    return this.error;
  }

  /** The connection calls may use now: the call path's one question to a subchannel. */
  get readyConnection(): Connection | undefined {
    return this.usable ? this.connection : undefined;
  }

  /** Calls on this subchannel's connections (for the channel's idleness check). */
  get activeCalls(): number {
    let calls = this.connection?.activeCalls ?? 0;
    for (const c of this.draining) calls += c.activeCalls;
    return calls;
  }

  onStateChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  connect(): void {
    if (this.current !== ConnectivityState.IDLE) return;
    const now = this.context.clock.now();
    const attempt = this.backoff.nextAttempt(now);
    this.retryAt = attempt.retryAt;
    this.setState(ConnectivityState.CONNECTING);
    this.abortDial = dial(
      this.target,
      this.context.dial,
      {
        connectTimeout: Math.max(1, attempt.connectDeadline - now),
        keepalive: this.context.keepalive.options,
        onConnection: (connection) => {
          this.abortDial = undefined;
          if (this.current === ConnectivityState.SHUTDOWN) connection.destroy("subchannel shut down");
          else this.connection = connection;
        },
        onFailure: (error) => {
          this.abortDial = undefined;
          this.connectFailed(error);
        },
      },
      this,
    );
  }

  /** @internal ConnectionOwner: a call found it closing; the next connect() dials anew. */
  onConnectionDiscarded(connection: Connection): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    this.usable = false;
    this.drain(connection);
    if (this.current === ConnectivityState.READY) this.setState(ConnectivityState.IDLE);
  }

  release(): void {
    if (this.current === ConnectivityState.SHUTDOWN) return;
    // The balancer let go: it is not told about the subchannel any more.
    this.listeners.length = 0;
    this.setState(ConnectivityState.SHUTDOWN);
    if (this.backoffTimer !== undefined) this.context.clock.clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
    this.abortDial?.();
    this.abortDial = undefined;
    const connection = this.connection;
    this.connection = undefined;
    this.usable = false;
    if (connection !== undefined) {
      if (connection.ready) this.drain(connection);
      else connection.destroy("subchannel shut down");
    }
  }

  /** @internal ConnectionOwner */
  onConnectionReady(connection: Connection): void {
    if (this.connection !== connection) return;
    this.usable = true;
    this.error = undefined;
    this.backoff.reset();
    this.setState(ConnectivityState.READY);
    // Calls just started took a reference; an idle session lets the process exit.
    connection.unrefIfIdle();
  }

  /** @internal ConnectionOwner: streams the server accepted finish; new calls need a new connection. */
  onConnectionGoaway(connection: Connection, code: number, debugData: string): void {
    if (code === NGHTTP2_ENHANCE_YOUR_CALM && debugData === "too_many_pings") this.context.keepalive.tooManyPings(this.target.authority);
    this.onConnectionDiscarded(connection);
  }

  /** @internal ConnectionOwner */
  onConnectionClosed(connection: Connection, ready: boolean, error: Error | undefined): void {
    this.draining.delete(connection);
    if (this.connection !== connection) return;
    this.connection = undefined;
    this.usable = false;
    if (ready) {
      if (this.current === ConnectivityState.READY) this.setState(ConnectivityState.IDLE);
    } else {
      this.connectFailed(error);
    }
  }

  private connectFailed(error: Error | undefined): void {
    if (this.current !== ConnectivityState.CONNECTING) return;
    const where = this.target.kind === "unix" ? `unix:${this.target.path}` : this.target.authority;
    this.error = new GrpcError(Status.UNAVAILABLE, `failed to connect to ${where}: ${error?.message ?? "connection closed"}`, {
      cause: error,
    });
    this.setState(ConnectivityState.TRANSIENT_FAILURE);
    const clock = this.context.clock;
    this.backoffTimer = clock.setTimeout(
      () => {
        this.backoffTimer = undefined;
        if (this.current === ConnectivityState.TRANSIENT_FAILURE) this.setState(ConnectivityState.IDLE);
      },
      Math.max(0, this.retryAt - clock.now()),
    );
  }

  /** Keeps a connection that calls still use until they finish; closes it at once otherwise. */
  private drain(connection: Connection): void {
    if (connection.session.closed || connection.session.destroyed) return;
    this.draining.add(connection);
    // node:http2's close() lets the open streams finish, then closes.
    connection.session.close();
  }

  private setState(state: ConnectivityState): void {
    if (this.current === state || this.current === ConnectivityState.SHUTDOWN) return;
    this.current = state;
    this.context.onStateChange?.(this);
    for (const listener of this.listeners.slice()) listener(this, state);
  }
}
