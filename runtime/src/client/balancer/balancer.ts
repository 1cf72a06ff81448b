// The load-balancing API, shaped like grpc-go's balancer package (and
// grpc/grpc doc/load-balancing.md): the channel hands a Balancer the
// resolved addresses; the balancer creates subchannels (one connection each),
// follows their connectivity, and publishes a Picker; every call asks only
// the current Picker. A policy is a factory registered by name and chosen by
// the service config's `loadBalancingConfig`, so weighted or custom policies
// plug in without touching the call path.
import type { GrpcError } from "../../grpc/grpc-error.js";
import type { ServiceConfigJson } from "../../grpc/service-config.js";
import type { ConnectivityState } from "../connectivity.js";
import type { Address } from "../resolver/resolver.js";

/** A subchannel as a balancer sees it: one address, one connection at a time. */
export interface Subchannel {
  readonly address: Address;
  readonly state: ConnectivityState;
  /** Why the last connection attempt failed (in TRANSIENT_FAILURE). */
  readonly lastError: GrpcError | undefined;
  /** Starts connecting when IDLE; otherwise nothing. */
  connect(): void;
  /** Called on every state change until released. */
  onStateChange(listener: (subchannel: Subchannel, state: ConnectivityState) => void): void;
  /** The balancer no longer uses it: no new calls; calls in flight finish, then its connection closes. */
  release(): void;
}

/** What a picker may look at for a call. */
export interface PickInfo {
  /** `/package.Service/Method`. */
  readonly path: string;
}

/** Where a call goes. Pickers return preallocated results: a pick costs no allocation. */
export type PickResult =
  | { readonly kind: "subchannel"; readonly subchannel: Subchannel }
  /** Wait for the next picker (the balancer is connecting). */
  | { readonly kind: "queue" }
  /** Fail fast calls with `error` (UNAVAILABLE); waitForReady calls wait for the next picker. */
  | { readonly kind: "fail"; readonly error: GrpcError }
  /** Fail the call with `error` even if it would wait for ready. */
  | { readonly kind: "drop"; readonly error: GrpcError };

export interface Picker {
  pick(info: PickInfo): PickResult;
}

export const QUEUE: PickResult = Object.freeze({ kind: "queue" });

/** What the channel lets a balancer do. */
export interface BalancerHelper {
  createSubchannel(address: Address): Subchannel;
  /** Publishes the balancer's aggregate state and the picker calls use from now on. */
  updateState(state: ConnectivityState, picker: Picker): void;
  /** Asks the resolver to resolve again (e.g. a backend was lost); the resolver may rate-limit it. */
  requestReresolution(): void;
}

export interface BalancerUpdate {
  /** The complete, non-empty address list, in the resolver's order. */
  readonly addresses: readonly Address[];
  /** The policy's own config object from `loadBalancingConfig` (`{}` when none). */
  readonly config: ServiceConfigJson;
}

export interface Balancer {
  /** A new address list (and config); subchannels of addresses no longer listed are released. */
  update(update: BalancerUpdate): void;
  /** The resolver failed; with no addresses from before, the balancer fails calls with it. */
  resolverError(error: GrpcError): void;
  /** The channel leaves IDLE (a call, or getState(true)): connect if not connecting. */
  exitIdle(): void;
  /** Releases every subchannel. */
  close(): void;
}

export type BalancerFactory = (helper: BalancerHelper) => Balancer;
