// A channel's engine room: its resolver, the service config in force, the
// balancer that config chooses, the balancer's subchannels and the picker
// every call asks. Calls the picker cannot place yet wait here and are picked
// again with each new picker. The channel's connectivity state is the
// balancer's, except IDLE before the first call and after idleTimeout with no
// calls (resolver and balancer are then closed), and SHUTDOWN after close().
import { GrpcError } from "../grpc/grpc-error.js";
import { parseServiceConfig, selectLoadBalancingConfig, type ServiceConfig } from "../grpc/service-config.js";
import { Status } from "../grpc/status.js";
import type { Balancer, BalancerHelper, Picker, PickInfo, PickResult } from "./balancer/balancer.js";
import { failingPicker, queuePicker } from "./balancer/pickers.js";
import { getBalancer, hasBalancer } from "./balancer/registry.js";
import { type BackoffOptions, ConnectionBackoff } from "./backoff.js";
import type { CallTransport, ConnectionWaiter } from "./call-transport.js";
import type { Clock, TimerHandle } from "./clock.js";
import { ConnectivityState, StateWatchers } from "./connectivity.js";
import type { Connection } from "./connection.js";
import type { ChannelKeepalive } from "./keepalive.js";
import type { Address, Resolver, ResolverListener, ResolverUpdate } from "./resolver/resolver.js";
import type { DialOptions } from "./subchannel/dial.js";
import { ChannelSubchannel, type SubchannelContext } from "./subchannel/subchannel.js";

export interface BalancingOptions {
  /** Starts the channel's resolver (called when the channel leaves IDLE). */
  readonly resolve: (listener: ResolverListener) => Resolver;
  /** Names the resolver in errors, e.g. `the dns resolver for "example.com:443"`. */
  readonly resolverName: string;
  readonly dial: DialOptions;
  readonly backoff: BackoffOptions;
  readonly keepalive: ChannelKeepalive;
  readonly clock: Clock;
  /** ms without calls before the channel goes IDLE; `Infinity`: never. */
  readonly idleTimeout: number;
  /** Used when the resolver sends none (doc/service_config.md's default service config). */
  readonly defaultServiceConfig: ServiceConfig | undefined;
  /** Ignore service configs from the resolver. */
  readonly disableServiceConfigLookup: boolean;
}

const DEFAULT_POLICY = { name: "pick_first", config: {} };

interface PendingBalancer {
  readonly policy: string;
  readonly helper: BalancerHelper;
  readonly balancer: Balancer;
  /** The last state and picker it published, applied when it takes over. */
  state: ConnectivityState | undefined;
  picker: Picker | undefined;
}

export class BalancingTransport implements CallTransport, BalancerHelper {
  private readonly watchers = new StateWatchers(ConnectivityState.IDLE);
  private picker: Picker;
  private readonly queued = new Set<ConnectionWaiter>();
  private resolver: Resolver | undefined;
  private balancer: Balancer | undefined;
  /** The helper `balancer` was given; the helpers of replaced or closed balancers do nothing. */
  private balancerHelper: BalancerHelper | undefined;
  private policy: string | undefined;
  /**
   * A policy switch while READY (gRPC's graceful switch): the new balancer
   * connects beside the old one, whose picker calls keep using until the new
   * one is READY or failing, or the old one stops being READY.
   */
  private pending: PendingBalancer | undefined;
  /** The config the last good update selected (the resolver's, or the fallback): kept when a later one is invalid (gRFC A21). */
  private selectedConfig: ServiceConfig | undefined;
  private readonly subchannels = new Set<ChannelSubchannel>();
  private readonly subchannelContext: SubchannelContext;
  private idleTimer: TimerHandle | undefined;
  /** After a failed resolution: asks the resolver again on the reconnect backoff, until it answers. */
  private readonly resolveBackoff: ConnectionBackoff;
  private resolveRetry: TimerHandle | undefined;
  /** Picks so far, and at the last idleness check: a cheap sign of calls in between. */
  private picks = 0;
  private picksAtCheck = 0;
  private shutDown = false;
  /** Holds the process open while calls wait: backoff and idle timers do not (they are unref'd). */
  private waitingHandle: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: BalancingOptions) {
    this.picker = this.idlePicker();
    this.resolveBackoff = new ConnectionBackoff(options.backoff);
    this.subchannelContext = {
      dial: options.dial,
      backoff: options.backoff,
      keepalive: options.keepalive,
      clock: options.clock,
      onStateChange: (subchannel) => {
        if (subchannel.state === ConnectivityState.SHUTDOWN) this.subchannels.delete(subchannel);
      },
    };
  }

  get state(): ConnectivityState {
    return this.watchers.state;
  }

  get stateWatchers(): StateWatchers {
    return this.watchers;
  }

  ready(info: PickInfo): Connection | undefined {
    this.picks++;
    const result = this.picker.pick(info);
    return result.kind === "subchannel" && result.subchannel instanceof ChannelSubchannel ? result.subchannel.readyConnection : undefined;
  }

  wait(waiter: ConnectionWaiter): void {
    if (this.resolver === undefined) this.exitIdle(); // the first call after IDLE
    // Names that failed to resolve are tried again when calls want them (the resolver rate-limits this).
    else if (this.balancer === undefined && this.watchers.state === ConnectivityState.TRANSIENT_FAILURE) this.resolver.resolveNow();
    if (this.place(waiter)) return;
    this.queued.add(waiter);
    this.waitingHandle ??= setInterval(noop, MAX_TIMER_MS);
  }

  cancelWait(waiter: ConnectionWaiter): void {
    if (this.queued.delete(waiter)) this.releaseWaitingHandle();
  }

  /** Leaves IDLE: starts resolving (the resolver's first update creates the balancer) or wakes the balancer. */
  exitIdle(): void {
    if (this.shutDown) return;
    if (this.resolver === undefined) {
      this.picker = queuePicker;
      this.watchers.set(ConnectivityState.CONNECTING);
      this.armIdleTimer();
      this.startResolving();
    } else {
      this.balancer?.exitIdle();
    }
  }

  /** SHUTDOWN: waiting calls fail; calls in flight finish, then the connections close. */
  close(): void {
    if (this.shutDown) return;
    this.shutDown = true;
    const error = new GrpcError(Status.UNAVAILABLE, "channel closed");
    const closed: PickResult = Object.freeze({ kind: "drop", error });
    this.picker = { pick: () => closed };
    this.stopIdleTimer();
    this.teardown();
    this.watchers.set(ConnectivityState.SHUTDOWN);
    const waiters = [...this.queued];
    this.queued.clear();
    this.releaseWaitingHandle();
    for (const w of waiters) w.onConnectionFailure(error);
  }

  /** @internal BalancerHelper */
  createSubchannel(address: Address): ChannelSubchannel {
    const subchannel = new ChannelSubchannel(address, this.subchannelContext);
    this.subchannels.add(subchannel);
    return subchannel;
  }

  /** @internal BalancerHelper */
  updateState(state: ConnectivityState, picker: Picker): void {
    if (this.shutDown) return;
    this.picker = picker;
    this.watchers.set(state);
    if (this.queued.size === 0) return;
    for (const waiter of [...this.queued]) {
      // Out of the queue while it is placed: a call that cannot use its connection waits again.
      if (!this.queued.delete(waiter)) continue;
      if (!this.place(waiter)) this.queued.add(waiter);
    }
    this.releaseWaitingHandle();
  }

  private releaseWaitingHandle(): void {
    if (this.queued.size > 0 || this.waitingHandle === undefined) return;
    clearInterval(this.waitingHandle);
    this.waitingHandle = undefined;
  }

  /** @internal BalancerHelper */
  requestReresolution(): void {
    this.resolver?.resolveNow();
  }

  /**
   * What one balancer may do, while it is the channel's: a policy that is
   * replaced or closed (idleness) may still hold timers or callbacks, and must
   * not publish pickers, ask for re-resolution or leak subchannels then.
   */
  private helperFor(): BalancerHelper {
    const helper: BalancerHelper = {
      createSubchannel: (address) => {
        const subchannel = this.createSubchannel(address);
        if (this.balancerHelper !== helper && this.pending?.helper !== helper) subchannel.release();
        return subchannel;
      },
      updateState: (state, picker) => {
        const pending = this.pending;
        if (this.balancerHelper === helper) {
          this.updateState(state, picker);
          if (pending !== undefined && state !== ConnectivityState.READY) this.promote(pending);
        } else if (pending?.helper === helper) {
          pending.state = state;
          pending.picker = picker;
          if (state === ConnectivityState.READY || state === ConnectivityState.TRANSIENT_FAILURE) this.promote(pending);
        }
      },
      requestReresolution: () => {
        if (this.balancerHelper === helper || this.pending?.helper === helper) this.requestReresolution();
      },
    };
    return helper;
  }

  /** Makes `next` the channel's balancer: the previous one closes (its connections drain). */
  private promote(next: PendingBalancer): void {
    if (this.pending === next) this.pending = undefined;
    const old = this.balancer;
    this.balancer = next.balancer;
    this.balancerHelper = next.helper;
    this.policy = next.policy;
    old?.close();
    if (next.picker !== undefined) this.updateState(next.state!, next.picker);
  }

  private closePending(): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.balancer.close();
  }

  /** Gives `waiter` a connection or its failure, if the picker decides now; false: it waits for the next picker. */
  private place(waiter: ConnectionWaiter): boolean {
    const result = this.picker.pick(waiter.method);
    switch (result.kind) {
      case "subchannel": {
        const subchannel = result.subchannel;
        if (!(subchannel instanceof ChannelSubchannel)) {
          waiter.onConnectionFailure(new GrpcError(Status.INTERNAL, "the balancer picked a subchannel that its helper did not create"));
          return true;
        }
        const connection = subchannel.readyConnection;
        if (connection === undefined) return false; // the balancer publishes a new picker with the state change
        // A call placed after waiting counts for idleness too: its pick in ready() may predate the idle timer.
        this.picks++;
        waiter.onConnection(connection);
        return true;
      }
      case "queue":
        return false;
      case "fail":
        if (waiter.waitForReady) return false;
        waiter.onConnectionFailure(result.error);
        return true;
      case "drop":
        waiter.onConnectionFailure(result.error);
        return true;
    }
  }

  /** While IDLE calls wait; the first of them (in wait()) leaves IDLE. */
  private idlePicker(): Picker {
    return queuePicker;
  }

  private startResolving(): void {
    // Stands for the resolver from before the factory returns (it may answer synchronously) until it is closed.
    let resolver: Resolver | undefined;
    let closed = false;
    const handle: Resolver = {
      resolveNow: () => resolver?.resolveNow(),
      close: () => {
        closed = true;
        resolver?.close();
      },
    };
    this.resolver = handle;
    // Updates of a resolver closed by idleness or shutdown are dropped.
    const current = (): boolean => !this.shutDown && this.resolver === handle;
    const listener: ResolverListener = {
      onUpdate: (update) => {
        if (current()) this.onResolverUpdate(update);
      },
      onError: (error) => {
        if (current()) this.onResolverError(error);
      },
    };
    try {
      resolver = this.options.resolve(listener);
    } catch (e) {
      this.onResolverError(new GrpcError(Status.UNAVAILABLE, `${this.options.resolverName} failed: ${(e as Error).message}`, { cause: e }));
      return;
    }
    if (closed) resolver.close();
  }

  private onResolverUpdate(update: ResolverUpdate): void {
    this.cancelResolveRetry();
    const bad = invalidAddresses(update.addresses);
    if (bad !== undefined) {
      this.onResolverError(new GrpcError(Status.UNAVAILABLE, `${this.options.resolverName} ${bad}`));
      return;
    }
    const config = this.serviceConfig(update);
    if (config instanceof GrpcError) {
      this.onResolverError(config);
      return;
    }
    const lb = selectLoadBalancingConfig(config, hasBalancer) ?? DEFAULT_POLICY;
    const addresses = update.addresses.slice();
    if (this.balancer !== undefined && this.policy === lb.name) {
      this.closePending();
      this.balancer.update({ addresses, config: lb.config });
    } else if (this.pending !== undefined && this.pending.policy === lb.name) {
      this.pending.balancer.update({ addresses, config: lb.config });
    } else {
      this.closePending();
      const helper = this.helperFor();
      const pending: PendingBalancer = { policy: lb.name, helper, balancer: getBalancer(lb.name)!(helper), state: undefined, picker: undefined };
      if (this.balancer !== undefined && this.watchers.state === ConnectivityState.READY) this.pending = pending;
      else this.promote(pending);
      pending.balancer.update({ addresses, config: lb.config });
    }
    this.resolveBackoff.reset();
  }

  /** The config in force after `update` (gRFC A2), or why there is none. */
  private serviceConfig(update: ResolverUpdate): ServiceConfig | GrpcError {
    const fallback = this.options.defaultServiceConfig ?? EMPTY_CONFIG;
    if (this.options.disableServiceConfigLookup || update.serviceConfig === undefined) {
      this.selectedConfig = fallback;
      return fallback;
    }
    try {
      const config = parseServiceConfig(update.serviceConfig);
      selectLoadBalancingConfig(config, hasBalancer); // throws when it names no policy we have
      this.selectedConfig = config;
      return config;
    } catch (e) {
      // A21: an invalid config changes nothing when one (even "none": the fallback) was selected before.
      if (this.selectedConfig !== undefined) return this.selectedConfig;
      if (this.options.defaultServiceConfig !== undefined) return this.options.defaultServiceConfig;
      return new GrpcError(Status.UNAVAILABLE, `${this.options.resolverName} returned an ${(e as Error).message}`, { cause: e });
    }
  }

  private onResolverError(error: GrpcError): void {
    const unavailable =
      error instanceof GrpcError && error.code === Status.UNAVAILABLE ? error : new GrpcError(Status.UNAVAILABLE, GrpcError.from(error).details, { cause: error });
    if (this.balancer !== undefined) this.balancer.resolverError(unavailable);
    else this.updateState(ConnectivityState.TRANSIENT_FAILURE, failingPicker(unavailable));
    this.scheduleResolveRetry();
  }

  /** Resolvers such as dns resolve only when asked: without this, waitForReady calls would wait out their deadline. */
  private scheduleResolveRetry(): void {
    if (this.resolveRetry !== undefined || this.resolver === undefined || this.shutDown) return;
    const clock = this.options.clock;
    const { retryAt } = this.resolveBackoff.nextAttempt(clock.now());
    this.resolveRetry = clock.setTimeout(
      () => {
        this.resolveRetry = undefined;
        this.resolver?.resolveNow();
      },
      Math.max(0, retryAt - clock.now()),
    );
  }

  private cancelResolveRetry(): void {
    if (this.resolveRetry !== undefined) this.options.clock.clearTimeout(this.resolveRetry);
    this.resolveRetry = undefined;
  }

  private teardown(): void {
    this.cancelResolveRetry();
    this.resolveBackoff.reset();
    this.closePending();
    const resolver = this.resolver;
    const balancer = this.balancer;
    this.resolver = undefined;
    this.balancer = undefined;
    this.balancerHelper = undefined;
    this.policy = undefined;
    resolver?.close();
    balancer?.close();
  }

  private armIdleTimer(): void {
    if (this.options.idleTimeout === Infinity || this.idleTimer !== undefined) return;
    this.picksAtCheck = this.picks;
    this.idleTimer = this.options.clock.setTimeout(() => this.checkIdle(), this.options.idleTimeout);
  }

  private stopIdleTimer(): void {
    if (this.idleTimer !== undefined) this.options.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** Runs every idleTimeout while not IDLE: no picks since the last run and no calls open means idle. */
  private checkIdle(): void {
    this.idleTimer = undefined;
    if (this.shutDown || this.resolver === undefined) return;
    let busy = this.picks !== this.picksAtCheck || this.queued.size > 0;
    if (!busy) for (const s of this.subchannels) if (s.activeCalls > 0) busy = true;
    if (busy) {
      this.armIdleTimer();
      return;
    }
    this.teardown();
    this.picker = this.idlePicker();
    this.watchers.set(ConnectivityState.IDLE);
  }
}

const MAX_TIMER_MS = 2 ** 31 - 1;

function noop(): void {}

const EMPTY_CONFIG: ServiceConfig = parseServiceConfig({});

/** Why a resolver's address list cannot be dialed, or undefined. */
function invalidAddresses(addresses: readonly Address[]): string | undefined {
  if (!Array.isArray(addresses) || addresses.length === 0) return "returned no addresses";
  for (const a of addresses) {
    if (a?.kind === "tcp") {
      if (typeof a.host !== "string" || a.host === "" || !Number.isInteger(a.port) || a.port < 0 || a.port > 65535) {
        return `returned an invalid TCP address ${JSON.stringify(a)}`;
      }
    } else if (a?.kind !== "unix" || typeof a.path !== "string" || a.path === "") {
      return `returned an invalid address ${JSON.stringify(a)}`;
    }
  }
  return undefined;
}
