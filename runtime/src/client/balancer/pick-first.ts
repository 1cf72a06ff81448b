// pick_first (grpc/grpc doc/load-balancing.md; gRFC A62): try the addresses
// in order (shuffled first with `{"pick_first":{"shuffleAddressList":true}}`),
// one connection at a time; stay on the first that becomes READY.
// When every address failed the channel is TRANSIENT_FAILURE and stays so
// (each address retried on its own backoff) until one connects. When the
// chosen connection is lost the policy goes IDLE and asks for re-resolution;
// the next call starts again from the first address.
import type { GrpcError } from "../../grpc/grpc-error.js";
import { ConnectivityState } from "../connectivity.js";
import type { Address } from "../resolver/resolver.js";
import type { Balancer, BalancerHelper, BalancerUpdate, Subchannel } from "./balancer.js";
import { addressKey, failingPicker, idlePicker, queuePicker, subchannelPicker } from "./pickers.js";

/** A copy in random order (Fisher–Yates). */
function shuffled<T>(items: readonly T[]): T[] {
  const copy = items.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

export function createPickFirst(helper: BalancerHelper): Balancer {
  return new PickFirst(helper);
}

class PickFirst implements Balancer {
  private subchannels: Subchannel[] = [];
  private selected: Subchannel | undefined;
  /** The subchannel the first pass over the list is trying. */
  private index = 0;
  /** Every address failed since the last READY: retry each as its backoff ends. */
  private failing = false;
  /** Failures reported while failing since re-resolution was last requested. */
  private failures = 0;
  private state: ConnectivityState = ConnectivityState.IDLE;
  private closed = false;
  /** Inside tryNext: a subchannel that fails synchronously is handled by its loop, not by the listener. */
  private trying = false;

  constructor(private readonly helper: BalancerHelper) {}

  update({ addresses, config }: BalancerUpdate): void {
    if (this.closed) return;
    // gRFC A62: clients given the same list in the same order would all pick its first address.
    if (config["shuffleAddressList"] === true) addresses = shuffled(addresses);
    const first = this.subchannels.length === 0;
    const old = new Map(this.subchannels.map((s) => [addressKey(s.address), s]));
    const next: Subchannel[] = [];
    const seen = new Set<string>();
    for (const address of addresses) {
      const key = addressKey(address);
      if (seen.has(key)) continue;
      seen.add(key);
      next.push(old.get(key) ?? this.create(address));
      old.delete(key);
    }
    for (const removed of old.values()) removed.release();
    this.subchannels = next;
    const selected = this.selected;
    if (selected !== undefined && next.includes(selected)) return; // stays on it
    this.selected = undefined;
    // IDLE since a connection was lost (the update is likely the re-resolution that asked for): the next call connects.
    if (this.state === ConnectivityState.IDLE && !first) return;
    this.startPass();
  }

  resolverError(error: GrpcError): void {
    if (this.closed) return;
    if (this.subchannels.length === 0 || this.state === ConnectivityState.TRANSIENT_FAILURE) this.publish(ConnectivityState.TRANSIENT_FAILURE, error);
  }

  exitIdle(): void {
    if (this.closed || this.state !== ConnectivityState.IDLE || this.subchannels.length === 0) return;
    this.startPass();
  }

  close(): void {
    this.closed = true;
    for (const s of this.subchannels) s.release();
    this.subchannels = [];
    this.selected = undefined;
  }

  private create(address: Address): Subchannel {
    const subchannel = this.helper.createSubchannel(address);
    subchannel.onStateChange((s, state) => this.onSubchannelState(s, state));
    return subchannel;
  }

  private startPass(): void {
    // Sticky TRANSIENT_FAILURE (A62): a new pass after failing everywhere reports nothing until READY or failed again.
    if (!this.failing) this.publish(ConnectivityState.CONNECTING);
    this.failing = false;
    this.index = 0;
    this.tryNext(false);
  }

  /**
   * Connects the subchannel at `index`, or moves past ones in backoff; past the end, the pass failed.
   * `afterFailure`: a connection attempt of this pass failed just now (not a pass started by an update).
   */
  private tryNext(afterFailure: boolean): void {
    this.trying = true;
    try {
      this.passOver(afterFailure);
    } finally {
      this.trying = false;
    }
  }

  private passOver(afterFailure: boolean): void {
    while (this.index < this.subchannels.length) {
      const subchannel = this.subchannels[this.index]!;
      switch (subchannel.state) {
        case ConnectivityState.READY:
          this.select(subchannel);
          return;
        case ConnectivityState.IDLE:
          subchannel.connect();
          if ((subchannel.state as ConnectivityState) === ConnectivityState.CONNECTING) return; // else it failed at once
          break;
        case ConnectivityState.CONNECTING:
          return;
        default:
          break;
      }
      this.index++;
    }
    this.failing = true;
    this.failures = 0;
    const last = this.subchannels.at(-1);
    this.publish(ConnectivityState.TRANSIENT_FAILURE, last?.lastError);
    // Not for a pass that an update ended at once (every address still in backoff): the names were just resolved,
    // and a resolver answering synchronously would loop.
    if (afterFailure) this.helper.requestReresolution();
    // Those whose backoff already ended reconnect now; the rest when they go IDLE.
    for (const s of this.subchannels) s.connect();
  }

  private select(subchannel: Subchannel): void {
    this.selected = subchannel;
    this.failing = false;
    // One connection: the others stop; fresh subchannels stand in for their addresses.
    this.subchannels = this.subchannels.map((s) => {
      if (s === subchannel) return s;
      s.release();
      return this.create(s.address);
    });
    this.publish(ConnectivityState.READY);
  }

  private onSubchannelState(subchannel: Subchannel, state: ConnectivityState): void {
    if (this.closed || !this.subchannels.includes(subchannel)) return;
    if (subchannel === this.selected) {
      if (state === ConnectivityState.READY) return;
      // Lost: wait for the next call, from the first address, with fresh names.
      this.selected = undefined;
      this.publish(ConnectivityState.IDLE);
      this.helper.requestReresolution();
      return;
    }
    if (this.selected !== undefined) return;
    if (state === ConnectivityState.READY) {
      this.select(subchannel);
    } else if (this.failing) {
      if (state === ConnectivityState.IDLE) subchannel.connect();
      else if (state === ConnectivityState.TRANSIENT_FAILURE) {
        this.publish(ConnectivityState.TRANSIENT_FAILURE, subchannel.lastError);
        // The names may have changed while everything is down: ask again after each round of failures.
        if (++this.failures >= this.subchannels.length) {
          this.failures = 0;
          this.helper.requestReresolution();
        }
      }
    } else if (state === ConnectivityState.TRANSIENT_FAILURE && !this.trying && this.subchannels[this.index] === subchannel) {
      this.index++;
      this.tryNext(true);
    }
  }

  private publish(state: ConnectivityState, error?: GrpcError): void {
    this.state = state;
    switch (state) {
      case ConnectivityState.READY:
        this.helper.updateState(state, subchannelPicker(this.selected!));
        break;
      case ConnectivityState.TRANSIENT_FAILURE:
        this.helper.updateState(state, error !== undefined ? failingPicker(error) : queuePicker);
        break;
      case ConnectivityState.IDLE:
        this.helper.updateState(state, idlePicker(() => this.exitIdle()));
        break;
      default:
        this.helper.updateState(state, queuePicker);
    }
  }
}
