// Interim glue between name resolution and the single-connection Transport,
// until subchannels and balancers replace both: the channel's resolver starts
// with the first call, and the Transport dials the first address of the
// latest update, moving to the next one when a connection attempt fails
// (pick_first's order, one connection at a time), and to backoff only after
// every address failed. Calls that arrive before the
// first update wait for it; a resolution error fails fast calls UNAVAILABLE
// with the resolver's message and keeps waitForReady calls waiting.
import { GrpcError } from "../grpc/grpc-error.js";
import { parseServiceConfig, type ServiceConfig } from "../grpc/service-config.js";
import { Status } from "../grpc/status.js";
import type { Address, Resolver, ResolverUpdate } from "./resolver/resolver.js";
import type { ResolvableTarget } from "./resolver/target.js";
import { dialTarget, type Target } from "./target.js";
import { type ConnectionWaiter, Transport, type TransportOptions } from "./transport.js";

/** The channel's view of its resolver: the latest good state, or why there is none. */
interface ResolvedState {
  dial: Target | undefined;
  /** The latest update's addresses, and which of them `dial` is. */
  addresses: readonly Address[];
  index: number;
  error: GrpcError | undefined;
  /** From the resolver, when it sends one; the balancer work applies it. */
  serviceConfig: ServiceConfig | GrpcError | undefined;
}

export class ResolvingTransport extends Transport {
  private readonly state: ResolvedState;
  private resolver: Resolver | undefined;
  private readonly pending = new Set<ConnectionWaiter>();
  private shutDown = false;

  constructor(
    private readonly resolvable: ResolvableTarget,
    options: TransportOptions,
  ) {
    const state: ResolvedState = { dial: undefined, addresses: [], index: 0, error: undefined, serviceConfig: undefined };
    // Transport reads its target when it dials: let it read the latest resolved address.
    const unresolved: Target = { kind: "tcp", host: "", port: 0, authority: resolvable.defaultAuthority };
    super(new Proxy<Target>(unresolved, { get: (fallback, key) => Reflect.get(state.dial ?? fallback, key) }), options);
    this.state = state;
  }

  /** The latest service config the resolver sent (or why it was rejected). */
  get resolverServiceConfig(): ServiceConfig | GrpcError | undefined {
    return this.state.serviceConfig;
  }

  override wait(waiter: ConnectionWaiter): void {
    if (this.state.dial !== undefined || this.shutDown) {
      super.wait(waiter);
      return;
    }
    if (this.resolver === undefined) this.startResolving();
    else if (this.state.error !== undefined) this.resolver.resolveNow();
    if (this.state.dial !== undefined) {
      super.wait(waiter); // static resolvers answer synchronously
    } else if (this.state.error !== undefined && !waiter.waitForReady) {
      waiter.onConnectionFailure(this.state.error);
    } else {
      this.pending.add(waiter);
    }
  }

  /** Next address of the list; after the last, back to the first, and the transport backs off. */
  protected override advanceAddress(): boolean {
    const state = this.state;
    if (state.addresses.length === 0) return false;
    state.index = (state.index + 1) % state.addresses.length;
    state.dial = dialTarget(state.addresses[state.index]!);
    return state.index !== 0;
  }

  override cancelWait(waiter: ConnectionWaiter): void {
    if (!this.pending.delete(waiter)) super.cancelWait(waiter);
  }

  override close(): void {
    if (!this.shutDown) {
      this.shutDown = true;
      this.resolver?.close();
      const error = new GrpcError(Status.UNAVAILABLE, "channel closed");
      const waiters = [...this.pending];
      this.pending.clear();
      for (const w of waiters) w.onConnectionFailure(error);
    }
    super.close();
  }

  private startResolving(): void {
    const { target: text, scheme, authority, endpoint } = this.resolvable;
    const target = { target: text, scheme, authority, endpoint };
    const listener = {
      onUpdate: (update: ResolverUpdate) => this.onUpdate(update),
      onError: (error: GrpcError) => this.onError(error),
    };
    try {
      this.resolver = this.resolvable.handler.factory(target, listener);
    } catch (e) {
      this.resolver = { resolveNow() {}, close() {} };
      this.onError(new GrpcError(Status.UNAVAILABLE, `the ${scheme} resolver failed: ${(e as Error).message}`, { cause: e }));
    }
  }

  private onUpdate(update: ResolverUpdate): void {
    if (this.shutDown) return;
    const bad = invalidAddresses(update.addresses);
    if (bad !== undefined) {
      this.onError(new GrpcError(Status.UNAVAILABLE, `the ${this.resolvable.scheme} resolver for ${JSON.stringify(this.resolvable.target)} ${bad}`));
      return;
    }
    if (update.serviceConfig !== undefined) {
      try {
        this.state.serviceConfig = parseServiceConfig(update.serviceConfig);
      } catch (e) {
        this.state.serviceConfig = new GrpcError(Status.UNAVAILABLE, (e as Error).message, { cause: e });
      }
    }
    this.state.addresses = update.addresses.slice();
    this.state.index = 0;
    this.state.dial = dialTarget(update.addresses[0]!);
    this.state.error = undefined;
    const waiters = [...this.pending];
    this.pending.clear();
    for (const w of waiters) super.wait(w);
  }

  private onError(error: GrpcError): void {
    if (this.shutDown) return;
    const unavailable = error instanceof GrpcError && error.code === Status.UNAVAILABLE ? error : new GrpcError(Status.UNAVAILABLE, GrpcError.from(error).details, { cause: error });
    this.state.error = unavailable;
    // With addresses from an earlier update, keep using them (as gRPC does).
    if (this.state.dial !== undefined) return;
    for (const w of [...this.pending]) {
      if (w.waitForReady) continue;
      this.pending.delete(w);
      w.onConnectionFailure(unavailable);
    }
  }
}

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
